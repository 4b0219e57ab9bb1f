"""``api.query``: read-only queries (tasks, frames, software, transfer servers) and the frame
re-render calls that the reference files under ``query``; plus the client-side helpers
get_all_frames, get_custome_frames and get_small_task_id (spec/wire.md §5)."""
import logging
import re
import sys
from typing import TYPE_CHECKING, Any, Dict, Iterable, List, Optional, Union

if TYPE_CHECKING:
    from rv_dcc.api import models

from rv_dcc.api._ns import Namespace, _models, put, require_list
from rv_dcc.api.env import cg_id_for
from rv_dcc.api.errors import RequestValidationError

log = logging.getLogger("rv_dcc.api.query")


class QueryNamespace(Namespace):
    """Queries and frame operations."""

    @property
    def _renderbus(self) -> bool:
        return "renderbus" in self._client.domain.lower()

    def platforms(self) -> "models.PlatformList":
        """The platforms of this region (``queryPlatforms``; zone 1 China, 2 international)."""
        return self._call("queryPlatforms", {"zone": 1 if self._renderbus else 2}, "PlatformList")

    def error_detail(self, code: Optional[Union[str, int]] = None, codes: Optional[Iterable[Union[str, int]]] = None,
                     language: int = 0) -> "models.ErrorDetailList":
        """Explain analysis codes (``queryAnalyseErrorDetail``); language 0 Chinese, 1 English."""
        body: Dict[str, Any] = {"language": language}
        put(body, "code", code)
        if codes is not None:
            body["codes"] = require_list(codes, "codes", "queryAnalyseErrorDetail")
        return self._call("queryAnalyseErrorDetail", body, "ErrorDetailList",
                          args={"code": "code", "codes": "codes", "language": "language"})

    def get_task_list(self, page_num: int = 1, page_size: int = 100, status_list: Optional[List[int]] = None,
                      search_keyword: Optional[str] = None, start_time: Optional[str] = None,
                      end_time: Optional[str] = None, recycle_flag: Optional[int] = None) -> "models.TaskPage":
        """A page of tasks, newest first (``getTaskList``); times as ``yyyy-MM-dd HH:mm:ss``."""
        body: Dict[str, Any] = {"pageNum": page_num, "pageSize": page_size}
        if status_list:
            body["statusList"] = require_list(status_list, "status_list", "getTaskList")
        if search_keyword:
            body["searchKeyword"] = search_keyword
        if start_time:
            body["startTime"] = start_time
        if end_time:
            body["endTime"] = end_time
        put(body, "recycleFlag", recycle_flag)
        return self._call("getTaskList", body, "TaskPage", args=_TASK_LIST_ARGS)

    def task_frames(self, task_id: int, page_num: int = 1, page_size: int = 100,
                    search_keyword: Optional[str] = None) -> "models.FramePage":
        """A page of a task's frames (``queryTaskFrames``)."""
        body: Dict[str, Any] = {"taskId": task_id, "pageNum": page_num, "pageSize": page_size}
        if search_keyword:
            body["searchKeyword"] = search_keyword
        return self._call("queryTaskFrames", body, "FramePage",
                          args={"taskId": "task_id", "pageNum": "page_num", "pageSize": "page_size",
                                "searchKeyword": "search_keyword"})

    def all_frame_status(self) -> "models.FrameStats":
        """Frame counts over all tasks (``queryAllFrameStats``)."""
        return self._call("queryAllFrameStats", {}, "FrameStats")

    def restart_failed_frames(self, task_param_list: List[int], status: Optional[List[int]] = None) -> Any:
        """Render the tasks' failed frames again, or those in ``status`` (``recommitTasks``)."""
        body: Dict[str, Any] = {"taskIds": require_list(task_param_list, "task_param_list", "recommitTasks")}
        if status is not None:
            body["status"] = require_list(status, "status", "recommitTasks")
        return self._call("recommitTasks", body, args={"taskIds": "task_param_list", "status": "status"})

    def _frames(self, operation: str, task_id: int, ids_list: Optional[List[int]], select_all: int,
                status: Optional[List[int]]) -> Any:
        body: Dict[str, Any] = {"taskId": task_id}
        if select_all == 1:
            body["selectAll"] = 1
        else:
            body["ids"] = require_list(ids_list, "ids_list", operation) if ids_list is not None else []
            body["selectAll"] = select_all
        if status is not None:
            body["status"] = require_list(status, "status", operation)
        return self._call(operation, body, args={"taskId": "task_id", "ids": "ids_list", "selectAll": "select_all",
                                                 "status": "status"})

    def restart_frame(self, task_id: int, ids_list: Optional[List[int]] = None, select_all: int = 0,
                      status: Optional[List[int]] = None) -> Any:
        """Render frames again: all (``select_all=1``) or the frame ids given (``recommitTaskFrames``)."""
        return self._frames("recommitTaskFrames", task_id, ids_list, select_all, status)

    def stop_frames(self, task_id: int, ids_list: Optional[List[int]] = None, select_all: int = 0,
                    status: Optional[List[int]] = None) -> Any:
        """Stop frames: all (``select_all=1``) or the frame ids given (``stopTaskFrames``)."""
        return self._frames("stopTaskFrames", task_id, ids_list, select_all, status)

    stop_task_frames = stop_frames

    def task_info(self, task_ids_list: List[int]) -> "models.TaskPage":
        """Details of tasks, with their layer sub-tasks (``queryTaskInfo``)."""
        body = {"taskIds": require_list(task_ids_list, "task_ids_list", "queryTaskInfo")}
        return self._call("queryTaskInfo", body, "TaskPage", args={"taskIds": "task_ids_list"})

    def supported_software(self) -> "models.SoftwareList":
        """The render software the farm runs (``querySoftwareList``)."""
        return self._call("querySoftwareList", {}, "SoftwareList")

    def supported_plugin(self, name: Union[str, int], os_name: Optional[str] = None) -> "models.SoftwareDetail":
        """Versions and plugins of one software, e.g. ``"maya"`` (``querySoftwareDetail``).

        ``os_name`` is "windows" or "linux"; by default this computer's, as the official SDK does.
        """
        if os_name is None:
            os_name = "windows" if sys.platform.startswith("win") else "linux"
        body = {"cgId": cg_id_for(name, "querySoftwareDetail"), "osName": os_name}
        return self._call("querySoftwareDetail", body, "SoftwareDetail", args={"osName": "os_name"})

    def get_task_processing_img(self, task_id: int, frame_type: Optional[int] = None) -> "models.TaskProcessImg":
        """Render progress image of a 3ds Max task (``loadTaskProcessImg``); frame_type 2 photon, 5 main."""
        body: Dict[str, Any] = {"taskId": task_id}
        put(body, "frameType", frame_type)
        return self._call("loadTaskProcessImg", body, "TaskProcessImg",
                          args={"taskId": "task_id", "frameType": "frame_type"})

    def get_frame_thumbnall(self, frame_id: int, frame_status: int = 4) -> Any:
        """Thumbnail paths of a finished frame (``loadingFrameThumbnail``)."""
        return self._call("loadingFrameThumbnail", {"id": frame_id, "frameStatus": frame_status}, "GenericList",
                          args={"id": "frame_id", "frameStatus": "frame_status"})

    get_frame_thumbnail = get_frame_thumbnall

    def get_transfer_server_msg(self) -> "models.TransferServerInfo":
        """The Raysync transfer server (``getServerInfo``; zone 2 China, 1 international)."""
        return self._call("getServerInfo", {"zone": 2 if self._renderbus else 1}, "TransferServerInfo")

    def get_raysync_user_key(self) -> "models.RaySyncUserKey":
        """The Raysync login key (``getRaySyncUserKey``); a secret: it stays out of repr and logs."""
        return self._call("getRaySyncUserKey", {}, "RaySyncUserKey")

    def show_log(self, frame_id: int, page_num: int = 1, page_size: int = 100,
                 rendering_type: str = "render") -> Any:
        """A frame's render log, paged (``showLog``)."""
        body = {"renderingType": rendering_type, "pageNum": page_num, "pageSize": page_size, "id": frame_id}
        return self._call("showLog", body, "WireObject",
                          args={"id": "frame_id", "pageNum": "page_num", "pageSize": "page_size"})

    # -- client-side helpers -----------------------------------------------------------------

    def get_all_frames(self, task_id: int, start_page: int = 1, end_page: int = 2000,
                       page_size: int = 100) -> "models.AllFrames":
        """Every frame of a (sub-)task, ``{frameIndex: frame}``: pages until an empty page."""
        frames: Dict[str, Any] = {}
        for page_num in range(int(start_page), int(end_page) + 1):
            page = self.task_frames(task_id=int(task_id), page_num=page_num, page_size=page_size)
            items = page.get("items") if page is not None else None
            if not items:
                break
            for frame in items:
                frames[str(frame.get("frameIndex"))] = frame
        return _models().AllFrames.from_wire(frames)

    def get_custome_frames(self, task_id: int, restartframes: List[Union[str, int]]) -> Any:
        """Render the named frames again (``"6"``, ``"7-9[1]"``): looks their ids up, then
        ``recommitTaskFrames`` with ``selectAll: 0``. Unknown frame names raise, nothing is sent."""
        wanted = [str(name) for name in require_list(restartframes, "restartframes", "recommitTaskFrames")]
        if not wanted:
            raise RequestValidationError("restartframes can't be empty", field="restartframes", code=601,
                                         operation="recommitTaskFrames")
        frames = self.get_all_frames(task_id).to_wire()
        missing = [name for name in wanted if name not in frames]
        if missing:
            known = ", ".join(list(frames)[:10]) or "none"
            raise RequestValidationError(f"task {task_id} has no frame {', '.join(missing)} (its frames: {known})",
                                         field="restartframes", code=600, operation="recommitTaskFrames")
        ids = [frames[name]["id"] for name in wanted]
        return self.restart_frame(task_id=task_id, ids_list=ids, select_all=0)

    get_custom_frames = get_custome_frames

    def get_small_task_id(self, task_id: Union[int, str]) -> List[int]:
        """The ids of a task's layer sub-tasks (``queryTaskInfo``); the task itself when it has none.
        A task alias such as ``"2W1521323"`` is accepted."""
        number = _task_number(task_id)
        page = self.task_info([number])
        items = (page.get("items") if page is not None else None) or []
        for item in items:
            if int(item.get("id") or 0) == number or len(items) == 1:
                children = item.get("respRenderingTaskList") or []
                ids = [int(child["id"]) for child in children if child.get("id") is not None]
                return ids or [number]
        return [number]


_TASK_LIST_ARGS = {"pageNum": "page_num", "pageSize": "page_size", "statusList": "status_list",
                   "searchKeyword": "search_keyword", "startTime": "start_time", "endTime": "end_time",
                   "recycleFlag": "recycle_flag"}


def _task_number(task_id: Union[int, str]) -> int:
    if isinstance(task_id, int) and not isinstance(task_id, bool):
        return task_id
    match = re.search(r"(\d+)$", str(task_id).strip())
    if not match:
        raise RequestValidationError(f"task_id: {task_id!r} is not a task id", field="taskId",
                                     operation="queryTaskInfo")
    return int(match.group(1))
