"""Fixtures of the command-level tests: an isolated home, an embedded farm, a `rv-dcc` runner.

Every command runs as ``python -m rv_dcc ...`` in a subprocess, as a person or a script would
run it, with no account, no display and the user's folders pointed into tmp_path.
"""
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any, Dict

import pytest


_CLEARED = ("RAYVISION_API_ACCESS_ID", "RAYVISION_API_KEY", "RAYVISION_API_DOMAIN", "RAYVISION_API_PLATFORM",
            "RV_DCC_CRASH_AT", "RV_DCC_TRANSMITTER", "RV_DCC_DEBUG", "DISPLAY", "WAYLAND_DISPLAY",
            "QT_QPA_PLATFORM")


class Result:
    """A finished command: exit code, stdout, stderr, and stdout's JSON lines."""

    def __init__(self, proc: "subprocess.CompletedProcess[str]") -> None:
        self.code = proc.returncode
        self.out = proc.stdout
        self.err = proc.stderr

    @property
    def json(self) -> Any:
        """The last stdout line as JSON (fails the test when it is not)."""
        lines = [line for line in self.out.splitlines() if line.strip()]
        assert lines, f"no JSON on stdout; stderr: {self.err}"
        return json.loads(lines[-1])

    def no_traceback(self) -> "Result":
        assert "Traceback" not in self.out + self.err, self.out + self.err
        return self


@pytest.fixture
def env(tmp_path) -> Dict[str, str]:
    """The environment of a newcomer with no account and no display, homes in tmp_path."""
    values = {k: v for k, v in os.environ.items() if k not in _CLEARED}
    for var in ("XDG_CACHE_HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME"):
        values[var] = str(tmp_path / var.lower())
    values["RV_DCC_CONFIG_DIR"] = str(tmp_path / "config")
    values["RV_DCC_JOURNALS"] = str(tmp_path / "journals")
    return values


@pytest.fixture
def rv(env):
    """``rv(*argv, env_extra={...}) -> Result``: run rv-dcc in a subprocess."""

    def run(*argv: Any, env_extra: Dict[str, str] = None, timeout: float = 120) -> Result:
        values = dict(env, **(env_extra or {}))
        proc = subprocess.run([sys.executable, "-m", "rv_dcc", *[str(a) for a in argv]], capture_output=True,
                              text=True, env=values, timeout=timeout, stdin=subprocess.DEVNULL)
        return Result(proc)

    return run


@pytest.fixture
def farm(tmp_path):
    """A slow embedded farm: a task submitted to it is still rendering seconds later."""
    from rv_dcc.farm import EmbeddedFarm

    with EmbeddedFarm(str(tmp_path / "farm"), port=0, speed=1) as running:
        yield running


@pytest.fixture
def fast_farm(tmp_path):
    """A fast embedded farm: a small task finishes within seconds."""
    from rv_dcc.farm import EmbeddedFarm

    with EmbeddedFarm(str(tmp_path / "fastfarm"), port=0, speed=400) as running:
        yield running
