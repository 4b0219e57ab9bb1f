"""Cost so far and projected cost from finished frames' fees."""
import pytest

from rv_dcc.monitor.cost import estimate_from_frames, estimate_from_task

from monitor_fakes import frame, task


def test_projection_uses_mean_fee_of_done_frames_for_the_remaining_ones():
    frames = [frame(1, 4, fee=1.0), frame(2, 4, fee=0.5, coupon=0.5), frame(3, 2), frame(4, 1), frame(5, 5, fee=0.2)]
    estimate = estimate_from_frames(frames)
    assert estimate.so_far == pytest.approx(2.2)
    assert estimate.done_frames == 2 and estimate.remaining_frames == 2
    assert estimate.projected == pytest.approx(2.2 + 2 * 1.0)


def test_no_projection_without_a_finished_frame():
    estimate = estimate_from_frames([frame(1, 2), frame(2, 1)])
    assert estimate.projected is None and estimate.so_far == 0


def test_task_row_estimate_and_ended_task_projects_what_it_cost():
    running = estimate_from_task(task(1, status=5, done=4, total=10, consume=2.0))
    assert running.projected == pytest.approx(5.0)
    ended = estimate_from_task(task(2, status=25, done=4, total=10, consume=2.0))
    assert ended.projected == pytest.approx(2.0)
    assert estimate_from_task(task(3, done=None, total=None, consume=None)).projected is None
