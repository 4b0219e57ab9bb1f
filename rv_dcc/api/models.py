"""Typed replies about the account, software, render environments and transfer; the re-export
point of every response model.

One model per documented response shape of spec/api_reference.md, with wire.md §5's corrections
(``querySoftwareDetail``'s real shape, ``hardwareConfig/list``'s extra fields). Fields that hold
secrets (transfer passwords, Raysync keys) are left out of ``repr``. See ``models_base`` for how
a model is read by wire key and validated lazily.
"""
from typing import Any, List, Optional, Union

from pydantic import Field

from rv_dcc.api.models_base import GenericList, WireList, WireMap, WireModel, WireObject, wrap
from rv_dcc.api.models_task import (AllFrames, CreatedTasks, ErrorDetail, ErrorDetailList, FrameInfo, FramePage,
                                    FrameStats, GrabInfo, Page, Project, ProjectList, ProjectNames, TaskInfo,
                                    TaskKeyValue, TaskPage, TaskProcessImg)

IdLike = Union[int, str]

__all__ = [
    "AllFrames", "CreatedTasks", "ErrorDetail", "ErrorDetailList", "FrameInfo", "FramePage", "FrameStats",
    "GenericList", "GrabInfo", "HardwareConfig", "HardwareConfigList", "OutputFile", "OutputFileList", "Page",
    "Platform", "PlatformList", "PluginVersion", "Project", "ProjectList", "ProjectNames", "RaySyncUserKey",
    "RenderEnv", "RenderEnvList", "RenderEnvName", "SoftwareDetail", "SoftwareList", "TaskInfo", "TaskKeyValue",
    "TaskPage", "TaskProcessImg", "TransferBid", "TransferConfig", "TransferServerInfo", "UserProfile",
    "UserSetting", "WireList", "WireMap", "WireModel", "WireObject", "wrap",
]


class Platform(WireModel):
    """One platform (``queryPlatforms``)."""

    platform: Optional[int] = None
    name: Optional[str] = None


class PlatformList(WireList):
    item_model = Platform
    root: List[Platform] = []


class UserProfile(WireModel):
    """``queryUserProfile``: who the account is (only the fields rv_dcc reads are typed)."""

    user_id: Optional[int] = None
    user_name: Optional[str] = None
    platform: Optional[int] = None
    phone: Optional[str] = None
    email: Optional[str] = None
    zone: Optional[int] = Field(None, description="1 China, 2 international")
    account_type: Optional[int] = None
    main_user_id: Optional[int] = None
    level: Optional[int] = None
    rmbbalance: Optional[float] = None
    usdbalance: Optional[float] = None
    coupon: Optional[float] = None
    credit: Optional[float] = None
    cpu_price: Optional[float] = None
    gpu_price: Optional[float] = None
    soft_type: Optional[int] = None
    download_disable: Optional[int] = None
    sub_delete_task: Optional[int] = None
    use_main_balance: Optional[int] = None


class UserSetting(WireModel):
    """``queryUserSetting``."""

    info_status: Optional[int] = None
    account_type: Optional[int] = None
    share_main_capital: Optional[int] = None
    sub_delete_task: Optional[int] = None
    use_main_balance: Optional[int] = None
    single_node_render_frames: Optional[IdLike] = None
    max_ignore_map_flag: Optional[IdLike] = None
    auto_commit: Optional[IdLike] = None
    separate_account_flag: Optional[int] = None
    mifile_switch_flag: Optional[int] = None
    assfile_switch_flag: Optional[int] = None
    manually_start_analysis_flag: Optional[int] = None
    download_disable: Optional[int] = None
    task_over_time: Optional[int] = Field(None, description="hours")
    task_over_time_sec: Optional[int] = Field(None, description="seconds")


class SubUserOutputBid(WireModel):
    user_id: Optional[IdLike] = None
    output_bid: Optional[str] = None


class TransferBid(WireModel):
    """``getBid``: storage ids. The wire keys here are snake_case already."""

    config_bid: Optional[str] = Field(None, alias="config_bid")
    input_bid: Optional[str] = Field(None, alias="input_bid")
    output_bid: Optional[str] = Field(None, alias="output_bid")
    parent_input_bid: Optional[str] = Field(None, alias="parent_input_bid")
    sub_user_output_bids: Optional[List[SubUserOutputBid]] = Field(None, alias="sub_user_output_bids")


class HardwareConfig(WireModel):
    """One machine configuration (``hardwareConfig/list``)."""

    id: Optional[int] = Field(None, description="hardware configuration id")
    type: Optional[int] = Field(None, description="1 CPU, 2 GPU")
    model: Optional[str] = None
    gpu_num: Optional[IdLike] = None
    ram: Optional[str] = None
    platform: Optional[int] = None
    current: Optional[bool] = None
    not_support_cg_id: Optional[List[int]] = None
    status: Optional[int] = None
    not_support_code: Optional[Any] = None
    not_support_cg_versions: Optional[List[WireObject]] = Field(None, description="[{cgId, cgVersionName}]")
    not_support_plugin_list: Optional[List[str]] = Field(None, description="regexes over 'plugin version'")


