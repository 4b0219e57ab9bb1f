"""Typed replies about tasks and frames: task info, frames, pages, progress images, labels.

One model per documented response shape of spec/api_reference.md (with the corrections of
spec/wire.md §5, e.g. TaskInfo's ``bid``). Every field is optional and loosely typed where the
service is known to vary (ids sent as numbers or strings), because a reply must never be
rejected; unknown fields are kept. See ``models_base`` for the wire-key access.
"""
from typing import Any, List, Optional, Union

from pydantic import Field

from rv_dcc.api.models_base import WireList, WireMap, WireModel, WireObject

IdLike = Union[int, str]


class Page(WireModel):
    """A paged result: ``{pageCount, pageNum, total, size, items}``."""

    page_count: Optional[int] = None
    page_num: Optional[int] = None
    total: Optional[int] = None
    size: Optional[int] = None
    items: Optional[List[WireObject]] = Field(None, description="the records of this page")


class TaskKeyValue(WireModel):
    """``taskKeyValueVo``: tiles and cameras."""

    tiles: Optional[Any] = None
    all_camera: Optional[Any] = None
    renderable_camera: Optional[Any] = None


class TaskInfo(WireModel):
    """One task (``getTaskList`` / ``queryTaskInfo`` item); layered tasks nest their sub-tasks."""

    id: Optional[int] = Field(None, description="task id")
    scene_name: Optional[str] = None
    task_alias: Optional[str] = Field(None, description="task name shown to users, e.g. 2W19097")
    task_status: Optional[int] = Field(None, description="see rv_dcc.api.status.TaskStatus")
    status_text: Optional[str] = None
    pre_task_status: Optional[int] = None
    pre_status_text: Optional[str] = None
    total_frames: Optional[int] = None
    abort_frames: Optional[int] = None
    executing_frames: Optional[int] = None
    done_frames: Optional[int] = None
    failed_frames: Optional[int] = None
    frames_range: Optional[str] = None
    project_name: Optional[str] = None
    render_consume: Optional[float] = None
    task_arrears: Optional[float] = None
    submit_date: Optional[int] = Field(None, description="epoch ms")
    start_time: Optional[int] = Field(None, description="epoch ms")
    completed_date: Optional[int] = Field(None, description="epoch ms")
    render_duration: Optional[int] = None
    user_name: Optional[str] = None
    producer: Optional[str] = None
    task_level: Optional[int] = None
    task_user_level: Optional[int] = None
    task_limit: Optional[int] = None
    task_over_time: Optional[int] = None
    over_time_stop: Optional[int] = None
    user_id: Optional[int] = None
    output_file_name: Optional[str] = None
    munu_task_id: Optional[str] = None
    layer_parent_id: Optional[IdLike] = None
    cg_id: Optional[int] = None
    task_key_value_vo: Optional[TaskKeyValue] = None
    user_account_consume: Optional[float] = None
    coupon_consume: Optional[float] = None
    is_open: Optional[int] = None
    task_type: Optional[str] = None
    render_camera: Optional[str] = None
    clone_parent_id: Optional[int] = None
    clone_original_id: Optional[int] = None
    share_main_capital: Optional[int] = None
    task_ram: Optional[int] = None
    resp_rendering_task_list: Optional[List["TaskInfo"]] = Field(None, description="sub-tasks (layers)")
    layer_name: Optional[str] = None
    task_type_text: Optional[str] = None
    is_delete: Optional[int] = None
    labels: Optional[Any] = None
    bid: Optional[str] = Field(None, description="storage id of the outputs (wire.md §5)")


class TaskPage(Page):
    """``getTaskList`` / ``queryTaskInfo``: a page of :class:`TaskInfo`."""

    items: Optional[List[TaskInfo]] = None  # type: ignore[assignment]


