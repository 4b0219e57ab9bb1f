"""Issue 15 items 5, 6, 10: a hostile or broken server cannot hang a call, fill memory, loop a
listing forever, or turn a wrongly typed reply into an internal error."""
import socket
import threading

import pytest

from rv_dcc.api import RayvisionAPI
from rv_dcc.api.errors import InvalidReplyError, RequestTimeoutError
from rv_dcc.transfer.base import TransferError
from security_helpers import wire_envelope


class TrickleServer:
    """Answers every connection with ``head`` then ``tail`` one byte per ``gap`` seconds, until told to stop."""

    def __init__(self, head: bytes, tail: bytes, gap: float = 0.2) -> None:
        self.head, self.tail, self.gap = head, tail, gap
        self.stop = threading.Event()
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.domain = "127.0.0.1:%d" % self.sock.getsockname()[1]
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._trickle, args=(conn,), daemon=True).start()

    def _trickle(self, conn: socket.socket) -> None:
        with conn:
            try:
                _read_request(conn)  # all of it: closing with unread bytes would reset the connection
                conn.sendall(self.head)
                for byte in self.tail:
                    if self.stop.wait(self.gap):
                        return
                    conn.sendall(bytes([byte]))
            except OSError:
                return

    def close(self) -> None:
        self.stop.set()
        self.sock.close()


def _read_request(conn: socket.socket) -> bytes:
    """One whole HTTP request (head and Content-Length body) from ``conn``."""
    data = b""
    while b"\r\n\r\n" not in data:
        block = conn.recv(65536)
        if not block:
            return data
        data += block
    head, _, body = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip() or 0)
    while len(body) < length:
        block = conn.recv(65536)
        if not block:
            break
        body += block
    return head + b"\r\n\r\n" + body


def _api(domain, **kw):
    return RayvisionAPI(access_id="id", access_key="key", domain=domain, platform="2", protocol="http",
                        retries=0, **kw)


@pytest.mark.parametrize("head, tail", [
    (b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n", b"x" * 1000),
    (b"HTTP/1.1 200 OK\r\n", b"X-Slow: " + b"y" * 1000),  # the headers themselves trickle
])
def test_a_trickling_server_cannot_hold_a_call(head, tail):
    server = TrickleServer(head, tail)
    try:
        api = _api(server.domain, timeout=(2.0, 5.0), deadline=1.0)
        with pytest.raises(RequestTimeoutError) as caught:
            api.query.get_task_list(page_num=1, page_size=1)
        assert "limit for one call" in caught.value.message
        api.close()
    finally:
        server.close()


def test_every_call_has_a_total_limit_by_default():
    api = _api("127.0.0.1:1")
    assert api._transport.deadline and api._transport.deadline <= 300
    assert api._transport.max_reply <= 64 * 1024 * 1024


def test_a_huge_reply_is_refused_before_it_is_read(canned):
    big = wire_envelope({"items": ["x" * 1000] * 3000})  # ~3 MB
    server = canned(lambda path, headers, body: (200, big))
    server.server.handle_error = lambda *a: None  # the client hangs up mid-reply: that is the point
    api = _api(server.domain, max_reply=1024 * 1024)
    with pytest.raises(InvalidReplyError) as caught:
        api.query.get_task_list(page_num=1, page_size=1)
    assert "more than 1 MiB" in caught.value.message
    api.close()


def test_a_huge_reply_without_length_is_cut_too():
    head = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n"
    server = TrickleServer(head + b"[" + b"1," * 2_000_000, b"", gap=0)
    try:
        api = _api(server.domain, max_reply=1024 * 1024)
        with pytest.raises(InvalidReplyError) as caught:
            api.query.get_task_list(page_num=1, page_size=1)
        assert "refused" in caught.value.message
        api.close()
    finally:
        server.close()


class EndlessFolders:
    """An output listing where every folder holds a new folder."""

    def __init__(self):
        self.calls = 0
        outer = self

        class Transmit:
            def get_output_files(self, task_id=None, tree_path="/"):
                outer.calls += 1
                base = tree_path.rstrip("/") if task_id is None else "/19001_s"
                return [{"fileName": "d", "filePath": f"{base}/d{outer.calls}", "directory": True}]

        self.transmit = Transmit()


def test_an_endless_listing_stops_with_a_clear_error():
    from rv_dcc.transfer.outputs import MAX_DEPTH, list_outputs

    api = EndlessFolders()
    with pytest.raises(TransferError) as caught:
        list_outputs(api, 19001)
    assert "does not end" in caught.value.message and api.calls <= MAX_DEPTH + 1


def test_wrongly_typed_entries_leave_the_rest_usable(caplog):
    from rv_dcc.transfer.outputs import list_outputs

    class Transmit:
        def get_output_files(self, task_id=None, tree_path="/"):
            return [{"fileName": "a.png", "filePath": "/19001_s/a.png", "fileSize": "huge", "directory": False},
                    {"fileName": 5, "filePath": 7, "fileSize": 1, "directory": False},
                    {"fileName": "b.png", "filePath": "/19001_s/b.png", "fileSize": 3, "directory": False}]

    class Api:
        transmit = Transmit()

    files = list_outputs(Api(), 19001)
    assert [(f.path, f.size) for f in files] == [("/19001_s/a.png", None), ("/19001_s/b.png", 3)]
    assert "farm reply problem" in caplog.text


def test_the_transfer_engine_has_limits_too(canned, monkeypatch, tmp_path):
    """Items 5 and 6 for the HTTP transfer engine: a huge control reply is refused, a trickle is cut."""
    from rv_dcc.transfer import http
    from rv_dcc.transfer.base import UploadItem

    source = tmp_path / "a.bin"
    source.write_bytes(b"abc")
    server = canned(lambda path, headers, body: (200, b'{"x": "' + b"y" * (3 * 1024 * 1024) + b'"}'))
    server.server.handle_error = lambda *a: None  # the client hangs up mid-reply: that is the point
    engine = http.HttpTransferEngine(http.Endpoint(f"http://{server.domain}/farm/transfer", "t"), attempts=1)
    with pytest.raises(TransferError) as caught:
        engine.upload([UploadItem(str(source), "/D/a.bin")])
    assert "more than 1024 KiB" in caught.value.message
    engine.close()

    monkeypatch.setattr(http, "CONTROL_DEADLINE", 0.5)
    trickle = TrickleServer(b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n", b"{" * 1000)
    try:
        engine = http.HttpTransferEngine(http.Endpoint(f"http://{trickle.domain}/farm/transfer", "t"), attempts=1,
                                         timeout=(2.0, 5.0))
        with pytest.raises(TransferError) as caught:
            engine.upload([UploadItem(str(source), "/D/a.bin")])
        assert "no complete answer" in caught.value.message
        engine.close()
    finally:
        trickle.close()
