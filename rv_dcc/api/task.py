"""``api.task``: create, submit and control tasks. None of these is ever repeated automatically."""
import json
from typing import TYPE_CHECKING, Any, Dict, Iterable, List, Optional, Union

if TYPE_CHECKING:
    from rv_dcc.api import models

from rv_dcc.api._ns import Namespace, put, require_list
from rv_dcc.api.errors import RequestValidationError

TASK_FILE_NAMES = ("task.json", "upload.json", "asset.json", "tips.json")


class TaskNamespace(Namespace):
    """Task life-cycle operations."""

    def create_task(self, count: int = 1, task_user_level: int = 50, out_user_id: Optional[int] = None,
                    labels: Optional[List[str]] = None, clone_original_id: Optional[int] = None,
                    artist: Optional[str] = None) -> "models.CreatedTasks":
        """Create ``count`` task ids (``createTask``). Sent once: a lost reply raises, never resends."""
        body: Dict[str, Any] = {"count": count, "taskUserLevel": task_user_level}
        put(body, "outUserId", out_user_id)
        if labels is not None:
            body["labels"] = require_list(labels, "labels", "createTask")
        put(body, "cloneOriginalId", clone_original_id)
        put(body, "artist", artist)
        return self._call("createTask", body, "CreatedTasks",
                          args={"count": "count", "taskUserLevel": "task_user_level", "outUserId": "out_user_id",
                                "labels": "labels", "cloneOriginalId": "clone_original_id", "artist": "artist"})

    def submit_task(self, task_id: int, producer: Optional[str] = None) -> Any:
        """Start the task once its profiles and assets are uploaded (``submit/task``)."""
        body: Dict[str, Any] = {"taskId": task_id}
        put(body, "producer", producer)
        return self._call("submitTask", body, args={"taskId": "task_id", "producer": "producer"})

    def upload_task_json(self, task_id: int, file_name: str, content: Union[str, Dict[str, Any], list]) -> Any:
        """Upload one task profile (``taskJsonFile``): ``file_name`` is task.json, upload.json,
        asset.json or tips.json; ``content`` is JSON text or a dict (serialised here)."""
        if file_name not in TASK_FILE_NAMES:
            raise RequestValidationError(
                f"file_name must be one of {', '.join(TASK_FILE_NAMES)}, not {file_name!r}",
                field="fileName", code=600 if file_name else 601, operation="taskJsonFile")
        if isinstance(content, (dict, list)):
            content = json.dumps(content)
        return self._call("taskJsonFile", {"taskId": task_id, "fileName": file_name, "content": content},
                          args={"taskId": "task_id", "content": "content"})

    task_json_file = upload_task_json

    def _ids(self, operation: str, ids: Iterable[int], name: str) -> Any:
        return self._call(operation, {"taskIds": require_list(ids, name, operation)}, args={"taskIds": name})

    def stop_task(self, task_param_list: List[int]) -> Any:
        """Stop tasks (``stopTask``)."""
        return self._ids("stopTask", task_param_list, "task_param_list")

    def start_task(self, task_param_list: List[int]) -> Any:
        """Start stopped tasks again (``startTask``)."""
        return self._ids("startTask", task_param_list, "task_param_list")

    def abort_task(self, task_param_list: List[int]) -> Any:
        """Abandon tasks (``abandonTask``)."""
        return self._ids("abandonTask", task_param_list, "task_param_list")

    abandon_task = abort_task

    def delete_task(self, task_param_list: List[int]) -> Any:
        """Delete tasks (``deleteTask``)."""
        return self._ids("deleteTask", task_param_list, "task_param_list")

    def set_task_overtime_top(self, task_id_list: List[int], overtime: int) -> Any:
        """Stop the tasks' frames after ``overtime`` seconds (``setTaskOverTimeStop``)."""
        body = {"taskIds": require_list(task_id_list, "task_id_list", "setTaskOverTimeStop"), "overTime": overtime}
        return self._call("setTaskOverTimeStop", body, args={"taskIds": "task_id_list", "overTime": "overtime"})

    set_task_overtime_stop = set_task_overtime_top

    def full_speed(self, task_id_list: List[int]) -> Any:
        """Render the tasks at full speed (``fullSpeedRendering``)."""
        return self._ids("fullSpeedRendering", task_id_list, "task_id_list")

    full_speed_render = full_speed

    def update_priority(self, task_id: int, priority: int) -> Any:
        """Set a task's priority (``updateTaskUserLevel``, wire ``taskUserLevel``)."""
        return self._call("updateTaskUserLevel", {"taskId": task_id, "taskUserLevel": priority},
                          args={"taskId": "task_id", "taskUserLevel": "priority"})

    def update_task_user_level(self, task_id: int, task_user_level: int) -> Any:
        """Same as :meth:`update_priority`, with the official SDK's argument name."""
        return self.update_priority(task_id, task_user_level)

    def update_task_limit(self, task_id: int, limit: int) -> Any:
        """Limit how many nodes render the task at once (``updateTaskLimit``)."""
        return self._call("updateTaskLimit", {"taskId": task_id, "taskLimit": limit},
                          args={"taskId": "task_id", "taskLimit": "limit"})

    def edit_task_hardware_config(self, task_ids: List[int], hardware_config_ids: Optional[List[int]] = None,
                                  model: Optional[str] = None, gpu_num: Optional[Union[int, str]] = None,
                                  ram: Optional[str] = None) -> Any:
        """Move tasks to another machine configuration (``editTaskHardwareConfig``)."""
        body: Dict[str, Any] = {"taskIds": require_list(task_ids, "task_ids", "editTaskHardwareConfig")}
        if hardware_config_ids is not None:
            body["hardwareConfigIds"] = require_list(hardware_config_ids, "hardware_config_ids",
                                                     "editTaskHardwareConfig")
        put(body, "model", model)
        put(body, "gpuNum", gpu_num)
        put(body, "ram", ram)
        return self._call("editTaskHardwareConfig", body,
                          args={"taskIds": "task_ids", "hardwareConfigIds": "hardware_config_ids", "model": "model",
                                "gpuNum": "gpu_num", "ram": "ram"})
