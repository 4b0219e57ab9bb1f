"""Fixtures of the security and robustness tests: an isolated home and loopback servers."""
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "submit_pipeline"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from security_helpers import CannedServer  # noqa: E402


@pytest.fixture(autouse=True)
def _isolated(tmp_path, monkeypatch):
    """Nothing reads or writes the real user's folders or account."""
    for var in ("XDG_CACHE_HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME"):
        monkeypatch.setenv(var, str(tmp_path / var.lower()))
    monkeypatch.setenv("RV_DCC_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("RV_DCC_JOURNALS", str(tmp_path / "journals"))
    for var in ("RAYVISION_API_ACCESS_ID", "RAYVISION_API_KEY", "RAYVISION_API_DOMAIN", "RAYVISION_API_PLATFORM",
                "RV_DCC_CRASH_AT", "RV_DCC_TRANSMITTER"):
        monkeypatch.delenv(var, raising=False)


@pytest.fixture
def canned():
    """Factory of CannedServer context managers (stopped at teardown)."""
    started = []

    def make(responder):
        server = CannedServer(responder).__enter__()
        started.append(server)
        return server

    yield make
    for server in started:
        server.__exit__(None, None, None)
