"""Every error of `rv-dcc` says what happened and what to do, in one line (no traceback), with
consistent exit codes (1 error, 2 usage), and as a JSON object on stdout under --json."""
import io
import json
import os

import pytest

from cli_helpers import SAMPLES, closed_port


def test_usage_errors_are_json_under_json_and_exit_2(rv):
    bogus = rv("--json", "bogus")
    assert bogus.code == 2 and bogus.json["error"] == "UsageError" and "bogus" in bogus.json["message"]
    bad_int = rv("status", "abc", "--json")
    assert bad_int.code == 2 and "is not a task id" in bad_int.json["message"] and "2W19002" in bad_int.json["message"]
    assert "rv-dcc status --help" in bad_int.json["hint"]
    text = rv("status", "abc")
    assert text.code == 2 and text.out == "" and "is not a task id" in text.err


def test_no_command_is_a_usage_error(rv):
    result = rv()
    assert result.code == 2 and "COMMAND" in result.err and result.out == ""


def test_a_filesystem_error_is_one_line_not_a_traceback(rv, tmp_path):
    blocker = tmp_path / "a_file"
    blocker.write_text("x")
    # --version: without it the Blender version is guessed from an importable bpy, absent on 3.9
    result = rv("install", "blender", "--version", "4.2", "--prefix", blocker / "sub", "--no-deps").no_traceback()
    assert result.code == 1 and str(blocker) in result.err and len(result.err.strip().splitlines()) == 1
    as_json = rv("install", "blender", "--version", "4.2", "--prefix", blocker / "sub", "--no-deps",
                 "--json").no_traceback()
    assert as_json.code == 1 and str(blocker) in as_json.json["message"]


def test_an_unexpected_bug_is_one_line_unless_debugging(monkeypatch, capsys, tmp_path):
    from rv_dcc import cli
    from rv_dcc.commands import history

    def broken(root=None):
        raise ValueError("boom")

    monkeypatch.setattr(history, "history_rows", broken)
    assert cli.main(["history", "--root", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "internal error (ValueError: boom)" in err and "RV_DCC_DEBUG=1" in err and "Traceback" not in err
    monkeypatch.setenv("RV_DCC_DEBUG", "1")
    with pytest.raises(ValueError):
        cli.main(["history", "--root", str(tmp_path)])


def test_describe_errors_in_json_and_a_folder_is_named(rv, tmp_path):
    missing = rv("describe", tmp_path / "nope.blend", "--json").no_traceback()
    assert missing.code == 1 and missing.json["error"] and "nope.blend" in missing.json["message"]
    folder = rv("describe", tmp_path).no_traceback()
    assert folder.code == 1 and "is a folder, not a scene file" in folder.err


def test_a_host_traceback_is_cut_to_its_last_line():
    from rv_dcc.commands.connect import readable

    text = ("Blender could not read x.blend (exit status 1):\nError: not a blend\n"
            "Traceback (most recent call last):\n  File \"batch.py\", line 4, in <module>\n    main()\n"
            "RuntimeError: Error: File format is not supported")
    assert readable(text) == ("Blender could not read x.blend (exit status 1):\nError: not a blend\n"
                              "RuntimeError: Error: File format is not supported")
    assert readable("plain words") == "plain words"


def test_loopback_connection_refused_says_how_to_start_the_farm(rv):
    port = closed_port()
    result = rv("status", "--domain", f"127.0.0.1:{port}").no_traceback()
    assert result.code == 1 and f"rv-dcc farm --port {port}" in result.err
    as_json = rv("status", "--domain", f"127.0.0.1:{port}", "--json")
    assert as_json.code == 1 and as_json.json["error"] == "ConnectionFailedError"
    # the hint is its own field, not repeated inside the message
    assert as_json.json["hint"] not in as_json.json["message"]


def test_half_set_account_variables_are_refused_not_silently_local(rv, farm):
    result = rv("status", env_extra={"RAYVISION_API_ACCESS_ID": "someone"}).no_traceback()
    assert result.code == 1 and "RAYVISION_API_KEY is not" in result.err
    as_json = rv("status", "--domain", farm.domain, "--json", env_extra={"RAYVISION_API_KEY": "k"})
    assert as_json.code == 1 and "RAYVISION_API_ACCESS_ID is not" in as_json.json["message"]


def test_wrong_credentials_name_their_source_and_never_the_key(rv, farm):
    secret = "s3cr3t-NEVER-SHOWN"
    wrong = {"RAYVISION_API_ACCESS_ID": "nobody", "RAYVISION_API_KEY": secret}
    result = rv("status", "--domain", farm.domain, env_extra=wrong).no_traceback()
    assert result.code == 1 and "RAYVISION_API_ACCESS_ID" in result.err and secret not in result.err + result.out
    bad_key = dict(wrong, RAYVISION_API_ACCESS_ID=farm.access_id)
    as_json = rv("status", "--domain", farm.domain, "--json", env_extra=bad_key)
    assert as_json.code == 1 and as_json.json["error"] == "AuthenticationError"
    assert "environment variables" in as_json.json["hint"] and secret not in as_json.out + as_json.err


def test_real_domain_without_account_gives_command_line_advice(rv):
    result = rv("status", "--domain", "jop.foxrenderfarm.com", "--json").no_traceback()
    assert result.code == 1 and "no farm account found" in result.json["message"]
    assert "RAYVISION_API_KEY" in result.json["hint"] and "save_account" not in result.json["hint"]


def test_panel_without_display_says_so_instead_of_aborting(rv):
    result = rv("panel").no_traceback()
    assert result.code == 1 and "needs a display" in result.err and "--screenshot" in result.err


def test_history_stage_is_checked_and_empty_results_say_why(rv, tmp_path):
    from rv_dcc.commands.history import STAGES
    from rv_dcc.submit import journal as jr

    # the journal's stages, plus "damaged" for a journal history cannot read (issue 15 item 10)
    assert set(STAGES) == set(jr.ORDER) | {jr.CANCELLED, jr.ABANDONED, jr.FAILED, "damaged"}
    assert rv("history", "--stage", "bogus").code == 2
    empty = rv("history", "--stage", "failed", "--root", tmp_path)
    assert empty.code == 0 and "no submissions in stage failed" in empty.out


def test_farm_json_and_bad_options(rv, env, tmp_path):
    import signal
    import subprocess
    import sys

    bad = rv("farm", "--speed", "0", "--json")
    assert bad.code == 2 and bad.json["error"] == "UsageError" and bad.err == ""
    proc = subprocess.Popen([sys.executable, "-m", "rv_dcc", "farm", "--json", "--port", "0", "--data",
                             str(tmp_path / "f")], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        serving = json.loads(proc.stdout.readline())
        assert serving["event"] == "serving" and serving["domain"].startswith("127.0.0.1:")
        proc.send_signal(signal.SIGINT)
        out, _err = proc.communicate(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0 and json.loads(out.splitlines()[-1])["event"] == "stopped"


def test_demo_does_not_wait_for_a_panel_nobody_can_close(monkeypatch):
    import argparse

    from rv_dcc.commands import demo

    class Panel:
        waited = False

        def wait(self, timeout=None):
            Panel.waited = True

    monkeypatch.setattr("sys.stdin", io.StringIO(""))  # not a terminal: a script, CI, xvfb-run
    args = argparse.Namespace(json=True, timeout=600)
    demo._wait_for_panel(args, Panel(), started=0.0)
    assert not Panel.waited
