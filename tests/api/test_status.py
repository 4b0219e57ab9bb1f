"""rv_dcc.api.status: one table of the farm's status codes (spec/wire.md §6), read leniently."""
import subprocess
import sys

import pytest

from rv_dcc.api.status import (FrameStatus, TaskStatus, frame_counts, frame_failed, frame_status_text, task_final,
                               task_status_text)

# spec/wire.md §6, copied here as the project's own data (the spec is not read at test time)
SPEC_TASK = {0: "waiting", 5: "rendering", 8: "pre-rendering", 10: "stopped", 15: "stopped by user",
             20: "stopped for arrears", 23: "stopped on timeout", 25: "finished", 30: "finished with failed frames",
             35: "abandoned", 40: "test finished", 45: "failed", 50: "analysing", 100: "updating"}
SPEC_FRAME = {1: "waiting", 2: "rendering", 3: "stopped", 4: "done", 5: "failed", 6: "waiting for pre-processing",
              7: "waiting for the photon frame", 8: "waiting for priority frames", 9: "waiting for the photon job",
              10: "waiting for the settlement job", 11: "timed out"}


def test_every_documented_code_has_its_name():
    assert {int(s): s.display for s in TaskStatus if s is not TaskStatus.WAITING_1} == SPEC_TASK
    assert {int(s): s.display for s in FrameStatus} == SPEC_FRAME
    # api_reference.md's getTaskList table says "1/Waiting": read as waiting, and it is active
    assert TaskStatus.of(1) is TaskStatus.WAITING_1 and TaskStatus.WAITING_1.display == "waiting"
    assert TaskStatus.WAITING_1.is_active and not TaskStatus.WAITING_1.is_final


def test_final_failed_and_active_sets():
    assert {int(s) for s in TaskStatus if s.is_final} == {10, 15, 20, 23, 25, 30, 35, 40, 45}
    assert {int(s) for s in TaskStatus if s.is_active} == {0, 1, 5, 8, 50, 100}
    assert {int(s) for s in TaskStatus if s.is_failed} == {30, 45}
    assert {int(s) for s in TaskStatus if s.is_stopped} == {10, 15, 20, 23}
    assert {int(s) for s in FrameStatus if s.is_final} == {3, 4, 5, 11}
    assert {int(s) for s in FrameStatus if s.is_failed} == {5, 11}
    assert {int(s) for s in FrameStatus if s.is_active} == {1, 2, 6, 7, 8, 9, 10}


@pytest.mark.parametrize("value, expected", [
    (25, TaskStatus.FINISHED), ("25", TaskStatus.FINISHED), (" 5 ", TaskStatus.RENDERING),
    (True, None), (None, None), (77, None), ("abc", None), ([25], None), (25.0, None), ("-5", None),
])
def test_of_reads_what_a_farm_sends(value, expected):
    assert TaskStatus.of(value) is expected


def test_members_are_their_codes_on_the_wire():
    import json

    assert TaskStatus.FINISHED == 25 and {"taskStatus": 25}["taskStatus"] == TaskStatus.FINISHED
    assert json.dumps({"s": TaskStatus.FINISHED}) == '{"s": 25}'
    assert str(FrameStatus.DONE) == "4" and f"{FrameStatus.DONE}" == "4"


def test_texts_and_helpers():
    assert task_status_text(30) == "finished with failed frames"
    assert task_status_text("weird status that is far too long") == "weird status that is"
    assert task_status_text(None) == "unknown" and task_status_text(77) == "77"
    assert frame_status_text("11") == "timed out" and frame_status_text([1]) == "[1]"
    assert frame_failed(11) and frame_failed("5") and not frame_failed(4) and not frame_failed("x")
    assert task_final(40) and not task_final(50) and not task_final(None)
    assert frame_counts([4, 4, 5, 11, 2, 1, None, "x", 3]) == {"total": 9, "done": 2, "failed": 2, "rendering": 1}


def test_importing_it_loads_nothing_heavy():
    out = subprocess.run([sys.executable, "-c", "import sys; import rv_dcc.api.status; print(sorted(sys.modules))"],
                         capture_output=True, text=True, check=True).stdout
    for heavy in ("requests", "pydantic", "qtpy", "PySide6"):
        assert f"'{heavy}'" not in out
