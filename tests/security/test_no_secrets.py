"""Secrets never leave the 0600 account file / keyring: not in a log line (any level, any logger),
an error message, a repr, a journal, a task file, a download, a cache, or the CLI's output.

One embedded farm with a distinctive access key; the farm's request handler is wrapped to record
every ``signature`` header and transfer bearer token seen on the wire, and its ``getConfig`` answer
carries distinctive transfer passwords (as the real service's ``resqEngineAccounts`` do). Then a
real submission runs through the pipeline and the monitor in process, and ``python -m rv_dcc``
submit/status/watch/download/history --json run as subprocesses with logging at DEBUG, and
everything they produced is scanned. Error paths (wrong key, 610 clock skew, a server echoing the
request headers in a non-JSON body) are checked the same way.
"""
import io
import json
import logging
import os
import secrets
import subprocess
import sys
import time
import types
from pathlib import Path

import pytest

from pipeline_helpers import SAMPLES, load_sample

ACCESS_ID = "secaudit-id"
KEY = "KEYsecret" + secrets.token_hex(12)
PASSWORD = "PWDsecret" + secrets.token_hex(12)
WRONG_KEY = "WRONGsecret" + secrets.token_hex(12)

#: Runs ``python -m rv_dcc`` with every logger at DEBUG on stderr.
CLI_WRAPPER = (
    "import logging, runpy, sys\n"
    "logging.basicConfig(level=logging.DEBUG, stream=sys.stderr, format='%(name)s %(levelname)s %(message)s')\n"
    "logging.getLogger('rv_dcc').setLevel(logging.DEBUG)\n"
    "sys.argv = ['rv_dcc'] + sys.argv[1:]\n"
    "runpy.run_module('rv_dcc', run_name='__main__', alter_sys=True)\n"
)


class Wire:
    """What the farm saw: every signature header and transfer bearer token."""

    def __init__(self):
        self.signatures = set()
        self.bearers = set()


@pytest.fixture
def debug_logs():
    """Every log record of every logger, at DEBUG, formatted with tracebacks, into a buffer."""
    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    handler.setLevel(logging.DEBUG)
    handler.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
    root, ours = logging.getLogger(), logging.getLogger("rv_dcc")
    saved = (root.level, ours.level)
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    ours.setLevel(logging.DEBUG)
    yield buffer
    root.removeHandler(handler)
    root.setLevel(saved[0])
    ours.setLevel(saved[1])


@pytest.fixture
def wire(monkeypatch):
    """Record signatures / bearer tokens at the farm, and put passwords into getConfig's answer."""
    from rv_dcc.farm import server as farm_server

    seen = Wire()
    authenticate, transfer = farm_server.RequestHandler._authenticate, farm_server.RequestHandler._transfer

    def recording_authenticate(self, path, body):
        if self.headers.get("signature"):
            seen.signatures.add(self.headers.get("signature"))
        return authenticate(self, path, body)

    def recording_transfer(self, method, path):
        auth = self.headers.get("Authorization") or ""
        if auth.startswith("Bearer "):
            seen.bearers.add(auth[7:].strip())
        return transfer(self, method, path)

    config = farm_server.HANDLERS["getConfig"]

    def config_with_passwords(ctx, body):
        data = config(ctx, body)
        for engine in data["resqEngines"]:
            engine["resqEngineAccounts"] = [{"bid": "10202", "name": "upload", "password": PASSWORD},
                                            {"bid": "20202", "name": "download", "password": PASSWORD[::-1]}]
        return data

    monkeypatch.setattr(farm_server.RequestHandler, "_authenticate", recording_authenticate)
    monkeypatch.setattr(farm_server.RequestHandler, "_transfer", recording_transfer)
    monkeypatch.setitem(farm_server.HANDLERS, "getConfig", config_with_passwords)
    return seen


@pytest.fixture
def farm(tmp_path, wire):
    from rv_dcc.farm import EmbeddedFarm

    with EmbeddedFarm(str(tmp_path / "farm"), port=0, speed=300, access_id=ACCESS_ID, access_key=KEY,
                      real_blender=False) as running:
        yield running


