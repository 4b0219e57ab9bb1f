"""3ds Max's scene_info_render / scene_info: ``common`` and ``renderer`` (spec/task_files.md §3).

3ds Max renders the whole scene as one unit. ``common`` holds the frames, the animation range
(the scene's own start-end), resolution, every camera and the cameras to render, the output file
and type, the render elements (``settings.elements``) and whether they are saved
(``settings.elements_active``), gamma (``settings.gamma``) and is_picture ("0" still, "1"
animation). ``renderer`` names the renderer as shown (``name``), its short id (``renderer``)
and its class name (``renderer_orign``, the spelling the farm uses): from ``settings.renderer_id``
and ``settings.renderer_class`` when the adapter reports them, else derived from the name.
"""
import re
from typing import Any, Dict

from rv_dcc.scene.paths import to_slash
from rv_dcc.submit.options import SubmitOptions
from rv_dcc.submit.taskfiles.common import flag
from rv_dcc.submit.units import camera_names, render_units

_RENDERER_IDS = (("v-ray", "vray"), ("vray", "vray"), ("corona", "corona"), ("arnold", "arnold"),
                 ("redshift", "redshift"), ("scanline", "scanline"), ("art", "art"), ("octane", "octane"))


def renderer_section(desc: Any) -> Dict[str, str]:
    """``{"name", "renderer", "renderer_orign"}`` for the scene's renderer."""
    name = desc.renderer
    lowered = name.lower()
    short = desc.settings.get("renderer_id") or next((rid for key, rid in _RENDERER_IDS if lowered.startswith(key)),
                                                     re.sub(r"[^a-z0-9]+", "", lowered))
    origin = desc.settings.get("renderer_class") or re.sub(r"[^A-Za-z0-9]+", "_", name).strip("_")
    return {"name": name, "renderer": str(short), "renderer_orign": str(origin)}


def scene_info(desc: Any, options: SubmitOptions, render: bool = True) -> Dict[str, Any]:
    """The 3ds Max section: ``render`` True for scene_info_render, False (with default options) for scene_info."""
    unit = render_units(desc, options)[0]
    output_file = options.output or desc.output.path
    file_type = desc.output.format or (output_file.rsplit(".", 1)[-1] if "." in output_file.rsplit("/", 1)[-1] else "")
    elements = [str(e) for e in desc.settings.get("elements", [])]
    return {
        "common": {
            "frames": unit.frames.to_farm(),
            "animation_range": f"{desc.frame_start}-{desc.frame_end}",
            "width": str(desc.resolution.width),
            "height": str(desc.resolution.height),
            "all_camera": camera_names(desc),
            "renderable_camera": list(unit.cameras),
            "output_file": to_slash(output_file),
            "output_file_type": file_type.lower(),
            "element_list": elements,
            "element_active": flag(bool(desc.settings.get("elements_active", bool(elements)))),
            "gamma": str(desc.settings.get("gamma", "2.2")),
            "is_picture": flag(len(unit.frames) > 1),
        },
        "renderer": renderer_section(desc),
    }
