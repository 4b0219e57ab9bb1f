"""How the monitor's numbers read, the same in every front end (the panel, the CLI, Blender).

Pure standard library: the CLI's commands may use it without importing the Qt panel.
"""
from typing import Any


def duration(seconds: Any) -> str:
    """Seconds as '1h 02m', '3m 07s' or '12s'; '' for nothing (or a value that is not a number)."""
    try:
        seconds = int(seconds or 0)
    except (TypeError, ValueError, OverflowError):
        return ""
    if seconds <= 0:
        return ""
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}h {minutes:02d}m"
    return f"{minutes}m {secs:02d}s" if minutes else f"{secs}s"
