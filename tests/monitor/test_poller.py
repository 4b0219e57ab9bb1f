"""The poller: change sets per poll, superseded replies dropped, adaptive interval, failures."""
from rv_dcc.api.errors import AuthenticationError, ConnectionFailedError
from rv_dcc.monitor.poller import FRAMES, TASKS, Poller
from rv_dcc.monitor.source import TaskQuery

from monitor_fakes import FakeSource, frame, task


def make():
    source = FakeSource()
    return source, Poller(source, fast=1.0, slow=10.0, max_backoff=8.0)


def test_first_poll_adds_rows_then_only_changes_are_reported():
    source, poller = make()
    source.tasks = [task(2, status=5, done=1), task(1, status=25, done=10)]
    updates = poller.poll_once()
    assert [u.kind for u in updates] == [TASKS]
    assert [a.key for a in updates[0].changes.added] == [2, 1]
    source.tasks[0] = task(2, status=5, done=2)
    (update,) = poller.poll_once()
    assert update.changes.changed == {2: {"doneFrames": 2}} and not update.changes.added
    assert poller.poll_once()[0].changes.changed == {}


def test_frames_of_selected_task_and_finished_frames_reported():
    source, poller = make()
    source.tasks = [task(1)]
    source.frames[1] = [frame(10, 2), frame(11, 1)]
    poller.select_task(1)
    updates = {u.kind: u for u in poller.poll_once()}
    assert [a.key for a in updates[FRAMES].changes.added] == [10, 11]
    assert updates[FRAMES].finished_frames == []
    source.frames[1] = [frame(10, 4, fee=0.3), frame(11, 2)]
    updates = {u.kind: u for u in poller.poll_once()}
    assert updates[FRAMES].finished_frames == [10]
    assert updates[FRAMES].task_id == 1


def test_reply_for_an_old_query_is_dropped():
    source, poller = make()
    source.tasks = [task(1), task(2)]
    (old_request,) = poller.due_requests()
    old_result = poller.fetch(old_request)
    poller.set_query(TaskQuery(search_keyword="shot_2"))
    assert poller.accept(old_request, old_result) is None
    assert poller.dropped == 1
    (request,) = poller.due_requests()
    assert request.generation == old_request.generation + 1
    update = poller.accept(request, poller.fetch(request))
    assert [a.key for a in update.changes.added] == [2]


def test_reply_for_a_previously_selected_task_is_dropped():
    source, poller = make()
    source.frames = {1: [frame(10)], 2: [frame(20)]}
    poller.select_task(1)
    frames_request = [r for r in poller.due_requests() if r.kind == FRAMES][0]
    result = poller.fetch(frames_request)
    poller.select_task(2)
    assert poller.accept(frames_request, result) is None
    assert poller.frames.rows == {}


def test_request_in_flight_is_not_sent_twice():
    _source, poller = make()
    now = [100.0]
    poller.clock = lambda: now[0]
    assert len(poller.due_requests()) == 1
    assert poller.due_requests() == []
    poller.refresh()  # F5 while a fresh poll is on its way: that poll answers, no second one
    assert poller.due_requests() == []
    now[0] += 2.5
    poller.refresh()  # a request out for longer than 2 s is taken for hung: ask again
    assert len(poller.due_requests()) == 1


def test_two_replies_out_of_order_still_produce_a_consistent_diff():
    source, poller = make()
    source.tasks = [task(1, done=1)]
    first = poller.due_requests()[0]
    result1 = poller.fetch(first)
    poller.refresh(stale_after=0)
    source.tasks = [task(1, done=2)]
    second = poller.due_requests()[0]
    result2 = poller.fetch(second)
    poller.accept(second, result2)  # lands first
    update = poller.accept(first, result1)  # same generation: accepted, re-diffed against what is shown
    assert update.changes.changed == {1: {"doneFrames": 1}} and not update.changes.added


def test_interval_fast_when_rendering_slow_when_idle_none_when_hidden():
    source, poller = make()
    source.tasks = [task(1, status=5)]
    poller.poll_once()
    assert poller.interval() == 1.0
    source.tasks = [task(1, status=25)]
    poller.poll_once()
    assert poller.interval() == 10.0
    poller.set_visible(False)
    assert poller.interval() is None and poller.due_requests() == []


def test_a_chosen_refresh_period_overrides_the_adaptive_one_and_manual_never_schedules():
    import pytest

    source, poller = make()
    source.tasks = [task(1, status=5)]
    poller.poll_once()
    poller.set_rate(30)
    assert poller.interval() == 30.0, "a rendering task must not bring back the fast period the artist turned off"
    poller.set_rate(0)
    assert poller.interval() is None
    assert [r.kind for r in poller.due_requests()] == [TASKS], "manual still answers Refresh"
    source.fail = [ConnectionFailedError("refused")]
    poller.refresh(stale_after=0)
    poller.poll_once()
    assert poller.interval() is None, "manual: a failure waits for the artist's Retry too"
    poller.set_rate(None)
    assert poller.interval() == 1.0  # failing: the backoff again
    for bad in (-1, "5", True):
        with pytest.raises(ValueError, match="refresh period"):
            poller.set_rate(bad)


def test_failures_back_off_and_auth_errors_are_told_apart_then_clear():
    source, poller = make()
    source.fail = [ConnectionFailedError("refused"), ConnectionFailedError("refused"),
                   AuthenticationError("login needed", code=602)]
    poller.poll_once()
    assert poller.failure.count == 1 and poller.interval() == 1.0 and not poller.failure.is_auth
    poller.poll_once()
    assert poller.interval() == 2.0
    poller.poll_once()
    assert poller.failure.is_auth and poller.failure.count == 3 and "login needed" in poller.failure.message
    for _ in range(5):
        source.fail.append(ConnectionFailedError("refused"))
        poller.poll_once()
    assert poller.interval() == 8.0  # capped
    source.tasks = [task(1, status=25)]
    poller.poll_once()
    assert poller.failure is None and poller.interval() == 10.0


def test_non_finite_counts_in_a_reply_are_read_as_missing_not_a_crash():
    """JSON decoders accept Infinity and NaN; a page count of Infinity once raised OverflowError."""
    import json

    from rv_dcc.monitor.source import page_from

    reply = json.loads('{"items": [{"id": 1, "frameIndex": "1"}], "pageNum": Infinity, "pageCount": NaN,'
                       ' "total": -Infinity}')
    page = page_from(reply)
    assert [row["id"] for row in page.items] == [1]
    assert (page.page_num, page.page_count, page.total) == (1, 1, 1)


def test_the_checkpoint_is_called_from_fetches_every_few_rows_and_costs_nothing_unset():
    from rv_dcc.monitor.changes import PACE_ROWS

    source, poller = make()
    source.tasks = [task(n) for n in range(1, 201)]
    poller.set_query(TaskQuery(page_size=200))
    calls = []
    poller.checkpoint = lambda: calls.append(1)
    for request in poller.due_requests():
        poller.accept(request, poller.fetch(request))
    # building the snapshot and diffing it each pass 200 rows: a checkpoint every PACE_ROWS of them
    assert len(calls) == 2 * (200 // PACE_ROWS)
    poller.checkpoint = None
    poller.refresh(stale_after=0)
    assert [poller.fetch(r) for r in poller.due_requests()]