def _secrets(farm, wire):
    token = farm.transfer_token
    found = {"access key": [KEY], "transfer password": [PASSWORD, PASSWORD[::-1]],
             "raySyncUserKey": [token], "userKey": [token[:32]],
             "signature": sorted(wire.signatures), "bearer token": sorted(wire.bearers)}
    return found


def _leaks(text, secret_map):
    """Names of the secrets found in ``text``."""
    return [f"{name} {value[:6]}..." for name, values in secret_map.items() for value in values
            if value and value in text]


def _scan_tree(root, secret_map, skip=()):
    """{file: [secrets found]} for every file under ``root`` (bytes, any encoding)."""
    hits = {}
    for path in Path(root).rglob("*"):
        if not path.is_file() or any(part in skip for part in path.parts):
            continue
        text = path.read_bytes().decode("latin-1")
        found = _leaks(text, secret_map)
        if found:
            hits[str(path)] = found
    return hits


def _cli(args, env, timeout=180):
    proc = subprocess.run([sys.executable, "-c", CLI_WRAPPER, *args], capture_output=True, text=True, env=env,
                          timeout=timeout)
    return proc


def test_secrets_never_leave_the_client(farm, wire, debug_logs, tmp_path):
    from rv_dcc.api import RayvisionAPI
    from rv_dcc.commands.download import download_task
    from rv_dcc.commands.watch import follow
    from rv_dcc.monitor.poller import Poller
    from rv_dcc.monitor.source import ApiSource
    from rv_dcc.monitor.thumbs import ThumbnailCache
    from rv_dcc.submit.options import SubmitOptions
    from rv_dcc.submit.pipeline import submit_scene
    from rv_dcc.transfer import engine_for

    api = RayvisionAPI(access_id=ACCESS_ID, access_key=KEY, domain=farm.domain, platform=farm.platform,
                       protocol="http")
    # --- in process: pipeline, monitor, thumbnails, downloads --------------------------------
    reprs = [repr(api), repr(api._transport), repr(api.query), str(api._transport.__dict__)]
    config = api.transmit.get_transfer_config()
    key_reply = api.query.get_raysync_user_key()
    reprs += [repr(config), str(config), repr(key_reply), str(key_reply)]
    engine = engine_for(api)
    reprs += [repr(engine), str(getattr(engine, "endpoint", ""))]
    engine.close()

    result = submit_scene(api, load_sample("blender"), SubmitOptions(), journal_root=tmp_path / "journals")
    assert result.submitted and result.task_id
    reprs.append(repr(result))
    final = follow(api, [result.task_id], lambda records: None, interval=0.2, timeout=120)
    assert final[result.task_id]["taskStatus"] == 25, final

    poller = Poller(ApiSource(api))
    poller.select_task(result.task_id)
    updates = poller.poll_once()
    assert updates and poller.failure is None
    frames = ApiSource(api).task_frames(result.task_id)
    cache = ThumbnailCache(str(tmp_path / "xdg_cache_home" / "rv_dcc" / "thumbs"))
    thumbs = [cache.fetch(int(f["id"]), ApiSource(api).thumbnail_urls(int(f["id"]))) for f in frames[:3]]
    assert any(thumbs), "no thumbnail was fetched: the scan below would prove nothing about the cache"
    files, paths = download_task(api, result.task_id, tmp_path / "out")
    assert paths
    api.close()

    # --- the command line, in subprocesses with DEBUG logging ---------------------------------
    env = dict(os.environ, RAYVISION_API_ACCESS_ID=ACCESS_ID, RAYVISION_API_KEY=KEY,
               RV_DCC_JOURNALS=str(tmp_path / "cli_journals"))
    conn = ["--domain", farm.domain, "--protocol", "http", "--json"]
    outputs = []
    proc = _cli(["submit", str(SAMPLES / "blender.json"), "--frames", "1-3", *conn], env)
    outputs.append(("submit", proc))
    assert proc.returncode == 0, proc.stderr[-2000:]
    task_id = str(json.loads(proc.stdout.splitlines()[-1])["task_id"])
    for args in (["status", task_id], ["status"], ["watch", task_id, "--interval", "0.3", "--timeout", "120"],
                 ["download", task_id, "--to", str(tmp_path / "cli_out")], ["history"]):
        proc = _cli([*args, *conn], env)
        outputs.append((" ".join(args), proc))
        assert proc.returncode == 0, (args, proc.stderr[-2000:])
    assert any("DEBUG" in proc.stderr for _, proc in outputs), "the CLI did not log at DEBUG"

    # --- scan everything ------------------------------------------------------------------------
    secret_map = _secrets(farm, wire)
    assert wire.signatures and wire.bearers, "nothing recorded on the wire"
    assert len(wire.signatures) > 20
    problems = {}
    logs = debug_logs.getvalue()
    assert "rv_dcc.api.transport DEBUG" in logs  # the capture really saw DEBUG records
    if _leaks(logs, secret_map):
        problems["in-process logs"] = _leaks(logs, secret_map)
    for i, text in enumerate(reprs):
        if _leaks(text, secret_map):
            problems[f"repr #{i}"] = _leaks(text, secret_map)
    for name, proc in outputs:
        for stream, text in (("stdout", proc.stdout), ("stderr", proc.stderr)):
            if _leaks(text, secret_map):
                problems[f"`rv-dcc {name}` {stream}"] = _leaks(text, secret_map)
    # journals, task files, downloads, hash cache, thumbnails, settings/config: every file we made.
    problems.update(_scan_tree(tmp_path, secret_map, skip=("farm",)))
    assert not problems, problems
    # the scan covered what it claims to cover
    assert list((tmp_path / "journals").rglob("state.json")) and list((tmp_path / "cli_journals").rglob("task.json"))
    assert list((tmp_path / "out").rglob("*")) and list((tmp_path / "cli_out").rglob("*"))
    assert list((tmp_path / "xdg_cache_home").rglob("*"))  # hash cache and thumbnails


