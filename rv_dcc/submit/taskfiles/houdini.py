"""Houdini's scene_info_render / scene_info: ROP lists (spec/task_files.md §3).

Render ROPs (option "-1") go to ``rop_node`` with their resolution, simulation / cache ROPs
(option "0") to ``geo_node``, distributed simulations (option "1") to ``distributedsim_node``.
``render`` is "1" for the ROPs rendered in this submission, "0" for the others.
"""
from typing import Any, Dict, List

from rv_dcc.submit.options import SubmitOptions
from rv_dcc.submit.taskfiles.common import flag
from rv_dcc.submit.units import OPTION_CACHE, OPTION_DISTRIBUTED, render_units


def scene_info(desc: Any, options: SubmitOptions, render: bool = True) -> Dict[str, Any]:
    """The Houdini section: ``render`` True for scene_info_render, False (with default options) for scene_info."""
    rops: List[Dict[str, str]] = []
    caches: List[Dict[str, str]] = []
    distributed: List[Dict[str, str]] = []
    for unit in render_units(desc, options):
        layer = unit.layer
        option = layer.option if layer is not None else "-1"
        entry = {"node": unit.name, "frames": unit.frames.to_farm(), "option": option, "render": flag(unit.selected)}
        if option == OPTION_CACHE:
            caches.append(entry)
        elif option == OPTION_DISTRIBUTED:
            distributed.append(entry)
        else:
            resolution = layer.resolution if layer is not None and layer.resolution is not None else desc.resolution
            entry["width"] = str(resolution.width)
            entry["height"] = str(resolution.height)
            rops.append(entry)
    return {"rop_node": rops, "geo_node": caches, "distributedsim_node": distributed}
