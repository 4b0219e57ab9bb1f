"""rayvision_transmitter behind TransferEngine, against the stand-in program (same command line)."""
import json
import os
import sys
from pathlib import Path

import pytest

from rv_dcc.transfer.base import CancelToken, Cancelled, Progress, RemoteFile, TransferError, UploadItem
from rv_dcc.transfer.transmitter import (TransmitterEngine, TransmitterSettings, build_argv,
                                         find_transmitter, redact_argv)

FAKE = str(Path(__file__).resolve().parents[1] / "fixtures" / "fake_transmitter.py")

CONFIG = {
    "inputBid": "10202", "outputBid": "20202", "configBid": "30201", "parentInputBid": None,
    "resqEngines": [
        {"engineName": "Aspera", "isDefault": 0, "resqEngineAccounts": [{"bid": "1", "name": "1", "password": "PW-ASPERA"}],
         "respTaskEngineLines": [{"name": "a", "server": "10.0.0.1", "port": "10221", "isDefault": 1}]},
        {"engineName": "RaySync", "isDefault": 1, "resqEngineAccounts": [{"bid": "2", "name": "2", "password": "PW-RAYSYNC"}],
         "respTaskEngineLines": [{"name": "b", "server": "10.0.0.9", "port": "10201", "isDefault": 0},
                                 {"name": "raysync_main", "server": "10.60.197.79", "port": "10200", "isDefault": 1}]},
    ],
}


@pytest.fixture
def env(tmp_path, monkeypatch):
    storage = tmp_path / "storage"
    log = tmp_path / "argv.jsonl"
    monkeypatch.setenv("FAKE_TRANSMITTER_STORAGE", str(storage))
    monkeypatch.setenv("FAKE_TRANSMITTER_LOG", str(log))
    monkeypatch.setenv("RV_DCC_TRANSMITTER", FAKE)
    return storage, log


def _engine(**kw):
    settings = TransmitterSettings.from_transfer_config(CONFIG, "100093088")
    return TransmitterEngine(find_transmitter(), settings, retry_wait=0.01, **kw)


def test_settings_pick_default_engine_and_line():
    s = TransmitterSettings.from_transfer_config(CONFIG, "7")
    assert (s.engine, s.host, s.port, s.input_bid, s.output_bid) == ("raysync", "10.60.197.79", "10200", "10202", "20202")
    assert "PW-RAYSYNC" in s.secrets and "PW-RAYSYNC" not in repr(s)


def test_find_transmitter_runs_py_with_this_python(env):
    assert find_transmitter() == [sys.executable, FAKE]


def test_upload_exact_argv_and_copies(env, tmp_path):
    storage, log = env
    src = tmp_path / "my proj" / "tex & wood's.jpg"  # spaces, & and a quote stay data (no shell)
    src.parent.mkdir()
    src.write_bytes(os.urandom(300_000))
    events = []
    done = []
    results = _engine().upload([UploadItem(str(src), "/D/my proj/tex & wood's.jpg")], Progress(events.append),
                               done.append)
    assert (storage / "10202" / "D" / "my proj" / "tex & wood's.jpg").read_bytes() == src.read_bytes()
    argv = json.loads(log.read_text().splitlines()[0])
    assert argv == ["-E", "raysync", "-H", "10.60.197.79", "-P", "10200", "-S", "10202", "-U", "100093088",
                    "-T", "upload_path", "-L", str(src), "-R", "/D/my proj/tex & wood's.jpg", "-r", "2",
                    "-K", "false", "-s", "1048576", "-C", "None", "-p", "2"]
    assert results[0].how == "uploaded" and results[0].size == 300_000 and done == results
    assert max(e.bytes_done for e in events) == 300_000  # progress lines were parsed


def test_retry_after_exit_10(env, tmp_path, monkeypatch):
    storage, log = env
    monkeypatch.setenv("FAKE_TRANSMITTER_FAIL_ONCE", str(tmp_path / "failed-once"))
    src = tmp_path / "a.bin"
    src.write_bytes(b"x" * 200_000)
    _engine().upload([UploadItem(str(src), "/a.bin")])
    assert len(log.read_text().splitlines()) == 2  # one failure, one success
    assert (storage / "10202" / "a.bin").read_bytes() == src.read_bytes()


def test_missing_file_is_clear(env, tmp_path):
    with pytest.raises(TransferError, match="does not exist"):
        _engine().upload([UploadItem(str(tmp_path / "nope.exr"), "/nope.exr")])


def test_bad_parameters_exit_9_not_retried(env, tmp_path):
    storage, log = env
    settings = TransmitterSettings.from_transfer_config(CONFIG, "7")
    settings.port = "not-a-port"
    src = tmp_path / "a.bin"
    src.write_bytes(b"1")
    with pytest.raises(TransferError, match="rejected its parameters"):
        TransmitterEngine(find_transmitter(), settings).upload([UploadItem(str(src), "/a.bin")])
    assert len(log.read_text().splitlines()) == 1