class FrameInfo(WireModel):
    """One frame (or frame block) of a task."""

    id: Optional[int] = Field(None, description="frame id")
    user_id: Optional[int] = None
    frame_price: Optional[float] = None
    fee_type: Optional[int] = None
    platform: Optional[int] = None
    frame_index: Optional[str] = Field(None, description="frame name, e.g. '1' or '2-4[1]'")
    frame_block: Optional[str] = None
    frame_status: Optional[int] = Field(None, description="see rv_dcc.api.status.FrameStatus")
    fee_amount: Optional[float] = None
    coupon_fee: Optional[float] = None
    start_time: Optional[int] = None
    end_time: Optional[int] = None
    frame_execute_time: Optional[int] = None
    frame_status_text: Optional[str] = None
    arrears_fee: Optional[float] = None
    munu_job_id: Optional[str] = None
    task_id: Optional[int] = None
    munu_task_id: Optional[str] = None
    frame_type: Optional[int] = None
    recommit_flag: Optional[int] = None
    task_over_time: Optional[int] = None
    gop_name: Optional[str] = None
    frame_ram: Optional[int] = None


class FramePage(Page):
    """``queryTaskFrames``: a page of :class:`FrameInfo`."""

    items: Optional[List[FrameInfo]] = None  # type: ignore[assignment]


class AllFrames(WireMap):
    """``query.get_all_frames``: frame index -> :class:`FrameInfo`."""

    item_model = FrameInfo
    root: dict = {}


class FrameStats(WireModel):
    """``queryAllFrameStats``: frame counts over all tasks."""

    executing_frames_total: Optional[int] = None
    done_frames_total: Optional[int] = None
    failed_frames_total: Optional[int] = None
    waiting_frames_total: Optional[int] = None
    abandon_frames_total: Optional[int] = None
    total_frames: Optional[int] = None


class CreatedTasks(WireModel):
    """``createTask``: the new task ids."""

    alias_task_id_list: Optional[List[str]] = None
    task_id_list: Optional[List[int]] = Field(None, description="the new task ids; [0] for one task")
    user_id: Optional[int] = None

    def __getitem__(self, key: Any) -> Any:
        # The reference writes ``create_task_id[0]`` for the first new task id: an int indexes taskIdList.
        if isinstance(key, int):
            return (self.get("taskIdList") or [])[key]
        return super().__getitem__(key)


class GrabInfo(WireModel):
    """One block of a progress image (all values are strings on the wire)."""

    start_time: Optional[str] = None
    end_time: Optional[str] = None
    frame_status: Optional[IdLike] = None
    is_max_price: Optional[IdLike] = None
    fee_amount: Optional[str] = None
    coupon_fee: Optional[str] = None
    frame_index: Optional[str] = None
    frame_block: Optional[str] = None
    frame_percent: Optional[str] = None
    frame_used: Optional[str] = None
    frame_est: Optional[str] = None
    render_info: Optional[str] = None
    grab_url: Optional[str] = None


class TaskProcessImg(WireModel):
    """``loadTaskProcessImg``: render progress of a 3ds Max task, block by block."""

    width: Optional[int] = None
    height: Optional[int] = None
    block: Optional[int] = None
    is_render_photon: Optional[bool] = None
    current_task_type: Optional[str] = None
    scene_name: Optional[str] = None
    start_time: Optional[str] = None
    end_time: Optional[str] = None
    completed_time: Optional[str] = None
    grab_info: Optional[List[List[GrabInfo]]] = None


class Project(WireModel):
    """A project (label)."""

    project_id: Optional[int] = None
    project_name: Optional[str] = None


class ProjectNames(WireModel):
    """``project/getList`` and ``project/list``."""

    project_name_list: Optional[List[Project]] = None


class ProjectList(WireList):
    """``tag.get_project_list``: the projects alone."""

    item_model = Project
    root: List[Project] = []


class ErrorDetail(WireModel):
    """One explanation of an analysis code (``queryAnalyseErrorDetail``)."""

    id: Optional[int] = None
    code: Optional[IdLike] = None
    type: Optional[int] = Field(None, description="0 warning, 1 error that blocks submission")
    language_flag: Optional[int] = None
    des_description_cn: Optional[str] = None
    des_solution_cn: Optional[str] = None
    solution_path: Optional[str] = None
    is_repair: Optional[int] = None
    is_delete: Optional[int] = None
    is_open: Optional[int] = None
    last_modify_admin: Optional[str] = None
    update_time: Optional[int] = None


class ErrorDetailList(WireList):
    """``queryAnalyseErrorDetail``: a list of :class:`ErrorDetail`."""

    item_model = ErrorDetail
    root: List[ErrorDetail] = []
