"""Item roles as an enum and the monitor's columns declared as tables (cuegui's idea, our rows).

A column says its title key, how to turn a row into display text, and its default width; the
item models read these tables and never hard-code a column number. Roles start at Qt's
``UserRole`` (0x0100 in every Qt binding) and are numbered by the enum, so two roles can never
collide (ayon's hand-numbered roles did). Also the status colours, shared by delegates and the
thumbnail grid. No Qt import: the numbers are Qt's documented constants.
"""
import datetime
from dataclasses import dataclass
from enum import IntEnum
from typing import Any, Callable, Dict, Mapping, Optional, Tuple

from rv_dcc.monitor.cost import estimate_from_task, frame_fee
from rv_dcc.ui.i18n import frame_status_text, task_status_text, tr

_USER_ROLE = 0x0100  # Qt.UserRole, the same in Qt 5 and Qt 6


class Role(IntEnum):
    """Custom item data roles of the panel's models."""

    ID = _USER_ROLE + 1          #: the row's farm id (task id / frame id)
    ROW = _USER_ROLE + 2         #: the whole row dict
    STATUS = _USER_ROLE + 3      #: status code
    PROGRESS = _USER_ROLE + 4    #: (done, failed, total) for the progress delegate
    SORT = _USER_ROLE + 5        #: value to sort by
    THUMBNAIL = _USER_ROLE + 6   #: path of a cached thumbnail, or None while loading
    PARENT_ID = _USER_ROLE + 7   #: parent task id of a sub-task


@dataclass(frozen=True)
class Column:
    """One column: its key, title (i18n key), text and sort value from a row, default width."""

    key: str
    title: str
    text: Callable[[Mapping[str, Any]], str]
    sort: Callable[[Mapping[str, Any]], Any]
    width: int = 100
    align_right: bool = False

    def header(self) -> str:
        """The translated title."""
        return tr(self.title)


def money(value: Optional[float]) -> str:
    """Money as the farm shows it (3 decimals when under 1, else 2); '—' when unknown."""
    if value is None:
        return tr("monitor.cost_unknown")
    return f"{value:.3f}" if abs(value) < 1 else f"{value:,.2f}"


def duration(seconds: Any) -> str:
    """Seconds as '1h 02m', '3m 07s' or '12s'; '' for nothing."""
    try:
        seconds = int(seconds or 0)
    except (TypeError, ValueError):
        return ""
    if seconds <= 0:
        return ""
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}h {minutes:02d}m"
    return f"{minutes}m {secs:02d}s" if minutes else f"{secs}s"


def when(epoch_ms: Any) -> str:
    """An epoch-milliseconds date as 'MM-DD HH:MM' in local time; '' for nothing."""
    try:
        value = int(epoch_ms or 0)
    except (TypeError, ValueError):
        return str(epoch_ms or "")
    if value <= 0:
        return ""
    return datetime.datetime.fromtimestamp(value / 1000).strftime("%m-%d %H:%M")


def _int(value: Any) -> int:
    try:
        return int(value or 0)
    except (TypeError, ValueError):
        return 0


def task_progress(row: Mapping[str, Any]) -> Tuple[int, int, int]:
    """(done, failed, total) frames of a task row."""
    return _int(row.get("doneFrames")), _int(row.get("failedFrames")), _int(row.get("totalFrames"))


def _task_name(row: Mapping[str, Any]) -> str:
    layer = row.get("layerName") or ""
    if row.get("parent") is not None and layer:
        return layer
    scene = row.get("sceneName") or ""
    return f"{scene} · {layer}" if layer and scene else scene or layer


def _fee(row: Mapping[str, Any]) -> float:
    return frame_fee(row)


def _frame_sort(row: Mapping[str, Any]) -> Tuple[int, str]:
    text = str(row.get("frameIndex") or "")
    head = text.split("-")[-1].split("[")[0]
    try:
        return (int(head), text)
    except ValueError:
        return (0, text)


