"""The Blender host adapter: reads the open .blend into rv_dcc's scene description.

Implements ``rv_dcc.scene.adapter.HostAdapter`` over ``bpy``. Reading never changes the scene.
``describe_dict()`` returns plain JSON-ready data, so a bare Blender (no pydantic) can produce a
description; ``describe_scene()`` validates it into ``SceneDescription``. The panel's settings
live in the .blend as the scene custom property ``rv_dcc_settings`` (a JSON string), readable
by anyone with Blender and no add-on.
"""
import json
import logging
from typing import TYPE_CHECKING, Any, Dict, Optional

import bpy

from rv_dcc_hosts.blender import assets

if TYPE_CHECKING:  # pragma: no cover
    from rv_dcc.scene.model import SceneDescription

log = logging.getLogger("rv_dcc.hosts.blender")

#: scene custom property holding the panel settings (JSON text, so no add-on is needed to read it)
SETTINGS_PROPERTY = "rv_dcc_settings"
#: engines that ship with Blender; anything else is a third-party render add-on
BUILTIN_ENGINES = {"CYCLES", "BLENDER_EEVEE", "BLENDER_EEVEE_NEXT", "BLENDER_WORKBENCH"}


def _version() -> str:
    return ".".join(str(part) for part in bpy.app.version)


def _view_layers(scene: Any) -> Dict[str, bool]:
    return {layer.name: bool(layer.use) for layer in scene.view_layers}


def _engine_settings(scene: Any) -> Dict[str, Any]:
    engine = scene.render.engine
    out: Dict[str, Any] = {"engine": engine}
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
    cameras = [{"name": obj.name, "renderable": obj == camera}
               for obj in scene.objects if obj.type == "CAMERA"]
    layers = [{"name": layer.name, "kind": "view_layer", "renderable": bool(layer.use),
               "node_type": "view_layer", "cameras": [camera.name] if camera else []}
              for layer in scene.view_layers]
    engine = _engine_settings(scene)
    ocio = assets.ocio_config()
    settings: Dict[str, Any] = {
        "scene_name": scene.name,
        "scenes": [scene.name] + [s.name for s in bpy.data.scenes if s != scene],
        "view_layers": {s.name: _view_layers(s) for s in bpy.data.scenes},
        "camera": camera.name if camera else "",
        "engine": engine["engine"],
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

