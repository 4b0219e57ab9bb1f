"""The embedded farm's HTTP transfer endpoint behind TransferEngine (the protocol is documented in
rv_dcc/farm/transfer.py's docstring).

Uploads: for each file the farm is first asked whether it already holds it (``stat`` at the
path: complete with the same MD5; then ``have``: the same content anywhere in the input storage,
which the farm links into place), so no file is ever sent twice; otherwise the file is sent in
chunks with ``PUT ...?offset=&total=``, resuming from the size the farm reports (after a cut
connection, a crash, or a 409), and the MD5 the farm computes on completion is compared with
ours. Chunk PUTs are safe to repeat (the offset makes them idempotent), so transport failures are
retried here with backoff. Several files move at once on a small thread pool. Downloads use
``GET output/<path>`` with ``Range`` from the size of ``<name>.part`` and ``os.replace`` the
part onto the final name only when complete. The bearer token is a secret: never logged.
"""
import logging
import os
import secrets
import threading
from concurrent.futures import FIRST_EXCEPTION, ThreadPoolExecutor, wait
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Sequence
from urllib.parse import quote, urlsplit

from rv_dcc.retry import RetryPolicy, wait_or_cancel
from rv_dcc.transfer.base import (Cancelled, Progress, RemoteFile, TransferEngine, TransferError,
                                  UploadItem, UploadResult, local_facts, local_target, relative_name)
from rv_dcc.transfer.httputil import _Busy, _Counter, _int, _raise_first, _read_capped, _Retry, _Waiting

log = logging.getLogger("rv_dcc.transfer.http")

ENGINE_NAME = "rvdcc-http"
CHUNK = 8 * 1024 * 1024
#: Seconds one control call (stat, have) may take in all; bytes of its reply at most.
CONTROL_DEADLINE = 60.0
MAX_CONTROL_REPLY = 1024 * 1024
#: Bytes per second a chunk or a download must average (plus CONTROL_DEADLINE s), else it is retried.
MIN_RATE = 32 * 1024


def endpoint_from_config(config: Dict[str, Any], api: Any) -> Optional["Endpoint"]:
    """The HTTP endpoint a ``getConfig`` answer announces (engine ``rvdcc-http``), or None."""
    engines = config.get("resqEngines") if isinstance(config, dict) else None
    for engine in engines if isinstance(engines, list) else []:
        if not isinstance(engine, dict) or str(engine.get("engineName", "")).lower() != ENGINE_NAME:
            continue
        lines = [x for x in (engine.get("respTaskEngineLines") or []) if isinstance(x, dict)] \
            if isinstance(engine.get("respTaskEngineLines"), list) else []
        line = next((x for x in lines if str(x.get("isDefault")) == "1"), lines[0] if lines else None)
        if line and isinstance(line.get("url"), str) and line["url"].startswith(("http://", "https://")):
            from rv_dcc.api.replies import to_wire as raw

            key = raw(api.query.get_raysync_user_key())
            token = key.get("raySyncUserKey") if isinstance(key, dict) else None
            return Endpoint(str(line["url"]).rstrip("/"), token if isinstance(token, str) else "")
    return None


class Endpoint:
    """Base URL and bearer token of a transfer endpoint (the token is kept out of repr)."""

    def __init__(self, base_url: str, token: str) -> None:
        self.base_url = base_url.rstrip("/")
        self.token = token

    def __repr__(self) -> str:
        return f"Endpoint({self.base_url!r})"

    def __str__(self) -> str:
        return self.base_url

    def with_base(self, base_url: str) -> "Endpoint":
        """The same endpoint reached through another address (e.g. a proxy)."""
        return Endpoint(base_url, self.token)


