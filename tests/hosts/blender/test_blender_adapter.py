"""The Blender adapter on a real .blend built with bpy: description, assets, settings, select."""
import json
import os
from pathlib import Path

import pytest

from blender_helpers import blender_version, needs_bpy, run_bpy

pytestmark = [pytest.mark.blender, needs_bpy]


def by_node(desc, node, attribute="filepath"):
    matches = [ref for ref in desc.assets if ref.node == node and ref.attribute == attribute]
    assert len(matches) == 1, [r.node for r in desc.assets]
    return matches[0]


def test_scene_facts(shot_description, project):
    desc = shot_description
    assert desc.host == "blender" and desc.host_version == blender_version()
    assert desc.scene_file == str(project / "shot.blend") and desc.scene_saved
    assert [(l.name, l.kind, l.renderable) for l in desc.layers] == [
        ("ViewLayer", "view_layer", True), ("BG", "view_layer", True), ("Holdout", "view_layer", False)]
    assert [(c.name, c.renderable) for c in desc.cameras] == [("CamA", False), ("CamB", True)]
    assert all(layer.cameras == ["CamB"] for layer in desc.layers)
    assert (desc.frame_start, desc.frame_end, desc.frame_step) == (1, 20, 2)
    assert desc.renderer == "CYCLES" and desc.settings["device"] == "CPU"
    assert (desc.resolution.width, desc.resolution.height, desc.resolution.percentage) == (1280, 720, 50)
    assert desc.output.path == "//render/shot_" and desc.output.format == "OPEN_EXR"
    assert desc.settings["output_abs"] == str(project / "render" / "shot_")
    assert desc.settings["scenes"] == ["Scene", "Comp"]
    assert desc.settings["view_layers"]["Comp"] == {"CompLayer": True}
    assert desc.settings["camera"] == "CamB"
    ocio = desc.settings["color_management"]
    assert ocio["ocio_source"] == "builtin" and os.path.isfile(ocio["ocio_config"])


def test_every_external_file_with_where_it_is_used(shot_description, project):
    desc = shot_description
    udim = by_node(desc, "WoodUDIM")
    assert (udim.path, udim.kind, udim.attribute) == ("//tex/wood.<UDIM>.png", "texture", "filepath")
    assert udim.resolved == str(project / "tex" / "wood.<UDIM>.png")
    assert by_node(desc, "WoodUDIM", "tiles[1001]").path == "//tex/wood.1001.png"  # each declared tile too
    seq = by_node(desc, "FrameSeq")
    assert seq.kind == "image_sequence" and seq.path == str(project / "seq" / "frame.####.png")
    assert by_node(desc, "AbsTex").path == str(project / "tex" / "abs.png")  # absolute stays absolute
    assert by_node(desc, "MissingTex").path == "//tex/missing.png"  # relative stays relative
    library = by_node(desc, "library.blend")
    assert (library.kind, library.path, library.resolved) == ("library", "//lib/library.blend",
                                                              str(project / "lib" / "library.blend"))
    # an image of the linked library is relative to the library's folder, not the shot's
    lib_image = by_node(desc, "lib.png")
    assert lib_image.path == "//libtex/lib.png"
    assert lib_image.resolved == str(project / "lib" / "libtex" / "lib.png")
    volume = by_node(desc, "Smoke")
    assert volume.kind == "volume" and volume.resolved == str(project / "vdb" / "smoke.vdb")
    assert not [ref for ref in desc.assets if ref.kind == "ocio"]  # Blender's own config is on every node


def test_asset_scan_finds_tiles_and_frames_and_reports_missing(shot_description, project):
    from rv_dcc.scene.assets import scan_assets

    scan = scan_assets(shot_description, hash_files=False)
    found = {Path(f.path).name for f in scan.found}
    assert {"wood.1001.png", "wood.1002.png", "frame.0001.png", "frame.0003.png", "library.blend",
            "lib.png", "abs.png"} <= found
    missing = {ref.ref.node for ref in scan.missing}
    assert missing == {"MissingTex", "Smoke"}


def test_ocio_from_environment_is_an_asset(project, tmp_path):
    # a studio config: a copy of the one Blender ships (Blender checks it at start-up and quits on a bad one)
    shipped = run_bpy("import bpy, json, os\nprint('RESULT:' + json.dumps("
                      "bpy.utils.system_resource('DATAFILES', path='colormanagement')))")
    import shutil

    shutil.copytree(shipped, tmp_path / "studio")
    config = tmp_path / "studio" / "config.ocio"
    result = run_bpy(
        "import bpy, json\n"
        "bpy.ops.wm.open_mainfile(filepath=%r)\n"
        "from rv_dcc_hosts.blender.adapter import describe_dict\n"
        "d = describe_dict()\n"
        "print('RESULT:' + json.dumps([d['settings']['color_management'], [a for a in d['assets'] if a['kind'] == 'ocio']]))"
        % str(project / "shot.blend"), env={"OCIO": str(config)})
    color, refs = result
    assert color["ocio_source"] == "env" and color["ocio_config"] == str(config)
    assert refs == [{"path": str(config), "node": "OCIO", "attribute": "env", "kind": "ocio", "resolved": str(config)}]


def test_describing_never_modifies_the_scene(project):
    before = (project / "shot.blend").read_bytes()
    mtime = (project / "shot.blend").stat().st_mtime_ns
    run_bpy("import bpy, json\nbpy.ops.wm.open_mainfile(filepath=%r)\n"
            "from rv_dcc_hosts.blender.adapter import BlenderAdapter\n"
            "d = BlenderAdapter().describe_scene()\nprint('RESULT:' + json.dumps(d.host))" % str(project / "shot.blend"))
    assert (project / "shot.blend").read_bytes() == before
    assert (project / "shot.blend").stat().st_mtime_ns == mtime


