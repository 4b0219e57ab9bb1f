"""The monitor's polling state: what to fetch next, when, and which replies still matter.

A :class:`Poller` owns the last snapshot of the task list and of the selected task's frames.
The caller (the panel's worker pool, the CLI's thread, a test) runs the loop::

    for request in poller.due_requests():        # GUI thread: cheap
        result = poller.fetch(request)           # worker thread: network + normalise + diff
        update = poller.accept(request, result)  # GUI thread: None when superseded
    poller.interval()                            # seconds to the next poll, None while hidden

Every request carries the generation of what it asks for (the query, the selected task); a
reply whose generation is no longer current is dropped, so a slow page for an old search never
overwrites the new one (deadline-cloud's async runner cancels by key the same way). The
interval adapts: fast while something renders, slow when all is idle, paused while the panel is
hidden, backing off while the farm fails. Failures are kept for a quiet banner, with
authentication errors told apart so the panel can offer to fix the credentials. No Qt.
"""
import logging
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Optional, Tuple, Union

from rv_dcc.api.status import FrameStatus, TaskStatus
from rv_dcc.monitor.changes import ChangeSet, Snapshot
from rv_dcc.monitor.cost import estimate_from_frames
from rv_dcc.monitor.progress import frame_counts
from rv_dcc.monitor.source import MonitorSource, Paced, TaskQuery

log = logging.getLogger("rv_dcc.monitor.poller")


TASKS = "tasks"
FRAMES = "frames"


@dataclass(frozen=True)
class Request:
    """One fetch: ``kind`` is "tasks" or "frames"; ``generation`` identifies what it was for."""

    kind: str
    generation: int
    query: Optional[TaskQuery] = None
    task_id: Optional[int] = None

    @property
    def key(self) -> str:
        """Requests with the same key supersede each other."""
        return self.kind


@dataclass
class Result:
    """What a worker produced for a request: the new snapshot and its diff against ``base``."""

    snapshot: Snapshot
    base: Snapshot
    changes: ChangeSet
    total: int = 0
    page_count: int = 1
    cost: Any = None                 #: CostEstimate of a frames result (computed in the worker)
    counts: Optional[Dict[str, int]] = None  #: frames by state of a frames result
    budget: List[Any] = field(default_factory=list)  #: BudgetEvents of a tasks result (monitor.budget)


@dataclass
class Update:
    """An accepted result, for the GUI: apply ``changes`` to the model of ``kind``."""

    kind: str
    changes: ChangeSet
    snapshot: Snapshot
    total: int = 0
    page_count: int = 1
    task_id: Optional[int] = None
    finished_frames: List[int] = field(default_factory=list)  #: frame ids that became done
    cost: Any = None                 #: CostEstimate of the selected task (frames updates)
    counts: Optional[Dict[str, int]] = None  #: {"total", "done", "failed", "rendering"} (frames updates)
    budget: List[Any] = field(default_factory=list)  #: tasks stopped / warned for their budget (tasks updates)


@dataclass
class Failure:
    """The state of failing polls, for the banner."""

    error: BaseException
    count: int
    is_auth: bool
    retry_in: float

    @property
    def message(self) -> str:
        """The error's sentence (never a secret: rv_dcc errors are built without them)."""
        return str(self.error) or type(self.error).__name__


def is_auth_error(error: BaseException) -> bool:
    """True for errors that only new credentials can fix."""
    try:
        from rv_dcc.api.errors import AuthenticationError
    except ImportError:  # pragma: no cover - the client is always there in a real install
        return False
    return isinstance(error, AuthenticationError)


