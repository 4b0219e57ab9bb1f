"""The four task files as the farm receives them: checks against spec/task_files.md and the
expansion of task.json's ``scene_info_render`` into render units (future sub-tasks).

``check_file(name, text, task_id)`` raises ``FarmError(600, ...)`` naming the first problem
(section, key and what to write instead); ``render_units(task_json)`` lists what submit turns
into sub-tasks: one per renderable Maya layer, active Houdini ROP / cache node, Cinema 4D take
(when ``enable_layered`` is "1"), or the whole scene for 3ds Max and Blender.
"""
import json
from typing import Any, Dict, List, NamedTuple, Optional

from rv_dcc.farm import catalog
from rv_dcc.farm.errors import INVALID, FarmError
from rv_dcc.farm.frames import FrameSyntaxError, parse_frames, parse_pre_frames

FILE_NAMES = ("task.json", "upload.json", "asset.json", "tips.json")
REQUIRED_SECTIONS = ("software_config", "task_info", "scene_info_render")
REQUIRED_TASK_INFO = ("task_id", "user_id", "cg_id", "platform", "input_cg_file")
_FLAG_KEYS = {"os_name": ("0", "1"), "enable_layered": ("0", "1"), "stop_after_test": ("1", "2"),
              "is_layer_rendering": ("0", "1"), "render_layer_type": ("0", "1"), "is_picture": ("0", "1"),
              "is_distribute_render": ("0", "1")}
_INT_KEYS = {"frames_per_task": 1, "job_stop_time": 0, "task_stop_time": 0, "time_out": 0, "tiles": 1,
             "graphics_cards_num": 1, "distribute_render_node": 1}


class RenderUnit(NamedTuple):
    """What becomes one sub-task: a layer / ROP / take / the whole scene, and its frame numbers."""

    layer: str           #: layer, ROP node or take name ("" for the whole scene)
    camera: str          #: render camera(s), comma-joined
    frames: List[int]    #: frame numbers to render
    gop_name: Optional[str]  #: Houdini node path, else None
    single_block: bool   #: True for a cache/simulation node: all frames on one machine


def _refuse(message: str, field: str = "content") -> FarmError:
    return FarmError(INVALID, message, field)


def parse_json_text(name: str, text: str) -> Dict[str, Any]:
    """The JSON object in ``text`` or a 600 saying why it is not one."""
    try:
        value = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise _refuse(f"{name} is not valid JSON ({exc}); upload the file's text as 'content'") from None
    if not isinstance(value, dict):
        raise _refuse(f"{name} must be a JSON object at the top level, not {type(value).__name__}")
    return value


def check_file(name: str, text: str, task_id: int, user_id: int) -> Dict[str, Any]:
    """Check one uploaded task file; return its decoded JSON."""
    if name not in FILE_NAMES:
        raise FarmError(INVALID, f"fileName must be one of {', '.join(FILE_NAMES)}, not {name!r}", "fileName")
    data = parse_json_text(name, text)
    if name == "task.json":
        check_task_json(data, task_id, user_id)
    elif name == "upload.json":
        _check_upload_json(data)
    elif name == "tips.json":
        for code, details in data.items():
            if not isinstance(details, list):
                raise _refuse(f"tips.json: the value of code {code!r} must be a list of details")
    elif name == "asset.json":
        for key in ("asset", "missing_file"):
            if key in data and not isinstance(data[key], list):
                raise _refuse(f"asset.json: {key!r} must be a list of paths")
    return data


def _check_upload_json(data: Dict[str, Any]) -> None:
    for section in ("asset", "scene"):
        items = data.get(section, [])
        if not isinstance(items, list):
            raise _refuse(f"upload.json: {section!r} must be a list of {{local, server}} objects")
        for index, item in enumerate(items):
            if not isinstance(item, dict) or not isinstance(item.get("local"), str) \
                    or not isinstance(item.get("server"), str):
                raise _refuse(f"upload.json: {section}[{index}] must be an object with string 'local' and 'server'")
            # No leading "/" is what the SDK writes for a POSIX path (rayvision_utils.utils.convert_path
            # drops the first character: "/tmp/a.jpg" -> "tmp/a.jpg"); its transmitter uploads upload.json
            # relative to the storage root, so such a path is read as "/tmp/a.jpg" (storage_path).
            if not item["server"].strip("/"):
                raise _refuse(f"upload.json: {section}[{index}].server is empty; give the file's path on the "
                              "farm (D:\\a\\b.jpg -> /D/a/b.jpg)")


