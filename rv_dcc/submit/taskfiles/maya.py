"""Maya's scene_info_render / scene_info: a dict keyed by render layer (spec/task_files.md §3).

Each layer carries renderable, is_default_camera ("1" when the layer renders the cameras the
scene marks renderable, "0" when the artist chose cameras for this submission), option, env and
``common``: renderer, image format and file prefix, frames (start/end/by_frame and the farm's
frames string), resolution, animation, renumber_frames, every camera and the render cameras.
Layers not rendered in this submission are kept with renderable "0".
"""
from typing import Any, Dict

from rv_dcc.submit.options import SubmitOptions
from rv_dcc.submit.taskfiles.common import flag, frame_step
from rv_dcc.submit.units import camera_names, render_units


def scene_info(desc: Any, options: SubmitOptions, render: bool = True) -> Dict[str, Any]:
    """The Maya section: ``render`` True for scene_info_render, False (with default options) for scene_info."""
    info: Dict[str, Any] = {}
    all_cameras = camera_names(desc)
    for unit in render_units(desc, options):
        layer = unit.layer
        resolution = layer.resolution if layer is not None and layer.resolution is not None else desc.resolution
        output = layer.output if layer is not None and layer.output is not None else desc.output
        frames = unit.frames
        info[unit.name] = {
            "renderable": flag(unit.selected),
            "is_default_camera": "0" if options.cameras else "1",
            "option": "",
            "env": {},
            "common": {
                "renderer": (layer.renderer if layer is not None and layer.renderer else desc.renderer),
                "image_format": output.format,
                "image_file_prefix": options.output or output.prefix,
                "start": str(frames.first),
                "end": str(frames.last),
                "by_frame": frame_step(frames),
                "frames": frames.to_farm(),
                "width": str(resolution.width),
                "height": str(resolution.height),
                "animation": flag(len(frames) > 1),
                "renumber_frames": flag(bool(desc.settings.get("renumber_frames", False))),
                "all_camera": list(all_cameras),
                "render_camera": list(unit.cameras),
            },
        }
    return info
