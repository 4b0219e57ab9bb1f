"""Helpers of the command-level tests (imported by the test modules)."""
from pathlib import Path
from typing import Any, Dict

SAMPLES = Path(__file__).resolve().parents[2] / "resources" / "samples"


def closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def submit_sample(rv: Any, farm: Any, name: str = "maya", *extra: str) -> Dict[str, Any]:
    """Submit resources/samples/<name>.json to ``farm``; returns the JSON result."""
    result = rv("submit", SAMPLES / f"{name}.json", "--domain", farm.domain, "--json", *extra)
    assert result.code == 0, result.out + result.err
    return result.json

