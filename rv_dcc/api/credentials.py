"""Where the farm client finds the account: arguments, environment, extra sources, a private file.

Order (first complete source wins; explicit arguments always override field by field):
1. the arguments given to ``RayvisionAPI``;
2. ``RAYVISION_API_ACCESS_ID`` / ``RAYVISION_API_KEY`` (the official SDK's variables), with
   optional ``RAYVISION_API_DOMAIN`` / ``RAYVISION_API_PLATFORM``;
3. sources registered with :func:`add_source` (the panel registers the OS keyring here);
4. ``<user config dir>/rv_dcc/account.json`` (``RV_DCC_CONFIG_DIR`` overrides the folder), which
   must be readable by its owner only: the file is refused otherwise.
The access key never appears in a repr, a log line or an error message. Standard library and
platformdirs only; nothing is read at import.
"""
import json
import logging
import os
import stat
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, List, Optional

from rv_dcc.errors import RvDccError

log = logging.getLogger("rv_dcc.api.credentials")

ENV_ACCESS_ID = "RAYVISION_API_ACCESS_ID"
ENV_ACCESS_KEY = "RAYVISION_API_KEY"
ENV_DOMAIN = "RAYVISION_API_DOMAIN"
ENV_PLATFORM = "RAYVISION_API_PLATFORM"
ENV_CONFIG_DIR = "RV_DCC_CONFIG_DIR"
ACCOUNT_FILE = "account.json"


class CredentialsError(RvDccError):
    """No usable account, or an account file that is unsafe or unreadable."""

    default_hint = (f"Give access_id and access_key, or set {ENV_ACCESS_ID} and {ENV_ACCESS_KEY}, "
                    "or save the account with rv_dcc.api.credentials.save_account().")


@dataclass(frozen=True)
class Credentials:
    """An account: the key is kept out of ``repr``."""

    access_id: Optional[str] = None
    access_key: Optional[str] = field(default=None, repr=False)
    domain: Optional[str] = None
    platform: Optional[str] = None
    protocol: Optional[str] = None
    source: str = "arguments"

    @property
    def complete(self) -> bool:
        """Both the access id and the access key are known."""
        return bool(self.access_id) and bool(self.access_key)


#: Extra sources (e.g. the OS keyring), tried after the environment and before the file.
_SOURCES: List[Callable[[], Optional[Credentials]]] = []


def add_source(source: Callable[[], Optional[Credentials]]) -> None:
    """Register a callable returning :class:`Credentials` or None (tried in registration order)."""
    if source not in _SOURCES:
        _SOURCES.append(source)


def remove_source(source: Callable[[], Optional[Credentials]]) -> None:
    """Undo :func:`add_source`."""
    if source in _SOURCES:
        _SOURCES.remove(source)


def config_dir() -> Path:
    """The folder of rv_dcc's per-user settings."""
    override = os.environ.get(ENV_CONFIG_DIR)
    if override:
        return Path(override)
    import platformdirs  # only when a file is actually looked for

    return Path(platformdirs.user_config_dir("rv_dcc", appauthor=False))


def account_path() -> Path:
    """Where :func:`save_account` writes and :func:`load_account` reads."""
    return config_dir() / ACCOUNT_FILE


def from_env() -> Credentials:
    """The account given by environment variables (possibly incomplete)."""
    return Credentials(os.environ.get(ENV_ACCESS_ID) or None, os.environ.get(ENV_ACCESS_KEY) or None,
                       os.environ.get(ENV_DOMAIN) or None, os.environ.get(ENV_PLATFORM) or None, None, "environment")


def _check_private(path: Path) -> None:
    if sys.platform.startswith("win"):
        return  # NTFS ACLs, not mode bits, protect the file there
    mode = path.stat().st_mode
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise CredentialsError(
            f"{path} can be read by other users (mode {stat.S_IMODE(mode):o}); it holds your access key",
            hint=f"Run: chmod 600 {path}")


def load_account(path: Optional[Path] = None) -> Optional[Credentials]:
    """Read the account file; None when there is none. Refuses a file others can read."""
    path = Path(path) if path is not None else account_path()
    if not path.is_file():
        return None
    _check_private(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise CredentialsError(f"cannot read the account file {path}: {type(exc).__name__}",
                               hint="Save the account again, or delete the file.") from None
    if not isinstance(data, dict):
        raise CredentialsError(f"the account file {path} is not a JSON object",
                               hint="Save the account again, or delete the file.")
    text = {k: (str(v) if v is not None else None) for k, v in data.items()}
    return Credentials(text.get("access_id"), text.get("access_key"), text.get("domain"), text.get("platform"),
                       text.get("protocol"), str(path))


def save_account(credentials: Credentials, path: Optional[Path] = None) -> Path:
    """Write the account atomically to a file readable by its owner only (mode 0600); return its path."""
    path = Path(path) if path is not None else account_path()
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    data = {"access_id": credentials.access_id, "access_key": credentials.access_key, "domain": credentials.domain,
            "platform": credentials.platform, "protocol": credentials.protocol}
    from rv_dcc.fsutil import atomic_write

    # Created with mode 0600 before anything is written into it; replaced atomically.
    atomic_write(path, json.dumps({k: v for k, v in data.items() if v is not None}, indent=2), mode=0o600)
    if not sys.platform.startswith("win"):
        os.chmod(path, 0o600)  # a umask cannot widen it, but an old file's mode must not linger either
    log.info("account %s saved to %s", credentials.access_id, path)
    return path


def resolve(access_id: Optional[str] = None, access_key: Optional[str] = None, domain: Optional[str] = None,
            platform: Optional[str] = None, protocol: Optional[str] = None) -> Credentials:
    """The account to use: arguments over the first complete source (see the module docstring).

    Raises :class:`CredentialsError` when no source gives both an access id and a key.
    """
    given = Credentials(access_id, access_key, domain, platform, protocol, "arguments")
    found: Optional[Credentials] = None
    if not given.complete:
        for source in [from_env, *_SOURCES, load_account]:
            candidate = source()
            if candidate is not None and (candidate.complete or (
                    given.access_id and candidate.access_key and candidate.access_id in (None, given.access_id))):
                found = candidate
                break
        if found is None:
            raise CredentialsError("no farm account found")
    base = found or Credentials()
    merged = replace(base, **{k: v for k, v in vars(given).items() if v is not None and k != "source"})
    if not merged.complete:
        raise CredentialsError("no farm account found")
    return merged
