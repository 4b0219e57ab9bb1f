"""The farm's transfer endpoint: resumable, content-addressed uploads to the input storage and
ranged downloads from the output storage, on the same HTTP server as the API.

The exact HTTP API (``BASE`` = ``http://<host>:<port>/farm/transfer``, also given by
``getConfig`` as ``resqEngines[0].respTaskEngineLines[0].url`` and by ``getServerInfo`` as
``httpTransfer.url``):

Authentication: every call carries ``Authorization: Bearer <raySyncUserKey>`` (the value of
``getRaySyncUserKey``'s ``raySyncUserKey``; treat it as a secret). Thumbnail / output URLs
that the API hands out (``loadingFrameThumbnail``, ``loadTaskProcessImg``) carry their own
``?sig=`` and need no header. Errors are real HTTP statuses with a JSON body ``{"error": "..."}``:
400 bad request, 401 no/wrong token, 404 not found, 409 wrong offset (body has ``size``),
413 chunk too large, 416 bad range, 422 hash mismatch.

``POST BASE/stat`` body ``{"storage": "input"|"output"|"config", "path": "/D/proj/shot.ma"}`` ->
``{"path", "exists", "size", "total", "complete", "sha256", "md5"}`` — how much of an upload the
farm holds (resume from ``size``). With ``"upload": "<id>"`` (an id the uploader draws once per
file) and ``"md5"`` the call also claims the path for that upload: while another upload sent a
chunk of the path within ``CLAIM_TTL`` s, the answer has ``"busy": true`` — wait and ask again
(the other upload may complete the same file; then it is there and nothing need be sent).

``POST BASE/have`` body ``{"path": "/D/proj/tex/a.jpg", "sha256": "<hex>" | "md5": "<hex>",
"size": <bytes, optional>}`` -> ``{"have": true|false, "path", "size"}``. ``have`` true means
a complete file with that content already is in the input storage; the farm has placed it at
``path`` and the client skips the upload. ``"pending": true`` (with ``have`` false): an upload of
that content is in progress elsewhere; ask again later rather than sending it twice.

``PUT BASE/input/<path, percent-encoded UTF-8>?offset=<n>&total=<bytes>[&sha256=<hex>][&md5=<hex>]
[&upload=<id>]`` body = the bytes of the file from ``offset`` (at most 64 MiB per call); a chunk of
another upload's claimed path is answered 409 with ``"busy": true``. ``offset`` must equal the size
already received (0 restarts the file), else 409 with the current ``size``. The answer is
``{"path", "size", "total", "complete", "sha256", "md5"}``; when ``size == total`` the file is
complete (checked against ``sha256`` / ``md5`` when given) and appears at ``path`` — until then it
is held under a temporary name, so a half upload never looks finished. Each chunk is received
into a uniquely named temporary file, then applied under the path's lock, so concurrent uploads
of one path never mix bytes, never hash a file another call is rewriting, and never fail a rename.

``GET BASE/output/<path>`` (optional ``Range: bytes=a-b``) -> the file, 200 or 206 with
``Content-Range``; ``path`` is as ``getOutputUserDirFile`` lists it (``/<taskId>_<scene>/x.png``).

``GET /farm/ping`` -> ``{"farm": "rv_dcc", "url", "accessId"}`` without authentication.
"""
import hashlib
import hmac
import json
import logging
import os
import secrets
import shutil
import tempfile
import threading
import time
from typing import Any, Dict, Optional, Tuple
from urllib.parse import parse_qs, unquote

from rv_dcc.farm.state import now_ms

log = logging.getLogger("rv_dcc.farm.transfer")

MAX_CHUNK = 64 * 1024 * 1024
_STORAGES = ("input", "output", "config")
#: Seconds an upload keeps its claim on a path without sending anything (then another may take over).
CLAIM_TTL = 20.0


class TransferError(Exception):
    """An HTTP error of the transfer endpoint."""

    def __init__(self, status: int, message: str, **extra: Any) -> None:
        super().__init__(message)
        self.status, self.message, self.extra = status, message, extra


def transfer_token(access_key: str) -> str:
    """The bearer token of the transfer endpoint, derived from the access key (not reversible)."""
    return hmac.new(access_key.encode(), b"rv_dcc transfer", hashlib.sha256).hexdigest()[:40]


