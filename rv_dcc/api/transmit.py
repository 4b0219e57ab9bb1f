"""``api.transmit``: transfer configuration, the output storage listing and profile upload."""
from typing import TYPE_CHECKING, Any, Dict, Optional, Union

if TYPE_CHECKING:
    from rv_dcc.api import models

from rv_dcc.api._ns import Namespace


class TransmitNamespace(Namespace):
    """Transfer operations."""

    def get_transfer_config(self) -> "models.TransferConfig":
        """Storage ids and transfer engines (``transfer/getConfig``); passwords stay out of repr."""
        return self._call("getConfig", {}, "TransferConfig")

    def get_output_files(self, task_id: Optional[int] = None, tree_path: str = "/") -> "models.OutputFileList":
        """List the output storage at ``tree_path``, or a task's outputs (``getOutputUserDirFile``).

        As the service expects, a task's listing is asked for at the root: with ``task_id``,
        ``treePath`` is sent as "/".
        """
        body: Dict[str, Any] = {"treePath": tree_path}
        if task_id is not None:
            body = {"treePath": "/", "taskId": task_id}
        return self._call("getOutputUserDirFile", body, "OutputFileList",
                          args={"taskId": "task_id", "treePath": "tree_path"})

    def upload_json_content(self, task_id: int, file_name: str, content: Union[str, Dict[str, Any]]) -> Any:
        """Same as ``api.task.upload_task_json`` (the official SDK's name and place)."""
        return self._client.task.upload_task_json(task_id, file_name, content)
