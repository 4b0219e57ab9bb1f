"""Keeping the access key: the OS keyring when there is one, else a file only its owner can read.

``save`` writes the account: the key to the keyring (service ``rv_dcc``, user = access id) and
the rest (id, domain, platform, protocol) to the account file of :mod:`rv_dcc.api.credentials`;
without a usable keyring the key goes into that 0600 file too. ``register`` adds a credentials
source that reads the key back from the keyring, so every RayvisionAPI created afterwards finds
it. ``keyring`` is imported lazily: a host without it simply uses the file. No Qt.
"""
import logging
from typing import Any, Optional, Tuple

from rv_dcc.api import credentials as creds

log = logging.getLogger("rv_dcc.ui.keystore")
SERVICE = "rv_dcc"


def _keyring() -> Any:
    """The keyring module when a real (not fail / null) backend is available, else None."""
    try:
        import keyring
        from keyring.backends import fail
    except Exception:  # noqa: BLE001 - not installed, or broken in this host's Python
        return None
    try:
        backend = keyring.get_keyring()
    except Exception:  # noqa: BLE001
        return None
    name = type(backend).__module__.lower()
    try:
        usable = float(getattr(backend, "priority", 1)) > 0
    except Exception:  # noqa: BLE001 - some backends compute priority and may raise
        usable = False
    if isinstance(backend, fail.Keyring) or "null" in name or not usable:
        return None
    return keyring


def save(access_id: str, access_key: str, domain: str, platform: str, protocol: str = "https") -> Tuple[str, str]:
    """Store the account; returns ("keyring", "") or ("file", path)."""
    ring = _keyring()
    if ring is not None:
        try:
            ring.set_password(SERVICE, access_id, access_key)
            creds.save_account(creds.Credentials(access_id, None, domain, platform, protocol))
            register()
            return "keyring", ""
        except Exception as error:  # noqa: BLE001 - e.g. a locked keyring: fall back to the private file
            log.info("keyring unavailable (%s); storing the key in the private account file", type(error).__name__)
    path = creds.save_account(creds.Credentials(access_id, access_key, domain, platform, protocol))
    return "file", str(path)


def _from_keyring() -> Optional[creds.Credentials]:
    """Credentials source: the account file's id and settings plus the key from the keyring."""
    try:
        account = creds.load_account()
    except creds.CredentialsError:
        return None
    if account is None or not account.access_id or account.access_key:
        return None
    ring = _keyring()
    if ring is None:
        return None
    try:
        key = ring.get_password(SERVICE, account.access_id)
    except Exception:  # noqa: BLE001
        return None
    if not key:
        return None
    return creds.Credentials(account.access_id, key, account.domain, account.platform, account.protocol, "keyring")


def register() -> None:
    """Make RayvisionAPI find keys kept in the keyring (idempotent)."""
    creds.add_source(_from_keyring)
