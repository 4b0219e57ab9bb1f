"""The embedded farm's static catalogue: account, platforms, hardware and the software catalog.

Pure data, importable on its own (no I/O, no state): the farm serves it, and other parts of the
project use it as a realistic test catalog (``software_detail(2000)`` is exactly what
``querySoftwareDetail {cgId: 2000}`` answers). Ids are written out, not generated, so they stay
stable across versions of this file. Plugin versions follow the service's spelling
``"<pluginName> <version>"`` (``"mtoa 5.3.4"``); task.json names them ``{"mtoa": "5.3.4"}``.
"""
import copy
from typing import Any, Dict, List, Optional, Tuple

USER_ID = 10001136
USER_NAME = "rvdcc_artist"
INPUT_BID, OUTPUT_BID, CONFIG_BID, PARENT_INPUT_BID = "10201", "20201", "30201", "10202"

PROFILE: Dict[str, Any] = {
    "userId": USER_ID, "userName": USER_NAME, "platform": 2, "phone": "", "email": "artist@example.com",
    "company": "rv_dcc embedded farm", "name": "Local Artist", "job": "", "communicationNumber": "",
    "softType": 2000, "softStatus": 1, "businessType": 1, "status": 1, "infoStatus": 0, "accountType": 1,
    "userType": 1, "mainUserId": 0, "level": 49, "pictureLever": None, "zone": 2, "rmbbalance": 0,
    "usdbalance": 500.0, "rmbCumulative": 0, "usdCumulative": 0, "credit": 0, "coupon": 49.93,
    "description": "", "country": "", "city": "", "address": "", "cpuPrice": 0.67, "gpuPrice": 20,
    "shareMainCapital": 0, "subDeleteTask": 0, "useMainBalance": 0, "hideBalance": 0, "hideJobCharge": 0,
    "useLevelDirectory": 1, "downloadDisable": 0, "displaySubaccount": 1, "subaccountLimits": 5,
    "houdiniFlag": 1, "c4dFlag": 1, "blenderFlag": 1, "keyshotFlag": 0, "studentEndTime": None,
}

SETTINGS: Dict[str, Any] = {
    "infoStatus": None, "accountType": None, "shareMainCapital": 0, "subDeleteTask": 0, "useMainBalance": 0,
    "singleNodeRenderFrames": "1", "maxIgnoreMapFlag": "1", "autoCommit": "2", "separateAccountFlag": 0,
    "mifileSwitchFlag": 0, "assfileSwitchFlag": 0, "manuallyStartAnalysisFlag": 0, "downloadDisable": 0,
    "taskOverTime": 12, "taskOverTimeSec": 43200,
}

BIDS: Dict[str, Any] = {
    "config_bid": CONFIG_BID, "input_bid": INPUT_BID, "output_bid": OUTPUT_BID,
    "parent_input_bid": PARENT_INPUT_BID, "sub_user_output_bids": [],
}

PLATFORMS: List[Dict[str, Any]] = [
    {"platform": 2, "name": "query_platform_w2"}, {"platform": 3, "name": "query_platform_w3"},
    {"platform": 6, "name": "query_platform_w6"}, {"platform": 21, "name": "query_platform_gpu"},
]

# (id, type 1 CPU / 2 GPU, model, ram, gpuNum, notSupportCgId, notSupportCode,
#  notSupportCgVersions, notSupportPluginList)
_HARDWARE: Tuple[tuple, ...] = (
    (301, 1, "Default", "64GB", None, [], None, [], []),
    (303, 1, "Default", "128GB", None, [], None, [], []),
    (337, 2, "1080Ti", "64GB", "1", [2005, 2000], "1001",
     [{"cgId": 2001, "cgVersionName": "3ds Max 2021"}], ["^corona .*$"]),
    (339, 2, "2080Ti", "64GB", "2", [], None, [], ["^corona .*$", "^vray 5\\..*$"]),
    (341, 2, "4090", "128GB", "2", [2005], "1001", [{"cgId": 2004, "cgVersionName": "Houdini 19.5"}], ["^corona .*$"]),
)
#: hardware config id used when a task names none.
DEFAULT_HARDWARE_ID = 301