def file_sig(access_key: str, url_path: str) -> str:
    """The ``sig`` of a capability URL for ``url_path``."""
    return hmac.new(access_key.encode(), b"file:" + url_path.encode("utf-8"), hashlib.sha256).hexdigest()[:32]


def _safe(root: str, path: str) -> str:
    if "\x00" in path:
        raise TransferError(400, f"path {path[:200]!r} has a NUL character")
    rel = path.replace("\\", "/").lstrip("/")
    full = os.path.realpath(os.path.join(root, rel))
    if not rel or any(part == ".." for part in rel.split("/")) or not full.startswith(os.path.realpath(root) + os.sep):
        raise TransferError(400, f"path {path!r} is not inside the storage")
    return full


def _norm(path: str) -> str:
    return "/" + path.replace("\\", "/").lstrip("/")


def _hashes(path: str) -> Tuple[str, str]:
    sha, md5 = hashlib.sha256(), hashlib.md5()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            sha.update(block)
            md5.update(block)
    return sha.hexdigest(), md5.hexdigest()


class Transfer:
    """Serves the transfer endpoint for one farm."""

    def __init__(self, farm: Any) -> None:
        self.farm = farm
        self._guard = threading.Lock()
        self._locks: Dict[str, threading.Lock] = {}
        #: path -> (upload id, monotonic time of its last call, declared md5, time it claimed the path)
        self._claims: Dict[str, Tuple[str, float, str, float]] = {}

    def _lock(self, path: str) -> threading.Lock:
        with self._guard:
            return self._locks.setdefault(path, threading.Lock())

    def _busy(self, path: str, upload: str) -> bool:
        """True when another upload claimed ``path`` recently (call under the path's lock)."""
        claim = self._claims.get(path)
        return bool(upload and claim and claim[0] != upload and time.monotonic() - claim[1] < CLAIM_TTL)

    def _claim(self, path: str, upload: str, md5: str) -> None:
        if upload:
            now, old = time.monotonic(), self._claims.get(path)
            started = old[3] if old is not None and old[0] == upload else now
            self._claims[path] = (upload, now, md5 or (old[2] if old else ""), started)

    def root(self, storage: str) -> str:
        """The folder of a storage area."""
        if storage not in _STORAGES:
            raise TransferError(400, f"storage must be one of {', '.join(_STORAGES)}, not {storage!r}")
        return self.farm.store.path("storage", storage)

    def authorize(self, headers: Any, url_path: str, query: Dict[str, Any]) -> None:
        """Accept the bearer token, or a valid ``sig`` on a GET capability URL."""
        auth = headers.get("Authorization", "") or ""
        if auth.startswith("Bearer ") and hmac.compare_digest(auth[7:].strip(), self.farm.transfer_token):
            return
        sig = (query.get("sig") or [""])[0]
        if sig and hmac.compare_digest(sig, file_sig(self.farm.access_key, url_path)):
            return
        raise TransferError(401, "transfer calls need 'Authorization: Bearer <raySyncUserKey>' "
                                 "(from getRaySyncUserKey)")

    # -- control calls ----------------------------------------------------------------------------
    def stat(self, body: Dict[str, Any]) -> Dict[str, Any]:
        """How much of a file the farm holds (and, with ``upload``, a claim on the path)."""
        storage, path = str(body.get("storage", "input")), _norm(str(body.get("path", "")))
        full = _safe(self.root(storage), path)
        upload, md5 = str(body.get("upload") or "")[:64], str(body.get("md5") or "").lower()[:64]
        with self._lock(path):
            with self.farm.store.read() as conn:
                row = conn.execute("SELECT * FROM uploads WHERE storage = ? AND path = ?", (storage, path)).fetchone()
            busy = storage == "input" and self._busy(path, upload)
            if storage == "input" and not busy and not (row is not None and row["complete"]):
                self._claim(path, upload, md5)
        if row is not None:
            answer = {"path": path, "exists": bool(row["complete"]), "size": row["size"], "total": row["total"],
                      "complete": bool(row["complete"]), "sha256": row["sha256"], "md5": row["md5"]}
        else:
            exists = os.path.isfile(full)
            answer = {"path": path, "exists": exists, "size": os.path.getsize(full) if exists else 0,
                      "total": os.path.getsize(full) if exists else None, "complete": exists, "sha256": None,
                      "md5": None}
        return dict(answer, busy=True) if busy else answer

    def have(self, body: Dict[str, Any]) -> Dict[str, Any]:
        """Content-addressed skip: place an already-held file at ``path``."""
        path = _norm(str(body.get("path", "")))
        full = _safe(self.root("input"), path)
        sha, md5 = body.get("sha256"), body.get("md5")
        if not sha and not md5:
            raise TransferError(400, "give 'sha256' or 'md5' of the file")
        column, value = ("sha256", str(sha).lower()) if sha else ("md5", str(md5).lower())
        with self.farm.store.read() as conn:
            row = conn.execute(f"SELECT * FROM uploads WHERE {column} = ? AND complete = 1 AND storage = 'input' "
                               "LIMIT 1", (value,)).fetchone()
        if row is None or (body.get("size") is not None and row["size"] != body.get("size")):
            # an upload of the same content that claimed its path before this one did: wait for it
            now, own = time.monotonic(), self._claims.get(path)
            mine = own[3] if own is not None else now
            pending = column == "md5" and any(c[2] == value and now - c[1] < CLAIM_TTL and p != path and c[3] < mine
                                              for p, c in list(self._claims.items()))
            return dict({"have": False, "path": path, "size": 0}, **({"pending": True} if pending else {}))
        source = _safe(self.root("input"), row["path"])
        if not os.path.isfile(source):
            return {"have": False, "path": path, "size": 0}
        with self._lock(path):
            if source != full:
                os.makedirs(os.path.dirname(full), exist_ok=True)
                tmp = f"{full}.{secrets.token_hex(6)}.tmp"  # unique: two calls for one path never collide
                try:
                    try:
                        os.link(source, tmp)
                    except OSError:
                        shutil.copyfile(source, tmp)
                    os.replace(tmp, full)
                finally:
                    if os.path.exists(tmp):
                        os.remove(tmp)
            self._claims.pop(path, None)
            with self.farm.store.write() as conn:
                conn.execute("INSERT OR REPLACE INTO uploads(storage, path, size, total, sha256, md5, complete, "
                             "updated_ms) VALUES ('input', ?, ?, ?, ?, ?, 1, ?)",
                             (path, row["size"], row["size"], row["sha256"], row["md5"], now_ms()))
        return {"have": True, "path": path, "size": row["size"]}

    # -- data calls -------------------------------------------------------------------------------
    def put(self, rest: str, query: Dict[str, Any], length: int, stream: Any) -> Dict[str, Any]:
        """Append one chunk of an input upload (received into a unique temporary file first)."""
        path = _norm(unquote(rest))
        full = _safe(self.root("input"), path)
        try:
            offset = int((query.get("offset") or ["0"])[0])
            total = int((query.get("total") or [""])[0])
        except ValueError:
            raise TransferError(400, "offset and total must be whole numbers of bytes") from None
        if length > MAX_CHUNK:
            raise TransferError(413, f"chunk of {length} bytes is larger than {MAX_CHUNK}; send smaller chunks")
        if offset < 0 or total < 0 or offset + length > total:
            raise TransferError(400, f"offset {offset} + chunk {length} goes past total {total}")
        upload = (query.get("upload") or [""])[0][:64]
        wanted_md5 = (query.get("md5") or [""])[0].lower()[:64]
        os.makedirs(os.path.dirname(full), exist_ok=True)
        fd, chunk = tempfile.mkstemp(dir=os.path.dirname(full), prefix=f".{os.path.basename(full)}.",
                                     suffix=".chunk")
        try:
            with os.fdopen(fd, "wb") as handle:
                _copy(stream, handle, length)
            with self._lock(path):
                return self._apply(path, full, chunk, offset, length, total, upload, wanted_md5, query)
        finally:
            if os.path.exists(chunk):
                os.remove(chunk)

    def _apply(self, path: str, full: str, chunk: str, offset: int, length: int, total: int, upload: str,
               wanted_md5: str, query: Dict[str, Any]) -> Dict[str, Any]:
        """Put a received chunk in place (under the path's lock)."""
        part = full + ".part"
        with self.farm.store.read() as conn:
            row = conn.execute("SELECT size, complete FROM uploads WHERE storage = 'input' AND path = ?",
                               (path,)).fetchone()
        have = row["size"] if row is not None and not row["complete"] and os.path.exists(part) else 0
        if self._busy(path, upload):
            raise TransferError(409, "another upload of this path is in progress; ask stat again shortly",
                                size=have, busy=True)
        if offset not in (0, have):
            raise TransferError(409, f"offset {offset} does not match the {have} bytes received; resume at {have}",
                                size=have)
        if offset == 0:
            os.replace(chunk, part)
        else:
            with open(part, "r+b") as target, open(chunk, "rb") as source:
                target.seek(offset)
                target.truncate()
                shutil.copyfileobj(source, target, 1 << 20)
        self._claim(path, upload, wanted_md5)
        size = offset + length
        sha = md5 = None
        complete = size == total
        if complete:
            sha, md5 = _hashes(part)
            wanted = (query.get("sha256") or [""])[0].lower()
            if (wanted and wanted != sha) or (wanted_md5 and wanted_md5 != md5):
                os.remove(part)
                self._record(path, 0, total, None, None, False)
                self._claims.pop(path, None)
                shown = f"sha256 {sha}, not {wanted}" if wanted and wanted != sha else f"md5 {md5}, not {wanted_md5}"
                raise TransferError(422, f"the received file has {shown}; upload it again")
            os.replace(part, full)
            self._claims.pop(path, None)
        self._record(path, size, total, sha, md5, complete)
        return {"path": path, "size": size, "total": total, "complete": complete, "sha256": sha, "md5": md5}

    def _record(self, path: str, size: int, total: Optional[int], sha: Optional[str], md5: Optional[str],
                complete: bool) -> None:
        with self.farm.store.write() as conn:
            conn.execute("INSERT OR REPLACE INTO uploads(storage, path, size, total, sha256, md5, complete, updated_ms) "
                         "VALUES ('input', ?, ?, ?, ?, ?, ?, ?)", (path, size, total, sha, md5, int(complete), now_ms()))

    def open_file(self, area: str, rest: str) -> str:
        """The local file of a download (output storage or thumbnails)."""
        root = self.farm.store.path("thumbs") if area == "thumbs" else self.root(area)
        full = _safe(root, unquote(rest))
        if not os.path.isfile(full):
            raise TransferError(404, f"{unquote(rest)!r} is not in the {area} storage")
        return full


