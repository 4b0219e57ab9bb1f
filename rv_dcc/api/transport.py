"""One signed POST to the farm: headers, signature, envelope, error mapping and the retry policy.

``Transport.call(operation, body)`` validates the body (``rv_dcc.api.wire``), signs it
(spec/wire.md §2-3), posts it on a ``requests.Session`` (imported on first call, created once
per client), reads the reply within a total time limit (``deadline``, rv_dcc.api.deadline) and a
size limit (``max_reply``), unwraps the envelope (§1) and returns ``data``. Only operations marked
``repeatable`` in ``operations.py`` are retried -- on transport failures, HTTP 5xx and service
codes 500/1000 -- by one :class:`rv_dcc.retry.RetryPolicy` (capped exponential backoff, full
jitter); anything else is sent exactly once. The wait before a retry ends at once when the
client's ``cancel`` (an Event or a function) says stop: the last error is raised then. Logging (``rv_dcc.api.transport``) names the operation, path, body keys, code, timing and
request id: never header values, the signature, the key or reply bodies.
"""
import dataclasses
import json
import logging
import secrets
import threading
import time
from typing import Any, Callable, Dict, Optional, Tuple, Union

from rv_dcc.api import errors, signing
from rv_dcc.api.operations import BY_NAME, path_for
from rv_dcc.retry import RetryPolicy, full_jitter

log = logging.getLogger("rv_dcc.api.transport")

Timeout = Union[float, Tuple[float, float]]

CHANNEL = "4"
VERSION = "2.0.0"
#: Seconds one exchange may take in all: a server trickling bytes cannot hold a call forever.
DEADLINE = 120.0
#: Bytes of one reply at most: a huge reply is refused before it fills memory.
MAX_REPLY = 32 * 1024 * 1024


