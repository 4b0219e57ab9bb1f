"""The error table, transport failures, the retry policy and validation before sending."""
import pickle
import socket
import time

import pytest

from rv_dcc.api import errors
from rv_dcc.api.errors import CODE_TABLE
from rv_dcc.errors import RvDccError

from api_stub import envelope


@pytest.mark.parametrize("code", sorted(CODE_TABLE))
def test_every_service_code_maps_to_its_class(farm, api, code):
    farm.reply = lambda req: envelope(None, code, "boom", request_id=f"rid-{code}")
    with pytest.raises(errors.ApiError) as info:
        api.user.query_user_profile()
    error = info.value
    assert type(error) is CODE_TABLE[code][0]
    assert isinstance(error, RvDccError)
    assert (error.code, error.request_id, error.operation) == (code, f"rid-{code}", "queryUserProfile")
    assert "boom" in error.message and error.hint and error.hint in str(error)
    assert f"rid-{code}" in str(error) and "queryUserProfile" in str(error)
    clone = pickle.loads(pickle.dumps(error))
    assert type(clone) is type(error) and clone.code == code and clone.request_id == error.request_id


def test_classes_are_distinct():
    groups = {
        errors.AuthenticationError: {602, 611, 804}, errors.SignatureExpiredError: {610},
        errors.ParameterError: {600, 601, 603}, errors.PermissionDeniedError: {403, 605, 812, 913},
        errors.WrongRegionError: {608}, errors.NotFoundError: {404, 700}, errors.ServerError: {100, 400, 500, 1000},
    }
    for cls, codes in groups.items():
        assert {c for c, (k, _) in CODE_TABLE.items() if k is cls} == codes
    assert issubclass(errors.SignatureExpiredError, errors.AuthenticationError)
    assert issubclass(errors.WrongRegionError, errors.PermissionDeniedError)


def test_610_says_the_clock_is_off(farm, api):
    farm.reply = lambda req: envelope(None, 610, "signature expired")
    with pytest.raises(errors.SignatureExpiredError) as info:
        api.query.get_task_list()
    assert "clock" in str(info.value) and "5 minutes" in str(info.value)
    assert len(farm.requests) == 1  # an auth failure is not retried


def test_unknown_code_is_a_server_error(farm, api):
    farm.reply = lambda req: envelope(None, 4242, "")
    with pytest.raises(errors.ServerError) as info:
        api.tag.get_label_list()
    assert info.value.code == 4242


def test_bad_signature_is_611(farm, make_api):
    farm.key = "another key"  # the stub verifies with a different key and answers 611 itself
    api = make_api()
    with pytest.raises(errors.AuthenticationError) as info:
        api.user.query_user_profile()
    assert info.value.code == 611 and "access key" in str(info.value)


def test_reply_not_json_carries_status_and_first_bytes(farm, api):
    farm.reply = lambda req: ("raw", 502, b"<html><body>Bad gateway</body></html>")
    with pytest.raises(errors.InvalidReplyError) as info:
        api.task.submit_task(task_id=1)
    error = info.value
    assert error.http_status == 502 and error.body_start.startswith(b"<html>")
    assert "502" in str(error) and error.operation == "submitTask"
    assert len(farm.requests) == 1


def test_json_without_code_is_invalid(farm, api):
    farm.reply = lambda req: ("raw", 200, b'{"hello": 1}')
    with pytest.raises(errors.InvalidReplyError):
        api.user.query_user_profile()


def test_timeout(farm, make_api):
    import threading

    answer = threading.Event()

    def slow(req):
        answer.wait(10)  # no reply until the client has given up
        return envelope(None)

    farm.reply = slow
    api = make_api(timeout=0.2, retries=0)
    try:
        with pytest.raises(errors.RequestTimeoutError) as info:
            api.user.query_user_profile()
    finally:
        answer.set()
    assert info.value.code is None and info.value.operation == "queryUserProfile"


def test_connection_refused(make_api):
    from rv_dcc.api import RayvisionAPI

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    api = RayvisionAPI("id", "key", domain=f"127.0.0.1:{port}", platform="2", protocol="http", retries=1,
                       backoff=0.001)
    with pytest.raises(errors.ConnectionFailedError) as info:
        api.query.get_task_list()
    assert not isinstance(info.value, errors.TLSError)
    assert f"127.0.0.1:{port}" in str(info.value)


def test_tls_failure(farm):
    from rv_dcc.api import RayvisionAPI

    api = RayvisionAPI("id", "key", domain=farm.domain, platform="2", protocol="https", retries=0, timeout=5)
    with pytest.raises(errors.TLSError) as info:
        api.user.query_user_profile()
    assert "TLS" in str(info.value)


