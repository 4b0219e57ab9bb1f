"""Attacks of issue 15 against the embedded farm and a hostile loopback server: prints what each
tried, whether the product held, and the figure that shows it.

A careless network, a hostile or man-in-the-middle server and a busy studio, as scripts: replayed
and re-dressed signed requests, forged huge bodies, stalled connections, concurrent uploads of one
file, path traversal in output names, trickling and huge replies, endless listings, wrongly typed
replies. Exit code 0 when everything held.

    .venv/bin/python bench/hostile.py [--connections 2000] [--upload-mb 64]
"""
import argparse
import json
import os
import socket
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any, Callable, List, Tuple

HERE = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(HERE / "tests" / "farm"))
sys.path.insert(0, str(HERE / "tests" / "security"))

import requests  # noqa: E402

from farm_helpers import RawClient  # noqa: E402
from rv_dcc.api.operations import path_for  # noqa: E402
from rv_dcc.farm import EmbeddedFarm  # noqa: E402
from security_helpers import CannedServer, wire_envelope  # noqa: E402

RESULTS: List[Tuple[str, bool, str]] = []


def attack(name: str) -> Callable[[Callable[..., str]], Callable[..., None]]:
    """Run the decorated attack; it returns the figure, or raises AssertionError when it got through."""
    def wrap(func: Callable[..., str]) -> Callable[..., None]:
        def run(*args: Any) -> None:
            started = time.perf_counter()
            try:
                figure, held = func(*args), True
            except AssertionError as exc:
                figure, held = f"GOT THROUGH: {exc}", False
            RESULTS.append((name, held, f"{figure} ({time.perf_counter() - started:.2f} s)"))
            print(f"{'held' if held else 'FAILED':<7} {name}: {RESULTS[-1][2]}", flush=True)
        return run
    return wrap


def _send(farm: Any, path: str, headers: dict, body: dict) -> dict:
    return requests.post(farm.url + path, data=json.dumps(body).encode(), headers=headers, timeout=60).json()


# -- the embedded farm ---------------------------------------------------------------------------
@attack("1. replay: old createTask, UTCTimestamp moved into the body, fresh header, sent 3x")
def replay_timestamp(farm: Any) -> str:
    path, old = path_for("createTask", "current"), int(time.time()) - 3600
    body = {"count": 1, "taskUserLevel": 50, "UTCTimestamp": str(old)}
    headers = dict(RawClient(farm).headers(path, body, timestamp=old), UTCTimestamp=str(int(time.time())))
    codes = [_send(farm, path, headers, body)["code"] for _ in range(3)]
    assert codes == [610] * 3, codes
    return f"codes {codes}"


@attack("2. replay: captured nonce moved into the body, fresh nonce headers, sent 3x")
def replay_nonce(farm: Any) -> str:
    path, body = path_for("createTask", "current"), {"count": 1, "taskUserLevel": 50}
    headers = RawClient(farm).headers(path, body, nonce="424242")
    first = _send(farm, path, headers, body)["code"]
    codes = [_send(farm, path, dict(headers, nonce=f"00000{i}"), dict(body, nonce="424242"))["code"] for i in range(3)]
    assert first == 200 and codes == [603] * 3, (first, codes)
    return f"original {first}, replays {codes}"


@attack("3. a request with no nonce")
def no_nonce(farm: Any) -> str:
    from rv_dcc.api import signing

    path = path_for("queryUserProfile", "current")
    headers = RawClient(farm).headers(path, {})
    del headers["nonce"]
    headers["signature"] = signing.sign(farm.access_key, farm.domain, path, headers, {})
    code = _send(farm, path, headers, {})["code"]
    assert code == 603, code
    return f"code {code}"


@attack("4. forged 7 MB body of many values (signature computed by nobody)")
def forged_body(farm: Any) -> str:
    path = path_for("getTaskList", "current")
    headers = RawClient(farm).headers(path, {})
    raw = json.dumps({"taskIds": list(range(900000))}).encode()
    started = time.perf_counter()
    code = requests.post(farm.url + path, data=raw, headers=headers, timeout=60).json()["code"]
    took = time.perf_counter() - started
    assert code == 600 and took < 2, (code, took)
    return f"{len(raw) / 1e6:.1f} MB refused with {code} in {took * 1000:.0f} ms (was 5.4 s CPU)"


@attack("5. unknown access id announcing 7 MB and sending 10 bytes")
def unknown_id(farm: Any) -> str:
    sock = socket.create_connection(("127.0.0.1", farm.port), timeout=10)
    started = time.perf_counter()
    sock.sendall(f"POST {path_for('queryUserProfile', 'current')} HTTP/1.1\r\nHost: {farm.domain}\r\n"
                 "accessId: intruder\r\nContent-Length: 7000000\r\n\r\n{\"a\": 1, ".encode())
    answer = sock.recv(65536)
    sock.close()
    assert b'"code": 602' in answer, answer[:200]
    return f"602 after {(time.perf_counter() - started) * 1000:.0f} ms, body never read"


