"""The farm's HTTP server: the service's API on both path sets, authenticated as wire.md §3,
plus the transfer endpoint and file URLs.

API calls: ``POST <path>`` with a JSON object body, always answered HTTP 200 with the envelope
``{"version", "result", "message", "code", "data", "serverTime", "requestId"}``. Checks in
order: unknown path -> 404; body over ``MAX_BODY`` (``MAX_BODY_FILES`` for taskJsonFile) -> 600;
not UTF-8 JSON object -> 600; missing/unknown ``accessId`` -> 602; ``UTCTimestamp`` missing or
more than 300 s from the farm's clock -> 610; signature (rebuilt with domain = the ``Host``
header) wrong -> 611; a request whose ``(accessId, UTCTimestamp, nonce, signature)`` was already accepted inside
the 300 s window -> 603 "illegal protocol: replayed request" (the key includes the timestamp and
the signature, i.e. path and body, so honest requests that happen to draw the same 6-digit nonce
— likely among hundreds per second — are not refused; only a true replay is); then
the shared request models (``rv_dcc.api.wire.validate_request``, when present) -> 600/601 naming
the field; then the operation. A handler's bug is answered 500 with the requestId and logged with
its trace; the server keeps serving.
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

from rv_dcc.api import signing
from rv_dcc.api.operations import BY_PATH
from rv_dcc.farm import account, control, queries, tasks
from rv_dcc.farm.errors import (ILLEGAL_PROTOCOL, INTERNAL, INVALID, LOGIN_NEEDED, NOT_FOUND,
                                SIGNATURE_EXPIRED, SIGNATURE_INVALID, Body, FarmError)
from rv_dcc.farm.transfer import TransferError, json_body, parse_range, query_of

log = logging.getLogger("rv_dcc.farm.server")

MAX_BODY = 8 * 1024 * 1024
MAX_BODY_FILES = 64 * 1024 * 1024
TIME_WINDOW = 300

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


class NonceCache:
    """Accepted ``(accessId, UTCTimestamp, nonce, signature)`` keys of the last ``TIME_WINDOW`` seconds."""

    def __init__(self) -> None:
        self._seen: Dict[Tuple[str, ...], float] = {}
        self._lock = threading.Lock()
        self._purged = 0.0

    def claim(self, key: Tuple[str, ...]) -> bool:
        """True the first time a key is seen inside the window."""
        now = time.time()
        with self._lock:
            if now - self._purged > 10:
                self._seen = {k: t for k, t in self._seen.items() if now - t <= 2 * TIME_WINDOW}
                self._purged = now
            if key in self._seen:
                return False
            self._seen[key] = now
            return True


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
        self.farm = farm
        self.nonces = NonceCache()
        self.validator = _validator()
        self.logged_in: set = set()
        super().__init__(address, RequestHandler)


class RequestHandler(BaseHTTPRequestHandler):
    """One connection: API calls, transfer calls and file downloads."""

    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out as separate writes: no 40 ms delayed-ACK stalls
    server_version = "rv_dcc-farm/1.0"
    server: FarmServer

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
        try:
            return max(0, int(self.headers.get("Content-Length") or 0))
        except ValueError:
            return -1

    def _read(self, limit: int) -> Optional[bytes]:
        length = self._length()
        if length < 0 or length > limit:
            self.close_connection = True  # the unread body must not be parsed as the next request
            return None
        return self.rfile.read(length) if length else b""

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
        raw = self._read(limit)
        if raw is None:
            return INVALID, None, (f"request body of {self.headers.get('Content-Length')} bytes is over the "
                                   f"{limit // (1024 * 1024)} MiB limit of {operation.name}")
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
        farm = self.server.farm
        headers = {k: self.headers.get(k) for k in signing.SIGNED_HEADERS if self.headers.get(k) is not None}
        access_id = headers.get("accessId")
        if not access_id:
            return LOGIN_NEEDED, None, "login needed: the request has no accessId header"
        if access_id != farm.access_id:
            return LOGIN_NEEDED, None, f"login needed: access id {access_id!r} is not known to this farm"
        stamp = headers.get("UTCTimestamp") or ""
        try:
            skew = abs(time.time() - int(stamp))
        except ValueError:
            return SIGNATURE_EXPIRED, None, "signature expired: UTCTimestamp header missing or not Unix seconds"
        if skew > TIME_WINDOW:
            return SIGNATURE_EXPIRED, None, (f"signature expired: UTCTimestamp is {int(skew)} s away from the farm's "
                                             f"clock (limit {TIME_WINDOW} s); check the computer's clock")
        domain = self.headers.get("Host", "")
        try:
            valid = signing.verify(farm.access_key, domain, path, headers, body, self.headers.get("signature") or "")
        except RecursionError:
            return INVALID, None, "request body nests too deeply"
        if not valid:
            return SIGNATURE_INVALID, None, ("signature invalid: check the access key, and sign with the domain as "
                                             f"sent in the Host header ({domain}) and the path {path}")
        key = (access_id, stamp, headers.get("nonce") or "", self.headers.get("signature") or "")
        if not self.server.nonces.claim(key):
            return ILLEGAL_PROTOCOL, None, ("illegal protocol: this signed request (same accessId, UTCTimestamp, "
                                            "nonce and body) was already received; sign every request with a "
                                            "fresh nonce")
        return None

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
                self._json(200, {"farm": "rv_dcc", "url": farm.url, "accessId": farm.access_id})
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


__all__ = ["FarmServer", "HANDLERS", "envelope"]
