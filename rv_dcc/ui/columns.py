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
from typing import Any, Callable, Dict, List, Mapping, Optional, Sequence, Tuple

from rv_dcc.api.status import FrameStatus as F
from rv_dcc.api.status import TaskStatus as T
from rv_dcc.monitor.cost import estimate_from_task, frame_fee
from rv_dcc.monitor.progress import task_progress as frames_done
from rv_dcc.monitor.text import duration
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


#: The account's currency symbol ('$' or '¥'); set once the profile is known (queryUserProfile).
_CURRENCY = {"symbol": "$"}
#: What a cell shows for a value the farm sent in a shape it should not have ("abc", a list, null).
NO_VALUE = "\u2014"


def currency_of(profile: Any) -> Tuple[str, str]:
    """(symbol, code) of an account: zone 1 (China, balance in ``rmbbalance``) is ¥ CNY, else $ USD."""
    zone = profile.get("zone") if isinstance(profile, Mapping) else getattr(profile, "zone", None)
    try:
        china = zone is not None and int(zone) == 1
    except (TypeError, ValueError):
        china = False
    return ("\u00a5", "CNY") if china else ("$", "USD")


def set_currency(symbol: str) -> None:
    """Show money with ``symbol`` from now on (the models re-render their cells afterwards)."""
    _CURRENCY["symbol"] = symbol or ""


def currency() -> str:
    """The currency symbol money is shown with."""
    return _CURRENCY["symbol"]


def money(value: Optional[float]) -> str:
    """Money with the account's symbol, always with 3 decimals (one rule, so a column of costs
    aligns on its decimal point; frames cost fractions of a cent); '—' when unknown."""
    if value is None:
        return tr("monitor.cost_unknown")
    try:
        value = float(value)
    except (TypeError, ValueError):
        return NO_VALUE
    if value != value or value in (float("inf"), float("-inf")):
        return NO_VALUE
    return f"{_CURRENCY['symbol']}{value:,.3f}"


def when(epoch_ms: Any) -> str:
    """An epoch-milliseconds date as 'MM-DD HH:MM' in local time, with the year in front when it
    is not this year ('2025-12-30 23:10'); '' for nothing."""
    try:
        value = int(epoch_ms or 0)
        moment = datetime.datetime.fromtimestamp(value / 1000) if value > 0 else None
    except (TypeError, ValueError, OverflowError, OSError):
        return str(epoch_ms or "")
    if moment is None:
        return ""
    if moment.year != datetime.datetime.now().year:
        return moment.strftime("%Y-%m-%d %H:%M")
    return moment.strftime("%m-%d %H:%M")


def _int(value: Any) -> int:
    try:
        return int(value or 0)
    except (TypeError, ValueError, OverflowError):
        return 0


def _code(value: Any) -> Optional[int]:
    """A status code as an int; None for anything else (a garbled reply's "abc", a list, null)."""
    if isinstance(value, bool):
        return None
    try:
        return int(value)
    except (TypeError, ValueError, OverflowError):
        return None


def _text(value: Any) -> str:
    """A scalar field as text; '—' for a list/dict the farm should not have sent."""
    if value is None:
        return ""
    if isinstance(value, (str, int, float)):
        return str(value)
    return NO_VALUE


def _task_status(row: Mapping[str, Any]) -> str:
    code = _code(row.get("taskStatus"))
    return NO_VALUE if code is None else task_status_text(code)


def _frame_status(row: Mapping[str, Any]) -> str:
    code = _code(row.get("frameStatus"))
    return NO_VALUE if code is None else frame_status_text(code)


def _progress_text(row: Mapping[str, Any]) -> str:
    done, _failed, total = task_progress(row)
    return f"{done}/{total}"


def task_progress(row: Mapping[str, Any]) -> Tuple[int, int, int]:
    """(done, failed, total) frames of a task row: frames, not render blocks (rv_dcc.monitor.progress)."""
    return tuple(frames_done(row))  # type: ignore[return-value]


def _task_name(row: Mapping[str, Any]) -> str:
    layer = _text(row.get("layerName"))
    if row.get("parent") is not None and layer:
        return layer
    scene = _text(row.get("sceneName"))
    return f"{scene} · {layer}" if layer and scene else scene or layer


def _fee(row: Mapping[str, Any]) -> float:
    return frame_fee(row)


def _frame_sort(row: Mapping[str, Any]) -> Tuple[int, str]:
    text = _text(row.get("frameIndex"))
    head = text.split("-")[-1].split("[")[0]
    try:
        return (int(head), text)
    except ValueError:
        return (0, text)


def _cost(row: Mapping[str, Any]) -> str:
    return money(estimate_from_task(row).so_far)


def _projected(row: Mapping[str, Any]) -> str:
    return money(estimate_from_task(row).projected)


def _fee_text(row: Mapping[str, Any]) -> str:
    fee = _fee(row)
    return money(fee) if fee else ""


TASK_COLUMNS: Tuple[Column, ...] = (
    Column("task", "col.task", lambda r: _text(r.get("taskAlias") or r.get("id")), lambda r: _int(r.get("id")), 130),
    Column("scene", "col.scene", _task_name, lambda r: _task_name(r).lower(), 180),
    Column("status", "col.status", _task_status, lambda r: _int(r.get("taskStatus")), 175),
    Column("progress", "col.progress", _progress_text,
           lambda r: task_progress(r)[0] / max(task_progress(r)[2], 1), 170),
    Column("cost", "col.cost", _cost, lambda r: estimate_from_task(r).so_far, 80, True),
    Column("projected", "col.projected", _projected, lambda r: estimate_from_task(r).projected or 0.0, 90, True),
    Column("submitted", "col.submitted", lambda r: when(r.get("submitDate")), lambda r: _int(r.get("submitDate")), 110,
           True),
    Column("project", "col.project", lambda r: _text(r.get("projectName")), lambda r: _text(r.get("projectName")),
           110),
)

