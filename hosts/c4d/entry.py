"""Cinema 4D menu entry: what the rv_dcc.pyp command runs (must stay cheap to import).

Cinema 4D ships no Qt, and a Qt event loop nested in it hangs (LESSONS.md #4), so the panel runs
in its own process: ``open_panel(doc)`` describes the document here, on C4D's main thread, writes
the description to a temporary JSON file and starts ``<python> -m rv_dcc panel --description
<file>`` with the Python that ran ``rv-dcc install c4d`` (recorded in panel_python.txt next to
the plug-in, or $RV_DCC_PYTHON). Importing this module loads only the standard library.
"""
import logging
import os
import subprocess
import sys
import tempfile
from typing import Any, List, Optional

log = logging.getLogger("rv_dcc.hosts.c4d.entry")

PYTHON_FILE = "panel_python.txt"


def panel_python(plugin_dir: str) -> Optional[str]:
    """The Python that runs the panel: $RV_DCC_PYTHON, else the one recorded at install."""
    explicit = os.environ.get("RV_DCC_PYTHON")
    if explicit:
        return explicit
    recorded = os.path.join(plugin_dir, PYTHON_FILE)
    if os.path.isfile(recorded):
        with open(recorded, encoding="utf-8") as handle:
            return handle.read().strip() or None
    return None


def panel_command(python: str, description: str) -> List[str]:
    """The argv that opens the panel on a description file (an argument list, never a shell string)."""
    return [python, "-m", "rv_dcc", "panel", "--description", description]


def open_panel(doc: Any = None, plugin_dir: str = "") -> Optional[subprocess.Popen]:
    """Describe the document and open the panel in its own process; None when no Python is known."""
    from .adapter import C4DAdapter

    python = panel_python(plugin_dir or os.path.dirname(os.path.abspath(__file__)))
    if not python:
        log.error("rv_dcc does not know which Python runs its panel: run `rv-dcc install c4d` again "
                  "or set RV_DCC_PYTHON to that Python")
        return None
    handle, path = tempfile.mkstemp(prefix="rv_dcc_c4d_", suffix=".json")
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        out.write(C4DAdapter(doc).describe_scene().to_json())
    flags = getattr(subprocess, "CREATE_NEW_PROCESS_GROUP", 0) if sys.platform == "win32" else 0
    return subprocess.Popen(panel_command(python, path), creationflags=flags, close_fds=True)
