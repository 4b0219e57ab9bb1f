"""The task commands (frames, log, retry, stop, start, priority, abandon, delete) against the
embedded farm over real HTTP: each changes the farm's state as asked (read back with another
command), destructive ones refuse without --yes off a terminal and ask on one, every id form an
artist may paste is accepted and garbage is a usage error naming the expected form."""
import os
import subprocess
import sys

import pytest

from cli_helpers import submit_sample

#: a submitted task that nobody stopped: waiting for a machine or rendering (the farm's clock decides)
_ALIVE = {0, 5}
#: the frame states a frame sent to render again may be in right after (waiting, rendering, ...)
_AGAIN = {1, 2, 6, 7, 8, 9, 10}


def _status(rv, farm, task_id):
    result = rv("status", task_id, "--domain", farm.domain, "--json")
    assert result.code == 0, result.out + result.err
    return result.json


def _frames(rv, farm, task_id):
    result = rv("frames", task_id, "--domain", farm.domain, "--json").no_traceback()
    assert result.code == 0, result.out + result.err
    return result.json["frames"]


@pytest.mark.parametrize("form", ["2W{id}", "{id}", "#{id}", " 2W {id} ", "2w{id}"])
def test_every_pasted_id_form_names_the_task(rv, farm, form):
    task_id = submit_sample(rv, farm, "maya")["task_id"]
    typed = form.format(id=task_id)
    listed = rv("frames", typed, "--domain", farm.domain, "--json").no_traceback()
    assert listed.code == 0 and listed.json["task_id"] == task_id and listed.json["frames"], listed.out + listed.err
    assert _status(rv, farm, typed)["task_id"] == task_id
    text = rv("frames", typed, "--domain", farm.domain)
    lines = text.out.splitlines()
    assert text.code == 0 and "machine" in lines[0] and len(lines) == 1 + len(listed.json["frames"])


@pytest.mark.parametrize("command", [("frames",), ("status",), ("watch",), ("download", "--to", "x"), ("stop", "--yes"),
                                     ("start",), ("priority", "?", "high"), ("abandon", "--yes"), ("delete", "--yes"),
                                     ("retry",), ("log", "--frame", "1")])
def test_every_task_command_refuses_a_garbage_id(rv, command):
    argv = [command[0], "shot010"] + list(command[1:])
    if "?" in command:
        argv = [command[0], "shot010"] + [a for a in command[1:] if a != "?"]
    result = rv(*argv, "--domain", "127.0.0.1:9").no_traceback()  # never reached: refused first
    assert result.code == 2, (argv, result.out, result.err)
    assert "'shot010' is not a task id" in result.err and "2W19002" in result.err


@pytest.mark.parametrize("text", ["2W19002", "19002", "#19002", " 2W 19002 ", "2w19002", "#2W19002", "19 002", 19002])
def test_the_parser_reads_every_pasted_form(text):
    from rv_dcc.commands.taskid import parse_task_id

    assert parse_task_id(text) == 19002


@pytest.mark.parametrize("text", ["abc", "2W", "19002x", "0", "shot010", "-5", "1.5", "", "2WW19002", "task 19002"])
def test_the_parser_refuses_garbage_naming_the_form(text):
    import argparse

    from rv_dcc.commands.taskid import parse_task_id

    with pytest.raises(argparse.ArgumentTypeError, match="2W19002"):
        parse_task_id(text)


def test_garbage_id_with_json_is_a_json_usage_error(rv):
    result = rv("stop", "shot010", "--yes", "--json")
    assert result.code == 2 and result.json["error"] == "UsageError" and "2W19002" in result.json["message"]


def test_stop_start_and_priority_change_the_task(rv, farm):
    task_id = submit_sample(rv, farm, "maya")["task_id"]
    assert _status(rv, farm, task_id)["status_code"] in _ALIVE
    refused = rv("stop", task_id, "--domain", farm.domain).no_traceback()
    assert refused.code == 2 and "--yes" in refused.err
    assert _status(rv, farm, task_id)["status_code"] in _ALIVE  # nothing was sent
    refused_json = rv("stop", task_id, "--domain", farm.domain, "--json")
    assert refused_json.code == 2 and refused_json.json["error"] == "ConfirmationRequired"

    stopped = rv("stop", f"2W{task_id}", "--yes", "--domain", farm.domain, "--json")
    assert stopped.code == 0 and stopped.json["status_code"] == 10 and stopped.json["before"]["status_code"] in _ALIVE
    assert _status(rv, farm, task_id)["status_code"] == 10
    assert {frame["status_code"] for frame in _frames(rv, farm, task_id)} == {3}

    started = rv("start", f"#{task_id}", "--domain", farm.domain)
    assert started.code == 0 and "(was stopped)" in started.out
    assert _status(rv, farm, task_id)["status_code"] not in (10, 15)
    assert 3 not in {frame["status_code"] for frame in _frames(rv, farm, task_id)}

    high = rv("priority", task_id, "high", "--domain", farm.domain, "--json")
    assert high.code == 0 and high.json["priority"] == 60
    assert _status(rv, farm, task_id)["priority"] == 60
    assert rv("priority", task_id, "normal", "--domain", farm.domain).code == 0
    assert _status(rv, farm, task_id)["priority"] == 50
    assert rv("priority", task_id, "urgent", "--domain", farm.domain).code == 2


