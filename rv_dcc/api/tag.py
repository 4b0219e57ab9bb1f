"""``api.tag``: projects (custom labels) and the labels put on tasks."""
from typing import TYPE_CHECKING, Any, Dict, List, Optional

if TYPE_CHECKING:
    from rv_dcc.api import models

from rv_dcc.api._ns import Namespace, _models, require_list


class TagNamespace(Namespace):
    """Project and task-label operations."""

    def add_label(self, new_name: str, status: int = 1) -> Any:
        """Create a project label (``project/add``); status 0 on, 1 off."""
        return self._call("projectAdd", {"newName": new_name, "status": status},
                          args={"newName": "new_name", "status": "status"})

    def delete_label(self, del_name: str) -> Any:
        """Delete a project label (``project/delete``)."""
        return self._call("projectDelete", {"delName": del_name}, args={"delName": "del_name"})

    def get_label_list(self) -> "models.ProjectNames":
        """The account's projects (``project/getList``)."""
        return self._call("projectGetList", {}, "ProjectNames")

    def get_list(self, flag: int = 0) -> "models.ProjectNames":
        """Projects: 0 this account, 1 with the main account's, 2 all related (``project/list``)."""
        return self._call("projectList", {"flag": flag}, "ProjectNames", args={"flag": "flag"})

    def get_project_list(self) -> "models.ProjectList":
        """The projects alone (a list), as the official SDK's helper returns them."""
        names = self.get_label_list()
        return _models().ProjectList.from_wire((names.get("projectNameList") if names is not None else None) or [])

    def add_task_tag(self, tag: str, task_ids: List[int]) -> Any:
        """Put label ``tag`` on tasks (``addTaskLabel``)."""
        body = {"label": tag, "taskIds": require_list(task_ids, "task_ids", "addTaskLabel")}
        return self._call("addTaskLabel", body, args={"label": "tag", "taskIds": "task_ids"})

    def delete_task_tag(self, tag_ids: Optional[List[int]] = None, task_ids: Optional[List[int]] = None,
                        label_names: Optional[List[str]] = None) -> Any:
        """Remove labels from tasks by label id, and/or by task and label name (``deleteTaskLabel``)."""
        body: Dict[str, Any] = {}
        for key, value, name in (("taskIds", task_ids, "task_ids"), ("labelNames", label_names, "label_names"),
                                 ("labelIds", tag_ids, "tag_ids")):
            body[key] = require_list(value, name, "deleteTaskLabel") if value is not None else []
        return self._call("deleteTaskLabel", body,
                          args={"taskIds": "task_ids", "labelNames": "label_names", "labelIds": "tag_ids"})

    remove_task_tag = delete_task_tag
