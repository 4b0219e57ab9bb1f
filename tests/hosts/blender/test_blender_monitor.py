"""The task panel's data flow without any UI: the shared Poller driving Blender's polling thread,
the time-boxed drain, supersession, backoff, and a stop that never waits on the network."""
import queue
import threading

from rv_dcc.monitor.source import Page
from rv_dcc_hosts.blender.farm import LazySource, thumbnail_fetcher
from rv_dcc_hosts.blender.monitor import MonitorState, TaskPoller, drain, to_row


def item(task_id, status=5, done=0, total=10, scene="/proj/shot.blend"):
    """A getTaskList item (wire keys, spec api_reference.md)."""
    return {"id": task_id, "taskAlias": "t%d" % task_id, "sceneName": scene, "taskStatus": status,
            "totalFrames": total, "doneFrames": done, "failedFrames": 0, "executingFrames": 1}


class Source:
    """An in-memory MonitorSource: ``items`` is the farm's task list; ``gate`` (an Event) holds
    task_page until set, to keep a request in flight; ``asked(n)`` waits until n queries came."""

    def __init__(self, items=(), gate=None):
        self.items = list(items)
        self.gate = gate
        self.queries = []
        self.fail = []  # exceptions raised by the next task_page calls
        self._asked = threading.Condition()

    def asked(self, count=1, timeout=10.0):
        """Wait until ``count`` task_page calls have arrived; True if they did."""
        with self._asked:
            return self._asked.wait_for(lambda: len(self.queries) >= count, timeout)

    def task_page(self, query):
        with self._asked:
            self.queries.append(query)
            self._asked.notify_all()
        if self.gate is not None:
            self.gate.wait(10)
        if self.fail:
            raise self.fail.pop(0)
        return Page(items=[dict(i) for i in self.items], total=len(self.items))

    def task_frames(self, task_id):
        return [{"id": 101, "frameStatus": 4, "endTime": 5}, {"id": 102, "frameStatus": 4, "endTime": 9},
                {"id": 103, "frameStatus": 2, "endTime": 0}]

    def thumbnail_urls(self, frame_id):
        return ["http://farm/thumb/%d.png" % frame_id]


def drained(poller):
    state, kinds = MonitorState(), []
    while True:
        got = drain(poller.results, state, budget=1.0)
        if not got:
            return state, kinds
        kinds += got


def test_drain_applies_in_order_and_respects_the_budget():
    source = queue.Queue()
    source.put(("tasks", [to_row(item(1)), to_row(item(2, done=5))]))
    source.put(("thumbnail", (2, "/tmp/a.png")))
    source.put(("error", "boom"))
    ticks = iter(range(100))
    state = MonitorState()
    # a clock that advances one second per reading, with a half-second budget: one item per call
    assert drain(source, state, budget=0.5, clock=lambda: next(ticks)) == ["tasks"]
    assert state.order == [1, 2] and state.progress(2) == 0.5 and state.error == ""
    assert drain(source, state, budget=0.5, clock=lambda: next(ticks)) == ["thumbnail"]
    assert state.thumbnails == {2: "/tmp/a.png"}
    assert drain(source, state) == ["error"] and state.error == "boom"
    assert drain(source, state) == []


def test_only_this_scenes_tasks_asked_by_file_name_and_shown_with_status_text():
    source = Source([item(11, scene="D:\\proj\\Shot.blend"), item(12, status=25, scene="/x/other.blend"),
                     item(13, scene="/x/shot.blend.bak")])
    poller = TaskPoller(source, scene="/home/me/shot.blend")
    assert poller.poll_once() is True  # task 11 renders: fast polling
    state, _ = drained(poller)
    assert state.order == [11] and state.tasks[11]["status_text"] == "Rendering"
    assert source.queries[-1].search_keyword == "shot.blend" and source.queries[-1].page_size == 30
    poller.set_scene("")  # never saved: every recent task
    poller.poll_once()
    assert drained(poller)[0].order == [11, 12, 13] and source.queries[-1].search_keyword == ""


def test_timing_is_the_shared_pollers_fast_slow_and_backoff():
    source = Source([item(1, status=5)])
    clock = [0.0]
    poller = TaskPoller(source, scene="", clock=lambda: clock[0])
    poller.poll_once()
    assert poller.poller.interval() == 2.0  # rendering: the Qt panel's fast period
    source.items = [item(1, status=25, done=10)]
    poller.poll_once()
    assert poller.poller.interval() == 15.0  # all ended: slow
    source.fail = [ConnectionError("refused")] * 3
    waits = []
    for _ in range(3):
        poller.poll_once()
        waits.append(poller.poller.interval())
    assert waits == [2.0, 4.0, 8.0]  # backing off while the farm fails
    state, kinds = drained(poller)
    assert kinds[-1] == "error" and state.error == "Can't reach the farm: refused"
    poller.poll_once()  # the farm answers again: back to the normal period, the error cleared
    assert poller.poller.interval() == 15.0
    assert drained(poller)[1] == ["tasks"]


