"""Shared by the CLI commands: turn the global options and the account into a RayvisionAPI.

Order: ``--domain/--platform/--protocol`` over the client's credential sources (arguments,
RAYVISION_API_* variables, registered sources, the private account file). When no account is
configured at all, the embedded farm is used: the one named by ``--domain`` if it is a loopback
address, else the background farm the farm engineer's launcher keeps running (started when it
is not). Also the small output helpers every command shares (JSON on stdout, errors on stderr).
Not a subcommand: ``rv-dcc`` skips modules without ``configure``/``run``.
"""
import json
import logging
import os
import sys
from typing import TYPE_CHECKING, Any, Dict, Optional

if TYPE_CHECKING:
    from rv_dcc.api.client import RayvisionAPI

log = logging.getLogger("rv_dcc.commands.connect")

_LOOPBACK = ("127.0.0.1", "localhost", "[::1]", "::1")


def is_loopback(domain: Optional[str]) -> bool:
    """True for 127.0.0.1[:port], localhost[:port], [::1][:port]."""
    if not domain:
        return False
    host = domain.split("://")[-1]
    host = host.rsplit(":", 1)[0] if not host.startswith("[") or "]:" in host else host
    return host in _LOOPBACK


def embedded_api(domain: Optional[str] = None, platform: Optional[str] = None) -> Any:
    """A client for the embedded farm with its documented default account.

    With ``domain`` None the background farm is located (and started when not running) through
    ``rv_dcc.farm.launcher.ensure_running``.
    """
    from rv_dcc import farm
    from rv_dcc.api import RayvisionAPI

    if domain is None:
        from rv_dcc.farm import launcher

        # ensure_running() -> (domain, access_id, access_key) of the background farm.
        domain, access_id, access_key = launcher.ensure_running()
    else:
        access_id, access_key = farm.DEFAULT_ACCESS_ID, farm.DEFAULT_ACCESS_KEY
    return RayvisionAPI(access_id=access_id, access_key=access_key, domain=domain,
                        platform=platform or farm.DEFAULT_PLATFORM, protocol="http")


def connect(args: Any, defaults: Optional[Dict[str, Any]] = None) -> "RayvisionAPI":
    """The client for this command's farm.

    ``defaults`` (e.g. the farm a journal was submitted to: domain / platform / protocol) fill
    in what the command line does not give.
    """
    from rv_dcc.api import RayvisionAPI
    from rv_dcc.api.credentials import ENV_ACCESS_ID, CredentialsError, resolve

    defaults = defaults or {}
    _refuse_half_set_environment()
    domain = getattr(args, "domain", None) or defaults.get("domain")
    platform = getattr(args, "platform", None) or defaults.get("platform")
    protocol = getattr(args, "protocol", None) or defaults.get("protocol")
    if is_loopback(domain) and not os.environ.get(ENV_ACCESS_ID):
        # A loopback farm is the embedded one: its documented account, unless the saved account is
        # for exactly that address (a studio's own farm on this machine, with its own key).
        saved = _account_for(domain)
        if saved is None:
            return embedded_api(domain, platform)
        return RayvisionAPI(access_id=saved.access_id, access_key=saved.access_key, domain=domain,
                            platform=platform or saved.platform, protocol=protocol or saved.protocol or "http")
    try:
        account = resolve(domain=domain, platform=platform, protocol=protocol)
    except CredentialsError as error:
        if error.message != "no farm account found":
            # An account exists but cannot be used (a file others can read, unreadable...): that is
            # an error to fix, never a reason to send the work to the embedded farm instead.
            raise
        if domain and not is_loopback(domain):
            # A real farm was named and no account is configured: say so, in command-line terms
            # (the library's hint names a Python function an artist cannot call).
            raise CredentialsError(f"no farm account found for {domain}", hint=CLI_ACCOUNT_HINT) from None
        log.info("no farm account configured: using the embedded farm")
        return embedded_api(domain, platform)
    global _account_source
    _account_source = account.source
    if account.domain and is_loopback(account.domain) and not protocol:
        protocol = "http"  # the embedded farm speaks plain HTTP on loopback
    return RayvisionAPI(access_id=account.access_id, access_key=account.access_key, domain=account.domain,
                        platform=account.platform, protocol=protocol or account.protocol)


def _account_for(domain: Optional[str]) -> Any:
    """The configured account when it is for ``domain`` itself, else None (an unusable one raises)."""
    from rv_dcc.api.credentials import CredentialsError, resolve

    try:
        account = resolve()
    except CredentialsError as error:
        if error.message == "no farm account found":
            return None
        raise
    own = (account.domain or "").split("://")[-1].rstrip("/")
    return account if own and own == (domain or "").split("://")[-1].rstrip("/") else None


def emit_json(value: Any) -> None:
    """One JSON document (or JSON line) on stdout."""
    sys.stdout.write(json.dumps(value, ensure_ascii=False, default=str) + "\n")
    sys.stdout.flush()


