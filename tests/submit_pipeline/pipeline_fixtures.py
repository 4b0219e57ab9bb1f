"""Fixtures shared by the pipeline, end-to-end and security tests: an isolated home, an
embedded farm, a client. Each folder's conftest.py imports them (pytest finds fixtures by the
names a conftest defines or imports)."""
import pytest

from pipeline_helpers import make_api


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
def farm(tmp_path):
    from rv_dcc.farm import EmbeddedFarm

    with EmbeddedFarm(str(tmp_path / "farm"), port=0, speed=200) as running:
        yield running


@pytest.fixture
def api(farm):
    client = make_api(farm)
    yield client
    client.close()