def test_cancel_stops_the_program(env, tmp_path, monkeypatch):
    monkeypatch.setenv("FAKE_TRANSMITTER_DELAY", "0.05")
    src = tmp_path / "big.bin"
    src.write_bytes(b"y" * (64 * 1024 * 40))
    token = CancelToken()

    def cb(event):
        if event.bytes_done > 64 * 1024 * 3:
            token.cancel()

    with pytest.raises(Cancelled):
        _engine().upload([UploadItem(str(src), "/big.bin")], Progress(cb, token, min_interval=0))


def test_download_never_shows_partial_names(env, tmp_path):
    storage, log = env
    out = storage / "20202" / "19001_shot" / "beauty"
    out.mkdir(parents=True)
    (out / "f0001.exr").write_bytes(b"a" * 100_000)
    (out / "f0002.exr").write_bytes(b"b" * 10)
    dest = tmp_path / "dl"
    files = [RemoteFile("/19001_shot/beauty/f0001.exr", 100_000), RemoteFile("/19001_shot/beauty/f0002.exr", 10)]
    paths = _engine().download(files, dest)
    assert [p.read_bytes()[:1] for p in paths] == [b"a", b"b"]
    assert not (dest / ".rv_dcc_partial").exists()
    argv = json.loads(log.read_text().splitlines()[0])
    assert argv[argv.index("-T") + 1] == "download_path" and argv[argv.index("-S") + 1] == "20202"
    assert argv[argv.index("-R") + 1] == "/19001_shot/beauty/f0001.exr"
    # a second run downloads nothing (complete files keep their final names)
    before = len(log.read_text().splitlines())
    _engine().download(files, dest)
    assert len(log.read_text().splitlines()) == before


def test_redaction():
    argv = build_argv(["prog"], TransmitterSettings("aspera", "h", "1", "u", "i", "o", secrets=["PW"]),
                      "upload_path", "/x/PW/file", "/r", "i")
    red = redact_argv(argv + ["--password", "other"], ["PW"])
    assert "PW" not in " ".join(red) and "other" not in red and red[-1] == "***"


def test_secret_not_logged(env, tmp_path, caplog):
    import logging

    caplog.set_level(logging.DEBUG, logger="rv_dcc")
    src = tmp_path / "PW-RAYSYNC.bin"  # a file name equal to the secret: must still be hidden in logs
    src.write_bytes(b"z" * 10)
    _engine().upload([UploadItem(str(src), "/PW-RAYSYNC.bin")])
    assert "PW-RAYSYNC" not in caplog.text and "***" in caplog.text


class _Ns:
    def __init__(self, **calls):
        self.__dict__.update(calls)


class _LiveFarmStub:
    """Just the two queries engine_for asks of a live farm (getConfig, the profile)."""

    transmit = _Ns(get_transfer_config=lambda: CONFIG)
    user = _Ns(query_user_profile=lambda: {"userId": 100093088})


def test_engine_for_a_live_farm_is_the_transmitter(env):
    from rv_dcc.transfer import engine_for

    engine = engine_for(_LiveFarmStub())
    assert isinstance(engine, TransmitterEngine) and engine.settings.user_id == "100093088"


def test_engine_for_without_transmitter_says_what_to_install(monkeypatch):
    from rv_dcc.transfer import engine_for

    monkeypatch.delenv("RV_DCC_TRANSMITTER", raising=False)
    monkeypatch.setenv("PATH", "")
    with pytest.raises(TransferError, match="rayvision-sync"):
        engine_for(_LiveFarmStub())


def test_pipeline_uploads_through_the_transmitter(env, tmp_path):
    """The whole submission with engine (b): every upload.json file lands at its server path."""
    from pipeline_helpers import load_sample, make_api
    from rv_dcc.farm import EmbeddedFarm
    from rv_dcc.submit.options import SubmitOptions
    from rv_dcc.submit.pipeline import submit_scene

    storage, log = env
    with EmbeddedFarm(str(tmp_path / "farm"), speed=200) as farm:
        api = make_api(farm)
        result = submit_scene(api, load_sample("maya"), SubmitOptions(), journal_root=tmp_path / "j",
                              transfer=_engine())
        api.close()
    assert result.submitted
    upload = json.loads((result.journal / "upload.json").read_text())
    servers = {e["server"]: e["local"] for e in upload["asset"] + upload["scene"]}
    for server, local in servers.items():
        assert (storage / "10202" / server.lstrip("/")).read_bytes() == Path(local).read_bytes()
    assert len(log.read_text().splitlines()) == len(servers) == result.uploaded
