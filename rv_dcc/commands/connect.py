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
from typing import Any, Dict, Optional

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


def connect(args: Any, defaults: Optional[Dict[str, Any]] = None) -> Any:
    """The client for this command's farm.

    ``defaults`` (e.g. the farm a journal was submitted to: domain / platform / protocol) fill
    in what the command line does not give.
    """
    from rv_dcc.api import RayvisionAPI
    from rv_dcc.api.credentials import ENV_ACCESS_ID, CredentialsError, resolve

    defaults = defaults or {}
    domain = getattr(args, "domain", None) or defaults.get("domain")
    platform = getattr(args, "platform", None) or defaults.get("platform")
    protocol = getattr(args, "protocol", None) or defaults.get("protocol")
    if is_loopback(domain) and not os.environ.get(ENV_ACCESS_ID):
        # A loopback farm is the embedded one: its documented account, not the saved live one.
        return embedded_api(domain, platform)
    try:
        account = resolve(domain=domain, platform=platform, protocol=protocol)
    except CredentialsError:
        if domain and not is_loopback(domain):
            raise  # a real farm was named and no account is configured: say so
        log.info("no farm account configured: using the embedded farm")
        return embedded_api(domain, platform)
    if account.domain and is_loopback(account.domain) and not protocol:
        protocol = "http"  # the embedded farm speaks plain HTTP on loopback
    return RayvisionAPI(access_id=account.access_id, access_key=account.access_key, domain=account.domain,
                        platform=account.platform, protocol=protocol or account.protocol)


def emit_json(value: Any) -> None:
    """One JSON document (or JSON line) on stdout."""
    sys.stdout.write(json.dumps(value, ensure_ascii=False, default=str) + "\n")
    sys.stdout.flush()


def fail(error: BaseException, as_json: bool = False) -> int:
    """Report an error a person can act on; returns the exit code (1)."""
    text = str(error) or type(error).__name__
    if as_json:
        emit_json({"error": type(error).__name__, "message": text, "hint": getattr(error, "hint", "")})
    else:
        sys.stderr.write(f"rv-dcc: {text}\n")
    return 1


def run_guarded(func: Any, args: Any) -> int:
    """Run a command body, turning RvDccError into a clear message and exit code 1."""
    from rv_dcc.errors import RvDccError

    try:
        return int(func(args) or 0)
    except RvDccError as error:
        return fail(error, getattr(args, "json", False))
