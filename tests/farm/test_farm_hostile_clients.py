"""Issue 15 item 4: slow, stalled and forged clients cannot hold the farm's threads or CPU."""
import json
import socket
import time

import pytest
import requests

from farm_helpers import RawClient
from rv_dcc.api.operations import path_for
from rv_dcc.farm import EmbeddedFarm, server

PROFILE = path_for("queryUserProfile", "current")


def _raw_connection(farm, head: bytes) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", farm.port), timeout=10)
    sock.sendall(head)
    return sock


def _answer(sock: socket.socket) -> bytes:
    data = b""
    while True:
        block = sock.recv(65536)
        if not block:
            return data
        data += block
        if b"\r\n\r\n" in data:
            head, _, rest = data.partition(b"\r\n\r\n")
            length = int(head.lower().split(b"content-length:")[1].split(b"\r\n")[0])
            if len(rest) >= length:
                return data


def test_unknown_access_id_is_refused_before_the_body_arrives(farm):
    # 7 MB announced, 10 bytes sent: the answer comes at once, not after a body that never arrives
    head = (f"POST {PROFILE} HTTP/1.1\r\nHost: {farm.domain}\r\naccessId: nobody\r\n"
            "Content-Type: application/json\r\nContent-Length: 7000000\r\n\r\n{\"a\": 1, ").encode()
    with _raw_connection(farm, head) as sock:
        reply = _answer(sock)
    envelope = json.loads(reply.partition(b"\r\n\r\n")[2])
    assert envelope["code"] == 602 and "nobody" in envelope["message"]


def test_a_forged_body_of_many_values_is_refused_before_hashing(farm):
    body = {"taskIds": list(range(server.MAX_FIELDS + 10))}
    client = RawClient(farm)
    headers = client.headers(path_for("getTaskList", "current"), {})  # signature of another body: forged
    answer = client.post("getTaskList", raw=json.dumps(body).encode(), headers=headers)
    assert answer["code"] == 600 and "values" in answer["message"]


def test_a_non_numeric_content_length_is_named_as_such(farm):
    head = (f"POST {PROFILE} HTTP/1.1\r\nHost: {farm.domain}\r\naccessId: {farm.access_id}\r\n"
            "Content-Length: abc\r\n\r\n").encode()
    with _raw_connection(farm, head) as sock:
        envelope = json.loads(_answer(sock).partition(b"\r\n\r\n")[2])
    assert envelope["code"] == 600 and "not a number of bytes" in envelope["message"]
    assert "limit" not in envelope["message"]


def test_a_stalled_client_is_dropped(tmp_path, monkeypatch):
    monkeypatch.setattr(server.RequestHandler, "timeout", 0.5)
    monkeypatch.setattr(server, "SOCKET_TIMEOUT", 0.5)
    with EmbeddedFarm(tmp_path / "farm", port=0, speed=400, real_blender=False) as farm:
        head = (f"POST {PROFILE} HTTP/1.1\r\nHost: {farm.domain}\r\naccessId: {farm.access_id}\r\n"
                "Content-Length: 100\r\n\r\n{").encode()
        with _raw_connection(farm, head) as sock:
            assert sock.recv(100) == b""  # closed by the farm, no answer to a body that never came
        assert RawClient(farm).ok("queryUserProfile")["userId"]


def test_connections_beyond_the_limit_get_503_and_the_farm_recovers(tmp_path, monkeypatch):
    monkeypatch.setattr(server, "MAX_CONNECTIONS", 4)
    with EmbeddedFarm(tmp_path / "farm", port=0, speed=400, real_blender=False) as farm:
        idle = [socket.create_connection(("127.0.0.1", farm.port), timeout=10) for _ in range(4)]
        reply = None
        for _ in range(50):  # the farm's accept loop may not have taken all four yet
            reply = requests.get(farm.url + "/farm/ping", timeout=10)
            if reply.status_code == 503:
                break
            time.sleep(0.05)
        assert reply is not None and reply.status_code == 503 and "busy" in reply.json()["error"]
        for sock in idle:
            sock.close()
        answer = None
        for _ in range(100):  # the slots free as the handler threads see the closed sockets
            answer = requests.get(farm.url + "/farm/ping", timeout=10)
            if answer.status_code == 200:
                break
            time.sleep(0.05)
        assert answer is not None and answer.status_code == 200


def test_a_client_trickling_its_headers_is_dropped(tmp_path, monkeypatch):
    monkeypatch.setattr(server, "HEAD_DEADLINE", 1.0)
    with EmbeddedFarm(tmp_path / "farm", port=0, speed=400, real_blender=False) as farm:
        sock = _raw_connection(farm, f"POST {PROFILE} HTTP/1.1\r\n".encode())
        started = time.monotonic()
        closed = False
        with sock:
            for _ in range(100):  # one header byte every 0.1 s: each read is quick, the head never ends
                try:
                    sock.sendall(b"X")
                except OSError:
                    closed = True
                    break
                time.sleep(0.1)
                sock.setblocking(False)
                try:
                    if sock.recv(1) == b"":
                        closed = True
                        break
                except BlockingIOError:
                    pass
                finally:
                    sock.setblocking(True)
        assert closed and time.monotonic() - started < 5
        assert RawClient(farm).ok("queryUserProfile")["userId"]
