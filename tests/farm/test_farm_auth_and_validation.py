"""Authentication (wire.md §3) and request refusals: codes and messages a person can act on."""
import json
import os
import time

import pytest
import requests

from farm_helpers import maya_task
from rv_dcc.api import signing
from rv_dcc.api.operations import OPERATIONS, path_for


def test_both_path_sets_are_served(client, farm):
    for operation in OPERATIONS:
        for paths in ("seed", "current"):
            path = path_for(operation.name, paths)
            answer = client.post(operation.name, {}, path=path)
            # the path is known: never "no operation at ..."; empty bodies may be refused as 600/601/404
            assert answer["code"] in (200, 404, 600, 601), (path, answer)
            assert "no operation at" not in answer["message"], path
            assert set(answer) == {"version", "result", "message", "code", "data", "serverTime", "requestId"}
            assert answer["result"] is (answer["code"] == 200)


def test_wrong_signature_is_611(client):
    answer = client.post("queryUserProfile", key="not-the-key")
    assert answer["code"] == 611 and "signature invalid" in answer["message"] and answer["data"] is None
    # signed for another domain than the Host header says
    path = path_for("queryUserProfile")
    headers = client.headers(path, {})
    headers["signature"] = signing.sign(client.farm.access_key, "jop.foxrenderfarm.com", path, headers, {})
    assert client.post("queryUserProfile", headers=headers)["code"] == 611
    # a body changed after signing
    headers = client.headers(path_for("createTask"), {"count": 1})
    assert client.post("createTask", raw=b'{"count": 2}', headers=headers)["code"] == 611
    assert client.ok("getTaskList", {"pageNum": 1, "pageSize": 10})["total"] == 0


def test_old_or_missing_timestamp_is_610(client):
    answer = client.post("queryUserProfile", timestamp=int(time.time()) - 301)
    assert answer["code"] == 610 and "clock" in answer["message"]
    assert client.post("queryUserProfile", timestamp=int(time.time()) + 400)["code"] == 610
    assert client.ok("queryUserProfile", timestamp=int(time.time()) - 250)["userId"] == 10001136
    headers = client.headers(path_for("queryUserProfile"), {})
    headers["UTCTimestamp"] = "yesterday"
    assert client.post("queryUserProfile", headers=headers)["code"] == 610


def test_replayed_nonce_is_refused_603(client):
    path = path_for("createTask")
    headers = client.headers(path, {"count": 1})
    first = client.post("createTask", {"count": 1}, headers=headers)
    again = client.post("createTask", {"count": 1}, headers=headers)
    assert first["code"] == 200 and again["code"] == 603 and "fresh nonce" in again["message"]
    assert client.ok("getTaskList", {"pageNum": 1, "pageSize": 10})["total"] == 1  # the replay created nothing
    # the same nonce and second with another body, or in another second, is a different request
    stamp = int(time.time())
    assert client.post("queryTaskInfo", {"taskIds": [1]}, nonce="654321", timestamp=stamp)["code"] == 404
    assert client.post("queryTaskInfo", {"taskIds": [2]}, nonce="654321", timestamp=stamp)["code"] == 404
    assert client.post("queryUserProfile", nonce="123456", timestamp=int(time.time()) - 1)["code"] == 200
    assert client.post("queryUserProfile", nonce="123456", timestamp=int(time.time()))["code"] == 200


def test_unknown_or_missing_access_id_is_602(client):
    assert client.post("queryUserProfile", access_id="AKIDunknown")["code"] == 602
    headers = client.headers(path_for("queryUserProfile"), {})
    del headers["accessId"]
    answer = client.post("queryUserProfile", headers=headers)
    assert answer["code"] == 602 and "accessId" in answer["message"]


@pytest.mark.parametrize("name, body, code, field", [
    ("createTask", {"count": "many"}, 600, "count"),
    ("createTask", {"count": True}, 600, "count"),
    ("createTask", {"count": 0}, 600, "count"),
    ("submitTask", {}, 601, "taskId"),
    ("queryTaskInfo", {"taskIds": []}, 601, "taskIds"),
    ("queryTaskInfo", {"taskIds": ["x"]}, 600, "taskIds"),
    ("stopTask", {"taskIds": {"a": 1}}, 600, "taskIds"),
    ("queryTaskFrames", {"taskId": 1.5}, 600, "taskId"),
    ("updateUserSetting", {}, 601, "taskOverTimeSec"),
    ("addUserPluginConfig", {"cgId": 2000, "cgName": "Maya", "cgVersion": "2024", "editName": "e",
                             "renderSystem": 1, "pluginIds": ["mtoa"]}, 600, "pluginIds"),
    ("getTaskList", {"pageNum": 1, "pageSize": 10, "startTime": "last week"}, 600, "startTime"),
    ("queryAnalyseErrorDetail", {"language": 1}, 601, "code"),
])
def test_wrong_types_and_missing_fields(client, name, body, code, field):
    answer = client.post(name, body)
    assert answer["code"] == code, answer
    assert field in answer["message"], answer["message"]


