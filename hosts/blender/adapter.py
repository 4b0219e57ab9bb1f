"""The Blender host adapter: reads the open .blend into rv_dcc's scene description.

Implements ``rv_dcc.scene.adapter.HostAdapter`` over ``bpy``. Reading never changes the scene.
``describe_dict()`` returns plain JSON-ready data, so a bare Blender (no pydantic) can produce a
description; ``describe_scene()`` validates it into ``SceneDescription``. The panel's settings
live in the .blend as the scene custom property ``rv_dcc_settings`` (a JSON string), readable
by anyone with Blender and no add-on.
"""
import json
import logging
from typing import TYPE_CHECKING, Any, Dict, List, Optional

import bpy

from rv_dcc_hosts.blender import assets

if TYPE_CHECKING:  # pragma: no cover
    from rv_dcc.scene.model import SceneDescription

log = logging.getLogger("rv_dcc.hosts.blender")

#: scene custom property holding the panel settings (JSON text, so no add-on is needed to read it)
SETTINGS_PROPERTY = "rv_dcc_settings"
#: engines that ship with Blender; anything else is a third-party render add-on. EEVEE's id is
#: BLENDER_EEVEE up to 4.1, BLENDER_EEVEE_NEXT in 4.2-4.5 and BLENDER_EEVEE again from 5.0
BUILTIN_ENGINES = {"CYCLES", "BLENDER_EEVEE", "BLENDER_EEVEE_NEXT", "BLENDER_WORKBENCH"}
ENGINE_FAMILY = {"CYCLES": "CYCLES", "BLENDER_EEVEE": "EEVEE", "BLENDER_EEVEE_NEXT": "EEVEE",
                 "BLENDER_WORKBENCH": "WORKBENCH"}


def _version() -> str:
    return ".".join(str(part) for part in bpy.app.version)


def _view_layers(scene: Any) -> Dict[str, bool]:
    return {layer.name: bool(layer.use) for layer in scene.view_layers}


def _compositor(scene: Any) -> Dict[str, Any]:
    """Whether the compositor runs, and the folders its File Output nodes write to. The tree is
    ``scene.compositing_node_group`` from 5.0, ``scene.node_tree`` with ``scene.use_nodes`` before."""
    if hasattr(scene, "compositing_node_group"):
        tree = scene.compositing_node_group
    else:
        tree = scene.node_tree if getattr(scene, "use_nodes", False) else None
    used = tree is not None and bool(getattr(scene.render, "use_compositing", True))
    outputs = [bpy.path.abspath(node.base_path if hasattr(node, "base_path") else node.directory)
               for node in (tree.nodes if tree is not None else ())
               if node.bl_idname == "CompositorNodeOutputFile" and not node.mute]
    return {"use": used, "file_outputs": outputs if used else []}


def _rendered_cameras(scene: Any) -> List[str]:
    """The cameras that render a frame of the range. With timeline markers bound to cameras, each
    frame renders with the camera of the last such marker at or before it, and frames before the
    first one with the first one's camera (BKE_scene_camera_switch_find); else the scene camera."""
    bound = sorted(((m.frame, m.camera.name) for m in scene.timeline_markers if m.camera is not None))
    if not bound:
        return [scene.camera.name] if scene.camera else []
    before = [name for frame, name in bound if frame <= scene.frame_start]
    names = [before[-1] if before else bound[0][1]]
    for frame, name in bound:
        if scene.frame_start < frame <= scene.frame_end and name not in names:
            names.append(name)
    return names


def _engine_settings(scene: Any) -> Dict[str, Any]:
    engine = scene.render.engine
    out: Dict[str, Any] = {"engine": engine, "engine_family": ENGINE_FAMILY.get(engine, engine)}
    if engine == "CYCLES" and hasattr(scene, "cycles"):
        out["device"] = scene.cycles.device  # CPU / GPU
        out["samples"] = int(scene.cycles.samples)
    elif engine.startswith("BLENDER_EEVEE") and hasattr(scene, "eevee"):
        out["device"] = "GPU"
        out["samples"] = int(getattr(scene.eevee, "taa_render_samples", 0))
    else:
        out["device"] = "CPU"
    return out


