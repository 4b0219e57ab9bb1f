"""Item models that apply the monitor's change sets row by row, keyed by farm id.

:class:`RowTreeModel` holds rows by id with their tree shape (tasks with sub-tasks; frames are
a flat tree) and changes only through :meth:`RowTreeModel.apply`: removals, insertions and
``dataChanged`` for the rows whose fields changed, each batched into contiguous runs. Nothing
ever calls ``beginResetModel`` during polling, so views keep their selection, expansion and
scroll position (cuegui updates by id too; OpenCue's 15-20 s freezes come from rebuilding). The
columns come from the tables of :mod:`rv_dcc.ui.columns`. Qt through qtpy; no QObject exists
until a model is constructed.
"""
from typing import Any, Dict, List, Optional, Sequence, Tuple

from qtpy import QtCore, QtGui

from rv_dcc.monitor.changes import ChangeSet, Key, Row
from rv_dcc.ui.columns import (FRAME_COLUMNS, TASK_COLUMNS, Column, Role, brush, column_index, frame_colour,
                               task_colour)

Qt = QtCore.Qt
_ROOT = None
#: More separate runs of changed rows than this under one parent are signalled as one range.
MAX_RUNS = 8


class _Parent:
    """The object a child index points at: which parent (None = top level) it belongs to."""

    __slots__ = ("key",)

    def __init__(self, key: Optional[Key]) -> None:
        self.key = key


def _runs(numbers: Sequence[int]) -> List[Tuple[int, int]]:
    """Sorted numbers -> contiguous (first, last) runs."""
    runs: List[Tuple[int, int]] = []
    for number in numbers:
        if runs and number == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], number)
        else:
            runs.append((number, number))
    return runs