def _error_texts(error):
    return [str(error), repr(error), " ".join(map(str, error.args)), str(getattr(error, "hint", "")),
            str(getattr(error, "message", "")), repr(getattr(error, "body_start", b""))]


def test_wrong_key_and_clock_skew_errors_hold_no_secret(farm, wire, debug_logs, monkeypatch):
    from rv_dcc.api import RayvisionAPI
    from rv_dcc.api import transport as transport_module
    from rv_dcc.api.errors import AuthenticationError, SignatureExpiredError

    wrong = RayvisionAPI(access_id=ACCESS_ID, access_key=WRONG_KEY, domain=farm.domain, platform=farm.platform,
                         protocol="http", retries=0)
    with pytest.raises(AuthenticationError) as caught:
        wrong.query.get_task_list(page_num=1, page_size=5)
    assert caught.value.code == 611
    texts = _error_texts(caught.value)
    wrong.close()

    skewed = types.SimpleNamespace(time=lambda: time.time() - 3600, perf_counter=time.perf_counter,
                                   sleep=time.sleep)
    monkeypatch.setattr(transport_module, "time", skewed)
    late = RayvisionAPI(access_id=ACCESS_ID, access_key=KEY, domain=farm.domain, platform=farm.platform,
                        protocol="http", retries=0)
    with pytest.raises(SignatureExpiredError) as caught:
        late.query.get_task_list(page_num=1, page_size=5)
    assert caught.value.code == 610 and "clock" in str(caught.value)
    texts += _error_texts(caught.value)
    late.close()

    secret_map = dict(_secrets(farm, wire), **{"wrong key": [WRONG_KEY]})
    assert len(wire.signatures) == 2
    assert not _leaks("\n".join(texts), secret_map), _leaks("\n".join(texts), secret_map)
    assert not _leaks(debug_logs.getvalue(), secret_map)


