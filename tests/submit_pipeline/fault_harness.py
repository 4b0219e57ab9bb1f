"""Randomised fault runs of the submission pipeline against a real embedded farm.

One run = one submission that is hurt once, then finished with ``resume``:

- ``cut:<op>``: the loopback proxy cuts the connection after the farm answered createTask,
  the k-th taskJsonFile or submit/task (the farm did the work, the client never heard), or in
  the middle of an upload chunk (``cut:upload``);
- ``crash:<point>``: the submission runs in a child process that dies at a chosen point
  (``RV_DCC_CRASH_AT``, os._exit: no clean-up at all);
- ``kill``: the child is SIGKILLed once it has sent a random number of requests, wherever it is.

Each run is then checked: exactly one task on the farm carries the journal's marker and it is
submitted; every file of upload.json is in the farm's input storage byte for byte; no file was
sent twice (at most one completing PUT per file, and never more bytes than the file plus the one
cut chunk). Used by tests/submit_pipeline/test_faults.py (a fast subset) and bench/fault_runs.py
(200+ runs). Run as a script it is the child process of crash / kill runs.
"""
import hashlib
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any, Dict, List, Optional
from urllib.parse import parse_qs, unquote, urlsplit

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from faultproxy import FaultProxy  # noqa: E402
from pipeline_helpers import SAMPLES, make_api, tasks_with_marker  # noqa: E402

CHUNK = 128 * 1024
CRASH_POINTS = ("checked", "create_requested", "task_created", "config:task.json", "config:upload.json",
                "config:asset.json", "config:tips.json", "asset", "submit_requested")
CUTS = ("createTask", "taskJsonFile", "upload", "submitTask")