def describe_dict(scene: Optional[Any] = None, from_disk: bool = False) -> Dict[str, Any]:
    """The open scene as a dict shaped like ``SceneDescription`` (no pydantic needed).

    ``from_disk``: the file was just opened by a batch process, so it is the saved state
    (``bpy.data.is_dirty`` is always True in background mode and cannot tell).
    """
    scene = scene or bpy.context.scene
    render = scene.render
    camera = scene.camera
    rendered = _rendered_cameras(scene)
    cameras = [{"name": obj.name, "renderable": obj.name in rendered}
               for obj in scene.objects if obj.type == "CAMERA"]
    layers = [{"name": layer.name, "kind": "view_layer", "renderable": bool(layer.use),
               "node_type": "view_layer", "cameras": rendered}
              for layer in scene.view_layers]
    engine = _engine_settings(scene)
    ocio = assets.ocio_config()
    settings: Dict[str, Any] = {
        "scene_name": scene.name,
        "scenes": [scene.name] + [s.name for s in bpy.data.scenes if s != scene],
        "view_layers": {s.name: _view_layers(s) for s in bpy.data.scenes},
        "camera": camera.name if camera else "",
        "engine": engine["engine"],
        "engine_family": engine["engine_family"],
        "compositor": _compositor(scene),
        "device": engine["device"],
        "samples": engine.get("samples", 0),
        "output_abs": bpy.path.abspath(render.filepath),
        "use_compositing": bool(getattr(render, "use_compositing", False)),
        "film_transparent": bool(getattr(render, "film_transparent", False)),
        "color_management": {"view_transform": scene.view_settings.view_transform,
                             "display_device": scene.display_settings.display_device,
                             "ocio_config": ocio["path"], "ocio_source": ocio["source"]},
    }
    plugins = [] if engine["engine"] in BUILTIN_ENGINES else [{"name": engine["engine"], "version": ""}]
    return {
        "host": "blender",
        "host_version": _version(),
        "scene_file": bpy.data.filepath,
        "scene_saved": bool(bpy.data.filepath) and (from_disk or not bpy.data.is_dirty),
        "project_dir": bpy.path.abspath("//") if bpy.data.filepath else "",
        "renderer": engine["engine"],
        "renderer_version": _version() if not plugins else "",
        "plugins": plugins,
        "frame_start": int(scene.frame_start),
        "frame_end": int(scene.frame_end),
        "frame_step": max(1, int(scene.frame_step)),
        "fps": float(render.fps) / float(render.fps_base or 1.0),
        "resolution": {"width": int(render.resolution_x), "height": int(render.resolution_y),
                       "percentage": int(render.resolution_percentage)},
        "output": {"path": render.filepath, "prefix": "", "format": render.image_settings.file_format},
        "cameras": cameras,
        "layers": layers,
        "assets": assets.collect_assets(),
        "settings": settings,
    }


class BlenderAdapter:
    """``HostAdapter`` for the running Blender (or the ``bpy`` module)."""

    name = "blender"

    def app_version(self) -> str:
        """Blender's version, e.g. '5.0.1'."""
        return _version()

    def describe_scene(self) -> "SceneDescription":
        """The open scene as a validated ``SceneDescription`` (imports pydantic on first use)."""
        from rv_dcc.scene.model import SceneDescription

        return SceneDescription.model_validate(describe_dict())

    def save_scene(self) -> None:
        """Save the .blend in place; a never-saved scene cannot be saved without a path."""
        if not bpy.data.filepath:
            raise RuntimeError("This scene has never been saved: use File > Save As first.")
        bpy.ops.wm.save_mainfile()

    def main_window(self) -> Optional[Any]:
        """Blender has no Qt main window: the panel runs in its own process."""
        return None

    def load_settings(self) -> Dict[str, Any]:
        """Panel settings stored in the active scene; {} when none or unreadable."""
        text = bpy.context.scene.get(SETTINGS_PROPERTY)
        if not text:
            return {}
        try:
            value = json.loads(text)
        except (TypeError, ValueError):
            log.warning("ignoring unreadable %s on scene %r", SETTINGS_PROPERTY, bpy.context.scene.name)
            return {}
        return value if isinstance(value, dict) else {}

    def store_settings(self, settings: Dict[str, Any]) -> None:
        """Store the panel settings as a JSON string on the active scene (saved with the .blend)."""
        bpy.context.scene[SETTINGS_PROPERTY] = json.dumps(settings, sort_keys=True)

    def select(self, node: str) -> bool:
        """Select and activate the object ``node``; False when there is no such object here."""
        view_layer = bpy.context.view_layer
        target = assets.find_datablock(node)
        if target is None or view_layer.objects.get(target.name) is None:
            return False
        for obj in view_layer.objects:
            obj.select_set(obj == target)
        view_layer.objects.active = target
        return True

