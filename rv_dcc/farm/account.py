"""Account-side operations: profile, settings, storage ids, platforms, hardware, software catalog,
analysis tips, projects/labels, user render environments, and the transfer descriptions
(getServerInfo, getConfig, getRaySyncUserKey, getOutputUserDirFile).

Static parts come from ``catalog``/``tips``; what the user changes (balance, settings, envs,
labels) lives in the store.
"""
import json
import os
import time
from typing import Any, Dict, List

from rv_dcc.api.operations import CG_IDS
from rv_dcc.farm import catalog, tips
from rv_dcc.farm.errors import INVALID, Body, FarmError, not_found
from rv_dcc.farm.state import now_ms
from rv_dcc.farm.tasks import ensure_label, get_task


def query_platforms(ctx: Any, body: Body) -> List[Dict[str, Any]]:
    """queryPlatforms."""
    zone = body.num_or("zone", default=2)
    if zone not in (1, 2):
        raise FarmError(INVALID, f"parameter 'zone' must be 1 (China) or 2 (international), not {zone}", "zone")
    return [dict(p) for p in catalog.PLATFORMS]


def query_user_profile(ctx: Any, body: Body) -> Dict[str, Any]:
    """queryUserProfile: the catalog profile with the current balance."""
    profile = dict(catalog.PROFILE)
    with ctx.store.read() as conn:
        profile["usdbalance"] = round(float(ctx.store.meta(conn, "usdbalance", "0")), 4)
        profile["coupon"] = round(float(ctx.store.meta(conn, "coupon", "0")), 4)
        profile["usdCumulative"] = round(float(ctx.store.meta(conn, "consumed", "0")), 4)
    profile["platform"] = int(ctx.platform) if str(ctx.platform).isdigit() else 2
    return profile


def query_user_setting(ctx: Any, body: Body) -> Dict[str, Any]:
    """queryUserSetting."""
    settings = dict(catalog.SETTINGS)
    with ctx.store.read() as conn:
        seconds = int(ctx.store.meta(conn, "taskOverTimeSec", "43200"))
    settings["taskOverTimeSec"], settings["taskOverTime"] = seconds, seconds // 3600
    return settings


def update_user_setting(ctx: Any, body: Body) -> None:
    """updateUserSetting {taskOverTimeSec}."""
    seconds = body.need("taskOverTimeSec", minimum=0, maximum=10 ** 8)
    with ctx.store.write() as conn:
        ctx.store.set_meta(conn, "taskOverTimeSec", seconds)


def get_bid(ctx: Any, body: Body) -> Dict[str, Any]:
    """getBid."""
    return json.loads(json.dumps(catalog.BIDS))


def hardware_config_list(ctx: Any, body: Body) -> List[Dict[str, Any]]:
    """hardwareConfig/list; ``current`` marks the configuration of the given tasks."""
    ids = body.ints("taskIds")
    current: List[int] = []
    if ids:
        with ctx.store.read() as conn:
            for task_id in ids:
                current += json.loads(get_task(conn, task_id)["hardware_ids"])
    return catalog.hardware_configs(current, int(ctx.platform) if str(ctx.platform).isdigit() else 2)


def user_pack_node_info(ctx: Any, body: Body) -> Dict[str, Any]:
    """getUserPackNodeInfo: the farm's machines and how many are busy."""
    with ctx.store.read() as conn:
        busy = conn.execute("SELECT COUNT(*) FROM frames WHERE status = 2").fetchone()[0]
    return {"userId": catalog.USER_ID, "packNodeNum": 0, "totalNodeNum": ctx.nodes, "usedNodeNum": busy,
            "packNodeList": []}


def query_software_list(ctx: Any, body: Body) -> Dict[str, Any]:
    """querySoftwareList."""
    return catalog.software_list()


