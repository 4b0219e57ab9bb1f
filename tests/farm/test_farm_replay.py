"""Issue 15 item 2: freshness and replay are checked on the values that were SIGNED (wire.md §3: a
body key replaces the header of the same name), a nonce is required, and accepted requests are
remembered across a restart of the farm."""
import json
import time

import requests

from farm_helpers import RawClient
from rv_dcc.api import signing
from rv_dcc.api.operations import path_for
from rv_dcc.farm import EmbeddedFarm

PROFILE = path_for("queryUserProfile", "current")
CREATE = path_for("createTask", "current")


def _send(farm, path, headers, body):
    reply = requests.post(farm.url + path, data=json.dumps(body).encode(), headers=headers, timeout=30)
    assert reply.status_code == 200, reply.text
    return reply.json()


def _signed(farm, path, body, header_overrides=None, **values):
    """Headers whose signature covers ``body`` merged over them, then ``header_overrides`` applied."""
    headers = RawClient(farm).headers(path, body, **values)
    headers.update(header_overrides or {})
    return headers


def test_an_old_timestamp_moved_into_the_body_is_expired(farm):
    old = int(time.time()) - 3600
    body = {"count": 1, "taskUserLevel": 50, "UTCTimestamp": str(old)}
    # the signature covers the body's (old) UTCTimestamp; the header carries a fresh one
    headers = _signed(farm, CREATE, body, {"UTCTimestamp": str(int(time.time()))}, timestamp=old)
    answers = [_send(farm, CREATE, headers, body)["code"] for _ in range(3)]
    assert answers == [610, 610, 610]


def test_a_nonce_moved_into_the_body_is_still_the_same_request(farm):
    body = {"count": 1, "taskUserLevel": 50}
    headers = _signed(farm, CREATE, body, nonce="123456")
    assert _send(farm, CREATE, headers, body)["code"] == 200
    # the replay: the captured nonce in the body (it replaces the header when signing), fresh headers
    replay_body = dict(body, nonce="123456")
    for fresh in ("000001", "000002", "000003"):
        answer = _send(farm, CREATE, dict(headers, nonce=fresh), replay_body)
        assert answer["code"] == 603, answer


def test_a_request_without_a_nonce_is_refused(farm):
    headers = _signed(farm, PROFILE, {})
    del headers["nonce"]
    headers["signature"] = signing.sign(farm.access_key, farm.domain, PROFILE, headers, {})
    answer = _send(farm, PROFILE, headers, {})
    assert answer["code"] == 603 and "nonce" in answer["message"]


def test_a_body_access_id_must_be_the_farms(farm):
    body = {"accessId": "someone-else"}
    headers = _signed(farm, PROFILE, body)
    assert _send(farm, PROFILE, headers, body)["code"] == 602


def test_a_request_does_not_replay_after_a_restart(tmp_path):
    data = tmp_path / "farm"
    with EmbeddedFarm(data, port=0, speed=400, real_blender=False) as first:
        port = first.port
        body = {"count": 1, "taskUserLevel": 50}
        headers = _signed(first, CREATE, body)
        assert _send(first, CREATE, headers, body)["code"] == 200
        assert _send(first, CREATE, headers, body)["code"] == 603
    with EmbeddedFarm(data, port=port, speed=400, real_blender=False) as second:
        assert second.domain == first.domain  # the same Host, so the signature still matches
        answer = _send(second, CREATE, headers, body)
        assert answer["code"] == 603, answer
        with second.store.read() as conn:
            assert conn.execute("SELECT COUNT(*) FROM tasks WHERE parent_id = 0").fetchone()[0] == 1
