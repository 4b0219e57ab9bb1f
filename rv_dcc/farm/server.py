"""The farm's HTTP server: the service's API on both path sets, authenticated as wire.md §3,
plus the transfer endpoint and file URLs.

API calls: ``POST <path>`` with a JSON object body, always answered HTTP 200 with the envelope
``{"version", "result", "message", "code", "data", "serverTime", "requestId"}``. Checks in
order, the cheap ones before the body is read or hashed: unknown path -> 404; ``Content-Length``
not a number or over ``MAX_BODY`` (``MAX_BODY_FILES`` for taskJsonFile) -> 600; missing/unknown
``accessId`` header -> 602; not UTF-8 JSON object -> 600; then on the values that were SIGNED
(wire.md §3: a body key replaces the header of the same name): unknown ``accessId`` -> 602,
``UTCTimestamp`` missing or more than 300 s from the farm's clock -> 610, no ``nonce`` -> 603;
more than ``MAX_FIELDS`` values -> 600; signature (rebuilt with domain = the ``Host`` header)
wrong -> 611; a request whose signed ``(accessId, UTCTimestamp, nonce, signature)`` was already
accepted -> 603 "illegal protocol: replayed request" (kept 600 s in ``nonces.sqlite3``, so a
restart forgets none; the key includes the signature, i.e. path and body, so honest requests
that happen to draw the same 6-digit nonce are not refused; only a true replay is); then
the shared request models (``rv_dcc.api.wire.validate_request``, when present) -> 600/601 naming
the field; then the operation. A handler's bug is answered 500 with the requestId and logged with
its trace; the server keeps serving. Connections: at most ``MAX_CONNECTIONS`` at once (more get
an immediate HTTP 503), each dropped after ``SOCKET_TIMEOUT`` s of silence, a request head taking
over ``HEAD_DEADLINE`` s, or a body trickling slower than ``MIN_BODY_RATE``.
"""
import json
import logging
import os
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable, Dict, Optional, Tuple, Type
from urllib.parse import urlsplit

from rv_dcc.api.operations import BY_PATH
from rv_dcc.farm import account, auth, control, queries, tasks
from rv_dcc.farm.errors import INTERNAL, INVALID, LOGIN_NEEDED, NOT_FOUND, Body, FarmError
from rv_dcc.farm.transfer import TransferError, json_body, parse_range, query_of

log = logging.getLogger("rv_dcc.farm.server")

MAX_BODY = 8 * 1024 * 1024
MAX_BODY_FILES = 64 * 1024 * 1024
TIME_WINDOW = auth.TIME_WINDOW
MAX_FIELDS = auth.MAX_FIELDS
#: Connections served at once; more get an immediate 503 (a slow or stalled client cannot pile up threads).
MAX_CONNECTIONS = 256
#: Seconds a connection may be silent (between requests, or mid-request) before it is dropped.
SOCKET_TIMEOUT = 30.0
#: A request body must arrive at this many bytes per second at least (after SOCKET_TIMEOUT seconds).
MIN_BODY_RATE = 256 * 1024
#: Seconds a request line and its headers may take in all (a client trickling them is dropped).
HEAD_DEADLINE = 30.0

Handler = Callable[[Any, Body], Any]
HANDLERS: Dict[str, Handler] = {
    "queryPlatforms": account.query_platforms, "queryUserProfile": account.query_user_profile,
    "queryUserSetting": account.query_user_setting, "updateUserSetting": account.update_user_setting,
    "getBid": account.get_bid, "hardwareConfigList": account.hardware_config_list,
    "getUserPackNodeInfo": account.user_pack_node_info, "taskRecord": queries.records("task"),
    "loginRecord": queries.records("login"),
    "createTask": tasks.create_task, "submitTask": tasks.submit_task, "taskJsonFile": tasks.task_json_file,
    "queryAnalyseErrorDetail": account.error_detail, "getTaskList": queries.get_task_list,
    "queryTaskInfo": queries.query_task_info, "stopTask": control.stop_task, "startTask": control.start_task,
    "abandonTask": control.abandon_task, "deleteTask": control.delete_task,
    "updateTaskUserLevel": control.update_task_user_level, "updateTaskLimit": control.update_task_limit,
    "editTaskHardwareConfig": control.edit_task_hardware, "setTaskOverTimeStop": control.set_task_over_time_stop,
    "fullSpeedRendering": control.full_speed, "queryTaskFrames": queries.query_task_frames,
    "queryAllFrameStats": queries.query_all_frame_stats, "recommitTasks": control.recommit_tasks,
    "recommitTaskFrames": control.recommit_task_frames, "stopTaskFrames": control.stop_task_frames,
    "showLog": queries.show_log, "loadTaskProcessImg": queries.load_task_process_img,
    "loadingFrameThumbnail": queries.loading_frame_thumbnail, "projectAdd": account.project_add,
    "projectDelete": account.project_delete, "projectGetList": account.project_list,
    "projectList": account.project_list, "addTaskLabel": control.add_task_label,
    "deleteTaskLabel": control.delete_task_label, "querySoftwareList": account.query_software_list,
    "querySoftwareDetail": account.query_software_detail, "addUserPluginConfig": account.add_env,
    "editUserPluginConfig": account.edit_env, "deleteUserPluginConfig": account.delete_env,
    "setDefaultUserPluginConfig": account.default_env, "getUserPluginConfig": account.get_envs,
    "getServerInfo": account.server_info, "getRaySyncUserKey": account.raysync_user_key,
    "getConfig": account.transfer_config, "getOutputUserDirFile": account.output_dir_file,
}