def test_queries_retry_server_failures_then_succeed(farm, api):
    farm.replies = [envelope(None, 500, "internal"), ("raw", 503, b"busy"), "close"]
    farm.reply = lambda req: envelope({"pageCount": 0, "pageNum": 1, "total": 0, "size": 0, "items": []})
    api._transport.retries = 3
    page = api.query.get_task_list()
    assert page["items"] == [] and len(farm.requests) == 4
    nonces = {r.headers["nonce"] + r.headers["UTCTimestamp"] for r in farm.requests}
    assert len(nonces) == 4 and all(r.signature_ok for r in farm.requests)  # each attempt freshly signed


def test_query_retries_are_bounded(farm, api):
    farm.reply = lambda req: envelope(None, 1000, "cache failure")
    with pytest.raises(errors.ServerError):
        api.query.task_info(task_ids_list=[1])
    assert len(farm.requests) == 3  # 1 + retries=2


def test_a_query_waiting_to_retry_stops_when_cancelled(farm, make_api):
    import threading

    cancel = threading.Event()

    def failing(req):
        cancel.set()  # the person closes the panel while the farm has a bad moment
        return envelope(None, 500, "internal")

    farm.reply = failing
    api = make_api(retries=3, backoff=30.0, cancel=cancel)  # uncancelled: waits of up to 8 s, 4 requests
    with pytest.raises(errors.ServerError):
        api.query.get_task_list()
    assert len(farm.requests) == 1


def test_parameter_errors_are_not_retried(farm, api):
    farm.reply = lambda req: envelope(None, 600, "parameter invalid")
    with pytest.raises(errors.ParameterError):
        api.query.task_frames(task_id=1)
    assert len(farm.requests) == 1


@pytest.mark.parametrize("failure", ["close", ("raw", 503, b"down"), envelope(None, 500, "x")])
def test_create_task_is_sent_exactly_once(farm, api, failure):
    farm.reply = lambda req: failure
    with pytest.raises(errors.ApiError):
        api.task.create_task(count=1)
    assert [r.path for r in farm.requests] == ["/api/render/submit/createTask"]


def test_lost_reply_of_create_task_raises_connection_error(farm, api):
    farm.reply = lambda req: "close"
    with pytest.raises(errors.ConnectionFailedError):
        api.task.create_task()
    assert len(farm.requests) == 1


@pytest.mark.parametrize("call,field", [
    (lambda a: a.task.stop_task(task_param_list=[]), "taskIds"),
    (lambda a: a.task.stop_task(task_param_list=12), "task_param_list"),
    (lambda a: a.task.start_task(task_param_list=["abc"]), "taskIds.0"),
    (lambda a: a.task.delete_task(task_param_list=[True]), "taskIds.0"),
    (lambda a: a.task.submit_task(task_id=None), "taskId"),
    (lambda a: a.task.submit_task(task_id="x1"), "taskId"),
    (lambda a: a.task.upload_task_json(1, "render.json", "{}"), "fileName"),
    (lambda a: a.task.upload_task_json(1, "task.json", "{not json"), "content"),
    (lambda a: a.task.create_task(count=0), "count"),
    (lambda a: a.task.create_task(labels="one"), "labels"),
    (lambda a: a.query.error_detail(), "code / codes"),
    (lambda a: a.query.restart_frame(task_id=1, ids_list=[]), "ids"),
    (lambda a: a.query.supported_plugin(name="photoshop"), "cgId"),
    (lambda a: a.env.add_render_env(render_env={"cgId": 2000}), "cgName"),
    (lambda a: a.env.add_render_env(render_env={"cgId": 2000, "cgName": "Maya", "cgVersion": "2020",
                                                "editName": "e", "renderSystem": "linux", "pluginIds": []}),
     "renderSystem"),
    (lambda a: a.tag.delete_task_tag(), "labelIds / labelNames / taskIds"),
    (lambda a: a.tag.add_label(new_name=""), "newName"),
    (lambda a: a.user.update_user_settings(task_over_time="long"), "taskOverTimeSec"),
    (lambda a: a.query.get_small_task_id("abc"), "taskId"),
])
def test_validation_errors_send_nothing(farm, api, call, field):
    with pytest.raises(errors.RequestValidationError) as info:
        call(api)
    assert farm.requests == []
    assert info.value.field == field and info.value.code in (600, 601)
    assert isinstance(info.value, ValueError) and isinstance(info.value, errors.ParameterError)


def test_validation_error_names_the_python_argument(api):
    with pytest.raises(errors.RequestValidationError) as info:
        api.task.stop_task(task_param_list=[])
    assert info.value.code == 601 and "task_param_list" in str(info.value) and "empty" in str(info.value)


def test_custom_frames_unknown_frame_recommits_nothing(farm, api):
    farm.reply = lambda req: envelope({"items": [{"id": 1, "frameIndex": "1"}] if req.body["pageNum"] == 1 else []})
    with pytest.raises(errors.RequestValidationError) as info:
        api.query.get_custome_frames(task_id=5, restartframes=["1", "99"])
    assert "99" in str(info.value)
    assert all("recommit" not in r.path for r in farm.requests)
