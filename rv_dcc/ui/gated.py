"""Item views that hold the monitor's worker gate while they paint.

A view's paint calls back into Python for every visible cell (``data()``, delegates). Holding
:data:`rv_dcc.monitor.gate.GATE` for the paint makes the poll and thumbnail workers wait at
their next pause instead of competing for the GIL, so the paint is not stretched by a worker
that is diffing 5,000 rows (see :mod:`rv_dcc.monitor.gate` for the why).
"""
from typing import Any

from qtpy import QtWidgets

from rv_dcc.monitor.gate import GATE


class _GatedPaint:
    """Mixed in before a Qt view class: its paints hold the worker gate."""

    def paintEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        with GATE.hold():
            super().paintEvent(event)  # type: ignore[misc]


class TreeView(_GatedPaint, QtWidgets.QTreeView):
    """A QTreeView whose paints hold the worker gate."""


class TableView(_GatedPaint, QtWidgets.QTableView):
    """A QTableView whose paints hold the worker gate."""


class ListView(_GatedPaint, QtWidgets.QListView):
    """A QListView whose paints hold the worker gate."""
