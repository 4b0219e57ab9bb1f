"""The monitor's controller: plain Python between the widgets and the farm (no Qt).

It owns the :class:`~rv_dcc.monitor.poller.Poller`, the thumbnail cache and the table of task
and frame actions. Widgets ask it for blocking callables (to run in a worker) and for the words
of a confirmation; they never call the client themselves, so a test can drive the controller
without Qt and drive the widgets against a fake controller (ayon's loader split). Every action
that destroys or interrupts work declares a confirmation, and the widget must ask before
running it.
"""
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, Dict, List, Optional, Sequence, Set

from rv_dcc.api.replies import to_wire
from rv_dcc.api.status import TaskStatus
from rv_dcc.monitor.progress import frame_counts
from rv_dcc.monitor.cost import CostEstimate, estimate_from_frames
from rv_dcc.monitor.poller import Poller
from rv_dcc.monitor.source import ApiSource, MonitorSource, TaskQuery, urls_in
from rv_dcc.monitor.thumbs import ThumbnailCache, namespace_for
from rv_dcc.ui.i18n import tr

if TYPE_CHECKING:
    from rv_dcc.api.client import RayvisionAPI

log = logging.getLogger("rv_dcc.ui.monitor_controller")


@dataclass(frozen=True)
class ActionSpec:
    """One action of the monitor: its label, what it needs, and whether to ask first."""

    name: str
    label: str                      #: i18n key
    scope: str                      #: "tasks" (selected tasks) or "frames" (selected frames of one task)
    confirm: Optional[str] = None   #: i18n key of the question; None = no confirmation
    value: Optional[str] = None     #: i18n key of the prompt for a value (priority, hours, label)


ACTIONS: Dict[str, ActionSpec] = {spec.name: spec for spec in (
    ActionSpec("start", "action.start", "tasks"),
    ActionSpec("stop", "action.stop", "tasks", confirm="confirm.stop"),
    ActionSpec("retry_failed", "action.retry_failed", "tasks"),
    ActionSpec("full_speed", "action.full_speed", "tasks", confirm="confirm.full_speed"),
    ActionSpec("priority", "action.priority", "tasks", value="prompt.priority"),
    ActionSpec("overtime", "action.overtime", "tasks", value="prompt.overtime"),
    ActionSpec("label", "action.labels", "tasks", value="prompt.label"),
    ActionSpec("abandon", "action.abandon", "tasks", confirm="confirm.abandon"),
    ActionSpec("delete", "action.delete", "tasks", confirm="confirm.delete"),
    ActionSpec("retry_selected", "action.retry_selected", "frames"),
    ActionSpec("stop_selected", "action.stop_selected", "frames", confirm="confirm.stop_selected"),
)}


#: The actions that end work for good, set apart at the end of menus.
FINAL_ACTIONS = ("abandon", "delete")


def allowed_actions(row: Optional[Dict[str, Any]]) -> Set[str]:
    """The task actions the task's state allows (an unknown state: only labelling and deleting).

    A test-finished task can start (render the remaining frames); only a running or waiting
    task can stop or go full speed; retrying failed frames needs failed frames; nothing but a
    label or deletion is left for an abandoned task.
    """
    if not row:
        return set()
    status = TaskStatus.of(row.get("taskStatus"))
    failed = row.get("failedFrames")
    has_failed = isinstance(failed, int) and not isinstance(failed, bool) and failed > 0
    allowed = {"label", "delete"}
    if status is None:
        pass  # a state this client does not know: labelling and deleting only
    elif status.is_active:
        allowed = {"stop", "full_speed", "priority", "overtime", "label", "abandon"}
    elif status.is_stopped:
        allowed |= {"start", "priority", "overtime", "abandon"}
    elif status is TaskStatus.TEST_FINISHED:
        allowed |= {"start", "priority", "abandon"}
    elif status is TaskStatus.FAILED:
        allowed |= {"start"}
    if has_failed and status is not TaskStatus.ABANDONED:
        allowed.add("retry_failed")
    return allowed