TASK_COLUMNS: Tuple[Column, ...] = (
    Column("task", "col.task", lambda r: str(r.get("taskAlias") or r.get("id")), lambda r: _int(r.get("id")), 130),
    Column("scene", "col.scene", _task_name, lambda r: _task_name(r).lower(), 220),
    Column("status", "col.status", lambda r: task_status_text(r.get("taskStatus")),
           lambda r: _int(r.get("taskStatus")), 175),
    Column("progress", "col.progress",
           lambda r: "{}/{}".format(*task_progress(r)[::2]), lambda r: task_progress(r)[0] / max(task_progress(r)[2], 1),
           170),
    Column("cost", "col.cost", lambda r: money(estimate_from_task(r).so_far),
           lambda r: estimate_from_task(r).so_far, 80, True),
    Column("projected", "col.projected", lambda r: money(estimate_from_task(r).projected),
           lambda r: estimate_from_task(r).projected or 0.0, 90, True),
    Column("submitted", "col.submitted", lambda r: when(r.get("submitDate")), lambda r: _int(r.get("submitDate")), 110),
    Column("project", "col.project", lambda r: str(r.get("projectName") or ""), lambda r: str(r.get("projectName") or ""),
           110),
)

FRAME_COLUMNS: Tuple[Column, ...] = (
    Column("frame", "col.frame", lambda r: str(r.get("frameIndex") or ""), lambda r: _frame_sort(r), 90),
    Column("status", "col.status", lambda r: frame_status_text(r.get("frameStatus")),
           lambda r: _int(r.get("frameStatus")), 120),
    Column("time", "col.time", lambda r: duration(r.get("frameExecuteTime") or r.get("currentRenderTime")),
           lambda r: _int(r.get("frameExecuteTime")), 90, True),
    Column("fee", "col.fee", lambda r: money(_fee(r)) if _fee(r) else "", _fee, 70, True),
    Column("machine", "col.machine", lambda r: str(r.get("nodeId") or ""), lambda r: str(r.get("nodeId") or ""), 110),
    Column("retries", "col.retries", lambda r: str(_int(r.get("recommitFlag")) or ""),
           lambda r: _int(r.get("recommitFlag")), 60, True),
    Column("started", "col.started", lambda r: when(r.get("startTime")), lambda r: _int(r.get("startTime")), 100),
)


def column_index(columns: Tuple[Column, ...], key: str) -> int:
    """The position of the column ``key`` in ``columns``."""
    for index, column in enumerate(columns):
        if column.key == key:
            return index
    raise KeyError(key)


# --- status colours (one palette for tasks, frames and thumbnails) -----------------------------
GREEN, BLUE, AMBER, RED, GREY, VIOLET = "#3fb27f", "#4a9eff", "#e0a030", "#e5534b", "#8b8f98", "#a37cf0"

TASK_COLOURS = {0: GREY, 5: BLUE, 8: VIOLET, 10: AMBER, 15: AMBER, 20: RED, 23: RED, 25: GREEN, 30: AMBER,
                35: GREY, 40: GREEN, 45: RED, 50: VIOLET, 100: VIOLET}
FRAME_COLOURS = {1: GREY, 2: BLUE, 3: AMBER, 4: GREEN, 5: RED, 6: GREY, 7: GREY, 8: GREY, 9: GREY, 10: GREY, 11: RED}


def task_colour(status: Any) -> str:
    """Hex colour of a task status."""
    return TASK_COLOURS.get(_int(status), GREY)


def frame_colour(status: Any) -> str:
    """Hex colour of a frame status."""
    return FRAME_COLOURS.get(_int(status), GREY)


_BRUSHES: Dict[str, Any] = {}


def brush(colour: str) -> Any:
    """A cached QBrush of ``colour`` (item models return one per status cell on every repaint)."""
    cached = _BRUSHES.get(colour)
    if cached is None:
        from qtpy import QtGui  # columns stays importable without Qt; only models call this

        cached = _BRUSHES[colour] = QtGui.QBrush(QtGui.QColor(colour))
    return cached
