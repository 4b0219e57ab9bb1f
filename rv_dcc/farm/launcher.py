"""Find the embedded farm of a data folder, or start one in a detached background process.

``ensure_running(data_dir=None) -> (domain, access_id, access_key)`` is what the CLI and the
panel call when no account is configured: it reads ``<data>/farm.json`` (written by a running
farm: pid, url, access id — never the key), checks that the process is alive and answers
``GET /farm/ping``, and otherwise spawns ``python -m rv_dcc farm --data <data>`` detached (its
output goes to ``<data>/farm.log``), on port 8765 when free, else on a free port. The key is
handed to the child through the environment (``RV_DCC_FARM_ACCESS_KEY``), not its command line.
``stop_running(data_dir)`` ends that farm by its recorded pid.
"""
import json
import logging
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from typing import Any, Callable, Dict, Optional, Tuple

from rv_dcc.errors import RvDccError
from rv_dcc.farm.defaults import DEFAULT_ACCESS_ID, DEFAULT_ACCESS_KEY, DEFAULT_HOST, DEFAULT_PORT, default_data_dir

log = logging.getLogger("rv_dcc.farm.launcher")
KEY_ENV = "RV_DCC_FARM_ACCESS_KEY"
STATE_FILE = "farm.json"


class FarmStartError(RvDccError):
    """The background farm did not come up; the message says where its log is."""

    default_hint = ("Read the farm's log named above; `rv-dcc farm --port 0` runs it in the foreground "
                    "and shows why it stops.")


def read_state(data_dir: str) -> Optional[Dict[str, Any]]:
    """The running farm's ``farm.json`` (None when absent or unreadable)."""
    try:
        with open(os.path.join(data_dir, STATE_FILE), encoding="utf-8") as handle:
            state = json.load(handle)
        return state if isinstance(state, dict) else None
    except (OSError, ValueError):
        return None


def _alive(pid: int) -> bool:
    if pid <= 0:
        return False
    if os.name == "nt":  # pragma: no cover - Windows
        import ctypes

        handle = ctypes.windll.kernel32.OpenProcess(0x1000, False, pid)  # type: ignore[attr-defined]
        if handle:
            ctypes.windll.kernel32.CloseHandle(handle)  # type: ignore[attr-defined]
            return True
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def ping(url: str, timeout: float = 2.0) -> Optional[Dict[str, Any]]:
    """The farm's ``/farm/ping`` answer, or None when nothing answers there."""
    try:
        with urllib.request.urlopen(url.rstrip("/") + "/farm/ping", timeout=timeout) as response:
            value = json.loads(response.read(65536).decode("utf-8"))  # a ping is small: never read more
            return value if isinstance(value, dict) and value.get("farm") == "rv_dcc" else None
    except (OSError, ValueError):
        return None


def running(data_dir: Optional[str] = None) -> Optional[Dict[str, Any]]:
    """The state of the farm serving ``data_dir`` when it is up, else None."""
    data_dir = os.path.abspath(data_dir or default_data_dir())
    state = read_state(data_dir)
    if state is None or not _alive(int(state.get("pid", 0))):
        return None
    answer = ping(str(state.get("url", "")))
    if answer is None or answer.get("accessId") != state.get("access_id"):
        return None
    return state


def _port_free(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def ensure_running(data_dir: Optional[str] = None, access_id: str = DEFAULT_ACCESS_ID,
                   access_key: str = DEFAULT_ACCESS_KEY, port: Optional[int] = None, speed: Optional[float] = None,
                   timeout: float = 30.0,
                   on_start: Optional[Callable[[str, str], None]] = None) -> Tuple[str, str, str]:
    """``(domain, access_id, access_key)`` of the farm serving ``data_dir``, starting it if needed.

    ``on_start(url, data_dir)`` is called when this call started the farm (a command says so, and
    how to stop it: ``rv-dcc farm stop``).
    """
    data_dir = os.path.abspath(data_dir or default_data_dir())
    state = running(data_dir)
    if state is not None:
        if state.get("access_id") != access_id:
            raise FarmStartError(f"the farm running from {data_dir} uses access id {state.get('access_id')!r}, "
                                 f"not {access_id!r}",
                                 hint=f"Stop it (rv-dcc farm is pid {state.get('pid')}) or use its access id.")
        return str(state["domain"]), access_id, access_key
    from rv_dcc.fsutil import private_file, private_folder

    private_folder(data_dir)
    chosen = port is None  # the default port when free: another process may take it first
    if port is None:
        port = DEFAULT_PORT if _port_free(DEFAULT_HOST, DEFAULT_PORT) else 0
    command = [sys.executable, "-m", "rv_dcc", "farm", "--data", data_dir, "--port", str(port),
               "--access-id", access_id]
    if speed is not None:
        command += ["--speed", str(speed)]
    env = dict(os.environ, **{KEY_ENV: access_key})
    log_path = os.path.join(data_dir, "farm.log")
    private_file(log_path)
    options: Dict[str, Any] = {}
    if os.name == "nt":  # pragma: no cover - Windows
        options["creationflags"] = 0x00000008 | 0x00000200  # DETACHED_PROCESS | CREATE_NEW_PROCESS_GROUP
    else:
        options["start_new_session"] = True
    with open(log_path, "ab") as log_file:
        child = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=log_file, stderr=subprocess.STDOUT,
                                 env=env, close_fds=True, **options)
    deadline = time.time() + timeout
    while time.time() < deadline:
        state = read_state(data_dir)
        if state is not None and state.get("pid") == child.pid and ping(str(state.get("url", ""))) is not None:
            if on_start is not None:
                on_start(str(state.get("url", "")), data_dir)
            return str(state["domain"]), access_id, access_key
        if child.poll() is not None:
            if chosen and port == DEFAULT_PORT:
                # the default port was taken between the check and the farm's bind: any free one does
                log.info("port %s was taken meanwhile: starting the embedded farm on a free port", port)
                return ensure_running(data_dir, access_id, access_key, 0, speed, timeout, on_start)
            raise FarmStartError(f"the embedded farm exited with code {child.returncode}; see {log_path}")
        time.sleep(0.1)
    raise FarmStartError(f"the embedded farm did not answer within {timeout:.0f} s; see {log_path}")


def stop_running(data_dir: Optional[str] = None, timeout: float = 15.0) -> bool:
    """Stop the farm serving ``data_dir`` (by its recorded pid); True when one was stopped."""
    data_dir = os.path.abspath(data_dir or default_data_dir())
    state = running(data_dir)
    if state is None:
        return False
    pid = int(state["pid"])
    os.kill(pid, signal.SIGTERM)
    deadline = time.time() + timeout
    while time.time() < deadline and _alive(pid) and read_state(data_dir) is not None:
        time.sleep(0.1)
    return True