class Transport:
    """Sends operations for one account; safe to share between threads."""

    def __init__(self, access_id: str, access_key: str, domain: str, platform: str, protocol: str = "https",
                 timeout: Timeout = (10.0, 30.0), paths: str = "current", session: Any = None,
                 retries: int = 3, backoff: float = 0.5, max_backoff: float = 8.0,
                 deadline: Optional[float] = DEADLINE, max_reply: int = MAX_REPLY,
                 retry: Optional[RetryPolicy] = None, cancel: Any = None) -> None:
        if protocol not in ("http", "https"):
            raise ValueError(f"protocol must be 'http' or 'https', not {protocol!r}")
        path_for("getTaskList", paths)  # rejects an unknown path set now, not on first call
        self.access_id = access_id
        # A holder whose repr is "***": vars(transport), a debugger or a "%r" of __dict__ never show
        # the key (name mangling alone does not hide an attribute from vars()).
        self.__key = _Secret(access_key)
        self.domain = domain
        self.platform = str(platform)
        self.protocol = protocol
        self.timeout = timeout
        self.paths = paths
        #: how queries are retried (``retry`` given wins over retries/backoff/max_backoff)
        self.retry = retry or RetryPolicy(attempts=1 + max(0, int(retries)), backoff=backoff,
                                          max_backoff=max_backoff, jitter=full_jitter)
        self.cancel = cancel  # an Event / CancelToken / function: stops waiting for a retry
        self.deadline = deadline  # seconds for one whole exchange (send, wait, read), None: no limit
        self.max_reply = int(max_reply)  # bytes of one reply body at most (decoded)
        self.language_flag = "0" if "renderbus" in domain else "1"
        self._base = f"{protocol}://{domain}"
        self._session = session
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"Transport({self._base!r}, platform={self.platform!r}, access_id={self.access_id!r}, paths={self.paths!r})"

    @property
    def retries(self) -> int:
        """Retries of a query after its first attempt."""
        return self.retry.attempts - 1

    @retries.setter
    def retries(self, value: int) -> None:
        self.retry = dataclasses.replace(self.retry, attempts=1 + max(0, int(value)))

    # -- plumbing ----------------------------------------------------------------------------

    @property
    def session(self) -> Any:
        """The HTTP session, created on first use (importing requests only then)."""
        if self._session is None:
            with self._lock:
                if self._session is None:
                    self._session = _new_session(self._base)
        return self._session

    def close(self) -> None:
        """Close the session's pooled connections."""
        if self._session is not None:
            self._session.close()

    def headers(self, path: str, body: Dict[str, Any]) -> Dict[str, str]:
        """Fresh signed headers for one attempt (new timestamp and nonce each time)."""
        headers = {
            "accessId": self.access_id,
            "channel": CHANNEL,
            "platform": self.platform,
            "UTCTimestamp": str(int(time.time())),
            "nonce": f"{secrets.randbelow(1000000):06d}",
            "version": VERSION,
        }
        headers["signature"] = signing.sign(self.__key.reveal(), self.domain, path, headers, body)
        headers["Content-Type"] = "application/json"
        headers["languageFlag"] = self.language_flag  # added after signing: not part of the signature
        return headers

    # -- the call ----------------------------------------------------------------------------

    def call(self, operation: str, body: Optional[Dict[str, Any]] = None, *, validate: bool = True) -> Any:
        """Send ``operation`` with ``body`` (wire keys) and return the reply's ``data``.

        Raises a :class:`rv_dcc.api.errors.ApiError` subclass; a
        :class:`~rv_dcc.api.errors.RequestValidationError` is raised before anything is sent.
        """
        op = BY_NAME[operation]
        body = dict(body or {})
        if validate:
            from rv_dcc.api.wire import validate_request  # pydantic loads with the first call

            body = validate_request(operation, body)
        path = op.current if self.paths == "current" else op.seed
        payload = json.dumps(body).encode("ascii")
        if not op.repeatable:
            return self._once(operation, path, body, payload)

        def retrying(attempt: int, error: Exception, delay: float) -> None:
            log.info("%s failed (%s); retry %d/%d in %.2f s", operation, type(error).__name__, attempt,
                     self.retries, delay)

        return self.retry.run(lambda: self._once(operation, path, body, payload), retry_if=_retryable,
                              cancel=self.cancel, on_retry=retrying)

    def _once(self, operation: str, path: str, body: Dict[str, Any], payload: bytes) -> Any:
        import requests

        from rv_dcc.api import deadline

        headers = self.headers(path, body)
        if log.isEnabledFor(logging.DEBUG):
            log.debug("-> %s POST %s%s keys=%s", operation, self._base, path, sorted(body))
        started = time.perf_counter()
        with deadline.guard(self.deadline) as guard:
            try:
                reply = self.session.post(self._base + path, data=payload, headers=headers, timeout=self.timeout,
                                          allow_redirects=False, stream=True)
                try:
                    deadline.attach_reply(guard, reply)
                    content = self._read(operation, reply)
                finally:
                    reply.close()
            except requests.exceptions.RequestException as exc:
                if guard is not None and guard.fired:
                    raise self._late(operation) from None
                if isinstance(exc, requests.exceptions.Timeout):
                    raise errors.RequestTimeoutError(f"no answer from {self.domain} within {self.timeout} s",
                                                     operation=operation) from None
                if isinstance(exc, requests.exceptions.SSLError):
                    raise errors.TLSError(f"TLS with {self.domain} failed: {_reason(exc)}",
                                          operation=operation) from None
                if isinstance(exc, requests.exceptions.ConnectionError):
                    raise errors.ConnectionFailedError(f"connection to {self.domain} failed: {_reason(exc)}",
                                                       operation=operation) from None
                raise errors.TransportError(f"request to {self.domain} failed: {_reason(exc)}",
                                            operation=operation) from None
            if guard is not None and guard.fired:
                raise self._late(operation)
        elapsed = (time.perf_counter() - started) * 1000
        return self._unwrap(operation, reply.status_code, content, elapsed,
                            secrets=(headers["signature"], self.__key.reveal()))

    def _unwrap(self, operation: str, status: int, content: bytes, elapsed_ms: float,
                secrets: Tuple[str, ...] = ()) -> Any:
        try:
            envelope = json.loads(content)
        except ValueError:
            envelope = None
        if not isinstance(envelope, dict) or "code" not in envelope:
            log.debug("<- %s HTTP %s: not an envelope (%d bytes) in %.1f ms", operation, status, len(content),
                      elapsed_ms)
            what = "not JSON" if envelope is None else "JSON without a service code"
            # A proxy's error page may echo the request headers: redact before quoting any of it.
            shown = redact(content[:4096], secrets)
            raise errors.InvalidReplyError(
                f"{self.domain} answered HTTP {status} with {what}: {shown[:120]!r}",
                http_status=status, body_start=shown[:200], operation=operation)
        def scrub(value: Any) -> Any:  # the service's words, minus anything we sent that it echoed
            return redact(value.encode("utf-8"), secrets).decode("utf-8", "replace") if isinstance(value, str) else value

        code = envelope.get("code")
        request_id = scrub(envelope.get("requestId"))
        log.debug("<- %s code=%s HTTP %s in %.1f ms request_id=%s", operation, _short(str(scrub(code))), status,
                  elapsed_ms, _short(str(request_id)))
        try:
            code = int(code)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            raise errors.InvalidReplyError(f"{self.domain} answered with an unreadable code "
                                           f"{_short(redact(repr(code).encode(), secrets).decode())}",
                                           http_status=status, body_start=redact(content[:4096], secrets)[:200],
                                           operation=operation) from None
        if code == 200:
            return envelope.get("data")
        message = envelope.get("message")
        error = errors.error_for_code(code, scrub(message) if isinstance(message, str) else None,
                                      request_id=request_id, operation=operation)
        error.http_status = status  # type: ignore[attr-defined]
        raise error

    def _late(self, operation: str) -> errors.ApiError:
        return errors.RequestTimeoutError(f"no complete answer from {self.domain} within {self.deadline:g} s "
                                          "(the limit for one call); the farm or the network is too slow",
                                          operation=operation)

    def _read(self, operation: str, reply: Any) -> bytes:
        """The reply body, refused past ``max_reply`` bytes (before it is all in memory)."""
        declared = str(reply.headers.get("Content-Length") or "")
        if declared.isdigit() and int(declared) > self.max_reply:
            raise self._too_big(operation, reply.status_code, int(declared))
        parts, size = [], 0
        for block in reply.iter_content(1 << 16):
            size += len(block)
            if size > self.max_reply:
                raise self._too_big(operation, reply.status_code, size)
            parts.append(block)
        content = b"".join(parts)
        reply._content, reply._content_consumed = content, True  # response hooks may still read .content
        return content

    def _too_big(self, operation: str, status: int, size: int) -> errors.ApiError:
        return errors.InvalidReplyError(f"{self.domain} sent a reply of more than {self.max_reply // (1024 * 1024)} "
                                        f"MiB ({size} bytes or more) to {operation}; refused",
                                        http_status=status, operation=operation)


