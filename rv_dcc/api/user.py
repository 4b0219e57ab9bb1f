"""``api.user``: the account -- profile, settings, storage ids, machine configurations, records."""
from typing import TYPE_CHECKING, Any, Dict, Iterable, Optional

if TYPE_CHECKING:
    from rv_dcc.api import models

from rv_dcc.api._ns import Namespace, require_list


class UserNamespace(Namespace):
    """Account operations."""

    def query_user_profile(self) -> "models.UserProfile":
        """The account's profile (``queryUserProfile``)."""
        return self._call("queryUserProfile", {}, "UserProfile")

    def query_user_setting(self) -> "models.UserSetting":
        """The account's settings (``queryUserSetting``)."""
        return self._call("queryUserSetting", {}, "UserSetting")

    def update_user_settings(self, task_over_time: int) -> Any:
        """Set the task timeout, in seconds (``updateUserSetting``)."""
        return self._call("updateUserSetting", {"taskOverTimeSec": task_over_time},
                          args={"taskOverTimeSec": "task_over_time"})

    update_user_setting = update_user_settings

    def get_transfer_bid(self) -> "models.TransferBid":
        """The storage ids (``getBid``)."""
        return self._call("getBid", {}, "TransferBid")

    def get_hardware_config(self, task_ids: Optional[Iterable[Any]] = None) -> "models.HardwareConfigList":
        """Machine configurations, or those of the given tasks (``hardwareConfig/list``)."""
        body: Dict[str, Any] = {"cloneTask": "false"}
        if task_ids is not None:
            body["taskIds"] = require_list(task_ids, "task_ids", "hardwareConfigList")
        return self._call("hardwareConfigList", body, "HardwareConfigList", args={"taskIds": "task_ids"})

    def get_user_pack_node_info(self) -> Any:
        """The account's reserved-node packages (``getUserPackNodeInfo``)."""
        return self._call("getUserPackNodeInfo", {}, "WireObject")

    def _record(self, operation: str, page_num: int, page_size: int, start_date: Optional[str],
                end_date: Optional[str]) -> "models.Page":
        body = {"pageNum": page_num, "pageSize": page_size, "startDate": start_date or "", "endDate": end_date or ""}
        return self._call(operation, body, "Page",
                          args={"pageNum": "page_num", "pageSize": "page_size", "startDate": "start_date",
                                "endDate": "end_date"})

    def task_record(self, page_num: int = 1, page_size: int = 100, start_date: Optional[str] = None,
                    end_date: Optional[str] = None) -> "models.Page":
        """The account's task operation records (``taskRecord``), dates as ``yyyy-MM-dd HH:mm:ss``."""
        return self._record("taskRecord", page_num, page_size, start_date, end_date)

    def login_record(self, page_num: int = 1, page_size: int = 100, start_date: Optional[str] = None,
                     end_date: Optional[str] = None) -> "models.Page":
        """The account's login records (``loginRecord``)."""
        return self._record("loginRecord", page_num, page_size, start_date, end_date)


__all__ = ["UserNamespace"]