def test_abandon_and_delete_need_confirmation_then_act(rv, farm):
    task_id = submit_sample(rv, farm, "blender")["task_id"]
    assert rv("abandon", task_id, "--domain", farm.domain).code == 2
    assert rv("delete", task_id, "--domain", farm.domain).code == 2
    assert _status(rv, farm, task_id)["status_code"] in _ALIVE  # neither was sent
    abandoned = rv("abandon", task_id, "-y", "--domain", farm.domain, "--json")
    assert abandoned.code == 0 and abandoned.json["status_code"] == 35
    assert _status(rv, farm, task_id)["status_code"] == 35
    deleted = rv("delete", task_id, "--yes", "--domain", farm.domain)
    assert deleted.code == 0 and "deleted" in deleted.out
    gone = rv("status", task_id, "--domain", farm.domain).no_traceback()
    assert gone.code == 1 and "not found" in gone.err
    listed = rv("status", "--domain", farm.domain, "--json").json
    assert task_id not in [item["task_id"] for item in listed["tasks"]]


def test_a_terminal_is_asked_and_no_means_nothing_sent(env, rv, farm):
    pty = pytest.importorskip("pty")
    task_id = submit_sample(rv, farm, "maya")["task_id"]

    def answer(text):
        leader, follower = pty.openpty()
        try:
            proc = subprocess.Popen([sys.executable, "-m", "rv_dcc", "stop", str(task_id), "--domain", farm.domain],
                                    stdin=follower, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
            os.write(leader, text.encode())
            out, err = proc.communicate(timeout=60)
        finally:
            os.close(leader)
            os.close(follower)
        return proc.returncode, out, err

    code, out, err = answer("n\n")
    assert code == 2 and "cancelled" in err and "Stop task" in out
    assert _status(rv, farm, task_id)["status_code"] in _ALIVE
    code, out, _err = answer("y\n")
    assert code == 0 and "stopped" in out
    assert _status(rv, farm, task_id)["status_code"] == 10


def test_retry_chosen_frames_of_a_stopped_task(rv, farm):
    task_id = submit_sample(rv, farm, "maya")["task_id"]
    assert rv("stop", task_id, "--yes", "--domain", farm.domain).code == 0
    retried = rv("retry", task_id, "--frames", "2,4-5", "--domain", farm.domain, "--json")
    assert retried.code == 0, retried.out + retried.err
    assert {frame["frame"] for frame in retried.json["frames"]} == {"2", "4", "5"}
    for frame in _frames(rv, farm, task_id):
        if frame["frame"] in ("2", "4", "5"):
            assert frame["status_code"] in _AGAIN, frame
        else:
            assert frame["status_code"] == 3, frame  # the others stay stopped
    missing = rv("retry", task_id, "--frames", "9999", "--domain", farm.domain).no_traceback()
    assert missing.code == 1 and "no frame 9999" in missing.err and "nothing was sent" in missing.err
    assert rv("retry", task_id, "--frames", "5-x", "--domain", farm.domain).code == 2
    assert rv("retry", task_id, "--failed", "--frames", "2", "--domain", farm.domain).code == 2


def test_failed_frames_log_and_retry_failed(rv, tmp_path):
    from rv_dcc.farm import EmbeddedFarm

    with EmbeddedFarm(str(tmp_path / "failing"), port=0, speed=400, fail_rate=1.0) as farm:
        task_id = submit_sample(rv, farm, "cinema4d")["task_id"]
        rv("watch", task_id, "--domain", farm.domain, "--interval", "0.2", "--timeout", "60")
        frames = _frames(rv, farm, task_id)
        assert frames and {frame["status_code"] for frame in frames} == {5}
        first = frames[0]["frame"]
        log = rv("log", f"2W{task_id}", "--frame", first, "--domain", farm.domain).no_traceback()
        assert log.code == 0 and f"frame {first} failed" in log.out, log.out + log.err
        as_json = rv("log", task_id, "--frame", first, "--domain", farm.domain, "--json").json
        assert as_json["logs"] and f"frame {first} failed" in as_json["logs"][0]["log"]
        assert rv("log", task_id, "--frame", "9999", "--domain", farm.domain).code == 1

        farm.scheduler.fail_rate = 0.0  # the retried frames now render
        retried = rv("retry", task_id, "--domain", farm.domain, "--json")
        assert retried.code == 0 and retried.json["retried"] == len(frames)
        watched = rv("watch", task_id, "--domain", farm.domain, "--interval", "0.2", "--timeout", "60")
        assert watched.code == 0, watched.out + watched.err
        assert {frame["status_code"] for frame in _frames(rv, farm, task_id)} == {4}
        nothing = rv("retry", task_id, "--domain", farm.domain)
        assert nothing.code == 0 and "no failed frames" in nothing.out


def test_a_layer_is_acted_on_by_its_own_id(rv, farm):
    task_id = submit_sample(rv, farm, "maya")["task_id"]
    layers = _status(rv, farm, task_id)["layers"]
    assert len(layers) >= 2
    first, other = layers[0]["task_id"], layers[1]["task_id"]
    stopped = rv("stop", f"2W{first}", "--yes", "--domain", farm.domain, "--json")
    assert stopped.code == 0 and stopped.json["task_id"] == first and stopped.json["status_code"] == 10, stopped.out
    after = {sub["task_id"]: sub["status_code"] for sub in _status(rv, farm, task_id)["layers"]}
    assert after[first] == 10 and after[other] in _ALIVE