def test_settings_survive_save_and_reload_and_need_no_addon(project, tmp_path):
    copy = tmp_path / "settings.blend"
    settings = {"frames": "1-9x2", "priority": 60, "layers": ["BG"], "name": "shot \u00e9t\u00e9"}
    restored = run_bpy("import bpy, json\nbpy.ops.wm.open_mainfile(filepath=%r)\n"
                       "from rv_dcc_hosts.blender.adapter import BlenderAdapter\n"
                       "a = BlenderAdapter()\nassert a.load_settings() == {}\n"
                       "a.store_settings(json.loads(%r))\n"
                       "bpy.ops.wm.save_as_mainfile(filepath=%r, copy=True)\n"
                       "bpy.ops.wm.open_mainfile(filepath=%r)\n"
                       "print('RESULT:' + json.dumps(BlenderAdapter().load_settings()))"
                       % (str(project / "shot.blend"), json.dumps(settings), str(copy), str(copy)))
    assert restored == settings
    # A plain Blender with no add-on: rv_dcc and rv_dcc_hosts cannot even be imported here.
    raw = run_bpy("import sys\nfor name in ('rv_dcc', 'rv_dcc_hosts'):\n    sys.modules[name] = None\n"
                  "import bpy, json\nbpy.ops.wm.open_mainfile(filepath=%r)\n"
                  "value = bpy.context.scene['rv_dcc_settings']\n"
                  "ours = [m for m, mod in sys.modules.items() if m.startswith('rv_dcc') and mod is not None]\n"
                  "print('RESULT:' + json.dumps([type(value).__name__, json.loads(value), ours]))" % str(copy))
    assert raw == ["str", settings, []]


def test_unreadable_settings_are_ignored_and_select_picks_objects(project):
    result = run_bpy(
        "import bpy, json\nbpy.ops.wm.open_mainfile(filepath=%r)\n"
        "from rv_dcc_hosts.blender.adapter import BlenderAdapter\n"
        "a = BlenderAdapter()\nbpy.context.scene['rv_dcc_settings'] = '{not json'\n"
        "out = [a.load_settings(), a.select('CamA'), bpy.context.view_layer.objects.active.name,\n"
        "       sorted(o.name for o in bpy.context.view_layer.objects if o.select_get()), a.select('NoSuchThing'),\n"
        "       a.main_window(), a.app_version(), a.name]\n"
        "print('RESULT:' + json.dumps(out))" % str(project / "shot.blend"))
    assert result == [{}, True, "CamA", ["CamA"], False, None, blender_version(), "blender"]


def test_the_adapter_satisfies_the_host_adapter_protocol(project):
    result = run_bpy("import bpy, json\nfrom rv_dcc.scene.adapter import HostAdapter\n"
                     "from rv_dcc_hosts.blender.adapter import BlenderAdapter\n"
                     "print('RESULT:' + json.dumps(isinstance(BlenderAdapter(), HostAdapter)))")
    assert result is True


def test_adapter_stays_thin():
    here = Path(__file__).resolve().parents[3] / "hosts" / "blender"
    assert len((here / "adapter.py").read_text().splitlines()) < 200
    assert len((here / "assets.py").read_text().splitlines()) < 200


def test_strips_point_caches_fonts_and_sounds(tmp_path):
    (tmp_path / "strips").mkdir()
    result = run_bpy("""
import bpy, json, os
root = %r
bpy.ops.wm.read_factory_settings(use_empty=True)
bpy.ops.wm.save_as_mainfile(filepath=os.path.join(root, "edit.blend"))
for n in (1, 2):
    im = bpy.data.images.new("s", 4, 4); im.filepath_raw = os.path.join(root, "strips", "plate_%%03d.png" %% n)
    im.file_format = "PNG"; im.save()
scene = bpy.context.scene
editor = scene.sequence_editor_create()
strips = editor.strips if hasattr(editor, "strips") else editor.sequences  # "strips" since 4.4
strip = strips.new_image("Plate", os.path.join(root, "strips", "plate_001.png"), 1, 1)
strip.elements.append("plate_002.png")
mesh = bpy.data.meshes.new("m"); obj = bpy.data.objects.new("Emitter", mesh); scene.collection.objects.link(obj)
obj.modifiers.new("ps", "PARTICLE_SYSTEM")
obj.particle_systems[0].point_cache.use_disk_cache = True
fonts = bpy.utils.system_resource("DATAFILES", path="fonts")
names = sorted(os.listdir(fonts)) if fonts and os.path.isdir(fonts) else []
font = bpy.data.fonts.load(os.path.join(fonts, names[0]), check_existing=True) if names else None
sound = bpy.data.sounds.load("//audio/take1.wav", check_existing=False)
sound.use_fake_user = True
from rv_dcc_hosts.blender.adapter import describe_dict
print("RESULT:" + json.dumps(describe_dict()["assets"]))
""" % str(tmp_path))
    refs = {ref["node"]: ref for ref in result}
    plate = refs["Scene/Plate"]
    assert plate["kind"] == "image_sequence" and plate["path"] == str(tmp_path / "strips" / "plate_###.png")
    cache = refs["Emitter"]
    assert cache["kind"] == "cache" and cache["path"] == "//blendcache_edit/"
    assert cache["attribute"].startswith("modifiers[") or cache["attribute"].startswith("particle_systems[")
    assert refs["take1.wav"]["kind"] == "sound" and refs["take1.wav"]["resolved"] == str(tmp_path / "audio" / "take1.wav")
    assert not [ref for ref in result if ref["kind"] == "font" and ref["path"].startswith("<")]
