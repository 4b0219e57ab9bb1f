"""Task progress for Blender's native panel: a polling thread and a time-boxed drain. No bpy.

The worker thread (``TaskPoller``) is driven by the shared ``rv_dcc.monitor.poller.Poller``, the
same scheduler the Qt panel uses: it decides what to fetch and when (fast while something
renders, slow when idle, backing off while the farm fails) and drops replies that were
superseded (the artist saved the scene under another name while a poll was in flight). The
thread turns accepted task lists into the few fields the panel draws, finds the latest
finished frame's thumbnail, and puts plain results on a queue. Blender's main thread calls
``drain`` from a ``bpy.app.timers`` callback: it applies queued results to a ``MonitorState``
until a small time budget is spent (Flamenco's pattern), so Blender never waits on the network.
Both are plain Python and are tested without a UI; ``rv_dcc_hosts.blender.live`` connects them
to Blender.
"""
import logging
import os
import queue
import threading
import time
from typing import Any, Callable, Dict, List, Optional, Tuple

# rv_dcc is installed with the add-on; these are standard library only (no requests, pydantic or
# Qt), so they cost Blender nothing.
from rv_dcc.api.status import task_status_text
from rv_dcc.monitor.progress import task_progress

log = logging.getLogger("rv_dcc.hosts.blender.monitor")



def status_text(status: int) -> str:
    """What the panel says for a status (spec api_reference.md, getTaskList "taskStatus"), in the
    artist's language: the same words as the Qt panel's (rv_dcc.i18n, keys task_status.N); the
    English name (rv_dcc.api.status) for a code the catalog has no words for."""
    from rv_dcc import i18n

    key = f"task_status.{status}"
    return i18n.text(key) if i18n.has(key) else task_status_text(status)

#: tasks read per poll; the panel shows the newest of them that belong to this scene
PAGE_SIZE = 30
#: the Qt panel's poll periods (rv_dcc.ui.monitor_controller): fast while rendering, slow when idle
FAST = 2.0
SLOW = 15.0

TaskRow = Dict[str, Any]  # id, name, scene, status, status_text, total, done, failed, executing
#: (task row) -> (key of the frame shown, local image path) or None when there is nothing new
FetchThumbnail = Callable[[TaskRow], Optional[Tuple[str, str]]]


class MonitorState:
    """What the panel shows; changed only by ``drain`` on Blender's main thread."""

    def __init__(self) -> None:
        self.tasks: Dict[int, TaskRow] = {}
        self.order: List[int] = []
        self.thumbnails: Dict[int, str] = {}  # task id -> local image path of its latest frame
        self.error: str = ""
        self.updated: float = 0.0

    def progress(self, task_id: int) -> float:
        """Finished fraction of the task's frames, 0..1."""
        row = self.tasks.get(task_id, {})
        total = row.get("total") or 0
        return min(1.0, (row.get("done") or 0) / total) if total else 0.0


def drain(source: "queue.Queue[Tuple[str, Any]]", state: MonitorState, budget: float = 0.004,
          clock: Callable[[], float] = time.perf_counter) -> List[str]:
    """Apply queued results to ``state`` until ``budget`` seconds are spent or the queue is empty.

    Returns the kinds applied ("tasks", "thumbnail", "error"); empty when nothing changed. At
    least one item is applied per call, so a tiny budget still makes progress.
    """
    deadline = clock() + budget
    applied: List[str] = []
    while True:
        try:
            kind, payload = source.get_nowait()
        except queue.Empty:
            break
        if kind == "tasks":
            state.tasks = {row["id"]: row for row in payload}
            state.order = [row["id"] for row in payload]
            state.error = ""
            state.updated = time.time()
        elif kind == "thumbnail":
            task_id, path = payload
            state.thumbnails[task_id] = path
        elif kind == "error":
            state.error = str(payload)
        applied.append(kind)
        if clock() >= deadline:
            break
    return applied


def as_int(value: Any) -> int:
    """An integer field of a wire row (0 when missing or not a number)."""
    try:
        return int(value or 0)
    except (TypeError, ValueError):
        return 0


def to_row(item: Any) -> TaskRow:
    """A task row (wire keys, as ``rv_dcc.monitor.changes`` keeps them) -> what the panel draws."""
    status = as_int(item.get("taskStatus"))
    progress = task_progress(item)  # frames, not render blocks
    return {
        "id": as_int(item.get("id")),
        "name": str(item.get("taskAlias") or item.get("sceneName") or item.get("id")),
        "scene": str(item.get("sceneName") or ""),
        "status": status,
        "status_text": status_text(status),
        "total": progress.total,
        "done": progress.done,
        "failed": progress.failed,
        "executing": as_int(item.get("executingFrames")),
    }


def scene_key(blend_file: str) -> str:
    """The file name the farm knows the scene by ('' for a never-saved scene: every task)."""
    return os.path.basename((blend_file or "").replace("\\", "/"))


