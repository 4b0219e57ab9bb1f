"""submit / watch / download as a newcomer runs them: misuse is a usage error, a finished journal
is not "resumed" into a fake success, an abandon never kills a render by accident, Ctrl-C on watch
says the render goes on, a second download is a no-op that says so."""
import io
import os
import signal
import subprocess
import sys
import threading
import time

from cli_helpers import SAMPLES, closed_port, submit_sample


def test_submit_misuse_is_a_usage_error(rv, tmp_path):
    assert rv("submit").code == 2
    result = rv("submit", SAMPLES / "maya.json", "--abandon", "--json")
    assert result.code == 2 and "--abandon" in result.json["message"]
    both = rv("submit", SAMPLES / "maya.json", "--resume", "x")
    assert both.code == 2 and "not both" in both.err
    folder = rv("submit", tmp_path).no_traceback()
    assert folder.code == 1 and "is a folder" in folder.err


def test_blocked_real_submission_says_nothing_was_sent(rv, farm):
    result = rv("submit", SAMPLES / "blender.json", "--domain", farm.domain, "--frames", "abc")
    assert result.code == 2 and "NOT submitted (nothing was sent to the farm)" in result.out


def test_resume_of_a_submitted_journal_and_guarded_abandon(rv, farm, tmp_path):
    done = submit_sample(rv, farm, "maya")
    journal, task_id = done["journal"], done["task_id"]
    again = rv("submit", "--resume", journal)
    assert again.code == 0 and "already submitted: nothing to resume" in again.out
    assert rv("submit", "--resume", journal, "--json").json["already_submitted"] is True
    refused = rv("submit", "--resume", journal, "--abandon").no_traceback()
    assert refused.code == 1 and "--force" in refused.err
    status = rv("status", task_id, "--domain", farm.domain, "--json").json
    assert status["status_code"] not in (30, 35)  # still alive on the farm
    forced = rv("submit", "--resume", journal, "--abandon", "--force", "--json")
    assert forced.code == 0 and forced.json["stage"] == "abandoned"


def test_watch_fails_fast_on_a_farm_it_never_reached(rv):
    started = time.monotonic()
    result = rv("watch", "1", "--domain", f"127.0.0.1:{closed_port()}", timeout=60).no_traceback()
    assert result.code == 1 and "rv-dcc farm --port" in result.err
    assert time.monotonic() - started < 30


def test_watch_ctrl_c_says_the_render_goes_on(rv, env, farm):
    task_id = submit_sample(rv, farm, "maya")["task_id"]
    proc = subprocess.Popen([sys.executable, "-m", "rv_dcc", "watch", str(task_id), "--domain", farm.domain,
                             "--interval", "0.2"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    chunks, drawn = [], threading.Event()

    def read_stderr():
        # The first progress bar (tqdm draws "<task> ... [status]" on stderr, no newline) means
        # watch is following the task: the moment a Ctrl-C must be answered by the message.
        for chunk in iter(lambda: os.read(proc.stderr.fileno(), 4096), b""):
            chunks.append(chunk)
            if f"{task_id} ".encode() in b"".join(chunks) and b"frame" in b"".join(chunks):
                drawn.set()

    reader = threading.Thread(target=read_stderr, daemon=True)
    reader.start()
    try:
        assert drawn.wait(60), b"".join(chunks).decode(errors="replace")
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=20)
        reader.join(20)
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.stdout.close()
    err = b"".join(chunks).decode("utf-8", "replace")
    assert proc.returncode == 130 and "keep rendering on the farm" in err and f"rv-dcc watch {task_id}" in err
    assert "Traceback" not in err


def test_watch_bar_starts_at_the_frames_already_done():
    from rv_dcc.commands.watch import Bars, summary_lines

    stream = io.StringIO()
    bars = Bars(file=stream)
    bars.update({7: {"totalFrames": 10, "doneFrames": 6, "failedFrames": 0, "taskStatus": 5}})
    bar = bars.bars[7]
    assert bar.n == 6 and bar.format_dict["initial"] == 6  # not 6 frames "in 0 s"
    bars.close()
    lines = summary_lines({7: {"totalFrames": 10, "doneFrames": 10, "taskStatus": 25}}, [7, 8])
    assert lines[0].startswith("task 7 finished: 10/10 frames, cost $0.00") and "rv-dcc download 7" in lines[0]
    assert lines[1] == "task 8: no answer from the farm — try again: rv-dcc status 8"


def test_download_twice_and_into_a_file(rv, fast_farm, tmp_path):
    task_id = submit_sample(rv, fast_farm, "cinema4d")["task_id"]
    watched = rv("watch", task_id, "--domain", fast_farm.domain, "--interval", "0.2", "--timeout", "60")
    assert watched.code == 0, watched.err
    first = rv("download", task_id, "--to", tmp_path / "dl", "--domain", fast_farm.domain, "--json").json
    assert first["downloaded"] == len(first["files"]) > 0 and first["already_there"] == 0 and first["complete"]
    second = rv("download", task_id, "--to", tmp_path / "dl", "--domain", fast_farm.domain)
    assert second.code == 0 and f"(0 downloaded, {len(first['files'])} already there)" in second.out
    blocker = tmp_path / "file"
    blocker.write_text("x")
    into_file = rv("download", task_id, "--to", blocker, "--domain", fast_farm.domain).no_traceback()
    assert into_file.code == 1 and "--to needs a folder" in into_file.err


def test_download_of_a_task_with_failed_frames_is_not_complete_and_names_them(rv, tmp_path):
    """A render that finished with failures is never reported complete: --json says which frames
    have no output, and the text says what to do next."""
    from rv_dcc.farm import EmbeddedFarm

    with EmbeddedFarm(str(tmp_path / "failing"), port=0, speed=400, fail_rate=1.0) as farm:
        task_id = submit_sample(rv, farm, "cinema4d")["task_id"]
        rv("watch", task_id, "--domain", farm.domain, "--interval", "0.2", "--timeout", "60")
        out = rv("download", task_id, "--to", tmp_path / "dl", "--domain", farm.domain, "--json").json
        assert out["complete"] is False and out["failed_frames"], out
        text = rv("download", task_id, "--to", tmp_path / "dl", "--domain", farm.domain)
        assert text.code == 0 and "frame(s) failed and have no output" in text.out
        assert "Retry failed frames" in text.out