def test_unknown_ids_are_404_and_change_nothing(client):
    real = client.ok("createTask", {"count": 1})["taskIdList"][0]
    for name, body in (("stopTask", {"taskIds": [real, 999999]}), ("submitTask", {"taskId": 999999}),
                       ("queryTaskFrames", {"taskId": 999999}), ("showLog", {"id": 42}),
                       ("loadingFrameThumbnail", {"id": 42}), ("deleteUserPluginConfig", {"editName": "none"}),
                       ("projectDelete", {"delName": "none"}), ("queryTaskInfo", {"taskIds": [999999]}),
                       ("getOutputUserDirFile", {"treePath": "/999_nothing"})):
        answer = client.post(name, body)
        assert answer["code"] == 404, (name, answer)
        assert "not" in answer["message"]
    assert client.ok("queryTaskInfo", {"taskIds": [real]})["items"][0]["taskStatus"] == 50


def test_oversized_random_and_non_object_bodies(client, farm):
    path = path_for("queryUserProfile")
    headers = client.headers(path, {})
    big = requests.post(farm.url + path, data=b"{" + b" " * (9 * 1024 * 1024) + b"}", headers=headers, timeout=30)
    assert big.status_code == 200 and big.json()["code"] == 600 and "MiB" in big.json()["message"]
    for raw in (os.urandom(300), b"\xff\xfe{}", b"[1, 2]", b'{"a": ', b"[" * 100000):
        answer = client.post("queryUserProfile", raw=raw, headers=headers)
        assert answer["code"] == 600, raw[:20]
        assert "JSON" in answer["message"]
    answer = client.post("queryUserProfile", path="/api/render/nothing/here")
    assert answer["code"] == 404 and "/api/render/nothing/here" in answer["message"]
    assert client.ok("queryUserProfile")["userId"] == 10001136  # still serving


def test_malformed_task_json_is_refused_with_a_clear_message(client):
    task_id = client.ok("createTask", {"count": 1})["taskIdList"][0]
    good = maya_task(task_id)

    def refusal(change):
        data = json.loads(json.dumps(good))
        change(data)
        answer = client.post("taskJsonFile", {"taskId": task_id, "fileName": "task.json", "content": json.dumps(data)})
        assert answer["code"] == 600, answer
        return answer["message"]

    assert "task_info" in refusal(lambda d: d.pop("task_info"))
    assert "frames_per_task" in refusal(lambda d: d["task_info"].__setitem__("frames_per_task", 2))
    assert "must be a string" in refusal(lambda d: d["task_info"].__setitem__("frames_per_task", 2))
    assert "cg_id" in refusal(lambda d: d["task_info"].__setitem__("cg_id", "1234"))
    assert "2019" in refusal(lambda d: d["software_config"].__setitem__("cg_version", "2019"))
    assert "mtoa" in refusal(lambda d: d["software_config"]["plugins"].__setitem__("mtoa", "0.1"))
    assert "frames" in refusal(lambda d: d["scene_info_render"]["defaultRenderLayer"]["common"]
                               .__setitem__("frames", "1 to 10"))
    assert "pre_frames" in refusal(lambda d: d["task_info"].__setitem__("pre_frames", "yes"))
    assert "task_id" in refusal(lambda d: d["task_info"].__setitem__("task_id", "1"))
    assert "nothing to render" in refusal(
        lambda d: d["scene_info_render"]["defaultRenderLayer"].__setitem__("renderable", "0"))
    answer = client.post("taskJsonFile", {"taskId": task_id, "fileName": "task.json", "content": "{not json"})
    assert answer["code"] == 600 and "JSON" in answer["message"]
    assert client.post("submitTask", {"taskId": task_id})["code"] == 600  # no task.json stored yet
    client.ok("taskJsonFile", {"taskId": task_id, "fileName": "task.json", "content": json.dumps(good)})
    client.ok("taskJsonFile", {"taskId": task_id, "fileName": "tips.json", "content": json.dumps({"15024": ["x"]})})
    blocked = client.post("submitTask", {"taskId": task_id})
    assert blocked["code"] == 600 and "15024" in blocked["message"]
    client.ok("taskJsonFile", {"taskId": task_id, "fileName": "tips.json", "content": json.dumps({"10012": ["x"]})})
    client.ok("submitTask", {"taskId": task_id})
    again = client.post("submitTask", {"taskId": task_id})
    assert again["code"] == 600 and "already submitted" in again["message"]


def test_a_handler_bug_is_a_500_envelope_and_the_farm_keeps_serving(client, monkeypatch):
    from rv_dcc.farm import server

    def broken(ctx, body):
        raise RuntimeError("boom")

    monkeypatch.setitem(server.HANDLERS, "getBid", broken)
    answer = client.post("getBid")
    assert answer["code"] == 500 and answer["requestId"] in answer["message"] and "boom" not in answer["message"]
    monkeypatch.undo()
    assert client.ok("getBid")["input_bid"]


def test_the_embedded_farm_hands_out_a_working_client(farm):
    api = farm.client()
    try:
        assert api.call("queryUserProfile")["userId"] == 10001136
    finally:
        api.close()
    assert farm.access_key not in repr(farm)
