"""Money and acting from a terminal, against the embedded farm over real HTTP: test frames then the
projected total and the next command in `status`, a budget that `watch` enforces (stopping the
task and saying so), `watch`'s summary line and notification, `timeout` and `open`."""
import json
import os
import stat

import pytest

from cli_helpers import submit_sample

#: a few frames of one take: quick on a fast farm, enough for a projection
FEW = ("--frames", "1-4", "--layers", "Main")


def _fake_tool(tmp_path, name):
    """An executable ``name`` on a PATH of its own that appends its argv (one JSON line) to a file."""
    folder = tmp_path / "bin"
    folder.mkdir(exist_ok=True)
    record = tmp_path / f"{name}.calls"
    tool = folder / name
    tool.write_text(f"#!/bin/sh\n\"{os.sys.executable}\" -c 'import json,sys; "
                    f"open(sys.argv[1], \"a\").write(json.dumps(sys.argv[2:]) + \"\\n\")' \"{record}\" \"$@\"\n")
    tool.chmod(tool.stat().st_mode | stat.S_IXUSR)
    return folder, record


def _calls(record):
    return [json.loads(line) for line in record.read_text().splitlines()] if record.exists() else []


def test_test_frames_then_projected_total_and_the_next_command(rv, tmp_path):
    from rv_dcc.farm import EmbeddedFarm

    with EmbeddedFarm(str(tmp_path / "farm"), port=0, speed=40) as farm:
        task_id = submit_sample(rv, farm, "cinema4d", *FEW, "--test-frames", "first", "--stop-after-test")["task_id"]
        watched = rv("watch", task_id, "--domain", farm.domain, "--interval", "0.2", "--timeout", "90",
                     "--no-notify").no_traceback()
        assert watched.code == 1, watched.err  # not a clean finish: it waits for the artist
        summary = watched.err.strip().splitlines()[-1]
        assert summary.startswith(f"task {task_id} test finished: 1/4 frames")
        assert "render the remaining 3 frames" in summary and f"rv-dcc start {task_id}" in summary

        report = rv("status", task_id, "--domain", farm.domain, "--json").json
        frames = rv("frames", task_id, "--domain", farm.domain, "--json").json["frames"]
        done = [f["cost"] for f in frames if f["status_code"] == 4]
        assert report["status"] == "test finished" and report["status_code"] == 40 and len(done) == 1
        # the projected total is the test frame's real cost for each of the 4 frames (the panel's figure)
        assert report["cost"]["so_far"] == pytest.approx(done[0], abs=1e-4)
        assert report["cost"]["projected"] == pytest.approx(4 * done[0], abs=1e-3)
        assert report["next"] == {"kind": "render_rest", "command": f"rv-dcc start {task_id}",
                                  "text": report["next"]["text"]}
        # watch's last line, status and the panel: one projection (from the frames' real fees)
        assert f"projected total ${report['cost']['projected']:.2f}" in summary
        text = rv("status", task_id, "--domain", farm.domain).out
        assert f"next: test frames done" in text and f"rv-dcc start {task_id}" in text and "projected total $" in text


def test_a_budget_is_reported_at_test_frames_and_stops_the_render(rv, env, tmp_path):
    from rv_dcc.farm import EmbeddedFarm

    with EmbeddedFarm(str(tmp_path / "farm"), port=0, speed=40) as farm:
        task_id = submit_sample(rv, farm, "cinema4d", *FEW, "--test-frames", "first", "--stop-after-test",
                                "--budget", "0.0001")["task_id"]
        book = tmp_path / "xdg_data_home" / "rv_dcc" / "budgets.json"
        entries = json.loads(book.read_text())["budgets"]
        assert [entry["amount"] for key, entry in entries.items() if key.endswith(f"|{task_id}")] == [0.0001]

        first = rv("watch", task_id, "--domain", farm.domain, "--interval", "0.2", "--timeout", "90",
                   "--no-notify").no_traceback()
        # at the test frames the task waits: nothing to stop, but it is said
        assert "over its budget of $0.00" in first.err and "waits after its test frames" in first.err, first.err
        assert rv("status", task_id, "--domain", farm.domain, "--json").json["status_code"] == 40

        # the artist starts it anyway; with the budget set again, watch stops the render
        farm.scheduler.speed = 0.01  # the remaining frames now take minutes: still rendering when watch looks
        data = json.loads(book.read_text())
        for entry in data["budgets"].values():
            entry["reached"] = None
        book.write_text(json.dumps(data))
        assert rv("start", task_id, "--domain", farm.domain).code == 0
        second = rv("watch", task_id, "--domain", farm.domain, "--interval", "0.2", "--timeout", "60",
                    "--no-notify", "--json").no_traceback()
        events = [json.loads(line) for line in second.out.splitlines() if line.strip()]
        reached = [e for e in events if e["event"] == "budget_reached"]
        assert len(reached) == 1 and reached[0]["stopped"] is True and reached[0]["why"] == "spent", events
        assert events[-1]["event"] == "ended" and events[-1]["status_code"] in (10, 15)
        assert events[-1]["next"]["command"] == f"rv-dcc start {task_id}"
        assert json.loads(book.read_text())["budgets"] and all(
            e["reached"]["stopped"] for e in json.loads(book.read_text())["budgets"].values())