def test_wrong_key_on_the_command_line(farm, wire, tmp_path):
    env = dict(os.environ, RAYVISION_API_ACCESS_ID=ACCESS_ID, RAYVISION_API_KEY=WRONG_KEY)
    proc = _cli(["status", "--domain", farm.domain, "--protocol", "http", "--json"], env)
    assert proc.returncode != 0
    answer = json.loads(proc.stdout.splitlines()[-1])
    assert answer["error"] == "AuthenticationError" and "611" in answer["message"]
    secret_map = dict(_secrets(farm, wire), **{"wrong key": [WRONG_KEY]})
    assert wire.signatures
    assert not _leaks(proc.stdout + proc.stderr, secret_map)


def _echo_headers(status, as_json=False):
    """A responder echoing the request's headers (as a misconfigured proxy's error page would)."""
    def respond(path, headers, body):
        # the signature first: whatever part of the body an error quotes, it is in it
        headers = dict(sorted(headers.items(), key=lambda item: item[0].lower() != "signature"))
        if as_json:
            return status, json.dumps({"error": "bad gateway", "request": headers}).encode()
        lines = "".join(f"{name}: {value}\n" for name, value in headers.items())
        return status, (lines + "<html><body>502 Bad Gateway</body></html>").encode()
    return respond


@pytest.mark.parametrize("status,as_json", [(502, False), (200, False), (200, True)])
def test_a_reply_echoing_the_headers_never_puts_the_signature_in_the_error(canned, debug_logs, status, as_json):
    from rv_dcc.api import RayvisionAPI
    from rv_dcc.api.errors import InvalidReplyError

    server = canned(_echo_headers(status, as_json))
    api = RayvisionAPI(access_id=ACCESS_ID, access_key=KEY, domain=server.domain, platform="2", protocol="http",
                       retries=0)
    with pytest.raises(InvalidReplyError) as caught:
        api.query.get_task_list(page_num=1, page_size=5)
    api.close()
    signatures = [headers["signature"] for _, headers, _ in server.requests]
    assert signatures
    secret_map = {"access key": [KEY], "signature": signatures}
    texts = "\n".join(_error_texts(caught.value))
    assert not _leaks(texts, secret_map), texts
    assert not _leaks(debug_logs.getvalue(), secret_map)
    # still useful: says what answered
    assert str(status) in str(caught.value)


def test_cli_against_an_echoing_server_prints_no_signature(canned, tmp_path):
    server = canned(_echo_headers(200))
    env = dict(os.environ, RAYVISION_API_ACCESS_ID=ACCESS_ID, RAYVISION_API_KEY=KEY)
    proc = _cli(["status", "--domain", server.domain, "--protocol", "http", "--json"], env)
    assert proc.returncode != 0
    signatures = [headers["signature"] for _, headers, _ in server.requests]
    assert signatures and json.loads(proc.stdout.splitlines()[-1])["error"] == "InvalidReplyError"
    assert not _leaks(proc.stdout + proc.stderr, {"access key": [KEY], "signature": signatures})


def test_transfer_errors_never_echo_the_bearer_token(canned, tmp_path):
    """A transfer endpoint that echoes the Authorization header in its error must not leak the token."""
    from rv_dcc.transfer.base import TransferError, UploadItem
    from rv_dcc.transfer.http import Endpoint, HttpTransferEngine

    token = "TOKENsecret" + secrets.token_hex(12)

    def respond(path, headers, body):
        return 403, json.dumps({"error": f"refused {headers.get('Authorization')}"}).encode()

    server = canned(respond)
    local = tmp_path / "a.txt"
    local.write_text("x")
    engine = HttpTransferEngine(Endpoint(f"http://{server.domain}/farm/transfer", token), attempts=1)
    with pytest.raises(TransferError) as caught:
        engine.upload([UploadItem(str(local), "/a.txt", 1, None)])
    engine.close()
    assert any(token in h.get("Authorization", "") for _, h, _ in server.requests)
    assert token not in str(caught.value) and token not in repr(caught.value)