class RowTreeModel(QtCore.QAbstractItemModel):
    """Rows by id in a tree, changed only by change sets."""

    status_field = "taskStatus"

    def __init__(self, columns: Tuple[Column, ...], parent: Optional[QtCore.QObject] = None) -> None:
        super().__init__(parent)
        self.columns = columns
        self._rows: Dict[Key, Row] = {}
        self._children: Dict[Optional[Key], List[Key]] = {_ROOT: []}
        self._parents: Dict[Optional[Key], _Parent] = {_ROOT: _Parent(_ROOT)}
        self._position: Dict[Optional[Key], Dict[Key, int]] = {}  # per parent: key -> row, rebuilt lazily
        self._status_column = -1
        for index, column in enumerate(columns):
            if column.key == "status":
                self._status_column = index

    # --- lookups ------------------------------------------------------------------------------
    def row_data(self, key: Key) -> Optional[Row]:
        """The row with farm id ``key`` (None when not shown)."""
        return self._rows.get(key)

    def keys(self, parent: Optional[Key] = None) -> List[Key]:
        """Ids of the rows under ``parent`` (None: top level), in display order."""
        return list(self._children.get(parent, []))

    def all_rows(self) -> List[Row]:
        """Every row, any level."""
        return list(self._rows.values())

    def _row_of(self, key: Key) -> int:
        parent = self._rows[key].get("parent") if "parent" in self._rows[key] else None
        positions = self._position.get(parent)
        if positions is None:
            positions = {child: row for row, child in enumerate(self._children.get(parent, []))}
            self._position[parent] = positions
        return positions[key]

    def index_of(self, key: Key, column: int = 0) -> QtCore.QModelIndex:
        """The index of the row with farm id ``key`` (invalid when not shown)."""
        row = self._rows.get(key)
        if row is None:
            return QtCore.QModelIndex()
        return self.createIndex(self._row_of(key), column, self._parents[self._parent_key(row)])

    @staticmethod
    def _parent_key(row: Row) -> Optional[Key]:
        return row.get("parent")

    def key_of(self, index: QtCore.QModelIndex) -> Optional[Key]:
        """The farm id of an index."""
        if not index.isValid():
            return None
        parent = index.internalPointer()
        siblings = self._children.get(parent.key if parent is not None else None, [])
        return siblings[index.row()] if 0 <= index.row() < len(siblings) else None

    # --- QAbstractItemModel ---------------------------------------------------------------------
    def index(self, row: int, column: int, parent: QtCore.QModelIndex = QtCore.QModelIndex()) -> QtCore.QModelIndex:
        parent_key = self.key_of(parent) if parent.isValid() else None
        siblings = self._children.get(parent_key, [])
        if not (0 <= row < len(siblings) and 0 <= column < len(self.columns)):
            return QtCore.QModelIndex()
        return self.createIndex(row, column, self._parents[parent_key])

    def parent(self, index: QtCore.QModelIndex = QtCore.QModelIndex()) -> QtCore.QModelIndex:  # type: ignore[override]
        if not index.isValid():
            return QtCore.QModelIndex()
        holder = index.internalPointer()
        if holder is None or holder.key is None:
            return QtCore.QModelIndex()
        return self.index_of(holder.key)

    def rowCount(self, parent: QtCore.QModelIndex = QtCore.QModelIndex()) -> int:  # noqa: N802
        if parent.isValid():
            if parent.column() != 0:
                return 0
            return len(self._children.get(self.key_of(parent), ()))
        return len(self._children[_ROOT])

    def hasChildren(self, parent: QtCore.QModelIndex = QtCore.QModelIndex()) -> bool:  # noqa: N802
        return self.rowCount(parent) > 0

    def columnCount(self, parent: QtCore.QModelIndex = QtCore.QModelIndex()) -> int:  # noqa: N802
        return len(self.columns)

    def headerData(self, section: int, orientation: Any, role: int = Qt.DisplayRole) -> Any:  # noqa: N802
        if orientation == Qt.Horizontal and role == Qt.DisplayRole and 0 <= section < len(self.columns):
            return self.columns[section].header()
        return None

    def flags(self, index: QtCore.QModelIndex) -> Any:
        if not index.isValid():
            return Qt.NoItemFlags
        return Qt.ItemIsEnabled | Qt.ItemIsSelectable

    def data(self, index: QtCore.QModelIndex, role: int = Qt.DisplayRole) -> Any:
        key = self.key_of(index)
        if key is None:
            return None
        row = self._rows[key]
        column = self.columns[index.column()]
        if role == Qt.DisplayRole:
            return column.text(row)
        if role == Qt.ForegroundRole and index.column() == self._status_column:
            return brush(self.colour(row))
        if role == Qt.TextAlignmentRole and column.align_right:
            return int(Qt.AlignRight | Qt.AlignVCenter)
        if role == Qt.ToolTipRole:
            return column.text(row)
        role = int(role)
        if role == Role.ID:
            return key
        if role == Role.ROW:
            return row
        if role == Role.STATUS:
            return row.get(self.status_field)
        if role == Role.SORT:
            return column.sort(row)
        if role == Role.PARENT_ID:
            return row.get("parent")
        return None

    def colour(self, row: Row) -> str:
        """The status colour of a row."""
        return task_colour(row.get("taskStatus"))

    # --- changes ----------------------------------------------------------------------------------
    def clear(self) -> None:
        """Empty the model (used when the model starts showing another data set, not on polls)."""
        self.beginResetModel()
        self._rows.clear()
        self._children = {_ROOT: []}
        self._parents = {_ROOT: _Parent(_ROOT)}
        self._position.clear()
        self.endResetModel()

    def apply(self, changes: ChangeSet) -> None:
        """Apply a change set: removals, then insertions, then changed fields (dataChanged)."""
        if changes.removed:
            self._remove(changes.removed)
        if changes.added:
            self._insert(changes.added)
        if changes.changed:
            self._update(changes.changed)

    def _remove(self, keys: Sequence[Key]) -> None:
        by_parent: Dict[Optional[Key], List[int]] = {}
        for key in keys:
            if key in self._rows:
                by_parent.setdefault(self._parent_key(self._rows[key]), []).append(self._row_of(key))
        for parent_key, rows in by_parent.items():
            for first, last in reversed(_runs(sorted(rows))):  # bottom-up keeps earlier rows valid
                parent_index = self.index_of(parent_key) if parent_key is not None else QtCore.QModelIndex()
                self.beginRemoveRows(parent_index, first, last)
                siblings = self._children[parent_key]
                for key in siblings[first:last + 1]:
                    self._forget(key)
                del siblings[first:last + 1]
                self._position.pop(parent_key, None)
                self.endRemoveRows()

    def _forget(self, key: Key) -> None:
        for child in self._children.pop(key, []):
            self._forget(child)
        self._parents.pop(key, None)
        self._position.pop(key, None)
        self._rows.pop(key, None)

    def _insert(self, added: Sequence[Any]) -> None:
        batch: List[Any] = []
        for item in added:
            if item.key in self._rows:
                continue  # already there (a repeated reply): the changed fields cover it
            if batch and (item.parent != batch[-1].parent or item.position != batch[-1].position + 1):
                self._insert_batch(batch)
                batch = []
            batch.append(item)
        if batch:
            self._insert_batch(batch)

    def _insert_batch(self, batch: Sequence[Any]) -> None:
        parent_key = batch[0].parent
        if parent_key is not None and parent_key not in self._rows:
            return  # parent vanished meanwhile
        siblings = self._children.setdefault(parent_key, [])
        first = min(batch[0].position, len(siblings))
        parent_index = self.index_of(parent_key) if parent_key is not None else QtCore.QModelIndex()
        self.beginInsertRows(parent_index, first, first + len(batch) - 1)
        for offset, item in enumerate(batch):
            row = dict(item.row)
            row.setdefault("parent", parent_key)
            self._rows[item.key] = row
            self._parents[item.key] = _Parent(item.key)
            self._children.setdefault(item.key, [])
        siblings[first:first] = [item.key for item in batch]
        self._position.pop(parent_key, None)
        self.endInsertRows()

    def _update(self, changed: Dict[Key, Row]) -> None:
        by_parent: Dict[Optional[Key], List[int]] = {}
        for key, delta in changed.items():
            row = self._rows.get(key)
            if row is None:
                continue
            row.update(delta)
            by_parent.setdefault(self._parent_key(row), []).append(self._row_of(key))
        last_column = len(self.columns) - 1
        for parent_key, rows in by_parent.items():
            parent_holder = self._parents[parent_key]
            runs = _runs(sorted(rows))
            if len(runs) > MAX_RUNS:  # one range over the lot: a view repaints it at once, and each
                runs = [(runs[0][0], runs[-1][1])]  # emit costs (0.2 ms apiece under PySide6)
            for first, last in runs:
                self.dataChanged.emit(self.createIndex(first, 0, parent_holder),
                                      self.createIndex(last, last_column, parent_holder))