def test_a_bad_budget_is_a_usage_error(rv):
    result = rv("submit", "x.json", "--budget", "-3").no_traceback()
    assert result.code == 2 and "--budget" in result.err and "more than 0" in result.err


def test_watch_with_failures_ends_short_of_100_with_the_retry_command_and_a_notification(rv, env, tmp_path):
    from rv_dcc.farm import EmbeddedFarm

    tools, record = _fake_tool(tmp_path, "notify-send")
    # speed 10: frames take 2-9 s, so watch sees the task alive before it ends (one over already is not news)
    with EmbeddedFarm(str(tmp_path / "failing"), port=0, speed=10, fail_rate=0.5) as farm:
        task_id = submit_sample(rv, farm, "cinema4d", *FEW)["task_id"]
        watched = rv("watch", task_id, "--domain", farm.domain, "--interval", "0.2", "--timeout", "90",
                     env_extra={"PATH": f"{tools}{os.pathsep}{env['PATH']}"}).no_traceback()
        final = rv("status", task_id, "--domain", farm.domain, "--json").json
    failed = final["frames"]["failed"]
    assert 0 < failed < 4, final  # the farm's failures are seeded by frame id: some, not all
    assert watched.code == 1
    summary = watched.err.strip().splitlines()[-1]
    assert summary.startswith(f"task {task_id} finished with failed frames: {4 - failed}/4 frames, {failed} failed")
    assert summary.endswith(f"rv-dcc retry {task_id} --failed")
    assert "100%" not in watched.err  # the bar never says 100% for a render with holes
    calls = _calls(record)
    assert len(calls) == 1 and calls[0][:2] == ["--app-name", "rv_dcc"], calls
    assert f"task {task_id} ended" in calls[0][2] and calls[0][3] == summary


def test_no_notify_sends_none_and_a_clean_finish_says_download(rv, env, tmp_path, fast_farm):
    tools, record = _fake_tool(tmp_path, "notify-send")
    task_id = submit_sample(rv, fast_farm, "cinema4d", *FEW)["task_id"]
    quiet = rv("watch", task_id, "--domain", fast_farm.domain, "--interval", "0.2", "--timeout", "90", "--no-notify",
               env_extra={"PATH": f"{tools}{os.pathsep}{env['PATH']}"}).no_traceback()
    assert quiet.code == 0 and _calls(record) == []
    assert quiet.err.strip().splitlines()[-1].endswith(f"rv-dcc download {task_id} --to DIR")


def test_timeout_sets_the_overtime_stop_and_reads_it_back(rv, farm):
    task_id = submit_sample(rv, farm, "maya")["task_id"]
    result = rv("timeout", f"2W{task_id}", "90m", "--domain", farm.domain, "--json").no_traceback()
    assert result.code == 0, result.out + result.err
    assert result.json["action"] == "timeout" and result.json["timeout_seconds"] == 5400
    text = rv("timeout", task_id, "3600", "--domain", farm.domain)
    assert text.code == 0 and "stops after 1h 00m of rendering (3600 s)" in text.out
    for bad in ("0", "soon", "-5", "5d"):
        refused = rv("timeout", task_id, bad, "--domain", farm.domain).no_traceback()
        assert refused.code == 2 and "90m, 12h" in refused.err, (bad, refused.err)


def test_open_the_web_page_before_download_and_the_folder_after(rv, env, tmp_path, fast_farm):
    task_id = submit_sample(rv, fast_farm, "cinema4d", *FEW)["task_id"]
    nothing = rv("open", task_id, "--domain", fast_farm.domain, "--print").no_traceback()
    assert nothing.code == 1 and f"rv-dcc download {task_id} --to DIR" in nothing.err
    web = rv("open", task_id, "--domain", fast_farm.domain, "--print", "--json",
             env_extra={"RV_DCC_WEB_URL": "https://farm.example/task/{task_id}"}).json
    assert web == {"task_id": task_id, "kind": "web", "target": f"https://farm.example/task/{task_id}", "opened": False}

    rv("watch", task_id, "--domain", fast_farm.domain, "--interval", "0.2", "--timeout", "90", "--no-notify")
    assert rv("download", task_id, "--to", tmp_path / "dl", "--domain", fast_farm.domain).code == 0
    printed = rv("open", task_id, "--domain", fast_farm.domain, "--print")
    assert printed.code == 0 and printed.out.strip() == str((tmp_path / "dl").resolve())
    tools, record = _fake_tool(tmp_path, "xdg-open")
    opened = rv("open", f"#{task_id}", "--domain", fast_farm.domain,
                env_extra={"PATH": f"{tools}{os.pathsep}{env['PATH']}"}).no_traceback()
    assert opened.code == 0 and "outputs folder" in opened.out
    assert _calls(record) == [[str((tmp_path / "dl").resolve())]]
    assert rv("open", "999999", "--domain", fast_farm.domain, "--print").code == 1  # unknown: said, not opened
