"""Shared by the CLI commands: the farm of the global options, and the output helpers.

``connect(args)`` turns ``--domain/--platform/--protocol`` into a typed
:class:`~rv_dcc.app.connect.FarmAddress` and asks the composition root (rv_dcc.app.connect) for the
client: the configured account, else the embedded farm. Also the small output helpers every
command shares (JSON on stdout, errors on stderr). Not a subcommand: ``rv-dcc`` skips modules
without ``configure``/``run``.
"""
import json
import sys
from typing import TYPE_CHECKING, Any, Dict, Optional

if TYPE_CHECKING:
    from rv_dcc.api.client import RayvisionAPI

from rv_dcc.app.connect import FarmAddress, account_source, is_loopback


def address_of(args: Any) -> FarmAddress:
    """The farm the global options name (blanks where they name nothing)."""
    return FarmAddress(domain=getattr(args, "domain", None), platform=getattr(args, "platform", None),
                       protocol=getattr(args, "protocol", None))


def _say_farm_started(url: str, data_dir: str) -> None:
    """Tell the artist a background farm now runs (stderr: --json output stays one JSON document)."""
    print(f"rv-dcc: started the embedded farm in the background on {url} (data in {data_dir}); "
          "it keeps running for the next commands: stop it with rv-dcc farm stop", file=sys.stderr, flush=True)


def connect(args: Any, defaults: Optional[Dict[str, Any]] = None) -> "RayvisionAPI":
    """The client for this command's farm.

    ``defaults`` (e.g. the farm a journal was submitted to: domain / platform / protocol) fill
    in what the command line does not give.
    """
    from rv_dcc.app.connect import connect as connect_to

    return connect_to(address_of(args).or_else(defaults), on_start=_say_farm_started)


def printable(value: Any, limit: int = 120) -> str:
    """``value`` as one line of text: control characters (NUL, newlines...) shown as ``?``."""
    text = "" if value is None else str(value)
    return "".join(ch if ch.isprintable() else "?" for ch in text[:limit])


def emit_json(value: Any) -> None:
    """One JSON document (or JSON line) on stdout."""
    sys.stdout.write(json.dumps(value, ensure_ascii=False, default=str) + "\n")
    sys.stdout.flush()


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
    source = account_source()
    if isinstance(error, AuthenticationError) and source:
        where = ("the environment variables RAYVISION_API_ACCESS_ID / RAYVISION_API_KEY"
                 if source == "environment" else source)
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