def _cg_id_of(body: Body, key: str = "cgId") -> int:
    if body.has(key):
        cg_id = body.need(key)
    elif body.has("name"):
        name = body.need_text("name").lower()
        if name not in CG_IDS:
            raise FarmError(INVALID, f"parameter 'name' {name!r} is not a known software; use one of "
                                     f"{', '.join(sorted(CG_IDS))}", "name")
        cg_id = CG_IDS[name]
    else:
        raise FarmError(601, f"parameter '{key}' can't be empty", key)
    return int(cg_id)


def query_software_detail(ctx: Any, body: Body) -> Dict[str, Any]:
    """querySoftwareDetail {cgId, osName}: versions and plugins of one software."""
    cg_id = _cg_id_of(body)
    os_name = body.text_or("osName", default="windows").lower()
    if os_name not in ("windows", "linux", "0", "1"):
        raise FarmError(INVALID, f"parameter 'osName' must be 'windows' or 'linux', not {os_name!r}", "osName")
    return catalog.software_detail(cg_id)


def error_detail(ctx: Any, body: Body) -> List[Dict[str, Any]]:
    """queryAnalyseErrorDetail {code | codes, language}."""
    language = body.num_or("language", default=0)
    if language not in (0, 1):
        raise FarmError(INVALID, f"parameter 'language' must be 0 (Chinese) or 1 (English), not {language}", "language")
    codes: List[str] = []
    if body.has("code"):
        codes.append(body.need_text("code"))
    if body.has("codes"):
        raw = body.data["codes"]
        codes += body.texts("codes") if isinstance(raw, list) else [c.strip() for c in str(raw).split(",") if c.strip()]
    if not codes:
        raise FarmError(601, "parameter 'code' or 'codes' is required: give the tips code(s) to explain", "code")
    return tips.describe_many(codes, language)


# -- projects / labels -------------------------------------------------------------------------
def project_add(ctx: Any, body: Body) -> None:
    """project/add {newName, status}."""
    name = body.need_text("newName", max_length=100).strip()
    status = body.num_or("status", default=1)
    with ctx.store.write() as conn:
        if conn.execute("SELECT 1 FROM labels WHERE name = ?", (name,)).fetchone():
            raise FarmError(INVALID, f"label {name!r} already exists", "newName")
        ensure_label(conn, name, status)


def project_delete(ctx: Any, body: Body) -> None:
    """project/delete {delName}."""
    name = body.need_text("delName")
    with ctx.store.write() as conn:
        row = conn.execute("SELECT id FROM labels WHERE name = ?", (name,)).fetchone()
        if row is None:
            raise not_found("label", repr(name))
        conn.execute("DELETE FROM task_labels WHERE label_id = ?", (row[0],))
        conn.execute("DELETE FROM labels WHERE id = ?", (row[0],))


def project_list(ctx: Any, body: Body) -> Dict[str, Any]:
    """project/getList and project/list {flag}."""
    flag = body.num_or("flag", default=0)
    if flag not in (0, 1, 2):
        raise FarmError(INVALID, f"parameter 'flag' must be 0, 1 or 2, not {flag}", "flag")
    with ctx.store.read() as conn:
        rows = conn.execute("SELECT id, name FROM labels ORDER BY id").fetchall()
    return {"projectNameList": [{"projectId": r[0], "projectName": r[1]} for r in rows]}


# -- user render environments ------------------------------------------------------------------
def _env_fields(body: Body) -> Dict[str, Any]:
    cg_id = body.need("cgId")
    if cg_id not in catalog.known_cg_ids():
        raise FarmError(INVALID, f"parameter 'cgId' {cg_id} is not a known software id", "cgId")
    version = body.need_text("cgVersion")
    if catalog.find_version(cg_id, version) is None:
        raise FarmError(INVALID, f"{catalog.cg_name(cg_id)} {version!r} is not on the farm; available: "
                                 f"{', '.join(catalog.versions_of(cg_id))}", "cgVersion")
    system = body.need("renderSystem")
    if system not in (0, 1):
        raise FarmError(INVALID, f"parameter 'renderSystem' must be 0 (Linux) or 1 (Windows), not {system}",
                        "renderSystem")
    plugins = body.ints("pluginIds")
    offered = catalog.plugins_of(cg_id, version)
    unknown = [p for p in plugins if p not in offered]
    if unknown:
        raise FarmError(INVALID, f"pluginIds {unknown} are not plugins of {catalog.cg_name(cg_id)} {version}", "pluginIds")
    return {"cg_id": cg_id, "cg_name": body.need_text("cgName"), "cg_version": version,
            "render_layer_type": body.num_or("renderLayerType", default=0), "os_name": system,
            "plugin_ids": json.dumps(plugins), "project_path": body.text_or("projectPath", default="")}