def _refuse_half_set_environment() -> None:
    """One of RAYVISION_API_ACCESS_ID / RAYVISION_API_KEY without the other is a mistake.

    Without this the command silently fell back to the embedded farm: a TD who forgot the key
    would "submit" to a farm on their own machine and wait all night for nothing.
    """
    from rv_dcc.api.credentials import ENV_ACCESS_ID, ENV_ACCESS_KEY, CredentialsError

    has_id, has_key = bool(os.environ.get(ENV_ACCESS_ID)), bool(os.environ.get(ENV_ACCESS_KEY))
    if has_id != has_key:
        present, missing = (ENV_ACCESS_ID, ENV_ACCESS_KEY) if has_id else (ENV_ACCESS_KEY, ENV_ACCESS_ID)
        raise CredentialsError(f"{present} is set but {missing} is not",
                               hint=f"Set both to use your farm account, or unset {present} to use the "
                                    "embedded farm on this machine.")


#: What to do when no account is found, in command-line terms.
CLI_ACCOUNT_HINT = ("Set RAYVISION_API_ACCESS_ID and RAYVISION_API_KEY (User center > API on the farm's "
                    "web site), or sign in once in `rv-dcc panel`; leave out --domain to try the embedded "
                    "farm on this machine instead.")

#: Where the account of the last connect() came from ("environment", a file path, ...): named in
#: authentication errors so the person knows which setting to fix. One command per process.
_account_source: Optional[str] = None

_TRACEBACK_HEAD = "Traceback (most recent call last):"


def readable(text: str) -> str:
    """``text`` with any Python traceback (e.g. a host's batch output) cut down to its last line.

    Artists act on the last line ("RuntimeError: File format is not supported"); the frames
    above it only hide it.
    """
    if _TRACEBACK_HEAD not in text:
        return text
    head, _sep, rest = text.partition(_TRACEBACK_HEAD)
    tail = [line for line in rest.splitlines() if line.strip()]
    # the exception line is the last one that does not start with whitespace
    last = next((line for line in reversed(tail) if not line[:1].isspace()), tail[-1] if tail else "")
    return (head.rstrip() + ("\n" if head.strip() else "") + last.strip()).strip()


def _advice(error: BaseException) -> str:
    """The hint of ``error``, completed with what only the command line knows."""
    from rv_dcc.api.errors import AuthenticationError, ConnectionFailedError

    hint = str(getattr(error, "hint", "") or "")
    if isinstance(error, AuthenticationError) and _account_source:
        where = ("the environment variables RAYVISION_API_ACCESS_ID / RAYVISION_API_KEY"
                 if _account_source == "environment" else _account_source)
        hint = f"{hint} (The account used comes from {where}.)".strip()
    if isinstance(error, ConnectionFailedError):
        domain = _domain_in(str(getattr(error, "message", "")))
        if domain and is_loopback(domain):
            port = domain.rsplit(":", 1)[-1] if ":" in domain else ""
            hint = (f"Nothing answers on {domain}: start the embedded farm there with "
                    f"`rv-dcc farm{' --port ' + port if port.isdigit() else ''}`, or leave out --domain "
                    "to use the background farm.")
    return hint


def _domain_in(message: str) -> Optional[str]:
    marker = "connection to "
    if marker not in message:
        return None
    return message.split(marker, 1)[1].split(" ", 1)[0] or None


def fail(error: BaseException, as_json: bool = False, prefix: str = "rv-dcc") -> int:
    """Report an error a person can act on; returns the exit code (1).

    Text: one ``rv-dcc: what happened — what to do`` line on stderr. JSON: ``{"error", "message",
    "hint"}`` on stdout, the message without the hint (it is its own field).
    """
    hint = _advice(error)
    message = readable(str(getattr(error, "message", "") or str(error) or type(error).__name__))
    operation = getattr(error, "operation", None)
    if operation and not message.startswith(f"{operation}:"):
        message = f"{operation}: {message}"
    code = getattr(error, "code", None)
    if isinstance(code, int) and f"(code {code})" not in message:
        message = f"{message} (code {code})"
    if as_json:
        record = {"error": type(error).__name__, "message": message, "hint": hint}
        if getattr(error, "request_id", None):
            record["request_id"] = error.request_id  # type: ignore[attr-defined]
        emit_json(record)
    else:
        text = f"{message} — {hint}" if hint and hint not in message else message
        rid = getattr(error, "request_id", None)
        sys.stderr.write(f"{prefix}: {text}{f' [request id {rid}]' if rid else ''}\n")
    return 1


def run_guarded(func: Any, args: Any) -> int:
    """Run a command body, turning RvDccError into a clear message and exit code 1."""
    from rv_dcc.errors import RvDccError

    try:
        return int(func(args) or 0)
    except RvDccError as error:
        command = getattr(args, "command", None)
        return fail(error, getattr(args, "json", False), f"rv-dcc {command}" if command else "rv-dcc")
