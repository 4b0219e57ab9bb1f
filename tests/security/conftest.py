"""Fixtures of the security and robustness tests: an isolated home and loopback servers."""
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "submit_pipeline"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from pipeline_fixtures import _isolated  # noqa: E402,F401  (autouse: an isolated home)
from security_helpers import CannedServer  # noqa: E402


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