#: Which task columns give way first when the panel is narrow (a DCC dock): the first here hides
#: first. Task, scene, status and progress always stay.
TASK_COLUMNS_HIDE_FIRST = ("project", "projected", "submitted", "cost")


def columns_to_hide(widths: Mapping[str, int], available: int, hide_first: Sequence[str],
                    stretch: str = "scene", stretch_min: int = 120) -> List[str]:
    """The columns to hide, in ``hide_first`` order, so that the others fit ``available`` pixels
    with at least ``stretch_min`` left for the stretching column."""
    hidden: List[str] = []
    shown = dict(widths)
    for key in hide_first:
        need = sum(width for name, width in shown.items() if name != stretch) + stretch_min
        if need <= available:
            break
        if key in shown:
            hidden.append(key)
            del shown[key]
    return hidden


FRAME_COLUMNS: Tuple[Column, ...] = (
    Column("layer", "col.layer", lambda r: _text(r.get("layer")), lambda r: _text(r.get("layer")), 110),
    Column("frame", "col.frame", lambda r: _text(r.get("frameIndex")), _frame_sort, 90),
    Column("status", "col.status", _frame_status, lambda r: _int(r.get("frameStatus")), 120),
    Column("time", "col.time", lambda r: duration(r.get("frameExecuteTime") or r.get("currentRenderTime")),
           lambda r: _int(r.get("frameExecuteTime")), 90, True),
    Column("fee", "col.fee", _fee_text, _fee, 70, True),
    Column("machine", "col.machine", lambda r: _text(r.get("nodeId")), lambda r: _text(r.get("nodeId")), 110),
    Column("retries", "col.retries", lambda r: str(_int(r.get("recommitFlag")) or ""),
           lambda r: _int(r.get("recommitFlag")), 60, True),
    Column("started", "col.started", lambda r: when(r.get("startTime")), lambda r: _int(r.get("startTime")), 100),
)

#: Typical widest values per column key (what a width must fit besides its header).
_SAMPLES: Dict[str, Tuple[str, ...]] = {
    "task": ("2W19009999",), "scene": ("shot010_lighting.ma",), "progress": ("",),
    "cost": ("$9,999.99", "\u00a59,999.99"), "projected": ("$9,999.99", "\u00a59,999.99"),
    "submitted": ("12-31 23:59",), "project": ("project_name",), "frame": ("1000-1100[5]",),
    "time": ("10h 59m",), "fee": ("$99.999", "\u00a599.999"), "machine": ("node-000123",), "retries": ("99",),
    "started": ("12-31 23:59",),
}


def fitted_widths(columns: Tuple[Column, ...], text_width: Callable[[str], int], header_width: Callable[[str], int],
                  padding: int = 24) -> List[int]:
    """Column widths that fit each header and its typical values (the status column: the longest
    status word of the current language), from font metrics once — never ResizeToContents."""
    widths = []
    for column in columns:
        samples: Tuple[str, ...] = _SAMPLES.get(column.key, ())
        extra = 0
        if column.key == "status":
            from rv_dcc.i18n import keys

            prefix = "frame_status." if column.text is _frame_status else "task_status."
            samples = tuple(tr(key) for key in keys(prefix))
            extra = 22  # the status dot and its gap (StatusDelegate)
        fit = max([header_width(column.header())] + [text_width(sample) + extra for sample in samples])
        widths.append(max(column.width, fit + padding) if column.key != "status" else fit + padding)
    return widths


def column_index(columns: Tuple[Column, ...], key: str) -> int:
    """The position of the column ``key`` in ``columns``."""
    for index, column in enumerate(columns):
        if column.key == key:
            return index
    raise KeyError(key)


# --- status colours (one palette for tasks, frames and thumbnails) -----------------------------
GREEN, BLUE, AMBER, RED, GREY, VIOLET = "#3fb27f", "#4a9eff", "#e0a030", "#e5534b", "#8b8f98", "#a37cf0"
#: test frames done, waiting for the artist: not the green of a finished task (it is not finished)
CYAN = "#3cc4d6"

TASK_COLOURS: Dict[int, str] = {
    T.WAITING: GREY, T.WAITING_1: GREY, T.RENDERING: BLUE, T.PRE_RENDERING: VIOLET, T.STOPPED: AMBER,
    T.STOPPED_BY_USER: AMBER, T.STOPPED_ARREARS: RED, T.STOPPED_TIMEOUT: RED, T.FINISHED: GREEN,
    T.FINISHED_WITH_FAILURES: AMBER, T.ABANDONED: GREY, T.TEST_FINISHED: CYAN, T.FAILED: RED, T.ANALYSING: VIOLET,
    T.UPDATING: VIOLET}
FRAME_COLOURS: Dict[int, str] = {
    F.WAITING: GREY, F.RENDERING: BLUE, F.STOPPED: AMBER, F.DONE: GREEN, F.FAILED: RED, F.WAITING_PREPROCESS: GREY,
    F.WAITING_PHOTON_FRAME: GREY, F.WAITING_PRIORITY: GREY, F.WAITING_PHOTON_JOB: GREY, F.WAITING_SETTLEMENT: GREY,
    F.TIMED_OUT: RED}


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
