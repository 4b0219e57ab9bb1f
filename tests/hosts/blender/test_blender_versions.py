"""What changes between Blender versions, on whichever Blender the tests run (bpy 5.x, bpy 4.2,
Debian's 3.4 through RV_DCC_TEST_BLENDER): EEVEE's engine id, the compositor's node tree, view layers."""
import pytest

from blender_helpers import blender_version, needs_bpy, run_bpy

pytestmark = [pytest.mark.blender, needs_bpy]

SCENE = r"""
import bpy, json, os
bpy.ops.wm.read_factory_settings(use_empty=True)
bpy.ops.wm.save_as_mainfile(filepath=os.path.join(%(root)r, "look.blend"))
scene = bpy.context.scene
for engine in ("BLENDER_EEVEE_NEXT", "BLENDER_EEVEE"):   # the id this Blender knows
    try:
        scene.render.engine = engine
        break
    except TypeError:
        continue
if hasattr(scene, "compositing_node_group"):              # 5.0+: a node group of the scene
    tree = bpy.data.node_groups.new("Comp", "CompositorNodeTree")
    scene.compositing_node_group = tree
else:                                                     # before: scene.node_tree, with use_nodes
    scene.use_nodes = True
    tree = scene.node_tree
for folder, muted in (("//comp/aovs_", False), ("//comp/muted_", True)):
    node = tree.nodes.new("CompositorNodeOutputFile")
    setattr(node, "base_path" if hasattr(node, "base_path") else "directory", folder)
    node.mute = muted
scene.render.use_compositing = True
scene.view_layers[0].name = "Main"
scene.view_layers.new("Matte").use = False
from rv_dcc_hosts.blender.adapter import describe_dict
d = describe_dict()
print("RESULT:" + json.dumps([scene.render.engine, d["renderer"], d["renderer_version"], d["plugins"],
      d["settings"]["engine_family"], d["settings"]["compositor"], d["settings"]["use_compositing"],
      [(l["name"], l["renderable"]) for l in d["layers"]], d["settings"]["view_layers"]]))
"""


def expected_eevee(version: str) -> str:
    """EEVEE's id: BLENDER_EEVEE up to 4.1, BLENDER_EEVEE_NEXT in 4.2-4.5, BLENDER_EEVEE from 5.0."""
    major, minor = (int(part) for part in version.split(".")[:2])
    return "BLENDER_EEVEE_NEXT" if (4, 2) <= (major, minor) < (5, 0) else "BLENDER_EEVEE"


def test_eevee_compositor_and_view_layers_on_this_blender(tmp_path):
    version = blender_version()
    engine, renderer, renderer_version, plugins, family, compositor, use, layers, per_scene = run_bpy(
        SCENE % {"root": str(tmp_path)})
    assert engine == renderer == expected_eevee(version)
    assert family == "EEVEE" and plugins == [] and renderer_version == version  # built in, not an add-on
    # the compositor runs and its unmuted File Output node writes beside the frames
    assert use is True and compositor == {"use": True, "file_outputs": [str(tmp_path / "comp" / "aovs_")]}
    assert layers == [["Main", True], ["Matte", False]] and per_scene == {"Scene": {"Main": True, "Matte": False}}
