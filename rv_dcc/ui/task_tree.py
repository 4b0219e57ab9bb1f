"""The monitor's task list view: tasks with their layers underneath, sortable, read-only.

The farm's order until a header is clicked (:class:`rv_dcc.ui.models.SortedRows`), progress
bars and status dots from the delegates, columns sized once from font metrics with the scene
name taking what is left, uniform row heights (a tree of thousands of rows lays out without
asking every row). Paints hold the panel's gate (rv_dcc.ui.pacing).
"""
from typing import Any, Optional

from qtpy import QtCore, QtWidgets

from rv_dcc.ui.columns import column_index
from rv_dcc.ui.delegates import ProgressDelegate, StatusDelegate
from rv_dcc.ui.models import SortedRows, TaskTreeModel
from rv_dcc.ui.pacing import Gate, TreeView
from rv_dcc.ui.widgets import fit_columns, sortable


class TaskTree(TreeView):
    """A view of ``tasks`` through its own :class:`SortedRows` (``self.rows``)."""

    def __init__(self, gate: Gate, tasks: TaskTreeModel, parent: Optional[QtWidgets.QWidget] = None) -> None:
        super().__init__(gate, parent)
        self.rows = SortedRows(tasks, self)
        self.setModel(self.rows)
        sortable(self.header())
        self.setSortingEnabled(True)
        self.setSelectionMode(QtWidgets.QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)  # a read-only view of the farm
        self.setUniformRowHeights(True)
        self.setAlternatingRowColors(True)
        self.setRootIsDecorated(True)
        self.setIndentation(14)
        self.setItemDelegateForColumn(tasks.progress_column, ProgressDelegate(self))
        self.setItemDelegateForColumn(column_index(tasks.columns, "status"), StatusDelegate(self))
        fit_columns(self, tasks.columns, self.header(), stretch="scene")
        self.setContextMenuPolicy(QtCore.Qt.ContextMenuPolicy.CustomContextMenu)

    def selected_keys(self) -> Any:
        """Farm ids of the selected rows (column 0), in selection order."""
        return [self.rows.key_of(index) for index in self.selectionModel().selectedRows(0)]
