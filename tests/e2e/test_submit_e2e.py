"""End to end, per host, over real HTTP against the embedded farm:
sample description -> checks -> submit (journal, createTask, task files, uploads, submit/task)
-> task finished -> outputs downloaded."""
import hashlib
import json
import os
import subprocess
import sys

import pytest

from pipeline_helpers import HOSTS, SAMPLES, load_sample, tasks_with_marker


def _md5(path):
    return hashlib.md5(open(path, "rb").read()).hexdigest()


@pytest.mark.parametrize("host", HOSTS)
def test_sample_renders_and_downloads(host, farm, api, tmp_path):
    from rv_dcc.commands.download import download_task
    from rv_dcc.commands.watch import follow
    from rv_dcc.submit.options import SubmitOptions
    from rv_dcc.submit.pipeline import submit_scene
    from rv_dcc.submit.catalog_source import ApiCatalogSource
    from rv_dcc.submit.prepare import catalog_for, prepare, scan
    from rv_dcc.transfer import Progress

    desc = load_sample(host)
    options = SubmitOptions()
    scanned = scan(desc)
    catalog = catalog_for(desc, options.os_name, ApiCatalogSource(api))
    prepared = prepare(desc, options, catalog, scanned)
    assert not prepared.blocking, [i.title for i in prepared.blocking]

    events = []
    result = submit_scene(api, desc, options, journal_root=tmp_path / "journals", progress=events.append,
                          catalog=catalog, scan=scanned)
    assert result.submitted and result.task_id
    assert {"check", "create", "config", "upload", "submit"} <= {e.stage for e in events}
    state = json.loads((result.journal / "state.json").read_text())
    assert state["stage"] == "submitted" and state["task_id"] == result.task_id
    assert tasks_with_marker(api, state["marker"]) == [result.task_id]

    # every file of upload.json is in the farm's input storage, byte for byte
    upload = json.loads((result.journal / "upload.json").read_text())
    entries = upload["asset"] + upload["scene"]
    assert entries
    for entry in entries:
        stored = os.path.join(farm.data_dir, "storage", "input", entry["server"].lstrip("/"))
        assert _md5(stored) == _md5(entry["local"]), entry["server"]

    final = follow(api, [result.task_id], lambda records: None, interval=0.2, timeout=120)
    assert final[result.task_id]["taskStatus"] == 25, final

    progress = Progress()
    files, paths = download_task(api, result.task_id, tmp_path / "out", progress)
    assert files and len(paths) == len(files)
    for remote, path in zip(files, paths):
        assert path.is_file() and path.stat().st_size == remote.size
    assert not list((tmp_path / "out").rglob("*.part"))
    assert progress.snapshot().bytes_done == sum(f.size for f in files)


def test_cli_submit_status_watch_download(farm, tmp_path):
    """The command line, as a TD types it, against the running farm."""
    env = dict(os.environ, RV_DCC_JOURNALS=str(tmp_path / "j"))
    base = [sys.executable, "-m", "rv_dcc"]
    farm_args = ["--domain", farm.domain, "--protocol", "http"]

    def cli(*args, check=True):
        proc = subprocess.run(base + list(args), capture_output=True, text=True, env=env, timeout=180)
        if check:
            assert proc.returncode == 0, proc.stderr + proc.stdout
        return proc

    sub = json.loads(cli("submit", str(SAMPLES / "blender.json"), "--frames", "1-3", "--json", *farm_args)
                     .stdout.splitlines()[-1])
    assert sub["stage"] == "submitted" and sub["task_id"] and os.path.isdir(sub["journal"])
    task_id = str(sub["task_id"])
    record = json.loads(cli("status", task_id, "--json", *farm_args).stdout)
    assert record["task_id"] == sub["task_id"] and isinstance(record["status_code"], int) and record["status"]
    lines = [json.loads(x) for x in cli("watch", task_id, "--json", "--interval", "0.2", *farm_args).stdout.splitlines()]
    progress = [line for line in lines if line["event"] == "progress"]
    assert progress[-1]["status_code"] == 25 and progress[-1]["frames"]["done"] == 3
    assert lines[-1]["event"] == "ended" and lines[-1]["next"]["kind"] == "download"
    out = json.loads(cli("download", task_id, "--to", str(tmp_path / "dl"), "--json", *farm_args).stdout)
    assert len(out["files"]) == 3 and all(os.path.isfile(p) for p in out["files"])
    history = json.loads(cli("history", "--json").stdout)
    assert [h["task_id"] for h in history] == [sub["task_id"]] and history[0]["stage"] == "submitted"
    listing = json.loads(cli("status", "--json", *farm_args).stdout)
    assert sub["task_id"] in [item["task_id"] for item in listing["tasks"]]