class TaskTreeModel(RowTreeModel):
    """The task list: tasks with their sub-tasks (layers / ROPs / takes) underneath."""

    def __init__(self, parent: Optional[QtCore.QObject] = None) -> None:
        super().__init__(TASK_COLUMNS, parent)
        self.progress_column = column_index(TASK_COLUMNS, "progress")

    def data(self, index: QtCore.QModelIndex, role: int = Qt.DisplayRole) -> Any:
        if int(role) == Role.PROGRESS:
            key = self.key_of(index)
            if key is None:
                return None
            from rv_dcc.ui.columns import task_progress

            return task_progress(self._rows[key])
        return super().data(index, role)


class FrameTableModel(RowTreeModel):
    """The selected task's frames (a flat list)."""

    status_field = "frameStatus"

    def __init__(self, parent: Optional[QtCore.QObject] = None) -> None:
        super().__init__(FRAME_COLUMNS, parent)
        self.task_id: Optional[int] = None

    def colour(self, row: Row) -> str:
        return frame_colour(row.get("frameStatus"))

    def hasChildren(self, parent: QtCore.QModelIndex = QtCore.QModelIndex()) -> bool:  # noqa: N802
        return not parent.isValid() and bool(self._children[_ROOT])

    def rowCount(self, parent: QtCore.QModelIndex = QtCore.QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self._children[_ROOT])

    def show_task(self, task_id: Optional[int]) -> None:
        """Start showing another task's frames (a new data set: the one place a reset is right)."""
        if task_id != self.task_id:
            self.task_id = task_id
            self.clear()