def hardware_configs(current_ids: Optional[List[int]] = None, platform: int = 2) -> List[Dict[str, Any]]:
    """``hardwareConfig/list`` items; ``current`` is True for the ids in ``current_ids``."""
    current = set(current_ids or [])
    items = []
    for hid, kind, model, ram, gpus, not_cg, not_code, not_versions, not_plugins in _HARDWARE:
        items.append({
            "id": hid, "type": kind, "model": model, "gpuNum": gpus, "ram": ram, "platform": platform,
            "current": hid in current, "notSupportCgId": list(not_cg), "status": 1,
            "notSupportCode": not_code, "notSupportCgVersions": copy.deepcopy(not_versions),
            "notSupportPluginList": list(not_plugins),
        })
    return items


def hardware_ids() -> List[int]:
    """Every known hardware configuration id."""
    return [row[0] for row in _HARDWARE]


def hardware_is_gpu(hid: int) -> bool:
    """True for a GPU machine configuration (billed with gpuPrice)."""
    return any(row[0] == hid and row[1] == 2 for row in _HARDWARE)


SOFTWARE_LIST: List[Dict[str, Any]] = [
    {"cgId": 2000, "cgName": "Maya", "cgType": "ma;mb", "iconPath": "/img/softimage/maya.png",
     "isNeedProjectPath": 1, "isNeedAnalyse": 1, "isSupportLinux": 1},
    {"cgId": 2001, "cgName": "3ds Max", "cgType": "max", "iconPath": "/img/softimage/max.png",
     "isNeedProjectPath": 1, "isNeedAnalyse": 1, "isSupportLinux": 0},
    {"cgId": 2004, "cgName": "Houdini", "cgType": "hip;hipnc;hiplc", "iconPath": "/img/softimage/houdini.png",
     "isNeedProjectPath": 2, "isNeedAnalyse": 1, "isSupportLinux": 1},
    {"cgId": 2005, "cgName": "Cinema 4D", "cgType": "c4d", "iconPath": "/img/softimage/cinema-4D.png",
     "isNeedProjectPath": 1, "isNeedAnalyse": 1, "isSupportLinux": 0},
    {"cgId": 2007, "cgName": "Blender", "cgType": "blend", "iconPath": "/img/softimage/blender.png",
     "isNeedProjectPath": 1, "isNeedAnalyse": 1, "isSupportLinux": 1},
]

#: cgId -> the cg_name task.json's software_config uses (spec/task_files.md).
TASK_CG_NAMES = {2000: "Maya", 2001: "3ds Max", 2004: "Houdini", 2005: "CINEMA 4D", 2007: "Blender"}

