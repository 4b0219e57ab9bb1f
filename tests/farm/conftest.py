"""Fixtures for the embedded farm's tests: a running farm on a free port and a raw signed client."""
import pytest

from farm_helpers import RawClient
from rv_dcc.farm import EmbeddedFarm


@pytest.fixture
def farm(tmp_path):
    with EmbeddedFarm(tmp_path / "farm", port=0, speed=400, real_blender=False) as running:
        yield running


@pytest.fixture
def client(farm):
    return RawClient(farm)