def check_task_json(data: Dict[str, Any], task_id: int, user_id: int) -> None:
    """Refuse a task.json that does not follow spec/task_files.md §2-3."""
    for section in REQUIRED_SECTIONS:
        if section not in data:
            raise _refuse(f"task.json: section {section!r} is missing (required: {', '.join(REQUIRED_SECTIONS)})")
        if not isinstance(data[section], dict):
            raise _refuse(f"task.json: {section!r} must be an object")
    for section in ("scene_info", "additional_info"):
        if section in data and not isinstance(data[section], dict):
            raise _refuse(f"task.json: {section!r} must be an object")
    info = data["task_info"]
    for key in REQUIRED_TASK_INFO:
        if key not in info:
            raise _refuse(f"task.json: task_info.{key} is missing")
    for key, value in info.items():
        if key == "hardwareConfigIds":
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise _refuse("task.json: task_info.hardwareConfigIds must be a list of strings, e.g. [\"301\"]")
            unknown = [v for v in value if not v.isdigit() or int(v) not in catalog.hardware_ids()]
            if unknown:
                raise _refuse(f"task.json: task_info.hardwareConfigIds {unknown} are not in hardwareConfig/list")
        elif not isinstance(value, str):
            raise _refuse(f"task.json: task_info.{key} must be a string (all task_info values are strings "
                          f"except hardwareConfigIds); got {json.dumps(value)[:40]}; write \"{value}\"")
    # Empty ids are what the SDK's analyzers write (rayvision_utils.constants.TASK_INFO) and what
    # RayvisionAPI.submit_by_data can send: the task is the one of the call, the account the
    # signature's (fill_ids writes them in); a different id is a mix-up and refused.
    if info["task_id"] not in ("", str(task_id)):
        raise _refuse(f"task.json: task_info.task_id is {info['task_id']!r} but the file was uploaded for task {task_id}")
    if info["user_id"] not in ("", str(user_id)):
        raise _refuse(f"task.json: task_info.user_id {info['user_id']!r} is not this account's user id {user_id}")
    if not info["input_cg_file"].strip():
        raise _refuse("task.json: task_info.input_cg_file is empty; give the scene path")
    cg_id = _cg_id(info["cg_id"])
    for key, allowed in _FLAG_KEYS.items():
        if key in info and info[key] not in allowed:
            raise _refuse(f"task.json: task_info.{key} must be one of {', '.join(allowed)}, not {info[key]!r}")
    for key, minimum in _INT_KEYS.items():
        if key in info and (not info[key].strip().isdigit() or int(info[key]) < minimum):
            raise _refuse(f"task.json: task_info.{key} must be a whole number >= {minimum} as text, not {info[key]!r}")
    if "pre_frames" in info:
        try:
            parse_pre_frames(info["pre_frames"])
        except FrameSyntaxError as exc:
            raise _refuse(f"task.json: task_info.{exc}") from None
    _check_software(data["software_config"], cg_id)
    units = render_units(data)
    if not units:
        raise _refuse("task.json: scene_info_render has nothing to render (no renderable layer, ROP, take or frames)")


def fill_ids(data: Dict[str, Any], task_id: int, user_id: int) -> bool:
    """Write the task and user id into a checked task.json whose ids were left empty; True if changed."""
    info = data["task_info"]
    changed = False
    for key, value in (("task_id", task_id), ("user_id", user_id)):
        if info.get(key) == "":
            info[key] = str(value)
            changed = True
    return changed


def _cg_id(text: str) -> int:
    known = catalog.known_cg_ids()
    if not text.isdigit() or int(text) not in known:
        raise _refuse(f"task.json: task_info.cg_id {text!r} is not a known software id; use one of "
                      f"{', '.join(str(k) for k in known)}")
    return int(text)


def _check_software(config: Dict[str, Any], cg_id: int) -> None:
    name, version, plugins = config.get("cg_name"), config.get("cg_version"), config.get("plugins", {})
    if not isinstance(name, str) or not isinstance(version, str):
        raise _refuse("task.json: software_config needs string cg_name and cg_version")
    expected = catalog.TASK_CG_NAMES[cg_id]
    if name.replace(" ", "").lower() != expected.replace(" ", "").lower():
        raise _refuse(f"task.json: software_config.cg_name {name!r} does not match cg_id {cg_id} ({expected!r})")
    if version not in catalog.versions_of(cg_id):
        raise _refuse(f"task.json: {expected} {version!r} is not on the farm; available: "
                      f"{', '.join(catalog.versions_of(cg_id))}")
    if not isinstance(plugins, dict):
        raise _refuse("task.json: software_config.plugins must be an object {name: version}")
    for plugin, plugin_version in plugins.items():
        if not isinstance(plugin_version, str) or not catalog.plugin_matches(cg_id, version, plugin, plugin_version):
            offered = sorted(text for _n, text in catalog.plugins_of(cg_id, version).values())
            raise _refuse(f"task.json: plugin {plugin} {plugin_version!r} is not available for {expected} {version}; "
                          f"available: {', '.join(offered) or 'none'}")