def test_a_reply_for_the_previous_scene_is_dropped():
    gate = threading.Event()
    source = Source([item(1, scene="/p/old.blend")], gate=gate)
    poller = TaskPoller(source, scene="/p/old.blend")
    worker = threading.Thread(target=poller.poll_once)
    worker.start()
    assert source.asked(1)
    poller.set_scene("/p/new.blend")  # saved under another name while the poll is in flight
    gate.set()
    worker.join(10)
    assert poller.poller.dropped == 1 and drained(poller)[1] == []
    source.items = [item(2, scene="/p/new.blend")]
    poller.poll_once()
    assert drained(poller)[0].order == [2] and source.queries[-1].search_keyword == "new.blend"


def test_stop_never_waits_for_a_request_in_flight():
    gate = threading.Event()
    source = Source([item(1)], gate=gate)
    poller = TaskPoller(source, scene="")
    poller.start()
    assert source.asked(1)
    # what unregistering the add-on does, with the farm not answering: the request stays in
    # flight (the gate is closed) until stop() has returned, so a stop that waited would hang
    stopper = threading.Thread(target=poller.stop, daemon=True)
    stopper.start()
    stopper.join(10)
    assert not stopper.is_alive(), "stop() waited for the request in flight"
    assert not poller.running
    gate.set()
    assert poller.join(10)
    assert drained(poller)[1] == []  # the late reply is discarded, not queued for nobody


def test_thread_delivers_tasks_and_a_new_thumbnail_once_and_refresh_polls_at_once(tmp_path):
    source = Source([item(7, done=3), item(8, status=25, done=0)])
    asked = []

    def fetch_thumbnail(row):
        asked.append(row["id"])
        return ("frame-70", "/tmp/t7.png")

    poller = TaskPoller(source, fetch_thumbnail, scene="", fast=60, slow=60)
    poller.start()
    try:
        assert source.asked(1)
        poller.poll_now()  # Refresh: no 60 s wait
        assert source.asked(2, timeout=5)
    finally:
        poller.stop(timeout=5)
    state, kinds = drained(poller)
    assert kinds.count("thumbnail") == 1 and kinds.count("tasks") >= 2
    assert asked == [7]  # no frame finished on task 8; task 7 not asked again for the same progress
    assert state.thumbnails == {7: "/tmp/t7.png"} and state.order == [7, 8]


def test_frames_are_listed_again_only_when_a_frame_finished():
    source = Source([item(3, status=5, done=1)])
    asked = []

    def fetch_thumbnail(task):
        asked.append(task["done"])
        return ("frame-%d" % task["done"], "/tmp/t%d.png" % task["done"])

    poller = TaskPoller(source, fetch_thumbnail)
    poller.poll_once()
    poller.poll_once()  # nothing new finished: the frame list is not fetched again
    source.items = [item(3, status=25, done=2)]  # the last frame finished as the task ended
    poller.poll_once()
    poller.poll_once()
    assert asked == [1, 2]
    assert drained(poller)[0].thumbnails == {3: "/tmp/t2.png"}


def test_a_thumbnail_not_there_yet_is_asked_for_again():
    answers = iter([None, ("f1", "/tmp/a.png")])
    asked = []

    def fetch_thumbnail(task):
        asked.append(task["id"])
        return next(answers)

    poller = TaskPoller(Source([item(4, status=25, done=1)]), fetch_thumbnail)
    poller.poll_once()
    poller.poll_once()
    poller.poll_once()
    assert asked == [4, 4]


def test_thumbnail_fetcher_takes_the_latest_finished_frame_through_the_cache(tmp_path):
    from rv_dcc.monitor.thumbs import ThumbnailCache

    cache = ThumbnailCache(str(tmp_path), download=lambda url: b"\x89PNG fake " + url.encode())
    calls = []

    class Counting(Source):
        def thumbnail_urls(self, frame_id):
            calls.append(frame_id)
            return super().thumbnail_urls(frame_id)

    fetch = thumbnail_fetcher(Counting(), lambda: cache)
    key, path = fetch(to_row(item(11, done=2)))
    assert key == "102_0" and open(path, "rb").read().endswith(b"/102.png")
    assert fetch(to_row(item(11, done=2)))[1] == path and calls == [102]  # cached: asked once


def test_lazy_source_connects_on_first_use_and_a_failed_connection_backs_off():
    attempts = []

    def connector():
        attempts.append(threading.current_thread().name)
        raise ConnectionError("no farm")

    source = LazySource(connector)
    assert attempts == []  # nothing at construction (Blender's main thread)
    poller = TaskPoller(source, scene="")
    poller.poll_once()
    poller.poll_once()
    assert len(attempts) == 2 and poller.poller.failure.count == 2 and poller.poller.interval() == 4.0


def test_to_row_tolerates_missing_fields():
    assert to_row({"id": "5"}) == {"id": 5, "name": "5", "scene": "", "status": 0, "status_text": "Waiting",
                                   "total": 0, "done": 0, "failed": 0, "executing": 0}
