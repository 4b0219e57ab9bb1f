"""A farm answering garbage: the client, the monitor and the pipeline give a clear error or skip
the bad part -- never an unexpected exception in a worker, a hang, or a second task.

Shapes are fuzzed with hypothesis (bounded) through a real loopback server answering canned
bodies; the pipeline cases run against the embedded farm with one operation's answer garbled.
"""
import json
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline_helpers import load_sample, make_api, tasks_with_marker

JSON = st.recursive(st.none() | st.booleans() | st.integers(-2**40, 2**40) | st.floats(allow_nan=False)
                    | st.text(max_size=8),
                    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4),
                    max_leaves=12)
ROW = st.fixed_dictionaries({}, optional={"id": JSON | st.integers(1, 50), "taskStatus": JSON, "frameStatus": JSON,
                                          "respRenderingTaskList": JSON, "totalFrames": JSON, "feeAmount": JSON})
PAGE = st.fixed_dictionaries({}, optional={"items": JSON | st.lists(ROW | JSON, max_size=5), "total": JSON,
                                           "pageCount": JSON, "pageNum": JSON}) | JSON
FUZZ = settings(max_examples=60, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


class Reply:
    """What the canned server answers next (status, body bytes)."""

    status = 200
    body = b"{}"

    def __call__(self, path, headers, body):
        return self.status, self.body


def _envelope(data, code=200, **extra):
    value = {"code": code, "message": "success", "data": data, "requestId": "rid"}
    value.update(extra)
    return json.dumps(value).encode()


@pytest.fixture
def garbage(canned):
    reply = Reply()
    server = canned(reply)
    from rv_dcc.api import RayvisionAPI

    api = RayvisionAPI(access_id="id", access_key="key", domain=server.domain, platform="2", protocol="http",
                       retries=0, timeout=5)
    yield reply, api
    api.close()


BODIES = st.one_of(
    PAGE.map(_envelope),
    st.builds(lambda d, c, m, r: json.dumps({"code": c, "message": m, "data": d, "requestId": r}).encode(),
              JSON, JSON, JSON, JSON),
    st.binary(max_size=64),
    PAGE.map(lambda d: _envelope(d)[: max(1, len(_envelope(d)) // 2)]),  # truncated JSON
)


@FUZZ
@given(body=BODIES, status=st.sampled_from([200, 200, 500, 502]))
def test_client_gives_an_api_error_or_the_data(garbage, body, status):
    from rv_dcc.api.errors import ApiError

    reply, api = garbage
    reply.status, reply.body = status, body
    started = time.monotonic()
    try:
        page = api.query.get_task_list(page_num=1, page_size=5)
    except ApiError as error:
        assert str(error) and error.hint is not None
    else:
        repr(page)  # a reply that disagrees with its model still reads, and shows, without raising
        if page is not None:
            page.get("items") if hasattr(page, "get") else None
    assert time.monotonic() - started < 10


@FUZZ
@given(tasks=PAGE, frames=PAGE)
def test_monitor_fetch_skips_or_reports_garbage(garbage, tasks, frames):
    from rv_dcc.errors import RvDccError
    from rv_dcc.monitor.poller import FRAMES, Poller
    from rv_dcc.monitor.source import ApiSource

    reply, api = garbage
    poller = Poller(ApiSource(api))
    poller.select_task(7)
    for request in poller.due_requests():
        reply.status, reply.body = 200, _envelope(tasks if request.kind != FRAMES else frames)
        try:
            result = poller.fetch(request)
        except RvDccError as error:  # ApiError or MalformedReplyError: a sentence for the banner
            failure = poller.reject(request, error)
            assert failure is not None and failure.message
            continue
        update = poller.accept(request, result)
        assert update is not None
        for key, row in result.snapshot.rows.items():
            assert isinstance(key, int)
    poller.busy()  # GUI thread: must not raise whatever the statuses are
    assert poller.interval() is not None


def test_frames_of_a_farm_that_ignores_page_num_end(garbage):
    """pageCount in the millions and the same page every time: the fetch still ends, quickly."""
    from rv_dcc.monitor.source import ApiSource

    reply, api = garbage
    reply.body = _envelope({"items": [{"id": 1, "frameStatus": 4}], "total": 10**9, "pageCount": 10**9})
    started = time.monotonic()
    frames = ApiSource(api).task_frames(7)
    assert [f["id"] for f in frames] == [1]
    assert time.monotonic() - started < 5


def test_monitor_page_that_is_not_a_page_says_so(garbage):
    from rv_dcc.monitor.source import ApiSource, MalformedReplyError, TaskQuery

    reply, api = garbage
    reply.body = _envelope({"items": "abc", "total": 3})
    with pytest.raises(MalformedReplyError, match="not a list"):
        ApiSource(api).task_page(TaskQuery())
    reply.body = _envelope({"items": [{"id": "x"}, None, {"id": 5, "taskStatus": "abc"}], "total": "many"})
    page = ApiSource(api).task_page(TaskQuery())
    assert [row["id"] for row in page.items] == [5] and page.total == 1


@settings(max_examples=150, deadline=None, database=None)
@given(config=JSON | st.fixed_dictionaries({"resqEngines": st.lists(
    st.fixed_dictionaries({"engineName": st.sampled_from(["rvdcc-http", "RVDCC-HTTP"]) | JSON},
                          optional={"respTaskEngineLines": JSON | st.lists(
                              st.fixed_dictionaries({}, optional={"isDefault": JSON,
                                                                  "url": st.just("http://127.0.0.1:1/x") | JSON}),
                              max_size=3)}) | JSON, max_size=3) | JSON}), key=JSON)
def test_transfer_endpoint_from_a_garbled_config(config, key):
    from rv_dcc.transfer.http import Endpoint, endpoint_from_config

    class Api:
        class query:  # noqa: N801 - mimics api.query
            @staticmethod
            def get_raysync_user_key():
                return key

    found = endpoint_from_config(config, Api())
    assert found is None or (isinstance(found, Endpoint) and isinstance(found.token, str))


# --- the pipeline against the embedded farm, one answer garbled ------------------------------------

@pytest.fixture
def farm(tmp_path):
    from rv_dcc.farm import EmbeddedFarm

    with EmbeddedFarm(str(tmp_path / "farm"), port=0, speed=300, real_blender=False) as running:
        yield running


def _submit(api, tmp_path):
    from rv_dcc.submit.options import SubmitOptions
    from rv_dcc.submit.pipeline import submit_scene

    return submit_scene(api, load_sample("blender"), SubmitOptions(), journal_root=tmp_path / "journals")


@pytest.mark.parametrize("garbled", [{"taskIdList": None}, {"taskIdList": ["abc"]}, [], "ok",
                                     {"taskIdList": [{"id": 1}]}])
def test_a_garbled_create_task_answer_is_settled_by_the_marker(farm, tmp_path, monkeypatch, garbled):
    """The farm made the task but its answer is garbage: the pipeline finds it, no second task."""
    from rv_dcc.farm import server as farm_server

    create = farm_server.HANDLERS["createTask"]
    monkeypatch.setitem(farm_server.HANDLERS, "createTask", lambda ctx, body: (create(ctx, body), garbled)[1])
    api = make_api(farm)
    result = _submit(api, tmp_path)
    assert result.submitted
    state = json.loads((result.journal / "state.json").read_text())
    assert tasks_with_marker(api, state["marker"]) == [result.task_id]
    api.close()


def test_garbage_with_no_task_fails_clearly_and_resumes_to_one_task(farm, tmp_path, monkeypatch):
    from rv_dcc.api.errors import InvalidReplyError
    from rv_dcc.farm import server as farm_server
    from rv_dcc.submit.journal import Journal
    from rv_dcc.submit.pipeline import resume

    monkeypatch.setitem(farm_server.HANDLERS, "createTask", lambda ctx, body: {"taskIdList": None})
    monkeypatch.setattr("rv_dcc.submit.steps.CREATE_GRACE", 0.0)
    api = make_api(farm)
    with pytest.raises(InvalidReplyError, match="createTask") as caught:
        _submit(api, tmp_path)
    assert "names no task id" in str(caught.value)
    journal = next((tmp_path / "journals").iterdir())
    assert Journal.open(journal).stage == "failed"
    monkeypatch.undo()
    monkeypatch.setattr("rv_dcc.submit.steps.CREATE_GRACE", 0.0)
    result = resume(api, journal)
    assert result.submitted
    assert tasks_with_marker(api, Journal.open(journal).marker) == [result.task_id]
    api.close()


@pytest.mark.parametrize("garbled", [{"items": "abc", "total": 1}, {"total": 5}, "abc",
                                     {"items": [{"id": "abc", "labels": ["x"]}], "total": 1}])
def test_a_garbled_task_list_is_never_read_as_no_task(farm, tmp_path, monkeypatch, garbled):
    """While settling a lost createTask, "could not read the list" must not become "create another"."""
    from rv_dcc.api.errors import InvalidReplyError
    from rv_dcc.farm import server as farm_server
    from rv_dcc.submit import recovery

    monkeypatch.setitem(farm_server.HANDLERS, "getTaskList", lambda ctx, body: garbled)
    api = make_api(farm)
    with pytest.raises(InvalidReplyError):
        recovery.find_task_by_marker(api, "rvdcc-marker-none")
    api.close()