def add_env(ctx: Any, body: Body) -> Dict[str, Any]:
    """addUserPluginConfig."""
    name = body.need_text("editName", max_length=100)
    fields = _env_fields(body)
    with ctx.store.write() as conn:
        if conn.execute("SELECT 1 FROM envs WHERE edit_name = ?", (name,)).fetchone():
            raise FarmError(INVALID, f"a render environment named {name!r} already exists; edit it or pick "
                                     "another editName", "editName")
        conn.execute("INSERT INTO envs(edit_name, cg_id, cg_name, cg_version, render_layer_type, os_name, plugin_ids, "
                     "project_path, created_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                     (name, *fields.values(), now_ms()))
    return {"editName": name}


def edit_env(ctx: Any, body: Body) -> None:
    """editUserPluginConfig."""
    name = body.need_text("editName")
    fields = _env_fields(body)
    with ctx.store.write() as conn:
        if not conn.execute("SELECT 1 FROM envs WHERE edit_name = ?", (name,)).fetchone():
            raise not_found("render environment", repr(name))
        conn.execute("UPDATE envs SET " + ", ".join(f"{k} = ?" for k in fields) + " WHERE edit_name = ?",
                     (*fields.values(), name))


def delete_env(ctx: Any, body: Body) -> None:
    """deleteUserPluginConfig."""
    name = body.need_text("editName")
    with ctx.store.write() as conn:
        if conn.execute("DELETE FROM envs WHERE edit_name = ?", (name,)).rowcount == 0:
            raise not_found("render environment", repr(name))


def default_env(ctx: Any, body: Body) -> None:
    """setDefaultUserPluginConfig: the default among the envs of the same software."""
    name = body.need_text("editName")
    with ctx.store.write() as conn:
        row = conn.execute("SELECT cg_id FROM envs WHERE edit_name = ?", (name,)).fetchone()
        if row is None:
            raise not_found("render environment", repr(name))
        conn.execute("UPDATE envs SET is_default = (edit_name = ?) WHERE cg_id = ?", (name, row[0]))


def get_envs(ctx: Any, body: Body) -> List[Dict[str, Any]]:
    """getUserPluginConfig {cgId | cgIds, osName}."""
    ids = body.ints("cgIds") or ([_cg_id_of(body)] if body.has("cgId") or body.has("name") else [])
    if not ids:
        raise FarmError(601, "parameter 'cgId' or 'cgIds' is required", "cgId")
    os_name = body.num("osName")
    with ctx.store.read() as conn:
        rows = conn.execute(f"SELECT * FROM envs WHERE cg_id IN ({','.join('?' * len(ids))}) ORDER BY created_ms",
                            ids).fetchall()
    out = []
    for row in rows:
        if os_name is not None and row["os_name"] != os_name:
            continue
        offered = catalog.plugins_of(row["cg_id"], row["cg_version"])
        out.append({"cgId": row["cg_id"], "editName": row["edit_name"], "cgName": row["cg_name"],
                    "cgVersion": row["cg_version"], "osName": row["os_name"], "renderLayerType": row["render_layer_type"],
                    "isDefault": row["is_default"], "projectPath": row["project_path"], "isMainUserId": 1,
                    "respUserPluginInfoVos": [{"pluginId": p, "pluginName": offered[p][0], "pluginVersion": offered[p][1]}
                                              for p in json.loads(row["plugin_ids"]) if p in offered]})
    return out


# -- transfer descriptions --------------------------------------------------------------------
def server_info(ctx: Any, body: Body) -> Dict[str, Any]:
    """getServerInfo: describes this farm's transfer endpoint."""
    return catalog.server_info(ctx.public_host, ctx.port)


def raysync_user_key(ctx: Any, body: Body) -> Dict[str, Any]:
    """getRaySyncUserKey: ``raySyncUserKey`` is the transfer endpoint's bearer token."""
    return {"channel": 4, "platform": int(ctx.platform) if str(ctx.platform).isdigit() else 2,
            "signature": "rayvision2017", "version": "1.0.0", "userKey": ctx.transfer_token[:32],
            "id": catalog.USER_ID, "userName": catalog.USER_NAME, "zone": 2, "phone": "",
            "email": catalog.PROFILE["email"], "loginTime": now_ms(), "infoStatus": 0, "accountType": 1,
            "shareMainCapital": 0, "subDeleteTask": 0, "subDeleteCapital": 1, "useMainBalance": 0,
            "downloadDisable": 0, "raySyncUserKey": ctx.transfer_token}


def transfer_config(ctx: Any, body: Body) -> Dict[str, Any]:
    """getConfig: one engine, ``rvdcc-http``, whose default line is this farm's transfer endpoint."""
    line = {"name": "rvdcc_local", "server": ctx.public_host, "port": str(ctx.port), "isDefault": 1, "lineId": 1,
            "type": 0, "url": f"{ctx.base_url}/farm/transfer"}
    return {"inputBid": catalog.INPUT_BID, "outputBid": catalog.OUTPUT_BID, "configBid": catalog.CONFIG_BID,
            "parentInputBid": None, "subUserOutputBids": [],
            "resqEngines": [{"resqEngineAccounts": None, "respTaskEngineLines": [line], "engineName": "rvdcc-http",
                             "automaticCheck": 0, "checkServer": ctx.public_host, "checkPort": str(ctx.port),
                             "checkEnable": "0", "checkExcludType": "", "isDefault": 1}]}


def output_dir_file(ctx: Any, body: Body) -> List[Dict[str, Any]]:
    """getOutputUserDirFile {treePath, taskId?}: the real files of the output storage."""
    task_id = body.num("taskId")
    tree = (body.text_or("treePath", default="/") or "/").replace("\\", "/")
    root = ctx.store.path("storage", "output")
    names = None
    if task_id is not None:
        with ctx.store.read() as conn:
            get_task(conn, task_id)
            names = {r[0] for r in conn.execute("SELECT output_name FROM tasks WHERE (id = ? OR parent_id = ?) "
                                                "AND output_name != ''", (task_id, task_id))}
        tree = "/"
    folder = os.path.realpath(os.path.join(root, tree.strip("/")))
    if not (folder + os.sep).startswith(os.path.realpath(root) + os.sep) and folder != os.path.realpath(root):
        raise FarmError(INVALID, f"treePath {tree!r} leaves the output storage", "treePath")
    if not os.path.isdir(folder):
        raise FarmError(404, f"treePath {tree!r} does not exist in the output storage", "treePath")
    items = []
    for entry in sorted(os.scandir(folder), key=lambda e: e.name):
        if entry.name.endswith(".part") or (names is not None and entry.name not in names):
            continue
        stat = entry.stat()
        is_dir = entry.is_dir()
        rel = "/" + os.path.relpath(entry.path, root).replace(os.sep, "/")
        items.append({"fileName": entry.name, "fileSize": None if is_dir else stat.st_size, "iconPath": None,
                      "lastModify": time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(stat.st_mtime)),
                      "fileType": None if is_dir else (entry.name.rsplit(".", 1)[-1] if "." in entry.name else ""),
                      "filePath": rel, "directory": is_dir, "isArrears": 0})
    return items
