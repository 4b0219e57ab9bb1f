"""Blender's scene_info_render / scene_info: ``common`` (spec/task_files.md §3).

The scene renders as one unit; its view layers composite into each frame, so ``view_layers``
lists the view layers rendered (scene_info_render) or every view layer (scene_info). The scene
name comes from ``settings.scene_name`` (default "Scene"), the device from ``settings.device``
(default "CPU"); ``Output_path`` is kept as Blender writes it ("//render/").
"""
from typing import Any, Dict

from rv_dcc.submit.options import SubmitOptions
from rv_dcc.submit.taskfiles.common import frame_step
from rv_dcc.submit.units import is_selected, render_units


def scene_info(desc: Any, options: SubmitOptions, render: bool = True) -> Dict[str, Any]:
    """The Blender section: ``render`` True for scene_info_render, False (with default options) for scene_info."""
    unit = render_units(desc, options)[0]
    return {
        "common": {
            "scene_name": [str(desc.settings.get("scene_name", "Scene"))],
            "frames": unit.frames.to_farm(),
            "frame_step": frame_step(unit.frames),
            "width": str(desc.resolution.width),
            "height": str(desc.resolution.height),
            "resolution_percentage": str(desc.resolution.percentage),
            "camera_name": unit.cameras[0] if unit.cameras else "",
            "Render_engine": desc.renderer,
            "Render_device": str(desc.settings.get("device", "CPU")),
            "Render_Format": desc.output.format,
            "Output_path": options.output or desc.output.path,
            "view_layers": [layer.name for layer in desc.layers if not render or is_selected(layer, options)],
        },
    }