class HttpTransferEngine(TransferEngine):
    """Uploads and downloads through the embedded farm's transfer endpoint."""

    name = ENGINE_NAME

    def __init__(self, endpoint: Endpoint, *, workers: int = 4, chunk: int = CHUNK, attempts: int = 5,
                 backoff: float = 0.2, timeout: Any = (10.0, 120.0)) -> None:
        self.endpoint = endpoint
        self.workers = max(1, workers)
        self.chunk = chunk
        self.attempts = attempts
        self.backoff = backoff
        self.timeout = timeout
        self._local = threading.local()
        self._sessions: List[Any] = []
        self._lock = threading.Lock()

    # --- HTTP plumbing ---------------------------------------------------------------------------
    def _session(self) -> Any:
        # requests.Session is not documented thread-safe: one per worker thread.
        session = getattr(self._local, "session", None)
        if session is None:
            from rv_dcc.api.deadline import guarded_session

            session = guarded_session()  # its connections honour rv_dcc.api.deadline's limits
            session.headers["Authorization"] = f"Bearer {self.endpoint.token}"
            self._local.session = session
            with self._lock:
                self._sessions.append(session)
        return session

    def close(self) -> None:
        with self._lock:
            sessions, self._sessions = self._sessions, []
        for session in sessions:
            session.close()

    def _request(self, method: str, url: str, seconds: Optional[float] = None, **kw: Any) -> Any:
        """One exchange within ``seconds`` (CONTROL_DEADLINE) in all; unless ``stream``, the reply (at
        most MAX_CONTROL_REPLY bytes) is read here."""
        import requests

        from rv_dcc.api import deadline

        seconds = CONTROL_DEADLINE if seconds is None else seconds

        stream = kw.pop("stream", False)
        where = urlsplit(url).netloc
        with deadline.guard(seconds) as guard:
            try:
                reply = self._session().request(method, url, timeout=self.timeout, stream=True, **kw)
                deadline.attach_reply(guard, reply)
                if not stream:
                    _read_capped(reply, MAX_CONTROL_REPLY, where)
            except requests.RequestException as exc:
                if guard is not None and guard.fired:
                    raise _Retry(f"no complete answer from {where} within {seconds:.0f} s") from None
                raise _Retry(f"{type(exc).__name__} talking to {where}") from None
            if guard is not None and guard.fired:
                raise _Retry(f"no complete answer from {where} within {seconds:.0f} s")
        if reply.status_code >= 500:
            reply.close()
            raise _Retry(f"HTTP {reply.status_code} from the transfer endpoint")
        return reply

    def _json(self, reply: Any) -> Dict[str, Any]:
        try:
            data = reply.json()
        except ValueError:
            raise _Retry(f"HTTP {reply.status_code}: not JSON") from None
        if not isinstance(data, dict):
            raise _Retry(f"HTTP {reply.status_code}: unexpected reply")
        return data

    def _said(self, data: Dict[str, Any], status: int) -> str:
        """The endpoint's error text for a message, without the bearer token should it echo it."""
        text = str(data.get("error") or status)[:300]
        token = self.endpoint.token
        return text.replace(token, "***") if token else text

    def _call(self, name: str, body: Dict[str, Any]) -> Dict[str, Any]:
        reply = self._request("POST", f"{self.endpoint.base_url}/{name}", json=body)
        data = self._json(reply)
        if reply.status_code != 200:
            raise TransferError(f"the transfer endpoint refused {name} for {body.get('path')}: "
                                f"{self._said(data, reply.status_code)}")
        return data

    def _attempts(self, what: str, progress: Optional[Progress], func: Callable[[], Any]) -> Any:
        """Run ``func`` with retries on transient failures (exponential backoff, cancellable)."""
        def attempt() -> Any:
            if progress is not None:
                progress.check()
            return func()

        def retrying(number: int, error: Exception, delay: float) -> None:
            log.warning("%s: %s; retrying in %.1f s", what, error, delay)

        policy = RetryPolicy(attempts=max(1, self.attempts), backoff=self.backoff)
        try:
            return policy.run(attempt, retry_if=lambda error: isinstance(error, _Retry),
                              cancel=None if progress is None else progress.cancel_token, on_retry=retrying,
                              on_cancel=lambda error: Cancelled("cancelled"))
        except _Retry as exc:
            raise TransferError(f"{what} failed after {policy.attempts} attempts: {exc}") from None

    # --- uploads ---------------------------------------------------------------------------------
    def upload(self, items: Sequence[UploadItem], progress: Optional[Progress] = None,
               on_done: Optional[Callable[[UploadResult], None]] = None) -> List[UploadResult]:
        """Upload in parallel; see the module docstring. Files done before a failure are reported."""
        results: List[UploadResult] = []
        if not items:
            return results
        with ThreadPoolExecutor(max_workers=min(self.workers, len(items)),
                                thread_name_prefix="rv_dcc-upload") as pool:
            futures = [pool.submit(self._upload_one, item, progress, on_done) for item in items]
            try:
                done, pending = wait(futures, return_when=FIRST_EXCEPTION)
            except BaseException:  # Ctrl-C in the waiting thread: stop the workers at their next chunk
                if progress is not None:
                    progress.cancel_token.cancel()
                for future in futures:
                    future.cancel()
                raise
            if any(f.exception() is not None for f in done):
                # The other running files finish; the ones not started yet are dropped.
                for future in pending:
                    future.cancel()
                wait(pending)
            _raise_first([f.exception() for f in futures if not f.cancelled()])
            results = [f.result() for f in futures]
        return results

    def _upload_one(self, item: UploadItem, progress: Optional[Progress],
                    on_done: Optional[Callable[[UploadResult], None]]) -> UploadResult:
        size, md5 = local_facts(item, progress)
        counted = _Counter(progress, item.server)
        upload = secrets.token_hex(8)  # this upload's claim on the path (kept across retries)
        waiting = _Waiting(item.server)
        shared = True  # wait for an upload of the same content elsewhere (until it shows no progress)
        while True:
            try:
                result = self._attempts(f"upload of {item.server}", progress,
                                        lambda: self._send(item, size, md5, counted, upload, shared))
                break
            except _Busy as busy:  # another submission moves the same file: wait for it, send nothing
                if busy.size < 0 and waiting.stalled():
                    shared = False  # the content's other upload shows nothing: send it ourselves
                    continue
                delay = waiting.next(busy.size)
                log.info("%s is being uploaded by another submission; waiting %.1f s", item.server, delay)
                if wait_or_cancel(delay, None if progress is None else progress.cancel_token):
                    raise Cancelled("cancelled") from None
        if on_done is not None:
            on_done(result)
        if progress is not None:
            progress.file_done(item.server)
        return result

    def _send(self, item: UploadItem, size: int, md5: str, counted: "_Counter", upload: str = "",
              shared: bool = True) -> UploadResult:
        stat = self._call("stat", {"storage": "input", "path": item.server, "upload": upload, "md5": md5})
        if stat.get("complete") and stat.get("md5") == md5 and stat.get("size") == size:
            counted.to(size)
            return UploadResult(item, md5, size, "present")
        if stat.get("busy"):
            raise _Busy(_int(stat.get("size")))
        have = self._call("have", {"path": item.server, "md5": md5, "size": size})
        if have.get("have"):
            counted.to(size)
            return UploadResult(item, md5, size, "present")
        if have.get("pending") and shared:
            raise _Busy(-1)
        offset = _int(stat.get("size")) if not stat.get("complete") and stat.get("total") == size else 0
        if offset > size:
            offset = 0
        counted.to(offset)
        url = f"{self.endpoint.base_url}/input/{quote(item.server.lstrip('/'), safe='/')}"
        with open(item.local, "rb") as handle:
            while True:
                handle.seek(offset)
                data = handle.read(min(self.chunk, size - offset)) if size else b""
                reply = self._request("PUT", url, CONTROL_DEADLINE + len(data) / MIN_RATE,
                                      params={"offset": offset, "total": size, "md5": md5, "upload": upload},
                                      data=data, headers={"Content-Type": "application/octet-stream"})
                body = self._json(reply)
                if reply.status_code == 409 and body.get("busy"):
                    raise _Busy(_int(body.get("size")))
                if reply.status_code == 409:  # the farm holds a different amount: continue from there
                    offset = _int(body.get("size"))
                    counted.to(offset)
                    continue
                if reply.status_code == 422:  # the bytes the farm holds are not our file: send it again
                    raise _Retry(f"{item.server} arrived damaged ({self._said(body, 422)})")
                if reply.status_code != 200:
                    raise TransferError(f"the farm refused {item.server}: {self._said(body, reply.status_code)}")
                offset = _int(body.get("size", offset + len(data)))
                counted.to(offset)
                if body.get("complete"):
                    if body.get("md5") and body["md5"] != md5:
                        # another upload may have finished the path meanwhile: judge by what is there now
                        again = self._call("stat", {"storage": "input", "path": item.server})
                        if again.get("complete") and again.get("md5") == md5:
                            return UploadResult(item, md5, size, "present")
                        raise _Retry(f"{item.server} arrived damaged (MD5 {body['md5']}, expected {md5}); "
                                     "check that the file is not being written to")
                    return UploadResult(item, md5, size, "uploaded")
                if offset >= size:
                    raise _Retry(f"{item.server}: all bytes sent but the farm reports it incomplete")

    # --- downloads -------------------------------------------------------------------------------
    def download(self, files: Sequence[RemoteFile], local_dir: Path, progress: Optional[Progress] = None,
                 on_done: Optional[Callable[[Path], None]] = None) -> List[Path]:
        """Download in parallel into ``local_dir``; partial files are ``<name>.part`` until complete."""
        local_dir = Path(local_dir)
        if not files:
            return []
        with ThreadPoolExecutor(max_workers=min(self.workers, len(files)),
                                thread_name_prefix="rv_dcc-download") as pool:
            futures = [pool.submit(self._download_one, remote, local_dir, progress, on_done) for remote in files]
            try:
                wait(futures)
            except BaseException:  # Ctrl-C: stop the workers at their next block
                if progress is not None:
                    progress.cancel_token.cancel()
                for future in futures:
                    future.cancel()
                raise
            _raise_first([f.exception() for f in futures])
            return [f.result() for f in futures]

    def _download_one(self, remote: RemoteFile, local_dir: Path, progress: Optional[Progress],
                      on_done: Optional[Callable[[Path], None]]) -> Path:
        final = local_target(local_dir, remote.path)  # refuses a name that would leave local_dir
        rel = relative_name(remote.path)
        counted = _Counter(progress, rel)
        if final.is_file() and (remote.size is None or final.stat().st_size == remote.size):
            counted.to(final.stat().st_size)  # complete from an earlier run
        else:
            final.parent.mkdir(parents=True, exist_ok=True)
            self._attempts(f"download of {rel}", progress, lambda: self._fetch(remote, rel, final, counted))
        if on_done is not None:
            on_done(final)
        if progress is not None:
            progress.file_done(rel)
        return final

    def _fetch(self, remote: RemoteFile, rel: str, final: Path, counted: "_Counter") -> None:
        from rv_dcc.api import deadline

        # in all at most CONTROL_DEADLINE s plus the size at MIN_RATE (an hour when the size is unknown)
        seconds = CONTROL_DEADLINE + (remote.size / MIN_RATE if remote.size is not None else 3600.0)
        with deadline.guard(seconds) as guard:
            try:
                self._fetch_within(remote, rel, final, counted, guard)
            except _Retry:
                if guard is not None and guard.fired:
                    raise _Retry(f"{rel} arrived slower than {MIN_RATE // 1024} KiB/s; the part is kept") from None
                raise

    def _fetch_within(self, remote: RemoteFile, rel: str, final: Path, counted: "_Counter", guard: Any) -> None:
        from rv_dcc.api import deadline

        part = final.with_name(final.name + ".part")
        have = part.stat().st_size if part.exists() else 0
        if remote.size is not None and have > remote.size:
            part.unlink()
            have = 0
        headers = {"Range": f"bytes={have}-"} if have else {}
        url = f"{self.endpoint.base_url}/output/{quote(rel, safe='/')}"
        reply = self._request("GET", url, 3600.0 * 24, headers=headers, stream=True)
        deadline.attach_reply(guard, reply)  # the whole body, not only the headers, within the limit
        try:
            if reply.status_code == 416 and remote.size is not None and have == remote.size:
                os.replace(part, final)  # the part was complete already; only the rename was missing
                return
            if reply.status_code not in (200, 206):
                raise TransferError(f"the farm refused {rel}: HTTP {reply.status_code}")
            if reply.status_code == 200 and have:
                have = 0  # the server sent the whole file: start the part over
            counted.to(have)
            with open(part, "ab" if have else "wb") as handle:
                try:
                    for block in reply.iter_content(1 << 20):
                        handle.write(block)
                        have += len(block)
                        counted.to(have)
                except Exception as exc:  # a cut mid-body: keep the part, resume next attempt
                    import requests

                    if isinstance(exc, (requests.RequestException, ConnectionError)):
                        raise _Retry(f"connection lost while downloading {rel}") from None
                    raise
                handle.flush()
                os.fsync(handle.fileno())
        finally:
            reply.close()
        size = part.stat().st_size
        if remote.size is not None and size != remote.size:
            raise _Retry(f"{rel}: got {size} of {remote.size} bytes")
        os.replace(part, final)
