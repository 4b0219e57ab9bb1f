"""rv-dcc's shared connection helper and the small commands (history, status, submit --resume)."""
import argparse
import json
import os
import subprocess
import sys

import pytest

from pipeline_helpers import SAMPLES, load_sample
from rv_dcc.app.connect import is_loopback
from rv_dcc.commands.connect import connect


def _args(**kw):
    base = dict(domain=None, platform=None, protocol=None, json=True)
    base.update(kw)
    return argparse.Namespace(**base)


def test_is_loopback():
    assert is_loopback("127.0.0.1:8765") and is_loopback("localhost") and is_loopback("[::1]:9")
    assert not is_loopback("jop.foxrenderfarm.com") and not is_loopback(None)


def test_loopback_domain_uses_embedded_account(farm):
    api = connect(_args(domain=farm.domain))
    try:
        assert api.protocol == "http" and api.access_id == farm.access_id
        assert api.user.query_user_profile()["userId"]
    finally:
        api.close()


def test_real_domain_without_account_says_what_to_do():
    from rv_dcc.api.credentials import CredentialsError

    with pytest.raises(CredentialsError, match="no farm account"):
        connect(_args(domain="jop.foxrenderfarm.com"))


def test_no_account_starts_the_background_farm(tmp_path):
    from rv_dcc.farm import launcher

    api = connect(_args())
    try:
        assert is_loopback(api.domain)
        assert api.query.get_task_list(page_num=1, page_size=1) is not None
    finally:
        api.close()
        assert launcher.stop_running()  # the farm this test started, by its recorded pid


def test_submit_cancelled_then_cli_resume_and_history(farm, api, tmp_path):
    from rv_dcc.submit.options import SubmitOptions
    from rv_dcc.submit.pipeline import CancelToken, submit_scene

    token = CancelToken()
    result = submit_scene(api, load_sample("maya"), SubmitOptions(), journal_root=tmp_path / "j", cancel=token,
                          progress=lambda e: token.cancel() if e.stage == "upload" else None)
    assert result.cancelled
    env = dict(os.environ, RV_DCC_JOURNALS=str(tmp_path / "j"))
    run = lambda *a: subprocess.run([sys.executable, "-m", "rv_dcc", *a], capture_output=True, text=True, env=env,
                                    timeout=120)
    history = json.loads(run("history", "--json").stdout)
    assert history[0]["stage"] == "cancelled" and history[0]["task_id"] == result.task_id
    # --resume by task id, the farm taken from the journal (no --domain given)
    proc = run("submit", "--resume", str(result.task_id), "--json")
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout.splitlines()[-1])
    assert out["stage"] == "submitted" and out["task_id"] == result.task_id
    text = run("history").stdout
    assert "submitted" in text and str(result.task_id) in text
    status = run("status", str(result.task_id), "--domain", farm.domain)
    assert status.returncode == 0 and str(result.task_id) in status.stdout
    missing = run("status", "999999", "--domain", farm.domain, "--json")
    assert missing.returncode == 1 and "999999" in json.loads(missing.stdout)["message"]