def envelope(code: int, data: Any = None, message: str = "success", request_id: Optional[str] = None) -> Dict[str, Any]:
    """The service's answer envelope."""
    return {"version": "1.0.0", "result": code == 200, "message": message, "code": code, "data": data,
            "serverTime": int(time.time() * 1000), "requestId": request_id}


def _validator() -> Optional[Tuple[Callable[[str, Any], Any], Any, Type[BaseException]]]:
    """``(validate_request, REQUEST_MODELS, RequestValidationError)`` of the shared wire models, if built."""
    try:
        from rv_dcc.api import wire

        return wire.validate_request, wire.REQUEST_MODELS, wire.RequestValidationError
    except Exception:  # no pydantic, or a broken module: serve with the farm's own field checks
        log.warning("shared request models unavailable; the farm checks request fields itself", exc_info=True)
        return None


class FarmServer(ThreadingHTTPServer):
    """The HTTP server of one farm (``farm`` is the EmbeddedFarm that owns the state)."""

    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 64

    def __init__(self, address: Tuple[str, int], farm: Any) -> None:
        from rv_dcc.farm.nonces import NonceStore

        self.farm = farm
        self.nonces = NonceStore(farm.data_dir, TIME_WINDOW)
        self.validator = _validator()
        self.logged_in: set = set()
        self._slots = threading.BoundedSemaphore(MAX_CONNECTIONS)
        self._refused, self._refused_logged = 0, -1e9
        try:
            super().__init__(address, RequestHandler)
        except BaseException:
            self.nonces.close()
            raise

    def server_close(self) -> None:
        super().server_close()
        self.nonces.close()

    def process_request(self, request: Any, client_address: Any) -> None:
        """One thread per connection, at most MAX_CONNECTIONS: beyond that an immediate 503."""
        if not self._slots.acquire(blocking=False):
            self._refused += 1
            now = time.monotonic()
            if now - self._refused_logged > 10:  # one line per 10 s, not one per connection of a flood
                log.warning("farm busy: %d connections open; refused %d connection(s), the last from %s",
                            MAX_CONNECTIONS, self._refused, client_address[0])
                self._refused, self._refused_logged = 0, now
            payload = json.dumps({"error": "the farm is busy (too many connections); retry shortly"}).encode()
            try:
                request.settimeout(1.0)
                request.sendall(b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\n"
                                b"Retry-After: 1\r\nConnection: close\r\nContent-Length: "
                                + str(len(payload)).encode() + b"\r\n\r\n" + payload)
            except OSError:
                pass
            self.shutdown_request(request)
            return
        try:
            super().process_request(request, client_address)
        except BaseException:
            self._slots.release()
            raise

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)  # type: ignore[misc]
        finally:
            self._slots.release()


