"""Fault tests: connections cut after each non-repeatable call and during uploads, the process
killed at each stage, then resumed — exactly one task, every file present, each sent once.
The 200-run randomised version is bench/fault_runs.py (and the slow-marked test below)."""
import pytest

from fault_harness import CRASH_POINTS, one_run

CUT_CASES = [("createTask", None), ("taskJsonFile", 1), ("taskJsonFile", 2), ("taskJsonFile", 3),
             ("taskJsonFile", 4), ("upload", 1), ("upload", 2), ("submitTask", None)]


@pytest.mark.parametrize("op,nth", CUT_CASES)
def test_connection_cut_then_resume(farm, tmp_path, op, nth):
    result = one_run(farm, tmp_path, seed=7, kind="cut", choice=op, nth=nth)
    assert result["ok"] and result["files"] >= 2, result


@pytest.mark.parametrize("point", CRASH_POINTS)
def test_process_dies_at_each_stage_then_resume(farm, tmp_path, point):
    result = one_run(farm, tmp_path, seed=11, kind="crash", choice=point)
    assert result["ok"] and "exit 77" in result["detail"], result


def test_randomised_fast_subset(farm, tmp_path):
    """10 randomised runs (cut / crash / kill) in the default suite."""
    results = [one_run(farm, tmp_path, seed) for seed in range(1000, 1010)]
    assert len(results) == 10 and all(r["ok"] for r in results)


@pytest.mark.slow
def test_randomised_200_runs(farm, tmp_path):
    results = [one_run(farm, tmp_path, seed) for seed in range(200)]
    assert all(r["ok"] for r in results)