class Poller:
    """Polling state for the task list and the selected task's frames (thread-safe reads)."""

    def __init__(self, source: MonitorSource, fast: float = 2.0, slow: float = 15.0,
                 max_backoff: float = 60.0, clock: Callable[[], float] = time.monotonic,
                 checkpoint: Optional[Callable[[], None]] = None) -> None:
        self.source = source
        #: called by fetches every few rows (the panel lets its GUI thread in there); None: nothing
        self.checkpoint = checkpoint
        self.fast = fast
        self.slow = slow
        self.max_backoff = max_backoff
        self.clock = clock
        self.query = TaskQuery()
        self.task_id: Optional[int] = None
        self.visible = True
        self.every: Optional[float] = None  #: None: adaptive; 0: only when asked; else a fixed period
        self.tasks = Snapshot()
        self.frames = Snapshot()
        self.failure: Optional[Failure] = None
        #: a rv_dcc.monitor.budget.BudgetGuard run on every task page fetched (None: budgets not enforced)
        self.guard: Any = None
        self.dropped = 0  #: superseded replies dropped (for tests and the bench)
        self._generation: Dict[str, int] = {TASKS: 0, FRAMES: 0}
        self._in_flight: Dict[str, Tuple[int, float]] = {}  #: kind -> (generation, sent at)
        self._lock = threading.Lock()

    # --- what the panel changes -------------------------------------------------------------
    def set_query(self, query: TaskQuery) -> None:
        """Show another page / filter: replies for the previous query are dropped from now on."""
        if query == self.query:
            return
        self.query = query
        self._bump(TASKS)
        self.tasks = Snapshot()

    def select_task(self, task_id: Optional[int]) -> None:
        """Follow another task's frames (None: none); the frame snapshot starts empty."""
        if task_id == self.task_id:
            return
        self.task_id = task_id
        self._bump(FRAMES)
        self.frames = Snapshot()

    def set_rate(self, every: Optional[float]) -> None:
        """How often to poll: None adapts (fast while rendering, slow when idle), 0 polls only when
        asked (Refresh, an action), a number polls every that many seconds."""
        if every is not None and (isinstance(every, bool) or not isinstance(every, (int, float)) or every < 0):
            raise ValueError(f"a refresh period is None, 0 or a number of seconds, not {every!r}")
        self.every = every

    def set_visible(self, visible: bool) -> None:
        """Pause polling while the panel is hidden (interval() returns None)."""
        self.visible = visible

    def refresh(self, stale_after: float = 2.0) -> None:
        """Ask again at the next due_requests(): forget the claims of requests in flight for
        longer than ``stale_after`` seconds (a hung one). A request sent moment ago is left to
        answer: asking twice would only decode the same reply twice (F5 pressed during a poll)."""
        now = self.clock()
        with self._lock:
            self._in_flight = {kind: claim for kind, claim in self._in_flight.items()
                               if now - claim[1] < stale_after}

    def _bump(self, kind: str) -> None:
        with self._lock:
            self._generation[kind] += 1
            self._in_flight.pop(kind, None)

    def generation(self, kind: str) -> int:
        """The current generation of ``kind`` (replies for older ones are dropped)."""
        return self._generation[kind]

    # --- the loop ---------------------------------------------------------------------------
    def due_requests(self) -> List[Request]:
        """Requests to send now: one per kind not already in flight for its current generation."""
        if not self.visible:
            return []
        wanted = [Request(TASKS, self._generation[TASKS], query=self.query)]
        if self.task_id is not None:
            wanted.append(Request(FRAMES, self._generation[FRAMES], task_id=self.task_id))
        due = []
        with self._lock:
            for request in wanted:
                claim = self._in_flight.get(request.kind)
                if claim is not None and claim[0] == request.generation:
                    continue
                self._in_flight[request.kind] = (request.generation, self.clock())
                due.append(request)
        return due

    def fetch(self, request: Request) -> Result:
        """Worker side: ask the farm, normalise and diff against the current snapshot."""
        if isinstance(self.source, Paced):  # a source set after the checkpoint (another farm) paces too
            self.source.checkpoint = self.checkpoint
        if request.kind == TASKS:
            assert request.query is not None
            page = self.source.task_page(request.query)
            snapshot = Snapshot.of_tasks(page.items, self.checkpoint)
            base = self.tasks
            budget = self.guard.check(page.items) if self.guard is not None else []
            return Result(snapshot, base, base.changes_to(snapshot, self.checkpoint), page.total, page.page_count,
                          budget=budget)
        assert request.task_id is not None
        frames = self.source.task_frames(request.task_id)
        snapshot = Snapshot.of_frames(frames, self.checkpoint, self.layers_of(request.task_id))
        base = self.frames
        rows = snapshot.rows.values()
        counts = frame_counts(rows)  # frames, not records: a record may be a block of frames
        return Result(snapshot, base, base.changes_to(snapshot, self.checkpoint), len(snapshot.rows), 1,
                      cost=estimate_from_frames(rows), counts=counts)

    def layers_of(self, task_id: Optional[int]) -> Dict[Any, str]:
        """The layer / ROP / take name of each sub-task of ``task_id`` (from the task list shown),
        by sub-task id; {} for a task without sub-tasks."""
        tasks = self.tasks  # one snapshot: the GUI thread replaces it whole, never edits it
        names: Dict[Any, str] = {}
        for key in tasks.children.get(task_id, []):
            row = tasks.rows.get(key) or {}
            name = row.get("layerName") or row.get("sceneName")
            if isinstance(name, str) and name:
                names[key] = name
        return names

    def accept(self, request: Request, result: Result) -> Optional[Update]:
        """GUI side: take a result, or drop it (None) when its request was superseded."""
        if self._settle(request):
            self.dropped += 1
            log.debug("dropped a superseded %s reply (generation %s)", request.kind, request.generation)
            return None
        self.failure = None
        current = self.tasks if request.kind == TASKS else self.frames
        changes = result.changes
        if result.base is not current:  # another reply landed first: diff again against what is shown
            changes = current.changes_to(result.snapshot)
        if request.kind == TASKS:
            self.tasks = result.snapshot
            return Update(TASKS, changes, result.snapshot, result.total, result.page_count, budget=result.budget)
        self.frames = result.snapshot
        return Update(FRAMES, changes, result.snapshot, result.total, 1, request.task_id,
                      finished_frames(changes), result.cost, result.counts)

    def _settle(self, request: Request) -> bool:
        """A reply (or failure) for ``request`` arrived: release its claim; True when it is stale."""
        with self._lock:
            claim = self._in_flight.get(request.kind)
            if claim is not None and claim[0] == request.generation:
                del self._in_flight[request.kind]
            return request.generation != self._generation[request.kind]

    def reject(self, request: Request, error: BaseException) -> Optional[Failure]:
        """GUI side: a fetch failed. Returns the failure state (None when it was superseded)."""
        if self._settle(request):
            self.dropped += 1
            return None
        count = self.failure.count + 1 if self.failure else 1
        retry_in = min(self.fast * (2 ** (count - 1)), self.max_backoff)
        self.failure = Failure(error, count, is_auth_error(error), retry_in)
        log.info("poll failed (%d in a row): %s", count, self.failure.message)
        return self.failure

    def busy(self) -> bool:
        """True while anything shown is still rendering or waiting (poll fast)."""
        # _code: a farm may send a status of any JSON type; an unhashable one must not raise here.
        if any(_active(TaskStatus.of(_code(row.get("taskStatus")))) for row in self.tasks.rows.values()):
            return True
        return any(_active(FrameStatus.of(_code(row.get("frameStatus")))) for row in self.frames.rows.values())

    def interval(self) -> Optional[float]:
        """Seconds until the next poll: None while hidden or manual, backoff while failing, else
        the chosen period or fast/slow."""
        if not self.visible or self.every == 0:
            return None
        if self.failure is not None:
            return self.failure.retry_in
        if self.every is not None:
            return float(self.every)
        return self.fast if self.busy() else self.slow

    def poll_once(self) -> List[Update]:
        """Fetch and accept every due request on this thread (CLI and tests)."""
        updates = []
        for request in self.due_requests():
            try:
                result = self.fetch(request)
            except Exception as error:  # noqa: BLE001 - reported as a failure, the loop goes on
                self.reject(request, error)
                continue
            update = self.accept(request, result)
            if update is not None:
                updates.append(update)
        return updates


def _code(value: Any) -> Optional[int]:
    """A status code as the farm sent it when it is an integer, else None."""
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _active(status: Union[TaskStatus, FrameStatus, None]) -> bool:
    """Things change quickly in this state (waiting kinds, rendering, analysing, updating)."""
    return status is not None and status.is_active


def finished_frames(changes: ChangeSet) -> List[int]:
    """Frame ids that became done in ``changes`` (new done rows, or status changed to done)."""
    done = [added.key for added in changes.added if added.row.get("frameStatus") == FrameStatus.DONE]
    done.extend(key for key, delta in changes.changed.items() if delta.get("frameStatus") == FrameStatus.DONE)
    return done
