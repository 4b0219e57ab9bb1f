"""What the panel says when something fails: a short sentence in the artist's language, and the
technical details (operation, the farm's own words, request id) behind a Details button.

Errors of :mod:`rv_dcc.api.errors` carry the operation, the service's message and a request id:
exactly what a TD or the farm's support needs, and nothing an artist at 2 a.m. can act on. The
banner shows :func:`artist_words` (what happened, in the current language, no request paths,
hosts or ids); :func:`details` is what Details shows and copies. Secrets never reach either:
rv_dcc's errors are built without them.
"""
from typing import Tuple

from rv_dcc.ui.i18n import tr

#: error class name -> i18n key, most specific first (looked up along the class's MRO)
_KEYS = (
    ("WrongRegionError", "err.region"),
    ("SignatureExpiredError", "err.clock"),
    ("AuthenticationError", "err.auth"),
    ("PermissionDeniedError", "err.permission"),
    ("RequestTimeoutError", "err.timeout"),
    ("TLSError", "err.tls"),
    ("ConnectionFailedError", "err.connection"),
    ("InvalidReplyError", "err.reply"),
    ("MalformedReplyError", "err.reply"),
    ("ServerError", "err.server"),
    ("NotFoundError", "err.not_found"),
    ("ParameterError", "err.parameter"),
    ("TransportError", "err.connection"),
    ("ApiError", "err.farm"),
)


def artist_words(error: BaseException) -> str:
    """One short sentence for the banner: what went wrong, in the panel's language."""
    names = [cls.__name__ for cls in type(error).__mro__]
    for name, key in _KEYS:
        if name in names:
            return tr(key)
    return tr("err.unexpected")


def details(error: BaseException) -> str:
    """Everything known about the error, for Details (and for a message to the farm's support)."""
    lines = [str(error) or type(error).__name__]
    hint = getattr(error, "hint", None)
    if hint:
        lines.append(str(hint))
    code = getattr(error, "code", None)
    if code is not None:
        lines.append(f"code {code}")
    return "\n".join(lines)


def banner_parts(error: BaseException) -> Tuple[str, str]:
    """(the banner's sentence, the details behind its Details button)."""
    return artist_words(error), details(error)
