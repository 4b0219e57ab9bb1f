"""The access key goes to the OS keyring when there is one (an in-memory keyring backend here)."""
import stat

import pytest

keyring = pytest.importorskip("keyring")
from keyring.backend import KeyringBackend  # noqa: E402
from keyring.errors import PasswordSetError  # noqa: E402


class MemoryKeyring(KeyringBackend):
    """A keyring backend that keeps passwords in a dict (keyring's documented backend API)."""

    priority = 1

    def __init__(self):
        super().__init__()
        self.passwords = {}

    def get_password(self, service, username):
        return self.passwords.get((service, username))

    def set_password(self, service, username, password):
        self.passwords[(service, username)] = password

    def delete_password(self, service, username):
        self.passwords.pop((service, username), None)


class LockedKeyring(MemoryKeyring):
    """A keyring that is there but refuses to store (a locked login keychain)."""

    def set_password(self, service, username, password):
        raise PasswordSetError("the keychain is locked")


@pytest.fixture
def use_keyring():
    from rv_dcc.api import credentials
    from rv_dcc.ui import keystore

    previous = keyring.get_keyring()

    def use(backend):
        keyring.set_keyring(backend)
        return backend

    yield use
    keyring.set_keyring(previous)
    credentials.remove_source(keystore._from_keyring)


def test_the_key_goes_to_the_keyring_and_never_to_the_account_file(use_keyring):
    from rv_dcc.api import credentials
    from rv_dcc.ui import keystore

    ring = use_keyring(MemoryKeyring())
    assert keystore.save("AKIDring", "s3cret-in-ring", "task.renderbus.com", "2") == ("keyring", "")
    assert ring.passwords == {("rv_dcc", "AKIDring"): "s3cret-in-ring"}
    text = credentials.account_path().read_text(encoding="utf-8")
    assert "AKIDring" in text and "s3cret-in-ring" not in text
    keystore.register()
    found = credentials.resolve()  # the account the panel connects with
    assert (found.access_id, found.access_key, found.domain) == ("AKIDring", "s3cret-in-ring", "task.renderbus.com")
    assert found.source == "keyring"


def test_a_locked_keyring_falls_back_to_a_file_only_its_owner_reads(use_keyring):
    from rv_dcc.api import credentials
    from rv_dcc.ui import keystore

    use_keyring(LockedKeyring())
    mode, path = keystore.save("AKIDlocked", "s3cret-in-file", "task.foxrenderfarm.com", "6")
    assert mode == "file" and path == str(credentials.account_path())
    assert stat.S_IMODE(credentials.account_path().stat().st_mode) == 0o600
    keystore.register()
    found = credentials.resolve()  # the account the panel connects with
    assert (found.access_id, found.access_key) == ("AKIDlocked", "s3cret-in-file")
