"""Request-body models for every operation, keyed by wire names: shared by the client and the farm.

Usage (the client validates before sending; the embedded farm validates what it receives)::

    from rv_dcc.api.wire import validate_request, RequestValidationError, REQUEST_MODELS
    try:
        body = validate_request("createTask", received_json)   # -> normalised dict
    except RequestValidationError as error:
        reply(code=error.code, message=str(error.message))     # 600 invalid / 601 empty; error.field

``REQUEST_MODELS`` maps each operation name of ``rv_dcc.api.operations`` to its pydantic model.
The models accept what the service accepts (spec/wire.md §5): wire key names, unknown extra keys
kept (the official SDK also sends e.g. ``recycleFlag``), numeric strings coerced to integers the
way the service's JSON reader does (``renderSystem: "0"`` -> 0), booleans refused where an
integer is expected. A required value that is absent or an empty list is 601; anything else
wrong is 600. This module imports pydantic: import it lazily from start-up paths.
"""
import json
from typing import Annotated, Any, Dict, List, Literal, Optional, Type, Union

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, field_validator, model_validator
from pydantic_core import PydanticCustomError

from rv_dcc.api.errors import RequestValidationError

__all__ = ["REQUEST_MODELS", "RequestValidationError", "TASK_FILE_NAMES", "validate_request"]

#: The four profiles ``taskJsonFile`` accepts.
TASK_FILE_NAMES = ("task.json", "upload.json", "asset.json", "tips.json")


def _no_bool(value: Any) -> Any:
    # pydantic would read True as 1; the service's JSON reader refuses a boolean for a number.
    if isinstance(value, bool):
        raise PydanticCustomError("int_type", "Input should be a valid integer, not a boolean")
    return value


Int = Annotated[int, BeforeValidator(_no_bool)]
Ids = Annotated[List[Int], Field(min_length=1)]
IntOrStr = Union[Int, str]


class WireBody(BaseModel):
    """Base of every request body: wire names, extra keys kept."""

    model_config = ConfigDict(extra="allow", populate_by_name=True)


def _one_of(model: BaseModel, *names: str) -> None:
    if all(getattr(model, name) in (None, [], "") for name in names):
        raise PydanticCustomError("missing", "one of {names} is required", {"names": " / ".join(names)})


class Empty(WireBody):
    """An operation that takes no parameters (``{}``)."""


class Zone(WireBody):
    """queryPlatforms / getServerInfo: 1 China, 2 international (reversed for getServerInfo)."""

    zone: Optional[Int] = None


class UpdateUserSetting(WireBody):
    taskOverTimeSec: Int = Field(description="task timeout in seconds")


class HardwareConfigList(WireBody):
    cloneTask: Optional[str] = "false"
    taskIds: Optional[List[IntOrStr]] = None


class Record(WireBody):
    """taskRecord / loginRecord."""

    pageNum: Optional[Int] = Field(None, ge=1)
    pageSize: Optional[Int] = Field(None, ge=1)
    startDate: Optional[str] = None
    endDate: Optional[str] = None


class CreateTask(WireBody):
    count: Optional[Int] = Field(1, ge=1)
    taskUserLevel: Optional[Int] = None
    outUserId: Optional[Int] = None
    labels: Optional[List[str]] = None
    cloneOriginalId: Optional[Int] = None
    artist: Optional[str] = None


class SubmitTask(WireBody):
    taskId: Int
    producer: Optional[str] = None


class TaskJsonFile(WireBody):
    taskId: Int
    fileName: Literal["task.json", "upload.json", "asset.json", "tips.json"]
    content: str = Field(min_length=1, description="the profile as JSON text")

    @field_validator("content")
    @classmethod
    def _is_json(cls, value: str) -> str:
        try:
            json.loads(value)
        except ValueError as exc:
            raise PydanticCustomError("json_invalid", "content is not JSON text ({error})", {"error": str(exc)})
        return value


class AnalyseErrorDetail(WireBody):
    code: Optional[IntOrStr] = None
    codes: Optional[List[IntOrStr]] = None
    language: Optional[IntOrStr] = None

    @model_validator(mode="after")
    def _code_or_codes(self) -> "AnalyseErrorDetail":
        _one_of(self, "code", "codes")
        return self


