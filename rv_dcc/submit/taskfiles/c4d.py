"""Cinema 4D's scene_info_render / scene_info: ``renderer`` and ``common`` (spec/task_files.md §3).

Takes are the render units: ``all_take_name`` lists the takes rendered (scene_info_render) or
every take (scene_info); the farm makes one sub-task per take. Takes share one ``frames``
string: the union of the rendered takes' frames (checks warn when they differ). ``all_camera``
lists every camera with the cameras to render first (the farm renders the first). Output:
the regular image path and format, and the multi-pass settings from ``settings``
(``multipass_save_enabled``, ``multipass_path``, ``multipass_format``).
"""
from typing import Any, Dict, List

from rv_dcc.scene.paths import to_slash
from rv_dcc.submit.options import SubmitOptions
from rv_dcc.submit.taskfiles.common import flag, number, union_frames
from rv_dcc.submit.units import camera_names, render_units


def scene_info(desc: Any, options: SubmitOptions, render: bool = True) -> Dict[str, Any]:
    """The Cinema 4D section: ``render`` True for scene_info_render, False (with default options) for scene_info."""
    units = render_units(desc, options)
    selected = [unit for unit in units if unit.selected or not render] or units[:1]
    takes = [unit.name for unit in selected if unit.layer is not None]
    render_cameras: List[str] = []
    for unit in selected:
        render_cameras.extend(c for c in unit.cameras if c not in render_cameras)
    cameras = render_cameras + [c for c in camera_names(desc) if c not in render_cameras]
    settings = desc.settings
    return {
        "renderer": {"name": desc.renderer},
        "common": {
            "frames": union_frames(selected).to_farm(),
            "fps": number(desc.fps),
            "width": str(desc.resolution.width),
            "height": str(desc.resolution.height),
            "all_camera": cameras,
            "all_take_name": takes,
            "regular_image_saveimage_path": to_slash(options.output or desc.output.path),
            "regular_image_format": desc.output.format,
            "multipass_save_enabled": flag(bool(settings.get("multipass_save_enabled", False))),
            "multipass_saveimage_path": to_slash(str(settings.get("multipass_path", ""))),
            "multi_pass_format": str(settings.get("multipass_format", "")),
        },
    }