# cgId -> [(version id, cgVersion, {pluginName: [(pluginId, version)]})]
_SOFTWARE: Dict[int, List[Tuple[int, str, Dict[str, List[Tuple[int, str]]]]]] = {
    2000: [
        (1100, "2020", {"mtoa": [(1166, "4.0.3"), (1167, "4.2.1")], "vrayformaya": [(1168, "5.1.2")],
                        "redshift": [(1169, "3.0.46")], "renderman": [(1170, "23.5")]}),
        (1101, "2022", {"mtoa": [(5101, "4.2.4"), (5102, "5.0.0.4")], "vrayformaya": [(5111, "5.2.1")],
                        "redshift": [(5121, "3.0.67"), (5122, "3.5.14")], "renderman": [(5131, "24.4")]}),
        (1102, "2023", {"mtoa": [(5103, "5.2.2.1"), (5104, "5.3.0")], "vrayformaya": [(5112, "6.0.2")],
                        "redshift": [(5123, "3.5.14"), (5124, "3.5.22")], "renderman": [(5132, "25.2")]}),
        (1103, "2024", {"mtoa": [(5105, "5.3.4"), (5106, "5.4.5")], "vrayformaya": [(5113, "6.1.2"), (5114, "6.2.1")],
                        "redshift": [(5125, "3.5.22"), (5126, "2025.2.0")], "renderman": [(5133, "25.2"), (5134, "26.1")]}),
        (1104, "2025", {"mtoa": [(5107, "5.4.5"), (5108, "5.5.1")], "vrayformaya": [(5115, "6.2.1"), (5116, "7.0.0")],
                        "redshift": [(5127, "2025.2.0"), (5128, "2025.4.1")], "renderman": [(5135, "26.1")]}),
    ],
    2001: [
        (1201, "2021", {"vray": [(5201, "5.20.03")], "corona": [(5211, "9")], "redshift": [(5221, "3.5.14")],
                        "arnold": [(5231, "5.6.2")]}),
        (1202, "2022", {"vray": [(5202, "5.20.03"), (5203, "6.10.08")], "corona": [(5212, "9"), (5213, "10")],
                        "redshift": [(5222, "3.5.22")], "arnold": [(5232, "5.6.4")]}),
        (1203, "2023", {"vray": [(5204, "6.10.08"), (5205, "6.20.00")], "corona": [(5214, "10"), (5215, "11")],
                        "redshift": [(5223, "3.5.22")], "arnold": [(5233, "5.6.6")]}),
        (1204, "2024", {"vray": [(5206, "6.20.00"), (5207, "7.00.00")], "corona": [(5216, "11"), (5217, "12")],
                        "redshift": [(5224, "2025.2.0")], "arnold": [(5234, "5.7.0")]}),
        (1205, "2025", {"vray": [(5208, "7.00.00")], "corona": [(5218, "12")], "redshift": [(5225, "2025.4.1")],
                        "arnold": [(5235, "5.7.2")]}),
    ],
    2004: [
        (1301, "19.5", {"redshift": [(5301, "3.5.14")], "htoa": [(5311, "6.2.1.0")]}),
        (1302, "20.0", {"redshift": [(5302, "3.5.22"), (5303, "2025.2.0")], "htoa": [(5312, "6.3.0.0")]}),
        (1303, "20.5", {"redshift": [(5304, "2025.2.0"), (5305, "2025.4.1")], "htoa": [(5313, "6.3.4.0")]}),
        (1304, "21.0", {"redshift": [(5306, "2025.4.1")], "htoa": [(5314, "6.4.0.0")]}),
    ],
    2005: [
        (1401, "R26", {"redshift": [(5401, "3.5.14")], "arnold": [(5411, "4.6.1")], "octane": [(5421, "2022.1.1")]}),
        (1402, "2023", {"redshift": [(5402, "3.5.22")], "arnold": [(5412, "4.6.5")], "octane": [(5422, "2023.1.2")]}),
        (1403, "2024", {"redshift": [(5403, "2025.2.0")], "arnold": [(5413, "4.7.2")], "octane": [(5423, "2024.1.0")]}),
        (1404, "2025", {"redshift": [(5404, "2025.4.1")], "arnold": [(5414, "4.7.6")], "octane": [(5424, "2025.1.0")]}),
    ],
    2007: [
        # Cycles, EEVEE and Workbench are built in; add-ons listed as plugins.
        (1501, "3.6", {"octane": [(5501, "27.16")]}),
        (1502, "4.1", {"octane": [(5502, "28.0")]}),
        (1503, "4.2", {"octane": [(5503, "29.1")], "flamenco": [(5511, "3.5")]}),
        (1504, "4.5", {"flamenco": [(5512, "3.6")]}),
        (1505, "5.0", {}),
    ],
}


def software_list() -> Dict[str, Any]:
    """``querySoftwareList`` data."""
    return {"isAutoCommit": 2, "renderInfoList": copy.deepcopy(SOFTWARE_LIST), "defaultCgId": 2001}


