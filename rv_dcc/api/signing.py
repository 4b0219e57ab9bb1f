"""Request signing, exactly as the service does it (spec/wire.md §3).

Shared by the client (to sign) and the embedded farm (to verify), so both sides build the same
string. Pure standard library: importing it costs nothing.
"""
import base64
import hashlib
import hmac
from typing import Any, Dict, Iterator, Mapping, Tuple

#: Headers that take part in the signature, besides the body.
SIGNED_HEADERS = ("accessId", "channel", "platform", "UTCTimestamp", "nonce", "version")


def flatten(value: Any, prefix: str = "") -> Iterator[Tuple[str, str]]:
    """Yield ``(key, text)`` pairs: nested dict keys join with ``.``, list indexes append with no
    separator, empty containers yield nothing, scalars render with ``str()``."""
    if isinstance(value, Mapping):
        for key, item in value.items():
            yield from flatten(item, f"{prefix}.{key}" if prefix else str(key))
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            yield from flatten(item, f"{prefix}{index}")
    else:
        yield prefix, str(value)


def string_to_sign(domain: str, path: str, headers: Mapping[str, Any], body: Mapping[str, Any]) -> str:
    """The exact text that is HMAC'd: ``[POST]{domain}:{path}&k1=v1&...`` sorted by code point."""
    merged: Dict[str, Any] = {k: headers[k] for k in SIGNED_HEADERS if k in headers}
    merged.update(body)  # a body key overwrites a header key of the same name
    pairs = sorted(flatten(merged))
    query = "&".join(f"{k}={v}" for k, v in pairs)
    return f"[POST]{domain}:{path}&{query}"


def hmac_b64(key: str, message: str) -> str:
    """``base64(HMAC-SHA256(key, message))`` with UTF-8 throughout."""
    digest = hmac.new(key.encode("utf-8"), message.encode("utf-8"), hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


def sign(access_key: str, domain: str, path: str, headers: Mapping[str, Any], body: Mapping[str, Any]) -> str:
    """The ``signature`` header for one request."""
    return hmac_b64(access_key, string_to_sign(domain, path, headers, body))


def verify(access_key: str, domain: str, path: str, headers: Mapping[str, Any], body: Mapping[str, Any],
           signature: str) -> bool:
    """Constant-time check of a received signature (the farm's side)."""
    return hmac.compare_digest(sign(access_key, domain, path, headers, body), signature or "")
