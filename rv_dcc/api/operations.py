"""The catalogue of the service's operations: wire name, both path sets, and whether the call may
be repeated safely (spec/wire.md §4).

The client routes calls through this table and the embedded farm serves from it, so a path is
written down exactly once. ``repeatable`` is the retry policy: only queries are retried
automatically; anything that creates or changes state is sent once.
"""
from typing import Dict, NamedTuple, Tuple


class Operation(NamedTuple):
    """One operation of the service."""

    name: str        #: the wire operation name (last path segment without /v2)
    seed: str        #: path in spec/api_reference.md
    current: str     #: path the current official SDK calls
    repeatable: bool  #: a query: safe to retry on transport failure / 5xx


def _op(name: str, seed: str, current: str = "", repeatable: bool = True) -> Operation:
    return Operation(name, seed, current or seed, repeatable)


_R = "/api/render"
OPERATIONS: Tuple[Operation, ...] = (
    # account
    _op("queryPlatforms", f"{_R}/common/queryPlatforms"),
    _op("queryUserProfile", f"{_R}/setUp/queryUserProfile"),
    _op("queryUserSetting", f"{_R}/setUp/queryUserSetting"),
    _op("updateUserSetting", f"{_R}/setUp/updateUserSetting", repeatable=False),
    _op("getBid", f"{_R}/transfer/getBid"),
    _op("hardwareConfigList", f"{_R}/hardwareConfig/list"),
    _op("getUserPackNodeInfo", f"{_R}/submit/getUserPackNodeInfo"),
    _op("taskRecord", f"{_R}/handle/operate/sdk/taskRecord"),
    _op("loginRecord", f"{_R}/handle/operate/sdk/loginRecord"),
    # task life
    _op("createTask", f"{_R}/submit/createTask", repeatable=False),
    _op("submitTask", f"{_R}/submit/task", repeatable=False),
    _op("taskJsonFile", f"{_R}/submit/taskJsonFile", repeatable=False),
    _op("queryAnalyseErrorDetail", f"{_R}/submit/queryAnalyseErrorDetail"),
    _op("getTaskList", f"{_R}/handle/getTaskList", f"{_R}/handle/getTaskList/v2"),
    _op("queryTaskInfo", f"{_R}/handle/queryTaskInfo", f"{_R}/handle/queryTaskInfo/v2"),
    _op("stopTask", f"{_R}/handle/stopTask", "/api/rendering/task/renderingTask/stopTask", repeatable=False),
    _op("startTask", f"{_R}/handle/startTask", "/api/rendering/task/renderingTask/startTask", repeatable=False),
    _op("abandonTask", f"{_R}/handle/abandonTask", repeatable=False),
    _op("deleteTask", f"{_R}/handle/deleteTask", repeatable=False),
    _op("updateTaskUserLevel", "/api/rendering/task/renderingTask/updateTaskUserLevel", repeatable=False),
    _op("updateTaskLimit", f"{_R}/handle/updateTaskLimit", repeatable=False),
    _op("editTaskHardwareConfig", f"{_R}/handle/editTaskHardwareConfig", repeatable=False),
    _op("setTaskOverTimeStop", f"{_R}/handle/setTaskOverTimeStop", repeatable=False),
    _op("fullSpeedRendering", f"{_R}/handle/fullSpeedRendering", repeatable=False),
    # frames
    _op("queryTaskFrames", f"{_R}/handle/queryTaskFrames"),
    _op("queryAllFrameStats", f"{_R}/handle/queryAllFrameStats"),
    _op("recommitTasks", f"{_R}/handle/recommitTasks", repeatable=False),
    _op("recommitTaskFrames", f"{_R}/handle/recommitTaskFrames", repeatable=False),
    _op("stopTaskFrames", f"{_R}/handle/stopTaskFrames", repeatable=False),
    _op("showLog", f"{_R}/handle/showLog"),
    _op("loadTaskProcessImg", f"{_R}/handle/loadTaskProcessImg"),
    _op("loadingFrameThumbnail", f"{_R}/handle/loadingFrameThumbnail"),
    # projects and labels
    _op("projectAdd", f"{_R}/project/add", repeatable=False),
    _op("projectDelete", f"{_R}/project/delete", repeatable=False),
    _op("projectGetList", f"{_R}/project/getList"),
    _op("projectList", f"{_R}/project/list"),
    _op("addTaskLabel", f"{_R}/handle/addTaskLabel", repeatable=False),
    _op("deleteTaskLabel", f"{_R}/task/deleteTaskLabel", f"{_R}/handle/deleteTaskLabel", repeatable=False),
    # software and render environments
    _op("querySoftwareList", f"{_R}/plugin/querySoftwareList"),
    _op("querySoftwareDetail", f"{_R}/plugin/querySoftwareDetail"),
    _op("addUserPluginConfig", f"{_R}/plugin/addUserPluginConfig", repeatable=False),
    _op("editUserPluginConfig", f"{_R}/plugin/editUserPluginConfig", repeatable=False),
    _op("deleteUserPluginConfig", f"{_R}/plugin/deleteUserPluginConfig", repeatable=False),
    _op("setDefaultUserPluginConfig", f"{_R}/plugin/setDefaultUserPluginConfig", repeatable=False),
    _op("getUserPluginConfig", f"{_R}/plugin/getUserPluginConfig"),
    # transfer
    _op("getServerInfo", f"{_R}/transfer/getServerInfo"),
    _op("getRaySyncUserKey", f"{_R}/user/getRaySyncUserKey", f"{_R}/transfer/getRaySyncUserKey"),
    _op("getConfig", f"{_R}/transfer/getConfig"),
    _op("getOutputUserDirFile", f"{_R}/file/operate/getOutputUserDirFile"),
)

BY_NAME: Dict[str, Operation] = {op.name: op for op in OPERATIONS}

#: Every path either path set uses -> operation (the farm serves both sets).
BY_PATH: Dict[str, Operation] = {}
for _operation in OPERATIONS:
    BY_PATH[_operation.seed] = _operation
    BY_PATH[_operation.current] = _operation

PATH_SETS = ("current", "seed")


def path_for(name: str, paths: str = "current") -> str:
    """The path of operation ``name`` in path set ``paths`` ("current" or "seed")."""
    if paths not in PATH_SETS:
        raise ValueError(f"paths must be 'current' or 'seed', not {paths!r}")
    op = BY_NAME[name]
    return op.current if paths == "current" else op.seed


#: cgId per host (spec/wire.md §7) and the lower-case names used for look-ups.
CG_IDS: Dict[str, int] = {
    "maya": 2000, "3ds max": 2001, "houdini": 2004, "cinema4d": 2005, "blender": 2007,
    "vray standalone": 2008, "keyshot": 2012, "clarisse": 2013, "nuke": 2015, "katana": 2016,
}

# Task and frame status codes: rv_dcc.api.status (TaskStatus, FrameStatus).