@attack("6. stalled connections that stop mid-body, then go away")
def stalled(farm: Any, count: int) -> str:
    head = (f"POST {path_for('queryUserProfile', 'current')} HTTP/1.1\r\nHost: {farm.domain}\r\n"
            f"accessId: {farm.access_id}\r\nContent-Length: 1000\r\n\r\n{{").encode()
    socks = []
    for _ in range(count):
        try:
            sock = socket.create_connection(("127.0.0.1", farm.port), timeout=5)
            sock.sendall(head)
            socks.append(sock)
        except OSError:
            break
    threads = threading.active_count()
    busy = requests.get(farm.url + "/farm/ping", timeout=10).status_code
    for sock in socks:
        sock.close()
    started = time.perf_counter()
    while time.perf_counter() - started < 30:
        try:
            if RawClient(farm).post("queryUserProfile")["code"] == 200:
                break
        except (requests.RequestException, AssertionError):
            pass
        time.sleep(0.05)
    back = time.perf_counter() - started
    assert back < 5 and threads < 400, (back, threads)
    return (f"{len(socks)} held open: {threads} threads in the process, a new call got HTTP {busy}; "
            f"answering again {back * 1000:.0f} ms after they left (was ~80 s)")


@attack("7. four submissions upload one file at once")
def same_upload(farm: Any, megabytes: int, work: Path) -> str:
    from rv_dcc.submit.recovery import raw
    from rv_dcc.transfer.base import UploadItem
    from rv_dcc.transfer.http import HttpTransferEngine, endpoint_from_config

    source = work / "shared.bin"
    source.write_bytes(os.urandom(megabytes * 1024 * 1024))
    api = farm.client()
    endpoint = endpoint_from_config(raw(api.transmit.get_transfer_config()), api)
    received: List[int] = []
    real = farm.transfer.put
    farm.transfer.put = lambda rest, query, length, stream: (received.append(length), real(rest, query, length, stream))[1]
    hows: List[str] = []
    errors: List[BaseException] = []

    def one() -> None:
        engine = HttpTransferEngine(endpoint, workers=1)
        try:
            hows.extend(r.how for r in engine.upload([UploadItem(str(source), "/D/shared/shared.bin")]))
        except BaseException as exc:  # noqa: BLE001 - reported
            errors.append(exc)
        finally:
            engine.close()

    threads = [threading.Thread(target=one) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    farm.transfer.put = real
    api.close()
    assert not errors and sorted(hows) == ["present"] * 3 + ["uploaded"], (errors, hows)
    return (f"{megabytes} MB file: farm received {sum(received) / 2 ** 20:.0f} MB (was 3.6x the file), "
            f"results {sorted(hows)}")


@attack("8. a NUL in a file URL")
def nul_url(farm: Any) -> str:
    from rv_dcc.farm.transfer import file_sig

    path = "/farm/files/output/a%00b.png"
    status = requests.get(f"{farm.url}{path}?sig={file_sig(farm.access_key, path)}", timeout=10).status_code
    assert status == 400, status
    return f"HTTP {status}"


@attack("15. a captured request sent again after the farm restarted")
def replay_after_restart(farm: Any, path: str, headers: dict, body: dict) -> str:
    code = _send(farm, path, headers, body)["code"]
    assert code == 603, code
    return f"code {code} (the nonce store outlives the farm process)"


@attack("9. the published default key on 0.0.0.0")
def off_loopback(work: Path) -> str:
    try:
        EmbeddedFarm(work / "open", host="0.0.0.0", port=0)
    except ValueError as exc:
        return f"refused: {str(exc)[:60]}..."
    raise AssertionError("the farm accepted the default key off loopback")


# -- a hostile loopback server --------------------------------------------------------------------
@attack("10. output names that leave the download folder (../, ..\\, C:\\, UNC, NUL)")
def traversal(work: Path) -> str:
    from rv_dcc.transfer.base import UnsafePathError, local_target

    names = ["../../../../home/user/.bashrc_x", "..\\..\\x", "C:\\evil", "\\\\host\\share\\x", "a\x00b", "/abs/../../x"]
    refused = 0
    for name in names:
        try:
            local_target(work / "dl", name)
        except UnsafePathError:
            refused += 1
    assert refused == len(names), refused
    return f"{refused}/{len(names)} refused by the one rule every engine uses"


@attack("11. a server that sends one byte every 0.5 s")
def trickle(work: Path) -> str:
    from rv_dcc.api import RayvisionAPI
    from rv_dcc.api.errors import RequestTimeoutError

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(4)
    stop = threading.Event()

    def serve() -> None:
        conn, _ = listener.accept()
        conn.recv(65536)
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n")
        while not stop.wait(0.5):
            try:
                conn.sendall(b"x")
            except OSError:
                return

    threading.Thread(target=serve, daemon=True).start()
    api = RayvisionAPI(access_id="a", access_key="k", domain="127.0.0.1:%d" % listener.getsockname()[1],
                       protocol="http", retries=0, deadline=3.0)
    started = time.perf_counter()
    try:
        api.query.get_task_list(page_num=1, page_size=1)
        raise AssertionError("the call returned")
    except RequestTimeoutError:
        took = time.perf_counter() - started
    finally:
        stop.set()
        listener.close()
    assert took < 6, took
    return f"call ended after {took:.1f} s (deadline 3 s; was: never)"


@attack("12. a 100 MB JSON reply")
def huge_reply(work: Path) -> str:
    import tracemalloc

    from rv_dcc.api import RayvisionAPI
    from rv_dcc.api.errors import InvalidReplyError

    big = wire_envelope({"items": ["x" * 1000] * 100000})
    with CannedServer(lambda path, headers, body: (200, big)) as server:
        server.server.handle_error = lambda *a: None  # the client hanging up mid-reply is the point
        api = RayvisionAPI(access_id="a", access_key="k", domain=server.domain, protocol="http", retries=0)
        tracemalloc.start()
        try:
            api.query.get_task_list(page_num=1, page_size=1)
            raise AssertionError("the reply was accepted")
        except InvalidReplyError as exc:
            message = exc.message
        finally:
            peak = tracemalloc.get_traced_memory()[1] / 2 ** 20
            tracemalloc.stop()
    assert peak < 100, peak
    return (f"{len(big) / 1e6:.0f} MB refused ({message.split(' sent ')[-1][:60]}...); "
            f"peak Python memory of the call {peak:.1f} MB (was 774 MB)")


@attack("13. a listing where every folder holds a new folder")
def endless(work: Path) -> str:
    from rv_dcc.transfer.base import TransferError
    from rv_dcc.transfer.outputs import list_outputs

    calls = [0]

    class Transmit:
        def get_output_files(self, task_id: Any = None, tree_path: str = "/") -> list:
            calls[0] += 1
            return [{"fileName": "d", "filePath": f"{tree_path.rstrip('/')}/d{calls[0]}", "directory": True}]

    class Api:
        transmit = Transmit()

    try:
        list_outputs(Api(), 19001)
        raise AssertionError("the walk ended normally")
    except TransferError:
        pass
    assert calls[0] < 100, calls[0]
    return f"stopped after {calls[0]} listing calls (was 2,029 in 90 s and counting)"


@attack("14. wrongly typed replies (taskStatus 'abc', NUL in a name) to `rv-dcc status`")
def wrong_types(work: Path) -> str:
    import subprocess

    record = {"id": 19001, "taskStatus": "abc", "sceneName": "a\x00b", "doneFrames": "x"}

    def answer(path: str, headers: Any, body: Any) -> Tuple[int, bytes]:
        return 200, wire_envelope({"items": [record]})

    with CannedServer(answer) as server:
        env = dict(os.environ, RV_DCC_CONFIG_DIR=str(work / "config"))
        proc = subprocess.run([sys.executable, "-m", "rv_dcc", "status", "19001", "--domain", server.domain],
                              capture_output=True, text=True, env=env, timeout=60)
    assert proc.returncode == 0 and "internal error" not in proc.stderr, proc.stderr
    return f"exit {proc.returncode}: {proc.stdout.strip()[:70]}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--connections", type=int, default=2000, help="stalled connections to open (2000)")
    parser.add_argument("--upload-mb", type=int, default=64, help="size of the file uploaded four times at once")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="rv_dcc_hostile_") as temp:
        work = Path(temp)
        farm = EmbeddedFarm(work / "farm", port=0, speed=400, real_blender=False).start()
        try:
            for run in (replay_timestamp, replay_nonce, no_nonce, forged_body, unknown_id, nul_url):
                run(farm)
            stalled(farm, args.connections)
            same_upload(farm, args.upload_mb, work)
            # a replay after a restart on the same port
            path, body = path_for("createTask", "current"), {"count": 1, "taskUserLevel": 50}
            headers = RawClient(farm).headers(path, body)
            _send(farm, path, headers, body)
        finally:
            farm.stop()
        again = EmbeddedFarm(work / "farm", port=farm.port, speed=400, real_blender=False).start()
        try:
            replay_after_restart(again, path, headers, body)
        finally:
            again.stop()
        for run in (off_loopback, traversal, trickle, huge_reply, endless, wrong_types):
            run(work)
    failed = [name for name, held, _ in RESULTS if not held]
    print(f"\n{len(RESULTS) - len(failed)}/{len(RESULTS)} attacks held" + (f"; FAILED: {failed}" if failed else ""))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