def _frames(where: str, text: Any) -> List[int]:
    try:
        return parse_frames(text)
    except FrameSyntaxError as exc:
        raise _refuse(f"task.json: {where}: {exc}") from None


def _as_dict(value: Any, where: str) -> Dict[str, Any]:
    if not isinstance(value, dict):
        raise _refuse(f"task.json: {where} must be an object")
    return value


def _cameras(value: Any) -> str:
    if isinstance(value, list):
        return ",".join(str(v) for v in value)
    return str(value or "")


def render_units(data: Dict[str, Any]) -> List[RenderUnit]:
    """The render units of a (checked) task.json, per host (spec/task_files.md §3)."""
    info, render = data["task_info"], data["scene_info_render"]
    cg_id = int(info["cg_id"])
    layered = info.get("enable_layered", "1") == "1"
    units: List[RenderUnit] = []
    if cg_id == 2000:  # Maya: one unit per renderable layer
        for layer, body in render.items():
            body = _as_dict(body, f"scene_info_render.{layer}")
            if str(body.get("renderable", "1")) != "1":
                continue
            common = _as_dict(body.get("common", {}), f"scene_info_render.{layer}.common")
            frames = _frames(f"scene_info_render.{layer}.common.frames", common.get("frames"))
            units.append(RenderUnit(layer, _cameras(common.get("render_camera")), frames, None, False))
    elif cg_id == 2004:  # Houdini: active ROPs and cache nodes
        for key, single in (("rop_node", False), ("geo_node", True)):
            nodes = render.get(key, [])
            if not isinstance(nodes, list):
                raise _refuse(f"task.json: scene_info_render.{key} must be a list")
            for index, node in enumerate(nodes):
                node = _as_dict(node, f"scene_info_render.{key}[{index}]")
                if str(node.get("render", "1")) != "1":
                    continue
                frames = _frames(f"scene_info_render.{key}[{index}].frames", node.get("frames"))
                path = str(node.get("node", f"/out/{key}{index}"))
                units.append(RenderUnit(path, "", frames, path, single))
    else:
        common = _as_dict(render.get("common"), "scene_info_render.common")
        frames = _frames("scene_info_render.common.frames", common.get("frames"))
        if cg_id == 2001:
            units.append(RenderUnit("", _cameras(common.get("renderable_camera") or common.get("all_camera")),
                                    frames, None, False))
        elif cg_id == 2005 and layered and len(common.get("all_take_name") or []) > 1:
            cameras = common.get("all_camera")
            camera = _cameras(cameras[:1] if isinstance(cameras, list) else "")
            for take in common["all_take_name"]:
                units.append(RenderUnit(str(take), camera, frames, None, False))
        elif cg_id == 2005:
            units.append(RenderUnit("", _cameras((common.get("all_camera") or [""])[:1]), frames, None, False))
        else:  # Blender
            units.append(RenderUnit("", str(common.get("camera_name", "")), frames, None, False))
    if not layered and len(units) > 1:
        # One task for everything: the units' frames share one sub-task, named after the first.
        merged = sorted({f for unit in units for f in unit.frames})
        units = [RenderUnit(",".join(u.layer for u in units), units[0].camera, merged, units[0].gop_name, False)]
    return units


def storage_path(server: str) -> str:
    """An upload.json ``server`` path as a path from the storage root (a leading "/" added when missing)."""
    return "/" + server.replace("\\", "/").lstrip("/")


def scene_name(info: Dict[str, Any]) -> str:
    """The scene's file name (with extension), as sceneName shows it."""
    path = str(info.get("input_cg_file", "")).replace("\\", "/")
    return path.rsplit("/", 1)[-1] or "scene"


def server_path(local: str) -> str:
    """The input-storage path of a local path (spec/task_files.md §4)."""
    path = local.replace("\\", "/")
    if path.startswith("//"):
        return "/" + path.lstrip("/")
    if len(path) >= 2 and path[1] == ":":
        return "/" + path[0] + path[2:] if path[2:3] == "/" else "/" + path[0] + "/" + path[2:]
    return path if path.startswith("/") else "/" + path
