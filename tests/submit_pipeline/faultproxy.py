"""A loopback HTTP proxy that cuts chosen requests, for fault tests of the submission pipeline.

Each request is forwarded to the upstream farm on its own connection (``Connection: close``
upstream), and the reply is passed back — unless a rule matches:

- ``drop_reply``: the request reaches the farm in full and the farm answers, but the client's
  connection is closed without the reply (the farm did the work; the client never heard).
- ``cut_request``: only the first ``at_bytes`` of the body reach the farm, then both
  connections close (a connection cut during an upload).

Rules match the end of the request path (without the query), or any part of it when the rule's
path starts with ``~``, and fire on the ``nth`` match (1-based). The proxy counts requests per
path and keeps a log (method, path with query, body bytes, outcome) so a test can assert what
was sent, and ``wait_idle`` waits until no request is in flight.
"""
import socket
import threading
from dataclasses import dataclass
from typing import Dict, List, Optional, Tuple


@dataclass
class Rule:
    path: str
    action: str            # "drop_reply" | "cut_request"
    nth: int = 1
    at_bytes: int = 0
    fired: bool = False

    def matches(self, path: str) -> bool:
        bare = path.split("?", 1)[0]
        return self.path[1:] in bare if self.path.startswith("~") else bare.endswith(self.path)


class FaultProxy:
    """``with FaultProxy(upstream_port) as proxy: proxy.port``."""

    def __init__(self, upstream_port: int, upstream_host: str = "127.0.0.1") -> None:
        self.upstream = (upstream_host, upstream_port)
        self.rules: List[Rule] = []
        self.counts: Dict[str, int] = {}
        self.log: List[Tuple[str, str, int, str]] = []  # (method, path, body bytes, outcome)
        self.in_flight = 0
        self._lock = threading.Lock()
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(64)
        self.port = self._sock.getsockname()[1]
        self._stop = threading.Event()
        self._threads: List[threading.Thread] = []
        self._conns: List[socket.socket] = []

    # --- control ---------------------------------------------------------------------------------
    def add(self, path: str, action: str, nth: int = 1, at_bytes: int = 0) -> Rule:
        rule = Rule(path, action, nth, at_bytes)
        with self._lock:
            self.rules.append(rule)
        return rule

    def count(self, path: str) -> int:
        """Requests whose path matches ``path`` (same rules as a Rule)."""
        probe = Rule(path, "")
        with self._lock:
            return sum(n for p, n in self.counts.items() if probe.matches(p))

    def wait_idle(self, timeout: float = 10.0, quiet: float = 0.05) -> bool:
        """Wait until no request has been in flight for ``quiet`` seconds."""
        import time

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                busy = self.in_flight
            if not busy:
                time.sleep(quiet)
                with self._lock:
                    if not self.in_flight:
                        return True
            time.sleep(0.01)
        return False

    def __enter__(self) -> "FaultProxy":
        thread = threading.Thread(target=self._accept, name="faultproxy", daemon=True)
        thread.start()
        self._threads.append(thread)
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self._stop.set()
        try:
            self._sock.close()
        except OSError:
            pass
        with self._lock:
            conns = list(self._conns)
        for conn in conns:
            try:
                conn.close()
            except OSError:
                pass
        for thread in self._threads:
            thread.join(timeout=5)

    # --- serving ---------------------------------------------------------------------------------
    def _accept(self) -> None:
        self._sock.settimeout(0.05)  # closing a listening socket does not wake accept(): poll
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except socket.timeout:
                continue
            except OSError:
                return
            conn.settimeout(None)
            with self._lock:
                self._conns.append(conn)
            thread = threading.Thread(target=self._serve, args=(conn,), name="faultproxy-conn", daemon=True)
            thread.start()

    def _match(self, path: str) -> Optional[Rule]:
        with self._lock:
            self.counts[path] = self.counts.get(path, 0) + 1
            for rule in self.rules:
                if rule.fired or not rule.matches(path):
                    continue
                seen = sum(n for p, n in self.counts.items() if rule.matches(p))
                if seen == rule.nth:
                    rule.fired = True
                    return rule
        return None

    def _serve(self, conn: socket.socket) -> None:
        conn.settimeout(30)
        buf = b""
        try:
            while not self._stop.is_set():
                while b"\r\n\r\n" not in buf:
                    chunk = conn.recv(65536)
                    if not chunk:
                        return
                    buf += chunk
                head, buf = buf.split(b"\r\n\r\n", 1)
                lines = head.split(b"\r\n")
                method, path = lines[0].split(b" ")[0].decode(), lines[0].split(b" ")[1].decode()
                headers = []
                length = 0
                for line in lines[1:]:
                    name, _, value = line.partition(b":")
                    if name.strip().lower() == b"content-length":
                        length = int(value.strip())
                    if name.strip().lower() in (b"connection", b"keep-alive"):
                        continue
                    headers.append(line)
                while len(buf) < length:
                    chunk = conn.recv(65536)
                    if not chunk:
                        return
                    buf += chunk
                body, buf = buf[:length], buf[length:]
                rule = self._match(path)
                request = b"\r\n".join([lines[0], *headers, b"Connection: close"]) + b"\r\n\r\n"
                with self._lock:
                    self.in_flight += 1
                try:
                    up = socket.create_connection(self.upstream, timeout=60)
                except OSError:
                    with self._lock:
                        self.in_flight -= 1
                    return
                try:
                    if rule is not None and rule.action == "cut_request":
                        up.sendall(request + body[:rule.at_bytes])
                        self.log.append((method, path, length, "cut_request"))
                        return  # both sockets close: the farm sees a short body
                    up.sendall(request + body)
                    reply = b""
                    while True:
                        chunk = up.recv(65536)
                        if not chunk:
                            break
                        reply += chunk
                finally:
                    up.close()
                    with self._lock:
                        self.in_flight -= 1
                if rule is not None and rule.action == "drop_reply":
                    self.log.append((method, path, length, "drop_reply"))
                    return  # the farm answered; the client hears nothing
                self.log.append((method, path, length, "ok"))
                # Upstream closed after its reply; tell the client this connection closes too.
                conn.sendall(_force_close(reply))
                return
        except OSError:
            return
        finally:
            try:
                conn.close()
            except OSError:
                pass


def _force_close(reply: bytes) -> bytes:
    head, sep, body = reply.partition(b"\r\n\r\n")
    lines = [line for line in head.split(b"\r\n") if not line.lower().startswith((b"connection:", b"keep-alive:"))]
    return b"\r\n".join(lines + [b"Connection: close"]) + sep + body
