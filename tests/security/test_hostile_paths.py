"""Issue 15 item 1: a farm-supplied file name never lands outside the download folder, in any engine.

One rule (rv_dcc.transfer.base.local_target) for the HTTP engine, the rayvision_transmitter
engine and ``download_task``: ``/`` and ``\\`` separators, ``..``, drive letters, UNC, NTFS streams,
NUL and other control characters, and symbolic links out of the folder are refused and reported.
"""
import json
import os
from pathlib import Path

import pytest

from rv_dcc.transfer.base import RemoteFile, UnsafePathError, local_target

FAKE = str(Path(__file__).resolve().parents[1] / "fixtures" / "fake_transmitter.py")

HOSTILE = ["../../../../home/user/.bashrc_x", "..\\..\\x", "a/../../x", "/abs/../../x", "a\\..\\..\\x",
           "C:\\Windows\\x", "c:x", "C:/x", "\\\\server\\share\\x", "//server/share/x", "a\x00b.png",
           "a/b.png:stream", "", "/", "..", "a/\n/b", "a/.../b"]


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_names_are_refused(tmp_path, name):
    with pytest.raises(UnsafePathError) as caught:
        local_target(tmp_path / "dl", name)
    assert "refusing the farm file name" in str(caught.value)


@pytest.mark.parametrize("name, rel", [("/19001_shot/beauty/f0001.exr", "19001_shot/beauty/f0001.exr"),
                                       ("\\19001_shot\\b.png", "19001_shot/b.png"),
                                       ("19001_shot/./c d.png", "19001_shot/c d.png")])
def test_ordinary_names_stay_inside(tmp_path, name, rel):
    assert local_target(tmp_path / "dl", name) == tmp_path / "dl" / rel


def test_a_symlink_out_of_the_folder_is_refused(tmp_path):
    dest, outside = tmp_path / "dl", tmp_path / "outside"
    dest.mkdir()
    outside.mkdir()
    os.symlink(outside, dest / "sub")
    with pytest.raises(UnsafePathError):
        local_target(dest, "/sub/x.png")


def test_transmitter_engine_never_runs_for_a_hostile_name(tmp_path, monkeypatch):
    from rv_dcc.transfer.transmitter import TransmitterEngine, TransmitterSettings, find_transmitter

    storage, log = tmp_path / "storage", tmp_path / "argv.jsonl"
    monkeypatch.setenv("FAKE_TRANSMITTER_STORAGE", str(storage))
    monkeypatch.setenv("FAKE_TRANSMITTER_LOG", str(log))
    monkeypatch.setenv("RV_DCC_TRANSMITTER", FAKE)
    settings = TransmitterSettings("raysync", "10.0.0.1", "1", "7", "10202", "20202")
    engine = TransmitterEngine(find_transmitter(), settings, retry_wait=0.01)
    # the storage holds the file the hostile name points at, so the program would have copied it
    (storage / "20202" / "19001_s").mkdir(parents=True)
    (storage / "20202" / "19001_s" / "good.png").write_bytes(b"good")
    (storage / "x_escaped").write_bytes(b"owned")
    dest = tmp_path / "a" / "b" / "dl"
    with pytest.raises(UnsafePathError):
        engine.download([RemoteFile("/../../x_escaped", 5), RemoteFile("/19001_s/good.png", 4)], dest)
    runs = [json.loads(line) for line in log.read_text().splitlines()]
    assert [argv[argv.index("-R") + 1] for argv in runs] == ["/19001_s/good.png"]  # the hostile one never ran
    assert (dest / "19001_s" / "good.png").read_bytes() == b"good"
    assert not (tmp_path / "a" / "x_escaped").exists() and not (tmp_path / "x_escaped").exists()


def test_http_engine_refuses_backslash_traversal(tmp_path, canned):
    from rv_dcc.transfer.http import Endpoint, HttpTransferEngine

    server = canned(lambda path, headers, body: (200, b"payload"))
    engine = HttpTransferEngine(Endpoint(f"http://{server.domain}/farm/transfer", "t"), attempts=1)
    dest = tmp_path / "x" / "dl"
    with pytest.raises(UnsafePathError):
        engine.download([RemoteFile("..\\..\\evil.txt", 7)], dest)
    engine.close()
    assert server.requests == [] and not list(tmp_path.rglob("*evil*"))


class _HostileListing:
    """A real farm client whose output listing is replaced by a hostile one."""

    def __init__(self, api, listing):
        self._api, self._listing = api, listing

    def __getattr__(self, name):
        value = getattr(self._api, name)
        if name != "transmit":
            return value
        listing = self._listing

        class Transmit:
            def __getattr__(self, attr):
                return getattr(value, attr)

            def get_output_files(self, **kw):
                return listing

        return Transmit()


def test_download_task_fetches_the_good_names_and_reports_the_bad(tmp_path):
    from rv_dcc.commands.download import download_task
    from rv_dcc.farm import EmbeddedFarm

    with EmbeddedFarm(tmp_path / "farm", port=0, speed=400, real_blender=False) as farm:
        out = Path(farm.store.path("storage", "output", "19001_s"))
        out.mkdir(parents=True)
        (out / "good.png").write_bytes(b"good")
        listing = [{"fileName": "good.png", "filePath": "/19001_s/good.png", "fileSize": 4, "directory": False},
                   {"fileName": "x", "filePath": "/19001_s/../../../../escaped", "fileSize": 4, "directory": False},
                   {"fileName": "y", "filePath": "C:\\evil", "fileSize": 4, "directory": False}]
        api = farm.client()
        dest = tmp_path / "dl"
        with pytest.raises(UnsafePathError) as caught:
            download_task(_HostileListing(api, listing), 19001, dest)
        api.close()
    assert (dest / "19001_s" / "good.png").read_bytes() == b"good"
    message = str(caught.value)
    assert "1 file(s)" in message and "escaped" in message and "evil" in message
    assert not list(tmp_path.rglob("escaped")) and json.dumps(message)
