"""Progress is counted in frames, not in the farm's render blocks (rv_dcc.monitor.progress).

A 6-frame task rendered two frames per machine has three frame records ("1-2[1]", ...) and the
farm's task counts say 3: the artist must read 6 frames everywhere (issue 16). Against the
embedded farm over real HTTP, while it renders.
"""
from farm_helpers import ended, frames, max_task, submit, wait_for
from rv_dcc.monitor.progress import block_size, frame_counts, range_size, task_progress


def _task_row(client, task_id):
    items = client.ok("getTaskList", {"pageNum": 1, "pageSize": 10})["items"]
    return next(item for item in items if item["id"] == task_id)


def test_a_task_rendered_in_blocks_counts_its_frames(client):
    task_id = submit(client, max_task, "1-6[1]", frames_per_task="2", pre_frames="000")
    records = frames(client, task_id)
    assert [block_size(r["frameIndex"]) for r in records] == [2, 2, 2]
    assert frame_counts(records)["total"] == 6
    row = _task_row(client, task_id)
    assert row["totalFrames"] == 3 and task_progress(row).total == 6  # the farm counts records
    # while it renders, done frames move in twos and never pass the frames there are
    seen = set()

    def done_now():
        current = task_progress(_task_row(client, task_id))
        seen.add(current.done)
        return ended(client, task_id)
    final = wait_for(done_now, timeout=60)
    assert seen <= {0, 2, 4, 6} and 6 in {task_progress(final).done} | seen
    counts = frame_counts(frames(client, task_id))
    assert counts["done"] + counts["failed"] == 6


def test_rows_without_blocks_are_left_as_the_farm_counts_them():
    assert task_progress({"doneFrames": 3, "failedFrames": 1, "totalFrames": 10, "framesRange": "1-10[1]"}) == (3, 1, 10)
    # a layered parent adds its layers' records: more records than the range has frames
    assert task_progress({"doneFrames": 5, "totalFrames": 12, "framesRange": "1-6[1]"}) == (5, 0, 12)
    assert task_progress({"doneFrames": "x", "totalFrames": None, "framesRange": "garbage"}) == (0, 0, 0)
    # the last block shorter: exact at the end, never above the frames there are
    assert task_progress({"doneFrames": 4, "totalFrames": 4, "framesRange": "1-7[1]"}).done == 7
    assert task_progress({"doneFrames": 1, "failedFrames": 3, "totalFrames": 4, "framesRange": "1-7[1]"}) == (2, 5, 7)
    assert range_size("1,3,5-9") == 7 and range_size("") is None and block_size(12) == 1 and block_size("a-b") == 1


def test_the_cli_counts_frames_too(client):
    """`status`, `watch` and their --json read the same frames as the panel (not the farm's blocks)."""
    from rv_dcc.commands.jsonout import task as task_json
    from rv_dcc.commands.status import describe
    from rv_dcc.monitor.outcome import outcome_line

    task_id = submit(client, max_task, "1-6[1]", frames_per_task="2", pre_frames="000")
    row = _task_row(client, task_id)
    assert row["totalFrames"] == 3
    assert task_json(row)["frames"]["total"] == 6
    assert "/6 frames" in describe(row) and "/6 frames" in outcome_line(task_id, row)
