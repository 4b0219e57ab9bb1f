"""Connecting: the configured account, else the embedded farm, as one typed call.

``connect(FarmAddress(domain=..., platform=..., protocol=...))`` is what the CLI, the panel and
the hosts call. Order: the address given over the client's credential sources (arguments,
RAYVISION_API_* variables, registered sources, the private account file). When no account is
configured at all, the embedded farm is used: the one at ``domain`` if it is a loopback address,
else the background farm the launcher keeps running (started when it is not). An account that
exists but cannot be used is an error, never a reason to send work to the embedded farm.
"""
import logging
import os
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Callable, Mapping, Optional

if TYPE_CHECKING:
    from rv_dcc.api import RayvisionAPI

log = logging.getLogger("rv_dcc.app.connect")

_LOOPBACK = ("127.0.0.1", "localhost", "[::1]", "::1")

#: What to do when no account is found for a named farm.
ACCOUNT_HINT = ("Set RAYVISION_API_ACCESS_ID and RAYVISION_API_KEY (User center > API on the farm's "
                "web site), or sign in once in `rv-dcc panel`; leave out --domain to try the embedded "
                "farm on this machine instead.")


@dataclass(frozen=True)
class FarmAddress:
    """Which farm to use; None leaves the choice to the account (or to the embedded farm)."""

    domain: Optional[str] = None
    platform: Optional[str] = None
    protocol: Optional[str] = None

    def or_else(self, defaults: Optional[Mapping[str, Any]]) -> "FarmAddress":
        """This address with its blanks filled from ``defaults`` (e.g. the farm a journal names)."""
        defaults = defaults or {}
        return replace(self, domain=self.domain or defaults.get("domain"),
                       platform=self.platform or defaults.get("platform"),
                       protocol=self.protocol or defaults.get("protocol"))


#: Where the account of the last connect() came from ("environment", a file path, ...): named in
#: authentication errors so the person knows which setting to fix.
_account_source: Optional[str] = None


def account_source() -> Optional[str]:
    """Where the account of the last :func:`connect` came from, or None (embedded farm / none yet)."""
    return _account_source


def is_loopback(domain: Optional[str]) -> bool:
    """True for 127.0.0.1[:port], localhost[:port], [::1][:port]."""
    if not domain:
        return False
    host = domain.split("://")[-1]
    host = host.rsplit(":", 1)[0] if not host.startswith("[") or "]:" in host else host
    return host in _LOOPBACK


def embedded_api(domain: Optional[str] = None, platform: Optional[str] = None,
                 on_start: Optional[Callable[[str, str], None]] = None) -> "RayvisionAPI":
    """A client for the embedded farm with its documented default account.

    With ``domain`` None the background farm is located (and started when not running: then
    ``on_start(url, data_dir)`` is called, so a command can say so).
    """
    from rv_dcc.api import RayvisionAPI
    from rv_dcc.farm import defaults

    if domain is None:
        from rv_dcc.farm import launcher

        domain, access_id, access_key = launcher.ensure_running(on_start=on_start)
    else:
        access_id, access_key = defaults.DEFAULT_ACCESS_ID, defaults.DEFAULT_ACCESS_KEY
    return RayvisionAPI(access_id=access_id, access_key=access_key, domain=domain,
                        platform=platform or defaults.DEFAULT_PLATFORM, protocol="http")


def connect(address: FarmAddress = FarmAddress(),
            on_start: Optional[Callable[[str, str], None]] = None) -> "RayvisionAPI":
    """The client for ``address``: the configured account's farm, else the embedded farm
    (``on_start``: called when this started the background farm)."""
    from rv_dcc.api import RayvisionAPI
    from rv_dcc.api.credentials import ENV_ACCESS_ID, CredentialsError, resolve

    global _account_source
    refuse_half_set_environment()
    domain, platform, protocol = address.domain, address.platform, address.protocol
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
            # A real farm was named and no account is configured: say so in words a person can act
            # on (the library's hint names a Python function an artist cannot call).
            raise CredentialsError(f"no farm account found for {domain}", hint=ACCOUNT_HINT) from None
        log.info("no farm account configured: using the embedded farm")
        return embedded_api(domain, platform, on_start)
    _account_source = account.source
    if account.domain and is_loopback(account.domain) and not protocol:
        protocol = "http"  # the embedded farm speaks plain HTTP on loopback
    return RayvisionAPI(access_id=account.access_id, access_key=account.access_key, domain=account.domain,
                        platform=account.platform, protocol=protocol or account.protocol)


def has_account() -> bool:
    """True when an account is configured (usable or not: an unusable one is reported by connect)."""
    from rv_dcc.api.credentials import CredentialsError, resolve

    try:
        resolve()
    except CredentialsError:
        return False
    return True


def reconnect(mode: str) -> "RayvisionAPI":
    """The panel's sign-in result: ``"local"`` is the embedded farm, anything else the saved account."""
    if mode == "local":
        return embedded_api()
    return connect()


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


def refuse_half_set_environment() -> None:
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
