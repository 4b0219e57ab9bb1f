"""Fixtures of these tests: an isolated home, an embedded farm, a client (pipeline_fixtures.py)."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "submit_pipeline"))

from pipeline_fixtures import _isolated, api, farm  # noqa: E402,F401  (pytest fixtures)