def cg_name(cg_id: int) -> str:
    """The catalog's cgName for a cgId ("" when unknown)."""
    return next((s["cgName"] for s in SOFTWARE_LIST if s["cgId"] == cg_id), "")


def known_cg_ids() -> List[int]:
    """cgIds the embedded farm renders."""
    return sorted(_SOFTWARE)


def software_detail(cg_id: int) -> Dict[str, Any]:
    """``querySoftwareDetail`` data for one cgId: ``{"cgPlugin": [...], "cgVersion": [...]}``."""
    name = cg_name(cg_id)
    versions, plugins = [], []
    for vid, version, plugin_map in _SOFTWARE.get(cg_id, []):
        versions.append({"id": vid, "cgId": cg_id, "cgName": name, "cgVersion": version})
        for plugin_name, entries in plugin_map.items():
            plugins.append({"cvId": vid, "pluginName": plugin_name, "pluginVersions": [
                {"pluginId": pid, "pluginName": plugin_name, "pluginVersion": f"{plugin_name} {pv}"}
                for pid, pv in entries]})
    return {"cgPlugin": plugins, "cgVersion": versions}


def find_version(cg_id: int, version: str) -> Optional[int]:
    """The cgVersion id of ``version`` for ``cg_id``, or None."""
    for vid, name, _plugins in _SOFTWARE.get(cg_id, []):
        if name == version:
            return vid
    return None


def plugins_of(cg_id: int, version: str) -> Dict[int, Tuple[str, str]]:
    """pluginId -> (pluginName, pluginVersion text) available for one software version."""
    out: Dict[int, Tuple[str, str]] = {}
    for _vid, name, plugin_map in _SOFTWARE.get(cg_id, []):
        if name == version:
            for plugin_name, entries in plugin_map.items():
                for pid, pv in entries:
                    out[pid] = (plugin_name, f"{plugin_name} {pv}")
    return out


def plugin_matches(cg_id: int, version: str, plugin: str, plugin_version: str) -> bool:
    """True when task.json's ``{plugin: plugin_version}`` is in the catalog for that software version.

    Accepts the bare version (``"5.3.4"``) or the catalog text (``"mtoa 5.3.4"``)."""
    for name, text in plugins_of(cg_id, version).values():
        if name.lower() == plugin.lower() and text.lower() in (
                f"{name} {plugin_version}".lower(), plugin_version.lower()):
            return True
    return False


def versions_of(cg_id: int) -> List[str]:
    """The cgVersion strings the catalog has for one cgId."""
    return [name for _vid, name, _p in _SOFTWARE.get(cg_id, [])]


def server_info(host: str, port: int) -> Dict[str, Any]:
    """``getServerInfo`` data: describes this farm's transfer endpoint."""
    return {"clientVersion": "3.2.8.2", "protocolVersion": "3.2.8.2",
            "raysyncTransfer": {"serverIp": host, "serverPort": port, "proxyIp": host, "proxyPort": port,
                                "sslPort": port, "port": port},
            "httpTransfer": {"url": f"http://{host}:{port}/farm/transfer", "serverIp": host, "serverPort": port}}


def full_catalog() -> Dict[str, Any]:
    """Everything above as plain data (fresh copies), for tests and tools that need a realistic catalog:
    ``profile``, ``settings``, ``bids``, ``platforms``, ``hardware``, ``software_list`` and
    ``software_detail`` keyed by cgId."""
    return {"profile": copy.deepcopy(PROFILE), "settings": copy.deepcopy(SETTINGS), "bids": copy.deepcopy(BIDS),
            "platforms": copy.deepcopy(PLATFORMS), "hardware": hardware_configs(),
            "software_list": software_list(),
            "software_detail": {cg_id: software_detail(cg_id) for cg_id in known_cg_ids()}}
