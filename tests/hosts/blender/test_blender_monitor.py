"""The task panel's data flow without any UI: the polling thread and the time-boxed drain."""
import queue
import threading
import time

import pytest

from rv_dcc_hosts.blender.farm import make_fetchers, to_row
from rv_dcc_hosts.blender.monitor import MonitorState, TaskPoller, drain


def row(task_id, status=5, done=0, total=10):
    return {"id": task_id, "name": "t%d" % task_id, "scene": "shot.blend", "status": status,
            "status_text": "Rendering", "total": total, "done": done, "failed": 0, "executing": 1}


def test_drain_applies_in_order_and_respects_the_budget():
    source = queue.Queue()
    source.put(("tasks", [row(1), row(2, done=5)]))
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


def test_poller_thread_delivers_tasks_and_new_thumbnails_only_once():
    calls = []
    done = threading.Event()

    def fetch_tasks():
        calls.append(time.time())
        if len(calls) >= 2:
            done.set()
        return [row(7, done=3), row(8, status=25, done=0)]

    def fetch_thumbnail(task):
        assert task["id"] == 7  # no finished frame on task 8: not asked
        return ("frame-70", "/tmp/t7.png")

    poller = TaskPoller(fetch_tasks, fetch_thumbnail, busy_interval=0.05, idle_interval=10)
    poller.start()
    try:
        assert done.wait(5)
    finally:
        poller.stop()
    assert not poller.running
    state = MonitorState()
    kinds = []
    while True:
        got = drain(poller.results, state, budget=1.0)
        if not got:
            break
        kinds += got
    assert kinds.count("thumbnail") == 1 and kinds.count("tasks") >= 2
    assert state.thumbnails == {7: "/tmp/t7.png"} and state.order == [7, 8]


def test_a_failed_poll_is_reported_and_polling_goes_on():
    attempts = []

    def fetch_tasks():
        attempts.append(1)
        if len(attempts) == 1:
            raise ConnectionError("refused")
        return []

    poller = TaskPoller(fetch_tasks, None, busy_interval=0.01, idle_interval=0.01)
    assert poller.poll_once() is False
    assert poller.poll_once() is False  # nothing rendering: idle
    state = MonitorState()
    drain(poller.results, state, budget=1.0)
    assert state.error == ""  # the later success cleared it
    assert [kind for kind, _ in list(poller.results.queue)] == []


def test_idle_when_every_task_has_ended():
    poller = TaskPoller(lambda: [row(1, status=25)], None)
    assert poller.poll_once() is False
    poller = TaskPoller(lambda: [row(1, status=5)], None)
    assert poller.poll_once() is True


class FakeSource:
    """A MonitorSource with two tasks of two scenes and finished frames."""

    def __init__(self):
        self.thumb_calls = []

    def task_page(self, query):
        from rv_dcc.monitor.source import Page

        return Page(items=[
            {"id": 11, "sceneName": "D:/proj/shot.blend", "taskStatus": 5, "statusText": "Rendering",
             "totalFrames": 10, "doneFrames": 2, "failedFrames": 0, "executingFrames": 1, "taskAlias": ""},
            {"id": 12, "sceneName": "/x/other.blend", "taskStatus": 25, "totalFrames": 1, "doneFrames": 1},
        ], total=2)

    def task_frames(self, task_id):
        return [{"id": 101, "frameStatus": 4, "endTime": 5}, {"id": 102, "frameStatus": 4, "endTime": 9},
                {"id": 103, "frameStatus": 2, "endTime": 0}]

    def thumbnail_urls(self, frame_id):
        self.thumb_calls.append(frame_id)
        return ["http://farm/thumb/%d.png" % frame_id]


def test_fetchers_keep_this_scenes_tasks_and_the_latest_frame(tmp_path):
    from rv_dcc.monitor.thumbs import ThumbnailCache

    cache = ThumbnailCache(str(tmp_path), download=lambda url: b"\x89PNG fake " + url.encode())
    source = FakeSource()
    fetch_tasks, fetch_thumbnail = make_fetchers(source, lambda: "/home/me/shot.blend", cache)
    rows = fetch_tasks()
    assert [r["id"] for r in rows] == [11] and rows[0]["name"] == "D:/proj/shot.blend"
    key, path = fetch_thumbnail(rows[0])
    assert key == "102_0" and open(path, "rb").read().endswith(b"/102.png")
    assert fetch_thumbnail(rows[0])[1] == path and source.thumb_calls == [102]  # cached: asked once
    unsaved_tasks, _ = make_fetchers(source, lambda: "", cache)
    assert [r["id"] for r in unsaved_tasks()] == [11, 12]


def test_to_row_tolerates_missing_fields():
    assert to_row({"id": "5"}) == {"id": 5, "name": "5", "scene": "", "status": 0, "status_text": "",
                                   "total": 0, "done": 0, "failed": 0, "executing": 0}


def test_frames_are_listed_again_only_when_a_frame_finished():
    rows = [row(3, status=5, done=1)]
    asked = []

    def fetch_thumbnail(task):
        asked.append(task["done"])
        return ("frame-%d" % task["done"], "/tmp/t%d.png" % task["done"])

    poller = TaskPoller(lambda: list(rows), fetch_thumbnail)
    poller.poll_once()
    poller.poll_once()  # nothing new finished: the frame list is not fetched again
    rows[0] = row(3, status=25, done=2)  # the last frame finished as the task ended
    poller.poll_once()
    poller.poll_once()
    assert asked == [1, 2]
    state = MonitorState()
    drain(poller.results, state, budget=1.0)
    assert state.thumbnails == {3: "/tmp/t2.png"}  # the last frame is shown even though the task ended


def test_a_thumbnail_not_there_yet_is_asked_for_again():
    answers = iter([None, ("f1", "/tmp/a.png")])
    asked = []

    def fetch_thumbnail(task):
        asked.append(task["id"])
        return next(answers)

    poller = TaskPoller(lambda: [row(4, status=25, done=1)], fetch_thumbnail)
    poller.poll_once()
    poller.poll_once()
    poller.poll_once()
    assert asked == [4, 4]
