"""Progress in frames, not in the farm's render blocks.

With "frames per machine" above 1 (Houdini's usual chunks, any host's blocks), the farm's frame
records are blocks: a record's ``frameIndex`` is ``"1-5[1]"`` and a task's ``totalFrames`` /
``doneFrames`` count records, so a 6-frame task rendered two at a time said "2/3 frames". The
artist thinks in frames. The selected task's frames are counted exactly from their records
(:func:`block_size`); a task-list row, which only has the counts of records, is converted with
the frames of its ``framesRange`` (:func:`task_progress`): exact whenever the blocks are equal, as
the submitter makes them except the last. Pure standard library; the panel, the CLI and the
Blender panel all read progress here.
"""
from typing import Any, Iterable, Mapping, NamedTuple, Optional

from rv_dcc.api.status import FrameStatus
from rv_dcc.scene.frames import parse_frames


class Progress(NamedTuple):
    """Frames done, failed and in all (of a task or of the frames read)."""

    done: int
    failed: int
    total: int


def _count(value: Any) -> int:
    try:
        number = int(value or 0)
    except (TypeError, ValueError, OverflowError):
        return 0
    return max(number, 0)


def range_size(spec: Any) -> Optional[int]:
    """Frames in a frame range as the farm writes it (``"1-12[1]"``, ``"1,3,5-9"``); None when
    it is not one."""
    if not isinstance(spec, str) or not spec.strip():
        return None
    try:
        return len(parse_frames(spec.strip()))
    except (ValueError, TypeError):
        return None


def block_size(frame_index: Any) -> int:
    """Frames in one frame record (``"7"`` -> 1, ``"1-5[1]"`` -> 5); 1 when it cannot be read."""
    if isinstance(frame_index, int) and not isinstance(frame_index, bool):
        return 1
    return range_size(frame_index) or 1


def task_progress(row: Mapping[str, Any]) -> Progress:
    """A task-list row's progress in frames.

    The record counts are scaled by the frames of ``framesRange`` when that range holds more
    frames than the task has records (its records are blocks); a layered parent, whose counts
    add up its layers' records, is left as the farm counts it."""
    done, failed, total = _count(row.get("doneFrames")), _count(row.get("failedFrames")), _count(row.get("totalFrames"))
    frames = range_size(row.get("framesRange"))
    if not frames or total <= 0 or frames <= total:
        return Progress(done, failed, total)
    per_block = frames / total
    done_frames = frames if done >= total else min(frames, round(done * per_block))
    failed_frames = min(frames - done_frames, round(failed * per_block))
    return Progress(done_frames, failed_frames, frames)


def frame_counts(rows: Iterable[Mapping[str, Any]]) -> dict:
    """Counts of frames (not records) by state: ``total``, ``done``, ``failed``, ``rendering``."""
    counts = {"total": 0, "done": 0, "failed": 0, "rendering": 0}
    for row in rows:
        size = block_size(row.get("frameIndex"))
        status = FrameStatus.of(row.get("frameStatus"))
        counts["total"] += size
        if status is FrameStatus.DONE:
            counts["done"] += size
        elif status is not None and status.is_failed:
            counts["failed"] += size
        elif status is FrameStatus.RENDERING:
            counts["rendering"] += size
    return counts
