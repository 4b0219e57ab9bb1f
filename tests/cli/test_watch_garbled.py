"""`rv-dcc watch` against a farm whose queryTaskInfo answers are garbled (items not a list, a
status that is not a number, a row without an id): each garbled run is reported once as a clear
line and watching goes on; a farm that never answers sanely is a clear error, never a traceback.

The farm is a real loopback HTTP server with canned envelopes (tests/security/security_helpers).
"""
import json
import sys
import threading
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "security"))

from security_helpers import CannedServer, wire_envelope  # noqa: E402

GARBLED = [
    {"items": "abc", "total": 1},                                    # items not a list
    {"items": [{"id": 7, "taskStatus": "abc", "totalFrames": 3}]},   # status not a number
    {"items": [{"taskStatus": 25, "totalFrames": 3}]},               # row without an id
    {"items": [{"id": None, "taskStatus": 25}]},                     # id unreadable
]
RENDERING = {"items": [{"id": 7, "taskStatus": 5, "totalFrames": "x", "doneFrames": "1", "sceneName": 3}]}
DONE = {"items": [{"id": 7, "taskStatus": 25, "totalFrames": 3, "doneFrames": 3, "failedFrames": 0}]}


class Script:
    """Answers queryTaskInfo with the next envelope of ``datas`` (the last one repeats)."""

    def __init__(self, datas):
        self.datas = list(datas)
        self.lock = threading.Lock()

    def __call__(self, path, headers, body):
        with self.lock:
            data = self.datas.pop(0) if len(self.datas) > 1 else self.datas[0]
        return 200, wire_envelope(data)


def _watch(rv, datas, *extra):
    with CannedServer(Script(datas)) as server:
        return rv("watch", "7", "--domain", server.domain, "--interval", "0.05", "--timeout", "60", *extra)


def test_garbled_polls_are_reported_once_and_watching_continues(rv):
    result = _watch(rv, [RENDERING] + GARBLED + [RENDERING, DONE]).no_traceback()
    assert result.code == 0, result.err
    assert result.err.count("could not read the farm's answer") == 1, result.err
    assert "asking again" in result.err
    assert "readable again" in result.err
    assert "task 7 finished: 3/3 frames" in result.err and "rv-dcc download 7" in result.err


def test_garbled_polls_in_json_mode_still_end_cleanly(rv):
    result = _watch(rv, GARBLED[:1] + [DONE] , "--json").no_traceback()
    assert result.code == 0, result.out + result.err
    lines = [json.loads(line) for line in result.out.splitlines() if line.strip()]
    assert lines[-1]["event"] == "ended" and lines[-1]["task_id"] == 7 and lines[-1]["status_code"] == 25
    assert lines[-1]["status"] == "finished" and lines[-1]["next"]["command"] == "rv-dcc download 7 --to DIR"


@pytest.mark.parametrize("data", GARBLED, ids=["items-not-list", "status-abc", "missing-id", "id-none"])
def test_a_farm_that_never_answers_sanely_is_a_clear_error(rv, data):
    result = _watch(rv, [data], "--json").no_traceback()
    assert result.code == 1, result.out + result.err
    error = result.json
    assert "never answered with a readable task list" in error["message"], error
    assert "domain" in error["hint"]


def test_bars_and_exit_code_tolerate_unreadable_numbers():
    import io

    from rv_dcc.commands.watch import Bars, exit_code, summary_lines

    records = {7: {"id": 7, "taskStatus": "abc", "totalFrames": "x", "doneFrames": None, "failedFrames": [1],
                   "sceneName": 12}}
    bars = Bars(file=io.StringIO())
    try:
        bars.update(records)
    finally:
        bars.close()
    assert exit_code(records) == 1
    assert exit_code({7: {"taskStatus": "25"}}) == 0
    assert summary_lines(records, [7]) == ["task 7 abc: 0/0 frames, cost $0.00 — still going on the farm: rv-dcc watch 7"]