class _Secret:
    """A string that never shows itself in a repr, str or format (read it with :meth:`reveal`)."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        """The secret itself: only for signing."""
        return self._value

    def __repr__(self) -> str:
        return "'***'"

    __str__ = __repr__

    def __format__(self, spec: str) -> str:
        return "***"


def redact(data: bytes, secrets: Tuple[str, ...]) -> bytes:
    """``data`` with every secret (as sent, JSON-escaped or URL-encoded) replaced by ``***``."""
    from urllib.parse import quote, quote_plus

    for secret in secrets:
        if not secret or len(secret) < 4:
            continue
        for form in {secret, secret.replace("/", "\\/"), quote(secret, safe=""), quote_plus(secret)}:
            data = data.replace(form.encode("utf-8", "replace"), b"***")
    return data


def _short(text: str) -> str:
    return text if len(text) <= 60 else text[:57] + "..."


def _new_session(base_url: str) -> Any:
    """A ``requests.Session`` with the environment's proxy and CA settings read once.

    requests re-reads the environment (proxies, no_proxy, CA bundle, ~/.netrc) on every call when
    ``trust_env`` is on -- about a third of its CPU per call. The farm authenticates by signature,
    so netrc never applies; proxies and the CA bundle are captured here instead.
    """
    import os

    from requests.utils import get_environ_proxies

    from rv_dcc.api.deadline import guarded_session

    session = guarded_session()
    session.proxies.update(get_environ_proxies(base_url))
    bundle = os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE")
    if bundle:
        session.verify = bundle
    session.trust_env = False
    return session


def _retryable(error: Exception) -> bool:
    if not isinstance(error, errors.ApiError):
        return False
    if isinstance(error, errors.InvalidReplyError):
        return (error.http_status or 0) >= 500
    if isinstance(error, errors.TransportError):
        return True
    return error.code in errors.RETRYABLE_CODES


def _reason(exc: BaseException) -> str:
    # requests nests the real cause several levels deep; its text has no secrets (URL and reason only).
    inner: BaseException = exc
    for _ in range(6):
        nxt = inner.args[0] if inner.args and isinstance(inner.args[0], BaseException) else None
        nxt = nxt or getattr(inner, "reason", None) or inner.__cause__ or inner.__context__
        if not isinstance(nxt, BaseException) or nxt is inner:
            break
        inner = nxt
    text = str(inner) or type(inner).__name__
    return text if len(text) < 200 else text[:197] + "..."