class TaskList(WireBody):
    pageNum: Optional[Int] = Field(None, ge=1)
    pageSize: Optional[Int] = Field(None, ge=1)
    statusList: Optional[List[Int]] = None
    searchKeyword: Optional[str] = None
    startTime: Optional[str] = None
    endTime: Optional[str] = None
    recycleFlag: Optional[Int] = None


class TaskIds(WireBody):
    """queryTaskInfo, stop/start/abandon/delete, fullSpeedRendering."""

    taskIds: Ids


class UpdateTaskUserLevel(WireBody):
    taskId: Int
    taskUserLevel: Int


class UpdateTaskLimit(WireBody):
    taskId: Int
    taskLimit: Int = Field(ge=0)


class EditTaskHardwareConfig(WireBody):
    taskIds: Ids
    hardwareConfigIds: Optional[List[Int]] = None
    model: Optional[str] = None
    gpuNum: Optional[IntOrStr] = None
    ram: Optional[str] = None


class SetTaskOverTimeStop(WireBody):
    taskIds: Ids
    overTime: Int = Field(ge=0, description="seconds")


class TaskFrames(WireBody):
    taskId: Int
    pageNum: Optional[Int] = Field(None, ge=1)
    pageSize: Optional[Int] = Field(None, ge=1)
    searchKeyword: Optional[str] = None


class RecommitTasks(WireBody):
    taskIds: Ids
    status: Optional[List[Int]] = None


class TaskFrameSelection(WireBody):
    """recommitTaskFrames / stopTaskFrames: all frames (selectAll 1) or the listed frame ids."""

    taskId: Int
    selectAll: Int = 0
    ids: Optional[List[Int]] = None
    status: Optional[List[Int]] = None

    @model_validator(mode="after")
    def _ids_unless_all(self) -> "TaskFrameSelection":
        if self.selectAll not in (0, 1):
            raise PydanticCustomError("literal_error", "selectAll must be 0 or 1")
        if self.selectAll == 0 and not self.ids and not self.status:
            raise PydanticCustomError("missing", "ids is required when selectAll is 0", {"names": "ids"})
        return self


class ShowLog(WireBody):
    id: Int = Field(description="frame id")
    renderingType: Optional[str] = "render"
    pageNum: Optional[Int] = Field(None, ge=1)
    pageSize: Optional[Int] = Field(None, ge=1)


class TaskProcessImg(WireBody):
    taskId: Int
    frameType: Optional[Int] = None


class FrameThumbnail(WireBody):
    id: Int
    frameStatus: Optional[Int] = None


class ProjectAdd(WireBody):
    newName: str = Field(min_length=1)
    status: Optional[Int] = None


class ProjectDelete(WireBody):
    delName: str = Field(min_length=1)


class ProjectList(WireBody):
    flag: Optional[Int] = None


class AddTaskLabel(WireBody):
    label: str = Field(min_length=1)
    taskIds: Ids


class DeleteTaskLabel(WireBody):
    taskIds: Optional[List[Int]] = None
    labelNames: Optional[List[str]] = None
    labelIds: Optional[List[Int]] = None

    @model_validator(mode="after")
    def _something(self) -> "DeleteTaskLabel":
        _one_of(self, "labelIds", "labelNames", "taskIds")
        return self


class SoftwareDetail(WireBody):
    cgId: Int
    osName: Optional[IntOrStr] = None


class RenderEnv(WireBody):
    """addUserPluginConfig / editUserPluginConfig: the render environment itself."""

    cgId: Int
    cgName: str
    cgVersion: str
    renderLayerType: Optional[Int] = None
    editName: str = Field(min_length=1)
    renderSystem: Int = Field(description="0 Linux, 1 Windows")
    pluginIds: List[Int]
    projectPath: Optional[str] = None


class EditName(WireBody):
    editName: str = Field(min_length=1)


class GetRenderEnv(WireBody):
    cgId: Optional[Int] = None
    cgIds: Optional[List[Int]] = None
    osName: Optional[Int] = None

    @model_validator(mode="after")
    def _cg(self) -> "GetRenderEnv":
        _one_of(self, "cgId", "cgIds")
        return self


