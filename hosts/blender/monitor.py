"""Task progress for Blender's native panel: a polling thread and a time-boxed drain. No bpy.

The worker thread (``TaskPoller``) asks the farm for the scene's tasks and the latest finished
frame's thumbnail, and puts plain results on a queue. Blender's main thread calls ``drain`` from
a ``bpy.app.timers`` callback: it applies queued results to a ``MonitorState`` until a small time
budget is spent (Flamenco's pattern), so Blender never waits on the network. Both are plain
Python and are tested without a UI; ``rv_dcc_hosts.blender.live`` connects them to Blender.
"""
import logging
import queue
import threading
import time
from typing import Any, Callable, Dict, List, Optional, Tuple

log = logging.getLogger("rv_dcc.hosts.blender.monitor")

#: task status codes that no longer change (spec: getTaskList status table)
END_STATES = {10, 15, 20, 23, 25, 30, 35, 40, 45}

TaskRow = Dict[str, Any]  # id, name, status, status_text, total, done, failed, executing
FetchTasks = Callable[[], List[TaskRow]]
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


class TaskPoller:
    """Polls the farm in a daemon thread; fast while something renders, slow when idle."""

    def __init__(self, fetch_tasks: FetchTasks, fetch_thumbnail: Optional[FetchThumbnail] = None,
                 busy_interval: float = 5.0, idle_interval: float = 30.0) -> None:
        self.results: "queue.Queue[Tuple[str, Any]]" = queue.Queue()
        self._fetch_tasks = fetch_tasks
        self._fetch_thumbnail = fetch_thumbnail
        self._busy_interval = busy_interval
        self._idle_interval = idle_interval
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._shown: Dict[int, str] = {}  # task id -> frame key already sent
        self._asked: Dict[int, Tuple[Any, Any]] = {}  # task id -> (status, done) when its thumbnail was found
        self._thread: Optional[threading.Thread] = None

    @property
    def running(self) -> bool:
        """True while the polling thread is alive."""
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> None:
        """Start polling (once); the first poll happens at once."""
        if self.running:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="rv_dcc-blender-poller", daemon=True)
        self._thread.start()

    def poll_now(self) -> None:
        """Skip the rest of the current wait (the artist pressed Refresh, or just submitted)."""
        self._wake.set()

    def stop(self, timeout: float = 5.0) -> None:
        """Stop the thread and wait for it (an in-flight request finishes first)."""
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
        self._thread = None

    def poll_once(self) -> bool:
        """One round: tasks, then new thumbnails. Returns True when something is rendering."""
        try:
            rows = self._fetch_tasks()
        except Exception as exc:  # any failure is shown quietly and retried on the next round
            log.debug("task poll failed: %s", exc)
            self.results.put(("error", "Can't reach the farm: %s" % (exc,)))
            return False
        self.results.put(("tasks", rows))
        busy = False
        for row in rows:
            if row.get("status") not in END_STATES:
                busy = True
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
            if found and self._shown.get(row["id"]) != found[0]:
                self._shown[row["id"]] = found[0]
                self.results.put(("thumbnail", (row["id"], found[1])))
        return busy

    def _run(self) -> None:
        while not self._stop.is_set():
            busy = self.poll_once()
            self._wake.wait(self._busy_interval if busy else self._idle_interval)
            self._wake.clear()