def same_scene(scene_name: str, key: str) -> bool:
    """True when a task's sceneName (a path from any OS) is the .blend called ``key``."""
    return not key or os.path.basename(scene_name.replace("\\", "/")).lower() == key.lower()


class TaskPoller:
    """Polls the farm in a daemon thread with the shared ``Poller``'s timing and supersession.

    ``source`` is a ``rv_dcc.monitor.source.MonitorSource`` (``task_page`` is all the task list
    needs); ``fetch_thumbnail`` finds a task's latest frame. The scene followed is set with
    ``set_scene`` from the main thread; a reply for the previous scene is dropped.
    """

    def __init__(self, source: Any, fetch_thumbnail: Optional[FetchThumbnail] = None, scene: str = "",
                 fast: float = FAST, slow: float = SLOW, clock: Callable[[], float] = time.monotonic) -> None:
        from rv_dcc.monitor.poller import Poller

        self.poller = Poller(source, fast=fast, slow=slow, clock=clock)
        self.results: "queue.Queue[Tuple[str, Any]]" = queue.Queue()
        self._fetch_thumbnail = fetch_thumbnail
        self._scene: Optional[str] = None  # set_scene below: the first call always sets the query
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._shown: Dict[int, str] = {}  # task id -> frame key already sent
        self._asked: Dict[int, Tuple[Any, Any]] = {}  # task id -> (status, done) when its thumbnail was found
        self._thread: Optional[threading.Thread] = None
        self.set_scene(scene)

    @property
    def running(self) -> bool:
        """True from ``start`` until ``stop`` (the thread may still finish a request after that)."""
        return self._thread is not None and self._thread.is_alive() and not self._stop.is_set()

    def set_scene(self, blend_file: str) -> None:
        """Follow the tasks of ``blend_file``; replies for the scene followed before are dropped."""
        from rv_dcc.monitor.source import TaskQuery

        key = scene_key(blend_file)
        if key == self._scene:
            return
        self._scene = key
        # the farm filters by the file name (getTaskList searchKeyword); same_scene keeps exact matches
        self.poller.set_query(TaskQuery(page_num=1, page_size=PAGE_SIZE, search_keyword=key))
        self._wake.set()

    def start(self) -> None:
        """Start polling (once); the first poll happens at once."""
        if self.running:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="rv_dcc-blender-poller", daemon=True)
        self._thread.start()

    def poll_now(self) -> None:
        """Poll at once (the artist pressed Refresh, or just submitted), even during a backoff."""
        self.poller.refresh()
        self._wake.set()

    def stop(self, timeout: float = 0.0) -> None:
        """Stop polling without waiting: a request in flight ends on its own and is discarded.

        Disabling the add-on must never stall Blender on the network; ``timeout`` > 0 waits that
        long for the thread (tests).
        """
        self._stop.set()
        self._wake.set()
        if self._thread is not None and timeout > 0:
            self._thread.join(timeout)

    def join(self, timeout: float) -> bool:
        """Wait up to ``timeout`` s for the thread to end; True when it has."""
        if self._thread is not None:
            self._thread.join(timeout)
        return self._thread is None or not self._thread.is_alive()

    def poll_once(self) -> bool:
        """One round: the due requests, then new thumbnails. True when something is rendering."""
        for request in self.poller.due_requests():
            try:
                result = self.poller.fetch(request)
            except Exception as exc:  # shown quietly and retried with the Poller's backoff
                failure = self.poller.reject(request, exc)
                if failure is not None and not self._stop.is_set():
                    log.debug("task poll failed: %s", failure.message)
                    self.results.put(("error", "Can't reach the farm: %s" % failure.message))
                continue
            if self._stop.is_set():
                return False  # stopped while the request was in flight: nobody reads it any more
            update = self.poller.accept(request, result)
            if update is None:
                continue  # superseded: the scene changed while this was in flight
            rows = [to_row(update.snapshot.rows[key]) for key in update.snapshot.children.get(None, [])]
            rows = [row for row in rows if same_scene(row["scene"], self._scene or "")]
            self.results.put(("tasks", rows))
            self._thumbnails(rows)
        return self.poller.busy()

    def _thumbnails(self, rows: List[TaskRow]) -> None:
        for row in rows:
            if self._fetch_thumbnail is None or self._stop.is_set() or not row.get("done"):
                continue
            progress = (row.get("status"), row.get("done"))
            if self._asked.get(row["id"]) == progress:
                continue  # no frame finished since its thumbnail was found: don't list its frames again
            try:
                found = self._fetch_thumbnail(row)
            except Exception as exc:
                log.debug("thumbnail of task %s failed: %s", row.get("id"), exc)
                continue
            if found:
                self._asked[row["id"]] = progress
            if found and self._shown.get(row["id"]) != found[0] and not self._stop.is_set():
                self._shown[row["id"]] = found[0]
                self.results.put(("thumbnail", (row["id"], found[1])))

    def _run(self) -> None:
        while not self._stop.is_set():
            self.poll_once()
            wait = self.poller.interval()
            self._wake.wait(self.poller.slow if wait is None else wait)
            self._wake.clear()
