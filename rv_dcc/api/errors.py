"""The farm client's branch of the error tree, and the one table from service code to class.

Service replies with ``code != 200`` become a subclass of :class:`ApiError` chosen by
:data:`CODE_TABLE`; network failures become :class:`TransportError` subclasses; bad arguments
caught before sending become :class:`RequestValidationError`. Every error carries ``code``,
``message`` (the service's words), ``request_id``, ``operation`` and ``hint`` (what a person should
do); ``str(error)`` is a sentence fit for a dialog. Nothing here ever holds a secret: the client
builds errors from the reply and the operation name only. Pure standard library.
"""
from typing import Dict, Optional, Tuple, Type

from rv_dcc.errors import RvDccError


class ApiError(RvDccError):
    """Anything that went wrong talking to the farm."""

    default_hint = "Try again; if it keeps happening, contact the farm's support with the request id."

    def __init__(self, message: str, *, code: Optional[int] = None, request_id: Optional[str] = None,
                 operation: Optional[str] = None, hint: Optional[str] = None) -> None:
        super().__init__(message, hint=hint)
        self.code = code
        self.request_id = request_id
        self.operation = operation

    def __str__(self) -> str:
        head = f"{self.operation}: " if self.operation else ""
        code = f" (code {self.code})" if self.code is not None else ""
        rid = f" [request id {self.request_id}]" if self.request_id else ""
        hint = f" — {self.hint}" if self.hint else ""
        return f"{head}{self.message}{code}{hint}{rid}"

    def __repr__(self) -> str:
        return (f"{type(self).__name__}(code={self.code!r}, message={self.message!r}, "
                f"operation={self.operation!r}, request_id={self.request_id!r})")

    def __reduce__(self):  # keep errors picklable (worker processes, journals)
        return (_rebuild, (type(self), self.__dict__))


def _rebuild(cls: Type["ApiError"], state: dict) -> "ApiError":
    error = cls.__new__(cls)
    Exception.__init__(error, state.get("message", ""))
    error.__dict__.update(state)
    return error


# --- the service answered, with a failure code --------------------------------------------------

class AuthenticationError(ApiError):
    """The service did not accept who we are: 602 login needed, 611 bad signature, 804 locked."""

    default_hint = ("Check the access id and access key (Fox Renderfarm / Renderbus web site: "
                    "User center > API); they must belong to this domain and platform.")


class SignatureExpiredError(AuthenticationError):
    """610: the request's timestamp is outside the service's window."""

    default_hint = ("Your computer's clock is off by more than 5 minutes; sync it "
                    "(Windows: Settings > Time > Sync now; macOS/Linux: enable network time) and retry.")


class ParameterError(ApiError):
    """600 parameter invalid, 601 parameter can't be empty, 603 illegal protocol."""

    default_hint = "A value sent to the farm was rejected; check the arguments of this call."


class RequestValidationError(ParameterError, ValueError):
    """An argument was rejected before anything was sent (or, on the farm, a body was rejected).

    ``code`` is 601 when a required value is missing or empty, else 600; ``field`` is the wire
    name of the offending value (``"taskIds"``, ``"renderEnv.pluginIds.0"``).
    """

    def __init__(self, message: str, *, field: Optional[str] = None, code: int = 600,
                 operation: Optional[str] = None, hint: Optional[str] = None) -> None:
        super().__init__(message, code=code, operation=operation, hint=hint or "")
        self.field = field


class PermissionDeniedError(ApiError):
    """403 forbidden, 605 insufficient permissions, 812 IP not allowed, 913 sub-user in arrears."""

    default_hint = ("This account may not do that; ask the main account's owner for the permission, "
                    "or check the balance.")


class WrongRegionError(PermissionDeniedError):
    """608: a China (Renderbus) account used on the international domain, or the reverse."""

    default_hint = ("This account belongs to the other region: use task.renderbus.com for a Renderbus "
                    "(China) account, jop.foxrenderfarm.com for a Fox Renderfarm account.")


class NotFoundError(ApiError):
    """404 not found, 700 no more records."""

    default_hint = "The task, frame or file does not exist (any more) for this account; refresh and check the id."


class ConflictError(ApiError):
    """912: the sub-user still has tasks."""

    default_hint = "Finish or delete the sub-user's tasks first."