def _copy(stream: Any, handle: Any, length: int) -> None:
    """Copy exactly ``length`` bytes of a request body."""
    remaining = length
    while remaining:
        try:
            block = stream.read(min(remaining, 1 << 20))
        except OSError:  # a timeout or reset mid-chunk: the client is gone
            raise TransferError(400, "the connection broke before Content-Length bytes") from None
        if not block:
            raise TransferError(400, "the request body ended before Content-Length bytes")
        handle.write(block)
        remaining -= len(block)


def parse_range(header: Optional[str], size: int) -> Optional[Tuple[int, int]]:
    """``(start, end inclusive)`` of a ``Range: bytes=`` header, None for the whole file."""
    if not header:
        return None
    if not header.startswith("bytes=") or "," in header:
        raise TransferError(416, "only one 'bytes=start-end' range is supported")
    start_text, _, end_text = header[6:].strip().partition("-")
    try:
        if start_text:
            start = int(start_text)
            end = int(end_text) if end_text else size - 1
        else:
            start, end = max(0, size - int(end_text)), size - 1
    except ValueError:
        raise TransferError(416, f"cannot read range {header!r}") from None
    if start >= size or start > end:
        raise TransferError(416, f"range {header!r} is outside the file of {size} bytes", size=size)
    return start, min(end, size - 1)


def query_of(raw: str) -> Dict[str, Any]:
    """Parsed query string."""
    return parse_qs(raw, keep_blank_values=True)


def json_body(data: bytes) -> Dict[str, Any]:
    """A control call's JSON object body."""
    try:
        value = json.loads(data.decode("utf-8") or "{}")
    except (ValueError, UnicodeDecodeError):
        raise TransferError(400, "the body must be a JSON object") from None
    if not isinstance(value, dict):
        raise TransferError(400, "the body must be a JSON object")
    return value