class RequestHandler(BaseHTTPRequestHandler):
    """One connection: API calls, transfer calls and file downloads."""

    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out as separate writes: no 40 ms delayed-ACK stalls
    server_version = "rv_dcc-farm/1.0"
    timeout = SOCKET_TIMEOUT  # socket timeout: a silent client is dropped, its thread freed
    server: FarmServer

    def handle_one_request(self) -> None:
        """One request; its request line and headers must arrive within HEAD_DEADLINE s in all
        (the socket timeout alone lets a client trickle a byte at a time and hold the thread)."""
        from rv_dcc.api import deadline

        self._head_guard: Optional[Any] = deadline.guard(HEAD_DEADLINE)
        current = self._head_guard.__enter__()
        if current is not None:  # HEAD_DEADLINE is a number: always a guard
            current.attach(self.connection)
        try:
            super().handle_one_request()
        finally:
            self._end_head_guard()

    def parse_request(self) -> bool:
        ok = super().parse_request()
        self._end_head_guard()  # the head is in: the body and the answer have their own limits
        return ok

    def _end_head_guard(self) -> None:
        guard, self._head_guard = getattr(self, "_head_guard", None), None
        if guard is not None:
            guard.__exit__(None, None, None)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        log.debug("%s %s", self.address_string(), format % args)

    # -- plumbing ---------------------------------------------------------------------------------
    def _send(self, status: int, payload: bytes, content_type: str, extra: Optional[Dict[str, str]] = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(payload)))
        for key, value in (extra or {}).items():
            self.send_header(key, value)
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(payload)

    def _json(self, status: int, value: Any) -> None:
        self._send(status, json.dumps(value, ensure_ascii=False).encode("utf-8"), "application/json;charset=UTF-8")

    def _length(self) -> int:
        text = (self.headers.get("Content-Length") or "0").strip()
        return int(text) if text.isdigit() else -1

    def _read(self, limit: int) -> Optional[bytes]:
        length = self._length()
        if length < 0 or length > limit:
            self.close_connection = True  # the unread body must not be parsed as the next request
            return None
        return self._body(length)

    def _body(self, length: int) -> bytes:
        """Exactly ``length`` bytes of body, or _Gone when the client stalls, trickles or leaves."""
        if not length:
            return b""
        deadline = time.monotonic() + SOCKET_TIMEOUT + length / MIN_BODY_RATE
        parts, remaining = [], length
        try:
            while remaining:
                block = self.rfile.read1(min(remaining, 1 << 20))
                if not block:
                    raise _Gone("the client closed the connection mid-body")
                parts.append(block)
                remaining -= len(block)
                if remaining and time.monotonic() > deadline:
                    raise _Gone("the client sends its body too slowly")
        except OSError as exc:  # socket timeout or reset
            raise _Gone(f"reading the body failed ({type(exc).__name__})") from None
        return b"".join(parts)

    def _length_refusal(self, limit: int, what: str) -> str:
        if self._length() < 0:
            return (f"Content-Length {str(self.headers.get('Content-Length'))[:40]!r} is not a number of bytes; "
                    "send the body's length in bytes")
        return f"request body of {self._length()} bytes is over the {limit // (1024 * 1024)} MiB limit of {what}"

    # -- API ----------------------------------------------------------------------------------------
    def do_POST(self) -> None:  # noqa: N802 - stdlib name
        path = urlsplit(self.path).path
        if path.startswith("/farm/"):
            self._transfer("POST", path)
            return
        request_id = secrets.token_hex(8)
        started = time.perf_counter()
        try:
            code, data, message = self._api(path, request_id)
        except _Gone as gone:  # nobody to answer: drop the connection
            log.info("%s %s: %s", path, request_id, gone)
            self.close_connection = True
            return
        except Exception:  # never let a bug take the connection down: answer 500, keep serving
            log.exception("farm request %s %s failed", request_id, path)
            code, data, message = INTERNAL, None, f"internal error on the embedded farm (requestId {request_id})"
        self._json(200, envelope(code, data, message, request_id))
        log.info("%s %s -> %s in %.1f ms", path, request_id, code, (time.perf_counter() - started) * 1000)

    def _api(self, path: str, request_id: str) -> Tuple[int, Any, str]:
        operation = BY_PATH.get(path)
        if operation is None:
            self._read(MAX_BODY)
            return NOT_FOUND, None, f"no operation at {path}; see spec/api_reference.md for the paths"
        limit = MAX_BODY_FILES if operation.name == "taskJsonFile" else MAX_BODY
        length = self._length()
        if length < 0 or length > limit:
            self.close_connection = True  # the unread body must not be parsed as the next request
            return INVALID, None, self._length_refusal(limit, operation.name)
        header_id = self.headers.get("accessId")
        if header_id != self.server.farm.access_id:  # refused before the body is read or hashed
            self.close_connection = True
            if not header_id:
                return LOGIN_NEEDED, None, "login needed: the request has no accessId header"
            return LOGIN_NEEDED, None, f"login needed: access id {header_id[:64]!r} is not known to this farm"
        raw = self._body(length)
        try:
            body = json.loads(raw.decode("utf-8")) if raw.strip() else {}
        except (UnicodeDecodeError, ValueError, RecursionError) as exc:
            return INVALID, None, f"request body is not UTF-8 JSON ({type(exc).__name__}: {str(exc)[:80]})"
        if not isinstance(body, dict):
            return INVALID, None, f"request body must be a JSON object, not {type(body).__name__}"
        refusal = self._authenticate(path, body)
        if refusal is not None:
            return refusal
        farm = self.server.farm
        if farm.access_id not in self.server.logged_in:
            self.server.logged_in.add(farm.access_id)
            farm.record_login(self.client_address[0])
        if self.server.validator is not None:
            validate, models, error_type = self.server.validator
            if operation.name in models:
                try:
                    validate(operation.name, body)
                except error_type as exc:
                    return int(getattr(exc, "code", INVALID) or INVALID), None, str(getattr(exc, "message", exc))
        try:
            return 200, HANDLERS[operation.name](farm, Body(body)), "success"
        except FarmError as exc:
            return exc.code, None, exc.message

    def _authenticate(self, path: str, body: Dict[str, Any]) -> Optional[Tuple[int, Any, str]]:
        return auth.authenticate(self.server.farm, self.server.nonces, self.headers, path, body)

    # -- transfer and files -------------------------------------------------------------------------
    def do_PUT(self) -> None:  # noqa: N802
        self._transfer("PUT", urlsplit(self.path).path)

    def do_GET(self) -> None:  # noqa: N802
        self._transfer("GET", urlsplit(self.path).path)

    def do_HEAD(self) -> None:  # noqa: N802
        self._transfer("GET", urlsplit(self.path).path)

    def _transfer(self, method: str, path: str) -> None:
        farm = self.server.farm
        query = query_of(urlsplit(self.path).query)
        try:
            if method == "GET" and path == "/farm/ping":
                # the access id only to this machine: off loopback, nothing without authentication
                self._json(200, {"farm": "rv_dcc", "url": farm.url, **({"accessId": farm.access_id}
                                                                       if farm.loopback else {})})
                return
            route = self._route(method, path)
            if route is None:
                self.close_connection = method != "GET"
                raise TransferError(404, f"nothing at {method} {path}")
            area, rest = route
            farm.transfer.authorize(self.headers, path, query)
            if method == "POST":
                raw = self._read(1024 * 1024)
                if raw is None:
                    raise TransferError(413, "control call bodies are at most 1 MiB")
                body = json_body(raw)
                self._json(200, farm.transfer.stat(body) if area == "stat" else farm.transfer.have(body))
            elif method == "PUT":
                length = self._length()
                if length < 0:
                    raise TransferError(400, "Content-Length is required")
                self._json(200, farm.transfer.put(rest, query, length, self.rfile))
            else:
                self._download(farm.transfer.open_file(area, rest))
        except TransferError as exc:
            if method == "PUT":
                self.close_connection = True
            self._json(exc.status, dict(exc.extra, error=exc.message))
        except _Gone as gone:
            log.info("farm transfer %s %s: %s", method, path, gone)
            self.close_connection = True
        except Exception:
            log.exception("farm transfer %s %s failed", method, path)
            self.close_connection = True
            self._json(500, {"error": "internal error on the embedded farm's transfer endpoint"})

    @staticmethod
    def _route(method: str, path: str) -> Optional[Tuple[str, str]]:
        prefixes = {("POST", "/farm/transfer/stat"): "stat", ("POST", "/farm/transfer/have"): "have"}
        if (method, path) in prefixes:
            return prefixes[(method, path)], ""
        for verb, prefix, area in (("PUT", "/farm/transfer/input/", "input"),
                                   ("GET", "/farm/transfer/output/", "output"),
                                   ("GET", "/farm/files/output/", "output"),
                                   ("GET", "/farm/files/thumbs/", "thumbs")):
            if method == verb and path.startswith(prefix):
                return area, path[len(prefix):]
        return None

    def _download(self, full: str) -> None:
        size = os.path.getsize(full)
        span = parse_range(self.headers.get("Range"), size)
        start, end = span if span is not None else (0, size - 1)
        self.send_response(200 if span is None else 206)
        self.send_header("Content-Type", "image/png" if full.endswith(".png") else "application/octet-stream")
        self.send_header("Content-Length", str(max(0, end - start + 1)))
        self.send_header("Accept-Ranges", "bytes")
        if span is not None:
            self.send_header("Content-Range", f"bytes {start}-{end}/{size}")
        self.end_headers()
        if self.command == "HEAD":
            return
        with open(full, "rb") as handle:  # streamed: outputs may be large
            handle.seek(start)
            remaining = end - start + 1
            while remaining > 0:
                block = handle.read(min(remaining, 1 << 20))
                if not block:
                    break
                self.wfile.write(block)
                remaining -= len(block)


class _Gone(Exception):
    """The client stalled, trickled or left mid-request: nothing can be answered."""


__all__ = ["FarmServer", "HANDLERS", "envelope"]