class OutputFiles(WireBody):
    treePath: Optional[str] = "/"
    taskId: Optional[Int] = None


#: operation name (rv_dcc.api.operations) -> request body model.
REQUEST_MODELS: Dict[str, Type[WireBody]] = {
    "queryPlatforms": Zone, "queryUserProfile": Empty, "queryUserSetting": Empty,
    "updateUserSetting": UpdateUserSetting, "getBid": Empty, "hardwareConfigList": HardwareConfigList,
    "getUserPackNodeInfo": Empty, "taskRecord": Record, "loginRecord": Record,
    "createTask": CreateTask, "submitTask": SubmitTask, "taskJsonFile": TaskJsonFile,
    "queryAnalyseErrorDetail": AnalyseErrorDetail, "getTaskList": TaskList, "queryTaskInfo": TaskIds,
    "stopTask": TaskIds, "startTask": TaskIds, "abandonTask": TaskIds, "deleteTask": TaskIds,
    "updateTaskUserLevel": UpdateTaskUserLevel, "updateTaskLimit": UpdateTaskLimit,
    "editTaskHardwareConfig": EditTaskHardwareConfig, "setTaskOverTimeStop": SetTaskOverTimeStop,
    "fullSpeedRendering": TaskIds, "queryTaskFrames": TaskFrames, "queryAllFrameStats": Empty,
    "recommitTasks": RecommitTasks, "recommitTaskFrames": TaskFrameSelection,
    "stopTaskFrames": TaskFrameSelection, "showLog": ShowLog, "loadTaskProcessImg": TaskProcessImg,
    "loadingFrameThumbnail": FrameThumbnail, "projectAdd": ProjectAdd, "projectDelete": ProjectDelete,
    "projectGetList": Empty, "projectList": ProjectList, "addTaskLabel": AddTaskLabel,
    "deleteTaskLabel": DeleteTaskLabel, "querySoftwareList": Empty, "querySoftwareDetail": SoftwareDetail,
    "addUserPluginConfig": RenderEnv, "editUserPluginConfig": RenderEnv,
    "deleteUserPluginConfig": EditName, "setDefaultUserPluginConfig": EditName,
    "getUserPluginConfig": GetRenderEnv, "getServerInfo": Zone, "getRaySyncUserKey": Empty,
    "getConfig": Empty, "getOutputUserDirFile": OutputFiles,
}

_EMPTY_TYPES = frozenset({"missing", "too_short", "string_too_short"})


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _to_error(operation: str, exc: ValidationError) -> RequestValidationError:
    first = exc.errors(include_url=False)[0]
    ctx = first.get("ctx") or {}
    loc = [str(part) for part in first.get("loc", ()) if not str(part).startswith("function-")]
    field = ".".join(loc) or ctx.get("names")
    kind = first.get("type", "")
    code = 601 if kind in _EMPTY_TYPES else 600
    if kind == "missing":
        text = f"{field} is required"
    elif kind in ("too_short", "string_too_short"):
        text = f"{field} can't be empty"
    else:
        got = f" (got {_short(first.get('input'))})" if "input" in first and first.get("input") is not None else ""
        text = f"{field}: {first.get('msg', 'invalid value')}{got}" if field else first.get("msg", "invalid value")
    return RequestValidationError(text, field=field, code=code, operation=operation)


def validate_request(operation_name: str, body: Any) -> Dict[str, Any]:
    """Validate ``body`` (wire keys) for ``operation_name``; return it normalised.

    Raises :class:`RequestValidationError` (``code`` 600 or 601, ``field``, a message naming the
    field) when the service would refuse it; ``KeyError`` for an unknown operation name. The
    returned dict holds exactly the keys given (defaults are not added), with values coerced to
    the wire types, and every extra key untouched.
    """
    model = REQUEST_MODELS[operation_name]
    if not isinstance(body, dict):
        raise RequestValidationError(f"the request body must be a JSON object, not {type(body).__name__}",
                                     code=600, operation=operation_name)
    try:
        parsed = model.model_validate(body)
    except ValidationError as exc:
        raise _to_error(operation_name, exc) from None
    return parsed.model_dump(exclude_unset=True)
