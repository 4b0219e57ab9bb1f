"""The host-independent parts of the task files: task_info, software_config, upload/asset/tips.json.

Exactly the keys and defaults of spec/task_files.md §2 and §4: every task_info value is a
string except hardwareConfigIds (a list of strings); server paths come from
rv_dcc.scene.paths.to_server_path; frames are printed by rv_dcc.scene.frames (the farm's
``start-end[step]`` syntax). Pure functions; the only file read is the scene's md5 when neither
the asset scan nor the caller supplies it.
"""
import hashlib
import os
from typing import Any, Dict, Iterable, List, Optional

from rv_dcc.scene import paths as paths_mod
from rv_dcc.submit.catalog import HOST_CG_IDS
from rv_dcc.submit.options import SubmitOptions
from rv_dcc.submit.render_env import EnvMatch
from rv_dcc.submit import units as units_mod


def flag(value: bool) -> str:
    """"1" / "0"."""
    return "1" if value else "0"


def number(value: float) -> str:
    """A number as text without a needless ".0" (24.0 -> "24", 29.97 -> "29.97")."""
    return str(int(value)) if float(value).is_integer() else str(value)


def frame_step(frames: Any) -> str:
    """The step of a single evenly stepped run, else "1" (Maya by_frame, Blender frame_step)."""
    runs = frames.runs()
    return str(runs[0][2]) if len(runs) == 1 else "1"


def union_frames(units: Iterable[units_mod.Unit]) -> Any:
    """One Frames holding every frame of the given units."""
    from rv_dcc.scene.frames import Frames
    numbers: set = set()
    for unit in units:
        numbers.update(unit.frames.numbers)
    return Frames(numbers)


def pre_frames(options: SubmitOptions) -> str:
    """task_info.pre_frames: "000", "100", "000:1,3-4[1]" (a custom list that does not parse is left out)."""
    flags = options.test_frames.flags()
    custom = (options.test_frames.custom or "").strip()
    if custom:
        try:
            return f"{flags}:{units_mod.parse(custom).to_farm()}"
        except ValueError:
            pass  # reported by checks.check_frames
    return flags


def software_config(match: EnvMatch) -> Dict[str, Any]:
    """software_config: cg_name, the farm's cg_version, plugins {name: bare version}."""
    plugins: Dict[str, str] = {}
    for plugin in match.plugins:
        version = plugin.chosen or plugin.wanted
        # The catalog spells plugin versions "<name> <version>"; task.json wants the bare version.
        if version.lower().startswith(plugin.name.lower() + " "):
            version = version[len(plugin.name) + 1:]
        plugins[plugin.name] = version
    return {"cg_name": match.cg_name, "cg_version": match.cg_version, "plugins": plugins}


def task_info(desc: Any, options: SubmitOptions, selected: List[units_mod.Unit], task_id: Any, user_id: Any,
              platform: Any) -> Dict[str, Any]:
    """task_info with every key of the table of spec/task_files.md §2, in its order."""
    frame_count = max((len(unit.frames) for unit in selected), default=0)
    return {
        "task_id": str(task_id),
        "user_id": str(user_id),
        "project_name": options.project_name,
        "project_id": options.project_id or "0",
        "cg_id": str(HOST_CG_IDS[desc.host]),
        "platform": str(platform),
        "channel": "4",
        "os_name": options.os_name,
        "input_cg_file": paths_mod.to_slash(desc.scene_file),
        "input_project_path": paths_mod.to_slash(desc.project_dir),
        "render_layer_type": str(desc.render_layer_type) if desc.host == "maya" else "0",
        "enable_layered": flag(options.enable_layered),
        "is_layer_rendering": "1",
        "frames_per_task": str(options.frames_per_task),
        "pre_frames": pre_frames(options),
        "stop_after_test": "1" if options.stop_after_test else "2",
        "job_stop_time": str(options.job_stop_time),
        "task_stop_time": str(options.task_stop_time),
        "time_out": str(options.time_out),
        "tiles_type": options.tiles_type,
        "tiles": str(options.tiles),
        "is_distribute_render": flag(options.distribute_render),
        "distribute_render_node": str(options.distribute_render_node),
        "ram": options.ram,
        "hardwareConfigIds": [str(options.hardware_config_id)] if options.hardware_config_id is not None else [],
        "graphics_cards_num": options.graphics_cards_num,
        # spec/task_files.md §2: "0" still, "1" animation.
        "is_picture": flag(frame_count > 1),
    }


def _same_file(a: str, b: str) -> bool:
    return os.path.normcase(paths_mod.to_slash(a)) == os.path.normcase(paths_mod.to_slash(b))


def scene_md5(desc: Any, scan: Any, known: Optional[str] = None) -> str:
    """The scene's md5: given, else from the scan (AssetScan.scene), else read from disk ("" when absent)."""
    if known:
        return known
    scene = getattr(scan, "scene", None)
    if scene is not None and scene.md5:
        return str(scene.md5)
    if desc.scene_file and os.path.isfile(desc.scene_file):
        digest = hashlib.md5()
        with open(desc.scene_file, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        return digest.hexdigest()
    return ""


def _mappable(path: str) -> bool:
    return bool(path) and not paths_mod.is_relative(path)


def asset_paths(desc: Any, scan: Any) -> List[str]:
    """The local paths to upload: the scene first, then every found file (sorted, once each)."""
    scene = desc.scene_file
    others = sorted({f.path for f in getattr(scan, "found", []) or [] if not _same_file(f.path, scene)},
                    key=paths_mod.to_slash)
    return ([scene] if scene else []) + others


def upload_json(desc: Any, scan: Any, md5: str) -> Dict[str, Any]:
    """upload.json: every file at its server path; the scene again under "scene" with its md5.

    Relative paths have no server path: they are left out (check_paths reports them).
    """
    assets = [{"local": paths_mod.to_slash(p), "server": paths_mod.to_server_path(p)}
              for p in asset_paths(desc, scan) if _mappable(p)]
    scene: List[Dict[str, str]] = []
    if _mappable(desc.scene_file):
        scene.append({"local": paths_mod.to_slash(desc.scene_file),
                      "server": paths_mod.to_server_path(desc.scene_file), "hash": md5})
    return {"asset": assets, "scene": scene}


def asset_json(desc: Any, scan: Any) -> Dict[str, Any]:
    """asset.json: the files found and the files missing (informational)."""
    missing: List[str] = []
    for item in getattr(scan, "missing", []) or []:
        shown = paths_mod.to_slash(item.expanded or item.ref.path)
        if shown not in missing:
            missing.append(shown)
    return {"asset": [paths_mod.to_slash(p) for p in asset_paths(desc, scan)], "missing_file": missing}


def tips_json(issues: Iterable[Any]) -> Dict[str, List[str]]:
    """tips.json: {tips code: [details]} from the issues that carry a code; {} when clean."""
    tips: Dict[str, List[str]] = {}
    for issue in issues:
        if not issue.tips_code:
            continue
        detail = issue.detail or issue.title
        details = tips.setdefault(str(issue.tips_code), [])
        if detail not in details:
            details.append(detail)
    return tips
