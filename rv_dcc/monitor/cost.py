"""Cost so far and projected cost of a task, from the fees of the frames already rendered.

The farm charges per frame (``feeAmount`` from the balance plus ``couponFee`` from vouchers).
"So far" is what the frames have been charged; "projected" adds, for every frame still to
render, the mean fee of the frames that finished — the estimate an artist wants at frame 20 of
500 before the bill arrives. With no finished frame there is no basis, and the projection is
None rather than a made-up number. Pure standard library.
"""
from dataclasses import dataclass
from typing import Any, Iterable, Mapping, Optional

from rv_dcc.api.status import FrameStatus, TaskStatus


def _number(value: Any) -> float:
    try:
        return float(value) if value not in (None, "") else 0.0
    except (TypeError, ValueError):
        return 0.0


def frame_fee(frame: Mapping[str, Any]) -> float:
    """What one frame has cost: balance plus vouchers."""
    return _number(frame.get("feeAmount")) + _number(frame.get("couponFee"))


@dataclass(frozen=True)
class CostEstimate:
    """Cost so far, projection for the whole task (None without a finished frame), and basis."""

    so_far: float
    projected: Optional[float]
    done_frames: int
    remaining_frames: int
    mean_fee: Optional[float]


def estimate_from_frames(frames: Iterable[Mapping[str, Any]]) -> CostEstimate:
    """Estimate from a task's frame rows (``frameStatus``, ``feeAmount``, ``couponFee``)."""
    so_far = 0.0
    done_fees = 0.0
    done = 0
    remaining = 0
    for frame in frames:
        fee = frame_fee(frame)
        so_far += fee
        status = FrameStatus.of(frame.get("frameStatus"))
        if status is FrameStatus.DONE:
            done += 1
            done_fees += fee
        elif status is None or not status.is_final:  # not rendered again unless someone asks
            remaining += 1
    mean = done_fees / done if done else None
    projected = so_far + mean * remaining if mean is not None else None
    return CostEstimate(round(so_far, 4), None if projected is None else round(projected, 4),
                        done, remaining, mean)


def estimate_from_task(task: Mapping[str, Any]) -> CostEstimate:
    """Estimate from a task-list row alone (``renderConsume`` over ``doneFrames`` of ``totalFrames``).

    Used for rows of the task list, where frames are not fetched; the selected task's figure
    comes from :func:`estimate_from_frames`.
    """
    so_far = _number(task.get("renderConsume"))
    if not so_far:
        so_far = _number(task.get("userAccountConsume")) + _number(task.get("couponConsume"))
    done = int(_number(task.get("doneFrames")))
    total = int(_number(task.get("totalFrames")))
    failed = int(_number(task.get("failedFrames")))
    aborted = int(_number(task.get("abortFrames")))
    remaining = max(total - done - failed - aborted, 0)
    status = TaskStatus.of(task.get("taskStatus"))
    if status is not None and status.is_final and status is not TaskStatus.TEST_FINISHED:
        remaining = 0  # ended: nothing more will be charged unless restarted (a test-finished task goes on)
    mean = so_far / done if done else None
    projected = so_far + mean * remaining if mean is not None else None
    return CostEstimate(round(so_far, 4), None if projected is None else round(projected, 4),
                        done, remaining, mean)
