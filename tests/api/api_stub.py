"""A real loopback HTTP server standing in for the farm, for the client's tests.

``FarmStub`` records every request (path, headers, decoded body), checks its signature with
``rv_dcc.api.signing`` exactly as the service does (domain = the Host header) and replies with
canned envelopes, a raw reply, or by dropping the connection. Nothing of the client is mocked.
"""
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable, Dict, List, Optional
from urllib.parse import urlsplit

import pytest

from rv_dcc.api import signing

ACCESS_ID = "AKIDtest0123456789abcdef"
ACCESS_KEY = "SECRETtestKey-9876543210-do-not-log"


def envelope(data: Any = None, code: int = 200, message: str = "success", request_id: Optional[str] = "rid-1") -> dict:
    """The service's reply envelope (spec/wire.md §1)."""
    return {"version": "1.0.0", "result": code == 200, "message": message, "code": code, "data": data,
            "serverTime": 1700000000000, "requestId": request_id}


class Recorded:
    """One request as the server received it."""

    def __init__(self, path: str, headers: Dict[str, str], raw: bytes) -> None:
        self.path = path
        self.headers = headers
        self.raw = raw
        self.body = json.loads(raw) if raw else None
        self.signature_ok = False


class FarmStub:
    """The server and its script: ``reply(recorded) -> dict | ("raw", status, bytes) | "close"``."""

    def __init__(self) -> None:
        self.requests: List[Recorded] = []
        self.replies: List[Any] = []  # consumed first, in order
        self.reply: Callable[[Recorded], Any] = lambda req: envelope(None)
        self.key = ACCESS_KEY
        self.lock = threading.Lock()
        stub = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True

            def log_message(self, *args: Any) -> None:  # keep test output quiet
                pass

            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                path = urlsplit(self.path).path if self.path.startswith("http") else self.path
                req = Recorded(path, {k: v for k, v in self.headers.items()}, raw)
                try:
                    req.signature_ok = signing.verify(stub.key, self.headers.get("Host", ""), path, req.headers,
                                                      req.body or {}, self.headers.get("signature", ""))
                except Exception:  # a malformed request is recorded as unsigned
                    req.signature_ok = False
                with stub.lock:
                    stub.requests.append(req)
                    answer = stub.replies.pop(0) if stub.replies else None
                if answer is None:
                    answer = stub.reply(req) if req.signature_ok else envelope(None, 611, "signature invalid")
                if answer == "close":
                    self.close_connection = True
                    self.connection.shutdown(2)
                    return
                if isinstance(answer, tuple) and answer[0] == "raw":
                    _, status, payload = answer
                else:
                    status, payload = 200, json.dumps(answer).encode()
                # One write, no Nagle: split header/body writes meet delayed ACKs (40 ms stalls).
                head = (f"HTTP/1.1 {status} X\r\nContent-Type: application/json\r\n"
                        f"Content-Length: {len(payload)}\r\n\r\n").encode()
                self.wfile.write(head + payload)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.domain = f"127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.02},
                                       name="farm-stub", daemon=True)

    def start(self) -> "FarmStub":
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)

    @property
    def last(self) -> Recorded:
        return self.requests[-1]


@pytest.fixture
def farm():
    stub = FarmStub().start()
    try:
        yield stub
    finally:
        stub.stop()


@pytest.fixture
def make_api(farm, monkeypatch, tmp_path):
    """Build clients against the stub; ``domain`` other than the stub's goes through it as a proxy."""
    from rv_dcc.api import RayvisionAPI

    monkeypatch.setenv("RV_DCC_CONFIG_DIR", str(tmp_path / "config"))
    clients = []

    def make(domain: Optional[str] = None, **kwargs: Any) -> Any:
        kwargs.setdefault("retries", 2)
        kwargs.setdefault("backoff", 0.001)
        kwargs.setdefault("timeout", 5)
        if domain is not None:
            import requests

            session = requests.Session()
            session.trust_env = False
            session.proxies = {"http": f"http://{farm.domain}"}
            kwargs["session"] = session
        api = RayvisionAPI(ACCESS_ID, ACCESS_KEY, domain=domain or farm.domain, platform="2", protocol="http",
                           **kwargs)
        clients.append(api)
        return api

    yield make
    for api in clients:
        api.close()


@pytest.fixture
def api(make_api):
    return make_api()
