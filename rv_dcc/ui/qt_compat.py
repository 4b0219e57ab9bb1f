"""A health check of the Qt binding in use: does it keep Python's reference counts straight?

Found while benchmarking the monitor: the PySide6 6.12.0 wheel, on CPython 3.11, drops one
reference to ``None`` on every call of a method returning nothing (``setText``, ``start``,
``beginInsertRows`` ...) and one to ``True`` on every Python-side ``Signal.emit``. On Python
3.12+ those objects are immortal and nothing happens; on 3.11 (the Python of Maya 2024-2025,
Houdini 20, Blender 4.x) a long-running panel eventually aborts with "none_dealloc: deallocating
None". Nothing in rv_dcc can compensate for every call, so the panel checks once and warns
with what to do (another PySide6 version or PyQt5, which qtpy prefers by default).
"""
import logging
import sys
from typing import Optional

log = logging.getLogger("rv_dcc.ui.qt_compat")

_checked = False
_problem: Optional[str] = None


def binding_problem() -> Optional[str]:
    """A sentence describing a reference-counting bug of the loaded binding, or None (checked once)."""
    global _checked, _problem
    if _checked:
        return _problem
    _checked = True
    if sys.version_info >= (3, 12):
        return None  # None and True are immortal: such a bug cannot crash the interpreter
    import qtpy
    from qtpy import QtCore

    timer = QtCore.QTimer()
    before = sys.getrefcount(None)
    for _ in range(64):
        timer.stop()
    lost = before - sys.getrefcount(None)
    if lost >= 48:  # one per call, allowing for other threads touching None meanwhile
        _problem = (f"{qtpy.API_NAME} {qtpy.QT_VERSION} loses a reference to None on every call under "
                    f"Python {sys.version_info[0]}.{sys.version_info[1]}; a long session will crash. "
                    "Use PyQt5 (QT_API=pyqt5) or another PySide6 release for this Python.")
    return _problem