class HardwareConfigList(WireList):
    item_model = HardwareConfig
    root: List[HardwareConfig] = []


class Software(WireModel):
    """One render software (``querySoftwareList``)."""

    cg_id: Optional[int] = None
    cg_name: Optional[str] = None
    cg_type: Optional[str] = None
    icon_path: Optional[str] = None
    is_need_project_path: Optional[int] = None
    is_need_analyse: Optional[int] = None
    is_support_linux: Optional[int] = None


class SoftwareList(WireModel):
    """``querySoftwareList``."""

    is_auto_commit: Optional[int] = None
    render_info_list: Optional[List[Software]] = None
    default_cg_id: Optional[int] = None


class PluginVersion(WireModel):
    plugin_id: Optional[int] = None
    plugin_name: Optional[str] = None
    plugin_version: Optional[str] = None


class CgPlugin(WireModel):
    cv_id: Optional[int] = Field(None, description="software version id (CgVersion.id)")
    plugin_name: Optional[str] = None
    plugin_versions: Optional[List[PluginVersion]] = None


class CgVersion(WireModel):
    id: Optional[int] = None
    cg_id: Optional[int] = None
    cg_name: Optional[str] = None
    cg_version: Optional[str] = None


class SoftwareDetail(WireModel):
    """``querySoftwareDetail`` (real shape, wire.md §5): versions and plugins of one software."""

    cg_plugin: Optional[List[CgPlugin]] = None
    cg_version: Optional[List[CgVersion]] = None


class RenderEnvName(WireModel):
    """``addUserPluginConfig``."""

    edit_name: Optional[str] = None


class RenderEnv(WireModel):
    """One saved render environment (``getUserPluginConfig``)."""

    cg_id: Optional[int] = None
    edit_name: Optional[str] = None
    cg_name: Optional[str] = None
    cg_version: Optional[str] = None
    os_name: Optional[int] = Field(None, description="0 Linux, 1 Windows")
    render_layer_type: Optional[int] = None
    is_default: Optional[int] = None
    project_path: Optional[str] = None
    is_main_user_id: Optional[int] = None
    resp_user_plugin_info_vos: Optional[List[PluginVersion]] = None


class RenderEnvList(WireList):
    item_model = RenderEnv
    root: List[RenderEnv] = []


class RaysyncTransfer(WireModel):
    server_ip: Optional[str] = None
    server_port: Optional[int] = None
    proxy_ip: Optional[str] = None
    proxy_port: Optional[int] = None
    ssl_port: Optional[int] = None
    port: Optional[int] = None


class TransferServerInfo(WireModel):
    """``getServerInfo``."""

    client_version: Optional[str] = None
    protocol_version: Optional[str] = None
    raysync_transfer: Optional[RaysyncTransfer] = None


class RaySyncUserKey(WireModel):
    """``getRaySyncUserKey``: the keys are secrets and stay out of repr."""

    id: Optional[int] = None
    user_name: Optional[str] = None
    platform: Optional[int] = None
    zone: Optional[int] = None
    user_key: Optional[str] = Field(None, repr=False)
    ray_sync_user_key: Optional[str] = Field(None, repr=False)
    signature: Optional[str] = Field(None, repr=False)
    phone: Optional[str] = Field(None, repr=False)
    email: Optional[str] = Field(None, repr=False)


class EngineAccount(WireModel):
    bid: Optional[str] = None
    name: Optional[str] = None
    password: Optional[str] = Field(None, repr=False)


class EngineLine(WireModel):
    name: Optional[str] = None
    server: Optional[str] = None
    port: Optional[IdLike] = None
    is_default: Optional[int] = None
    line_id: Optional[int] = None
    type: Optional[int] = None


class TransferEngine(WireModel):
    engine_name: Optional[str] = None
    resq_engine_accounts: Optional[List[EngineAccount]] = None
    resp_task_engine_lines: Optional[List[EngineLine]] = None
    automatic_check: Optional[int] = None
    check_server: Optional[str] = None
    check_port: Optional[str] = None
    check_enable: Optional[str] = None
    check_exclud_type: Optional[str] = None
    is_default: Optional[int] = None


class TransferConfig(WireModel):
    """``getConfig``: storage ids and transfer engines (passwords hidden from repr)."""

    input_bid: Optional[str] = None
    output_bid: Optional[str] = None
    config_bid: Optional[str] = None
    parent_input_bid: Optional[str] = None
    resq_engines: Optional[List[TransferEngine]] = None
    sub_user_output_bids: Optional[List[SubUserOutputBid]] = None


class OutputFile(WireModel):
    """One entry of the output storage (``getOutputUserDirFile``)."""

    file_name: Optional[str] = None
    file_size: Optional[int] = None
    icon_path: Optional[str] = None
    last_modify: Optional[str] = None
    file_type: Optional[str] = None
    file_path: Optional[str] = None
    directory: Optional[bool] = None
    is_arrears: Optional[int] = None


class OutputFileList(WireList):
    item_model = OutputFile
    root: List[OutputFile] = []
