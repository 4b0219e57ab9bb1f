"""Issue 15 item 9: many submissions uploading the same files at once.

The farm's upload endpoint is safe under concurrent uploads of one path (each chunk lands in a
unique temporary file, applied under the path's lock: no mixed bytes, no hash of a truncated
file, no failed rename, no 500); uploads of the same content by parallel submissions are shared
(one sends, the others wait and find it there), and no client calls a file damaged because
another upload was in flight.
"""
import hashlib
import logging
import os
import threading

import pytest
import requests

from farm_helpers import RawClient
from rv_dcc.farm import EmbeddedFarm
from rv_dcc.transfer.base import UploadItem
from rv_dcc.transfer.http import HttpTransferEngine, endpoint_from_config


@pytest.fixture
def farm(tmp_path):
    with EmbeddedFarm(tmp_path / "farm", port=0, speed=400, real_blender=False) as running:
        yield running


def _engines(farm, count):
    from rv_dcc.submit.recovery import raw

    api = farm.client()
    endpoint = endpoint_from_config(raw(api.transmit.get_transfer_config()), api)
    api.close()
    return [HttpTransferEngine(endpoint, chunk=1024 * 1024, workers=1) for _ in range(count)]


def _counting_puts(farm, monkeypatch):
    received = []
    real = farm.transfer.put

    def put(rest, query, length, stream):
        received.append(length)
        return real(rest, query, length, stream)

    monkeypatch.setattr(farm.transfer, "put", put)
    return received


def _parallel(engines, items_of):
    results, errors = [None] * len(engines), []
    start = threading.Barrier(len(engines))

    def run(index):
        start.wait()
        try:
            results[index] = engines[index].upload(items_of(index))
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(engines))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    for engine in engines:
        engine.close()
    return results, errors


def test_four_submissions_upload_one_file_once(farm, tmp_path, monkeypatch, caplog):
    caplog.set_level(logging.ERROR, logger="rv_dcc.farm")
    source = tmp_path / "big.bin"
    source.write_bytes(os.urandom(12 * 1024 * 1024))
    received = _counting_puts(farm, monkeypatch)
    results, errors = _parallel(_engines(farm, 4), lambda i: [UploadItem(str(source), "/D/proj/big.bin")])
    assert errors == []
    hows = sorted(r[0].how for r in results)
    assert hows == ["present", "present", "present", "uploaded"]
    assert sum(received) < 2 * source.stat().st_size  # not four copies
    stored = farm.store.path("storage", "input", "D", "proj", "big.bin")
    assert hashlib.md5(open(stored, "rb").read()).hexdigest() == hashlib.md5(source.read_bytes()).hexdigest()
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert not [n for n in os.listdir(os.path.dirname(stored)) if n != "big.bin"]  # no temporary left


def test_same_content_at_two_paths_is_sent_once(farm, tmp_path, monkeypatch):
    source = tmp_path / "tex.bin"
    source.write_bytes(os.urandom(6 * 1024 * 1024))
    received = _counting_puts(farm, monkeypatch)
    results, errors = _parallel(_engines(farm, 2), lambda i: [UploadItem(str(source), f"/D/artist{i}/tex.bin")])
    assert errors == []
    assert sorted(r[0].how for r in results) == ["present", "uploaded"]
    assert sum(received) < 2 * source.stat().st_size


def test_raw_concurrent_puts_of_one_path_never_500(farm, tmp_path):
    """Old-style clients (no claim): interleaved chunks of one path are serialised, never a 500."""
    data = os.urandom(4 * 1024 * 1024)
    headers = RawClient(farm).bearer()
    url = f"{farm.url}/farm/transfer/input/D/race.bin"
    statuses, start = [], threading.Barrier(6)

    def put():
        start.wait()
        with requests.Session() as session:
            for offset in range(0, len(data), 1024 * 1024):
                reply = session.put(url, params={"offset": offset, "total": len(data)}, headers=headers,
                                    data=data[offset:offset + 1024 * 1024], timeout=60)
                statuses.append(reply.status_code)

    threads = [threading.Thread(target=put) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert statuses and all(code in (200, 409) for code in statuses), statuses
