"""Where the account comes from, and the private account file."""
import json
import os
import stat
import sys

import pytest

from rv_dcc.api import credentials
from rv_dcc.api.credentials import Credentials, CredentialsError


@pytest.fixture(autouse=True)
def clean_env(monkeypatch, tmp_path):
    for name in (credentials.ENV_ACCESS_ID, credentials.ENV_ACCESS_KEY, credentials.ENV_DOMAIN,
                 credentials.ENV_PLATFORM):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv(credentials.ENV_CONFIG_DIR, str(tmp_path / "cfg"))


def test_arguments_win():
    found = credentials.resolve("id", "key", "jop.foxrenderfarm.com", "2")
    assert (found.access_id, found.access_key, found.domain, found.platform) == ("id", "key", "jop.foxrenderfarm.com", "2")
    assert "key" not in repr(found).replace("access_key", "")


def test_environment(monkeypatch):
    monkeypatch.setenv("RAYVISION_API_ACCESS_ID", "envid")
    monkeypatch.setenv("RAYVISION_API_KEY", "envkey")
    monkeypatch.setenv("RAYVISION_API_DOMAIN", "task.renderbus.com")
    monkeypatch.setenv("RAYVISION_API_PLATFORM", "62")
    found = credentials.resolve(platform="21")
    assert (found.access_id, found.access_key, found.domain, found.platform, found.source) == (
        "envid", "envkey", "task.renderbus.com", "21", "environment")


def test_saved_file_roundtrip_is_private(tmp_path):
    path = credentials.save_account(Credentials("fileid", "filekey", "jop.foxrenderfarm.com", "2"))
    assert path == tmp_path / "cfg" / "account.json"
    if not sys.platform.startswith("win"):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert json.loads(path.read_text())["access_key"] == "filekey"
    assert [p.name for p in path.parent.iterdir()] == ["account.json"]  # no temporary left behind
    found = credentials.resolve()
    assert (found.access_id, found.access_key, found.domain) == ("fileid", "filekey", "jop.foxrenderfarm.com")
    # saving again replaces the file atomically
    credentials.save_account(Credentials("id2", "key2"))
    assert credentials.load_account().access_id == "id2"


@pytest.mark.skipif(sys.platform.startswith("win"), reason="mode bits")
def test_file_readable_by_others_is_refused():
    path = credentials.save_account(Credentials("fileid", "filekey"))
    os.chmod(path, 0o644)
    with pytest.raises(CredentialsError) as info:
        credentials.resolve()
    assert f"chmod 600 {path}" in str(info.value)
    assert "filekey" not in str(info.value)


def test_extra_source_hook_before_file():
    credentials.save_account(Credentials("fileid", "filekey"))
    source = lambda: Credentials("ringid", "ringkey", source="keyring")  # noqa: E731
    credentials.add_source(source)
    try:
        assert credentials.resolve().access_id == "ringid"
    finally:
        credentials.remove_source(source)
    assert credentials.resolve().access_id == "fileid"


def test_nothing_found_says_what_to_do():
    with pytest.raises(CredentialsError) as info:
        credentials.resolve()
    assert "RAYVISION_API_ACCESS_ID" in str(info.value) and "save_account" in str(info.value)


def test_corrupt_file(tmp_path):
    path = tmp_path / "cfg" / "account.json"
    path.parent.mkdir()
    path.write_text("{oops")
    os.chmod(path, 0o600)
    with pytest.raises(CredentialsError) as info:
        credentials.load_account()
    assert "cannot read" in str(info.value)
