"""Submit tests: keep the hash cache and any account file out of the home folder; no live account."""
import pytest


@pytest.fixture(autouse=True)
def _private_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep the hash cache and any account file out of the home folder; no live account."""
    base = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_CACHE_HOME", str(base / "cache"))
    monkeypatch.setenv("RV_DCC_CONFIG_DIR", str(base / "config"))
    for name in ("RAYVISION_API_ACCESS_ID", "RAYVISION_API_KEY", "RAYVISION_API_DOMAIN", "RAYVISION_API_PLATFORM"):
        monkeypatch.delenv(name, raising=False)
