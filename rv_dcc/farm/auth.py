"""How the farm authenticates an API call (wire.md §3), cheapest checks first.

Freshness and replay are checked on the values that were SIGNED: a body key replaces the header
of the same name when signing, so the body's ``UTCTimestamp`` / ``nonce`` / ``accessId`` are the
ones that count when present. A nonce is required. A body of more than ``MAX_FIELDS`` values is
refused before the signature is computed (the cost of signing grows with them). The signature is
checked last, then the request's signed ``(accessId, UTCTimestamp, nonce, signature)`` is claimed
in the farm's persistent nonce store (rv_dcc.farm.nonces): a second claim is a replay.
"""
import time
from typing import Any, Dict, Optional, Tuple

from rv_dcc.api import signing
from rv_dcc.farm.errors import ILLEGAL_PROTOCOL, INVALID, LOGIN_NEEDED, SIGNATURE_EXPIRED, SIGNATURE_INVALID

#: Seconds a request's UTCTimestamp may be from the farm's clock.
TIME_WINDOW = 300
#: Scalar values a signed body may carry: signing cost grows with them, so a forged body is refused first.
MAX_FIELDS = 50000

Refusal = Tuple[int, Any, str]


def authenticate(farm: Any, nonces: Any, received: Any, path: str, body: Dict[str, Any]) -> Optional[Refusal]:
    """None when the request may run, else ``(code, None, message)``; ``received`` are its headers."""
    headers = {k: received.get(k) for k in signing.SIGNED_HEADERS if received.get(k) is not None}
    signed = dict(headers)
    signed.update({k: body[k] for k in signing.SIGNED_HEADERS if k in body})
    for name in ("accessId", "UTCTimestamp", "nonce"):
        if isinstance(signed.get(name), (dict, list, tuple, bool)) or (name in signed and signed[name] is None):
            return ILLEGAL_PROTOCOL, None, f"illegal protocol: {name} must be a plain value"
    access_id = str(signed.get("accessId") or "")
    if access_id != farm.access_id:
        return LOGIN_NEEDED, None, f"login needed: access id {access_id[:64]!r} is not known to this farm"
    stamp = str(signed.get("UTCTimestamp") or "")
    try:
        skew = abs(time.time() - int(stamp))
    except ValueError:
        return SIGNATURE_EXPIRED, None, "signature expired: UTCTimestamp header missing or not Unix seconds"
    if skew > TIME_WINDOW:
        return SIGNATURE_EXPIRED, None, (f"signature expired: UTCTimestamp is {int(skew)} s away from the farm's "
                                         f"clock (limit {TIME_WINDOW} s); check the computer's clock")
    nonce = str(signed.get("nonce") or "")
    if not nonce or len(nonce) > 64:
        return ILLEGAL_PROTOCOL, None, ("illegal protocol: the request has no nonce; sign every request with a "
                                        "fresh random nonce (6 decimal digits) header")
    if _fields(body) > MAX_FIELDS:
        return INVALID, None, f"request body has more than {MAX_FIELDS} values; send less per call"
    domain = received.get("Host", "")
    try:
        valid = signing.verify(farm.access_key, domain, path, headers, body, received.get("signature") or "")
    except RecursionError:
        return INVALID, None, "request body nests too deeply"
    if not valid:
        return SIGNATURE_INVALID, None, ("signature invalid: check the access key, and sign with the domain as "
                                         f"sent in the Host header ({domain}) and the path {path}")
    key = (access_id, stamp, nonce, received.get("signature") or "")
    if not nonces.claim(key):
        return ILLEGAL_PROTOCOL, None, ("illegal protocol: this signed request (same accessId, UTCTimestamp, "
                                        "nonce and body) was already received; sign every request with a "
                                        "fresh nonce")
    return None


def _fields(value: Any, limit: int = MAX_FIELDS) -> int:
    """How many scalar values ``value`` holds (counting stops past ``limit``)."""
    count, stack = 0, [value]
    while stack and count <= limit:
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
        else:
            count += 1
    return count