class MonitorController:
    """Polling, thumbnails, logs and actions for the monitor (blocking calls run in workers)."""

    def __init__(self, api: Optional["RayvisionAPI"] = None, source: Optional[MonitorSource] = None,
                 thumbnails: Optional[ThumbnailCache] = None, fast: float = 2.0, slow: float = 15.0) -> None:
        if source is None:
            if api is None:
                raise ValueError("MonitorController needs an api or a source")
            source = ApiSource(api)
        self.api = api
        self.source: MonitorSource = source
        self.poller = Poller(self.source, fast=fast, slow=slow)
        self.thumbnails = thumbnails or ThumbnailCache(namespace=namespace_for(api) if api is not None else "")
        self.base_url = ""
        if api is not None and getattr(api, "domain", None):
            self.base_url = f"{getattr(api, 'protocol', 'https')}://{api.domain}"

    # --- queries -----------------------------------------------------------------------------
    def set_query(self, query: TaskQuery) -> None:
        """Change page / filters (replies for the previous query are dropped)."""
        self.poller.set_query(query)

    def select_task(self, task_id: Optional[int]) -> None:
        """Follow a task's frames."""
        self.poller.select_task(task_id)

    def cost(self) -> CostEstimate:
        """Cost so far and projected for the selected task, from its frames' fees."""
        return estimate_from_frames(self.poller.frames.rows.values())

    def frame_summary(self) -> Dict[str, int]:
        """Counts of the selected task's frames by state, for the header line."""
        rows = self.poller.frames.rows.values()
        return frame_counts(rows)  # frames, not records: a record may be a block of frames

    def currency_job(self) -> Callable[[], Any]:
        """A blocking callable: the account's (symbol, code) from ``queryUserProfile`` (zone 1: ¥ CNY)."""
        from rv_dcc.ui.columns import currency_of

        api = self.api
        if api is None:
            raise ValueError("the account's currency needs a farm connection")
        return lambda: currency_of(to_wire(api.user.query_user_profile()) or {})

    def thumbnail_job(self, frame_id: int, render_count: int = 0) -> Callable[[], Optional[str]]:
        """A blocking callable: the cached thumbnail path of a frame (fetching it once)."""
        def job() -> Optional[str]:
            hit = self.thumbnails.cached(frame_id, render_count)
            if hit:
                return hit
            return self.thumbnails.fetch(frame_id, self.source.thumbnail_urls(frame_id), render_count)
        return job

    def log_job(self, frame_id: int, wanted: Optional[Callable[[], bool]] = None) -> Callable[[], str]:
        """A blocking callable: a frame's render log text (reading stops once ``wanted()`` is False)."""
        return lambda: self.source.frame_log(frame_id, wanted=wanted)

    def progress_image_job(self, task_id: int) -> Callable[[], Optional[Dict[str, Any]]]:
        """A blocking callable: the 3ds Max progress image ({'path', 'width', 'height', 'blocks'}) or None."""
        def job() -> Optional[Dict[str, Any]]:
            info = to_wire(self.source.processing_image(task_id)) or {}
            grabs = [grab for row in info.get("grabInfo") or [] for grab in (row or []) if isinstance(grab, dict)]
            # the block rendering now tells most; else the latest one that finished
            grabs.sort(key=lambda grab: (str(grab.get("frameStatus")) == "2", str(grab.get("endTime") or "")))
            grabs.reverse()
            urls = urls_in([grab.get("grabUrl") for grab in grabs if isinstance(grab, dict)])
            if not urls and self.base_url:
                urls = [self.base_url + grab["grabUrl"] for grab in grabs
                        if isinstance(grab, dict) and str(grab.get("grabUrl") or "").startswith("/")]
            if not urls:
                return None
            path = self.thumbnails.fetch(-int(task_id), urls[:1], render_count=len(grabs))
            return {"path": path, "width": info.get("width"), "height": info.get("height"), "blocks": len(grabs)}
        return job

    # --- actions -----------------------------------------------------------------------------
    def confirmation(self, name: str, count: int) -> Optional[str]:
        """The question to ask before action ``name`` on ``count`` items, or None."""
        spec = ACTIONS[name]
        return tr(spec.confirm, n=count) if spec.confirm else None

    def action_job(self, name: str, task_ids: Sequence[int], frame_ids: Sequence[int] = (),
                   value: Any = None) -> Callable[[], Any]:
        """A blocking callable performing action ``name`` (raises ValueError for a bad selection)."""
        spec = ACTIONS[name]
        ids = [int(task_id) for task_id in task_ids]
        if not ids:
            raise ValueError("select a task first")
        if spec.scope == "frames" and not frame_ids:
            raise ValueError("select frames first")
        if spec.value and value in (None, ""):
            raise ValueError(f"{name} needs a value")
        api = self.api
        if api is None:
            raise ValueError("actions need a farm connection")
        frames = [int(frame_id) for frame_id in frame_ids]
        calls: Dict[str, Callable[[], Any]] = {
            "stop": lambda: api.task.stop_task(task_param_list=ids),
            "start": lambda: api.task.start_task(task_param_list=ids),
            "abandon": lambda: api.task.abort_task(task_param_list=ids),
            "delete": lambda: api.task.delete_task(task_param_list=ids),
            "retry_failed": lambda: api.query.restart_failed_frames(task_param_list=ids),
            "full_speed": lambda: api.task.full_speed(task_id_list=ids),
            "priority": lambda: [api.task.update_priority(task_id=task_id, priority=int(value)) for task_id in ids],
            "overtime": lambda: api.task.set_task_overtime_top(task_id_list=ids, overtime=int(float(value) * 3600)),
            "label": lambda: api.tag.add_task_tag(tag=str(value), task_ids=ids),
            "retry_selected": lambda: api.query.restart_frame(task_id=ids[0], ids_list=frames, select_all=0),
            "stop_selected": lambda: api.query.stop_task_frames(task_id=ids[0], ids_list=frames, select_all=0),
        }

        def job() -> Any:
            log.info("action %s on tasks %s frames %d", name, ids, len(frames))
            return calls[name]()
        return job

    def download_job(self, task_id: int, folder: str) -> Callable[[], List[str]]:
        """A blocking callable downloading a task's outputs to ``folder``; returns the files written."""
        def job() -> List[str]:
            from rv_dcc.monitor.downloads import download_outputs

            return download_outputs(self.api, task_id, folder)
        return job