def make_scene(folder: Path, rng: random.Random) -> Path:
    """A Maya scene description with a few generated assets of random sizes (multi-chunk uploads)."""
    from rv_dcc.scene.io import load_description

    base = load_description(str(SAMPLES / "maya.json"))
    folder.mkdir(parents=True, exist_ok=True)
    scene = folder / "scenes" / "shot.ma"
    scene.parent.mkdir(parents=True, exist_ok=True)
    scene.write_bytes(Path(base.scene_file).read_bytes() + f"\n// run {rng.random()}\n".encode())
    assets = []
    for index in range(rng.randint(1, 4)):
        path = folder / "sourceimages" / f"tex_{index}.exr"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(rng.randbytes(rng.randint(1, 6) * CHUNK // 2 + rng.randint(0, 999)))
        assets.append({"path": str(path), "node": f"file{index}", "attribute": "fileTextureName",
                       "kind": "texture"})
    data = json.loads(base.to_json())
    data.update(scene_file=str(scene), project_dir=str(folder), assets=assets, frame_start=1, frame_end=2)
    data["layers"] = [dict(layer, frames=None) for layer in data["layers"]]
    out = folder / "scene.json"
    out.write_text(json.dumps(data))
    return out


def transfer_through(api: Any, proxy_port: int) -> Any:
    """The farm's HTTP transfer engine, reached through the proxy, with small chunks."""
    from rv_dcc.submit.recovery import raw
    from rv_dcc.transfer.http import HttpTransferEngine, endpoint_from_config

    endpoint = endpoint_from_config(raw(api.transmit.get_transfer_config()), api)
    path = urlsplit(endpoint.base_url).path
    return HttpTransferEngine(endpoint.with_base(f"http://127.0.0.1:{proxy_port}{path}"), chunk=CHUNK,
                              workers=3, backoff=0.01)


def _submit(api: Any, desc_path: Path, root: Path, proxy_port: int) -> Any:
    from rv_dcc.scene.io import load_description
    from rv_dcc.submit.options import SubmitOptions
    from rv_dcc.submit.pipeline import submit_scene

    engine = transfer_through(api, proxy_port)
    try:
        return submit_scene(api, load_description(str(desc_path)), SubmitOptions(), journal_root=root,
                            transfer=engine, use_hash_cache=False)
    finally:
        engine.close()


def _resume(api: Any, journal: Path, proxy_port: int) -> Any:
    from rv_dcc.submit.pipeline import resume

    engine = transfer_through(api, proxy_port)
    try:
        return resume(api, journal, transfer=engine)
    finally:
        engine.close()


def _journal_in(root: Path) -> Optional[Path]:
    folders = [p for p in root.iterdir() if (p / "state.json").is_file()] if root.is_dir() else []
    assert len(folders) <= 1, folders
    return folders[0] if folders else None


def _md5(path: str) -> str:
    return hashlib.md5(Path(path).read_bytes()).hexdigest()


def check_run(api: Any, farm: Any, proxy: FaultProxy, journal_dir: Path) -> Dict[str, Any]:
    """The invariants; raises AssertionError naming the broken one."""
    from rv_dcc.submit.journal import Journal
    from rv_dcc.submit.recovery import is_submitted, task_record

    journal = Journal.open(journal_dir)
    assert journal.stage == "submitted", f"journal stage {journal.stage}: {journal.state.get('reason')}"
    tasks = tasks_with_marker(api, journal.marker)
    assert tasks == [journal.task_id], f"tasks carrying the marker: {tasks}, journal has {journal.task_id}"
    assert is_submitted(task_record(api, journal.task_id)), "the task is not submitted on the farm"
    upload = json.loads((journal_dir / "upload.json").read_text())
    entries = {e["server"]: e for e in upload["asset"] + upload["scene"]}
    puts: Counter = Counter()
    sent: Counter = Counter()
    for method, path, length, outcome in list(proxy.log):
        if method != "PUT":
            continue
        split = urlsplit(path)
        server = "/" + unquote(split.path.split("/farm/transfer/input/", 1)[1])
        query = parse_qs(split.query)
        sent[server] += length if outcome == "ok" else 0
        if outcome == "ok" and int(query["offset"][0]) + length == int(query["total"][0]):
            puts[server] += 1
    for server, entry in entries.items():
        stored = os.path.join(farm.data_dir, "storage", "input", server.lstrip("/"))
        assert os.path.isfile(stored), f"{server} is missing on the farm"
        assert _md5(stored) == _md5(entry["local"]), f"{server} differs on the farm"
        assert puts[server] <= 1, f"{server} was uploaded {puts[server]} times"
        size = os.path.getsize(entry["local"])
        assert sent[server] <= size, f"{server}: {sent[server]} bytes accepted for a {size}-byte file"
        assert journal.asset_done(server), f"{server} not recorded as done"
    return {"task_id": journal.task_id, "files": len(entries), "puts": sum(puts.values())}


def one_run(farm: Any, work: Path, seed: int, kind: Optional[str] = None, choice: Optional[str] = None,
            nth: Optional[int] = None) -> Dict[str, Any]:
    """One randomised run; returns what happened (raises AssertionError when an invariant breaks).

    ``kind`` (cut / crash / kill) and ``choice`` (the cut operation or the crash point) are
    drawn from ``seed`` unless given; ``nth`` picks which taskJsonFile / upload chunk is cut.
    """
    rng = random.Random(seed)
    kind = kind or rng.choice(["cut"] * 4 + ["crash"] * 4 + ["kill"] * 2)
    run_dir = work / f"run{seed}"
    desc_path = make_scene(run_dir / "scene", rng)
    root = run_dir / "journals"
    with FaultProxy(int(farm.port)) as proxy:
        api = make_api(farm, domain=f"127.0.0.1:{proxy.port}", retries=2, backoff=0.01)
        try:
            detail = ""
            if kind == "cut":
                op = choice or rng.choice(CUTS)
                if op == "createTask":
                    proxy.add("/submit/createTask", "drop_reply")
                elif op == "taskJsonFile":
                    k = nth or rng.randint(1, 4)
                    proxy.add("/submit/taskJsonFile", "drop_reply", nth=k)
                    op += f"#{k}"
                elif op == "submitTask":
                    proxy.add("/submit/task", "drop_reply")
                else:
                    proxy.add("~/farm/transfer/input/", "cut_request", nth=nth or rng.randint(1, 3),
                              at_bytes=rng.randint(0, CHUNK - 1))
                detail = op
                outcome = "ok"
                try:
                    _submit(api, desc_path, root, proxy.port)
                except Exception as exc:  # the cut surfaced; resume below
                    outcome = type(exc).__name__
                detail += f" ({outcome})"
            else:
                env = dict(os.environ)
                if kind == "crash":
                    point = choice or rng.choice(CRASH_POINTS)
                    env["RV_DCC_CRASH_AT"] = point
                    detail = point
                child = subprocess.Popen([sys.executable, __file__, farm.domain, str(proxy.port), str(desc_path),
                                          str(root)], env=env, stdout=subprocess.DEVNULL,
                                         stderr=subprocess.PIPE)
                if kind == "kill":
                    # Kill once the child has sent a random number of requests (plus a few ms, so
                    # some kills land mid-request): spreads the kills over every stage.
                    after, extra = rng.randint(1, 28), rng.uniform(0, 0.02)
                    detail = f"after {after} requests"
                    while child.poll() is None and sum(proxy.counts.values()) < after:
                        time.sleep(0.002)
                    time.sleep(extra)
                    if child.poll() is None:
                        child.send_signal(signal.SIGKILL)
                _, err = child.communicate(timeout=120)
                detail += f" (exit {child.returncode})"
                if child.returncode not in (0, 77, -signal.SIGKILL):
                    # Not an invariant: the child could not run at all (a harness error).
                    raise RuntimeError(f"child failed: {err.decode(errors='replace')[-2000:]}")
            proxy.wait_idle()
            journal = _journal_in(root)
            if journal is None:  # killed before the journal existed: nothing may have reached the farm
                assert proxy.count("/submit/createTask") == 0, "a task was requested without a journal"
                return {"seed": seed, "kind": kind, "detail": detail + " before the journal", "ok": True}
            from rv_dcc.submit.journal import Journal

            state = Journal.open(journal).state
            stopped_at = state["stage"] if state["stage"] not in ("failed", "cancelled") else \
                f"{state['stage']} after {Journal.open(journal).progress_stage()}"
            result = _resume(api, journal, proxy.port)
            assert result.submitted, f"resume ended in {result.stage}"
            facts = check_run(api, farm, proxy, journal)
            return {"seed": seed, "kind": kind, "detail": detail, "ok": True, "stopped_at": stopped_at, **facts}
        finally:
            api.close()
            shutil.rmtree(run_dir / "scene", ignore_errors=True)


def _child(argv: List[str]) -> int:
    """Child of crash / kill runs: submit through the proxy (a client like any other)."""
    from rv_dcc.farm import DEFAULT_ACCESS_ID, DEFAULT_ACCESS_KEY, DEFAULT_PLATFORM

    _farm_domain, proxy_port, desc_path, root = argv
    from rv_dcc.api import RayvisionAPI

    api = RayvisionAPI(access_id=DEFAULT_ACCESS_ID, access_key=DEFAULT_ACCESS_KEY,
                       domain=f"127.0.0.1:{proxy_port}", platform=DEFAULT_PLATFORM, protocol="http")
    result = _submit(api, Path(desc_path), Path(root), int(proxy_port))
    print(json.dumps(result.to_dict()))
    return 0


if __name__ == "__main__":
    sys.exit(_child(sys.argv[1:]))