class ServerError(ApiError):
    """The farm failed on its side: 100 fail, 400 API error, 500 internal, 1000 cache failure."""

    default_hint = "The farm had a problem; wait a minute and try again."


# --- nothing usable came back --------------------------------------------------------------------

class TransportError(ApiError):
    """The request or its reply was lost on the way: no service code."""

    default_hint = "Check the network connection and the domain, then try again."


class RequestTimeoutError(TransportError):
    """The farm did not answer within the timeout."""

    default_hint = ("The farm did not answer in time; check the network, or raise the timeout. "
                    "A call that changes state may or may not have happened: refresh before repeating it.")


class ConnectionFailedError(TransportError):
    """The connection could not be made or was dropped (refused, DNS, reset, reply lost)."""

    default_hint = "Could not reach the farm: check the domain, the network and any proxy or firewall."


class TLSError(ConnectionFailedError):
    """The TLS handshake failed (certificate, SSL library, intercepting proxy)."""

    default_hint = ("The secure connection failed: check the computer's date, any proxy that inspects "
                    "HTTPS, and that this Python has a working SSL module and certificates.")


class InvalidReplyError(TransportError):
    """The reply was not the service's JSON envelope (a proxy page, an outage page, a wrong domain)."""

    default_hint = "The server that answered is not the farm's API: check the domain, protocol and proxy."

    def __init__(self, message: str, *, http_status: Optional[int] = None, body_start: bytes = b"",
                 operation: Optional[str] = None, hint: Optional[str] = None) -> None:
        super().__init__(message, operation=operation, hint=hint)
        self.http_status = http_status
        self.body_start = body_start


# --- the table -----------------------------------------------------------------------------------

#: service code -> (class, what the code means). The one place codes are mapped.
CODE_TABLE: Dict[int, Tuple[Type[ApiError], str]] = {
    100: (ServerError, "the farm reported a failure"),
    400: (ServerError, "API error"),
    403: (PermissionDeniedError, "forbidden"),
    404: (NotFoundError, "not found"),
    500: (ServerError, "the farm's internal error"),
    600: (ParameterError, "parameter invalid"),
    601: (ParameterError, "parameter can't be empty"),
    602: (AuthenticationError, "login needed"),
    603: (ParameterError, "illegal protocol"),
    605: (PermissionDeniedError, "insufficient permissions"),
    608: (WrongRegionError, "wrong region (domestic/foreign account)"),
    610: (SignatureExpiredError, "signature expired"),
    611: (AuthenticationError, "signature invalid"),
    700: (NotFoundError, "no more records"),
    804: (AuthenticationError, "account locked"),
    812: (PermissionDeniedError, "IP address not allowed"),
    912: (ConflictError, "the sub-user has tasks"),
    913: (PermissionDeniedError, "the sub-user is in arrears"),
    1000: (ServerError, "the farm's cache failed"),
}

#: Specific advice for codes whose class hint is too general.
CODE_HINTS: Dict[int, str] = {
    602: "Log in again: the access id is unknown or disabled. Check it in the web site's User center > API.",
    611: ("The signature did not match: the access key is wrong for this access id, or a proxy "
          "changed the request. Re-enter the key."),
    804: "The account is locked; contact the farm's support.",
    812: "Your IP address is not on the account's allow-list; add it in the web site's security settings.",
    913: "The sub-account is in arrears: top up the main account.",
    700: "There are no more records for this query.",
}

#: Service codes worth retrying for a repeatable operation (the farm may succeed next time).
RETRYABLE_CODES = frozenset({500, 1000})


def error_for_code(code: int, message: Optional[str], *, request_id: Optional[str] = None,
                   operation: Optional[str] = None) -> ApiError:
    """Build the error for a service reply with ``code != 200`` (unknown codes -> ServerError)."""
    cls, meaning = CODE_TABLE.get(code, (ServerError, "unexpected reply"))
    text = (message or "").strip() or meaning
    if text != meaning and meaning not in text:
        text = f"{text} ({meaning})" if text.lower() not in ("fail", "failed", "error") else f"{text}: {meaning}"
    return cls(text, code=code, request_id=request_id, operation=operation, hint=CODE_HINTS.get(code))
