"""The embedded farm's HTTP transfer endpoint through HttpTransferEngine: dedup, resume, parts."""
import hashlib
import os
import threading

import pytest

from faultproxy import FaultProxy
from rv_dcc.transfer import CancelToken, Cancelled, Progress, RemoteFile, UploadItem, engine_for
from rv_dcc.transfer.http import HttpTransferEngine


def _engine(api, proxy_port=None, **kw):
    engine = engine_for(api)
    assert isinstance(engine, HttpTransferEngine)
    if proxy_port:
        path = engine.endpoint.base_url.split("/farm/", 1)[1]
        engine = HttpTransferEngine(engine.endpoint.with_base(f"http://127.0.0.1:{proxy_port}/farm/{path}"), **kw)
    elif kw:
        engine = HttpTransferEngine(engine.endpoint, **kw)
    return engine


def _stored(farm, server):
    return os.path.join(farm.data_dir, "storage", "input", server.lstrip("/"))


def test_upload_then_dedup_by_content(farm, api, tmp_path):
    a = tmp_path / "a.exr"
    a.write_bytes(os.urandom(300_000))
    b = tmp_path / "copy of a.exr"
    b.write_bytes(a.read_bytes())
    engine = _engine(api, chunk=64 * 1024)
    first = engine.upload([UploadItem(str(a), "/proj/a.exr")])
    assert first[0].how == "uploaded" and first[0].md5 == hashlib.md5(a.read_bytes()).hexdigest()
    again = engine.upload([UploadItem(str(a), "/proj/a.exr"), UploadItem(str(b), "/proj/other/copy of a.exr")])
    assert [r.how for r in again] == ["present", "present"]  # same path, then same content elsewhere
    assert open(_stored(farm, "/proj/other/copy of a.exr"), "rb").read() == a.read_bytes()
    assert repr(engine.endpoint).count(engine.endpoint.token) == 0  # the token never shows
    engine.close()


def test_cut_mid_chunk_resumes_from_offset(farm, api, tmp_path):
    data = os.urandom(5 * 64 * 1024 + 123)
    src = tmp_path / "big.bin"
    src.write_bytes(data)
    with FaultProxy(farm.port) as proxy:
        proxy.add("~/farm/transfer/input/", "cut_request", nth=3, at_bytes=1000)
        engine = _engine(api, proxy.port, chunk=64 * 1024, backoff=0.01)
        events = []
        result = engine.upload([UploadItem(str(src), "/big.bin")], Progress(events.append, min_interval=0))
        engine.close()
    assert result[0].how == "uploaded"
    assert open(_stored(farm, "/big.bin"), "rb").read() == data
    puts = [entry for entry in proxy.log if entry[0] == "PUT"]
    assert [p[3] for p in puts].count("cut_request") == 1
    assert sum(p[2] for p in puts if p[3] == "ok") == len(data)  # nothing re-sent but the cut chunk
    assert events[-1].bytes_done == len(data)


def test_cancel_mid_upload_keeps_partial_for_resume(farm, api, tmp_path):
    data = os.urandom(8 * 64 * 1024)
    src = tmp_path / "c.bin"
    src.write_bytes(data)
    token = CancelToken()

    def stop_after_two_chunks(event):
        if event.bytes_done >= 2 * 64 * 1024:
            return False

    engine = _engine(api, chunk=64 * 1024, workers=1)
    with pytest.raises(Cancelled):
        engine.upload([UploadItem(str(src), "/c.bin")], Progress(stop_after_two_chunks, token, min_interval=0))
    assert token.cancelled and not os.path.exists(_stored(farm, "/c.bin"))  # never under its final name
    sent = []
    engine.upload([UploadItem(str(src), "/c.bin")], Progress(lambda e: sent.append(e.bytes_done), min_interval=0))
    assert open(_stored(farm, "/c.bin"), "rb").read() == data
    assert sent[0] >= 2 * 64 * 1024  # resumed: the farm's bytes were counted, not sent again
    engine.close()


def test_download_resumes_part_and_never_shows_half_file(farm, api, tmp_path):
    out_root = os.path.join(farm.data_dir, "storage", "output", "19999_demo")
    os.makedirs(out_root)
    payload = os.urandom(700_000)
    with open(os.path.join(out_root, "f.0001.png"), "wb") as handle:
        handle.write(payload)
    dest = tmp_path / "dl"
    part = dest / "19999_demo" / "f.0001.png.part"
    part.parent.mkdir(parents=True)
    part.write_bytes(payload[:250_000])  # an earlier, interrupted download
    with FaultProxy(farm.port) as proxy:
        engine = _engine(api, proxy.port)
        paths = engine.download([RemoteFile("/19999_demo/f.0001.png", len(payload))], dest)
        engine.close()
    assert paths[0].read_bytes() == payload and not part.exists()
    gets = [entry for entry in proxy.log if entry[0] == "GET"]
    assert len(gets) == 1
    engine = _engine(api)
    seen = []
    engine.download([RemoteFile("/19999_demo/f.0001.png", len(payload))], dest,
                    Progress(lambda e: seen.append(e), min_interval=0))
    assert seen[-1].bytes_done == len(payload)  # complete file kept, counted, not fetched again
    engine.close()


def test_download_refuses_paths_outside(farm, api, tmp_path):
    from rv_dcc.transfer import TransferError

    engine = _engine(api)
    with pytest.raises(TransferError, match="leaves the download folder"):
        engine.download([RemoteFile("/../../etc/passwd", 10)], tmp_path)
    engine.close()


def test_parallel_uploads_report_each_file_once(farm, api, tmp_path):
    items = []
    for i in range(12):
        path = tmp_path / f"t{i}.bin"
        path.write_bytes(os.urandom(40_000 + i))
        items.append(UploadItem(str(path), f"/tex/t{i}.bin"))
    done = []
    lock = threading.Lock()

    def on_done(result):
        with lock:
            done.append(result.item.server)

    engine = _engine(api, workers=4, chunk=16 * 1024)
    engine.upload(items, Progress(), on_done)
    engine.close()
    assert sorted(done) == sorted(i.server for i in items)
