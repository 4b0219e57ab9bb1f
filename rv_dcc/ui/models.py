"""Item models that apply the monitor's change sets row by row, keyed by farm id.

:class:`RowTreeModel` holds rows by id with their tree shape (tasks with sub-tasks; frames are
a flat tree) and changes only through :meth:`RowTreeModel.apply`: removals, insertions and
``dataChanged`` for the rows whose fields changed, each batched into contiguous runs. Nothing
ever calls ``beginResetModel`` during polling, so views keep their selection, expansion and
scroll position (cuegui updates by id too; OpenCue's 15-20 s freezes come from rebuilding). The
columns come from the tables of :mod:`rv_dcc.ui.columns`. Qt through qtpy; no QObject exists
until a model is constructed.

Why a ``QStandardItemModel`` underneath: a ``QTreeView`` lays out *every* row again after any
insertion or removal at the top level, asking the model for ``index``, ``flags`` (twice) and
``hasChildren`` per row. Answered in Python that is ~25,000 calls per poll at 5,000 tasks
(110-150 ms under PySide6, 35-45 ms under PyQt5). Here the tree's *shape* lives in C++ (rows of
null items, an item created only for a task that has sub-tasks), so the layout never enters
Python; only ``data`` is Python, and a view asks it only for the cells it paints.
"""
from typing import Any, Dict, List, Optional, Sequence, Tuple, Union

from qtpy import QtCore, QtGui

from rv_dcc.monitor.changes import ChangeSet, Key, Row
from rv_dcc.ui.columns import (FRAME_COLUMNS, NO_VALUE, TASK_COLUMNS, Column, Role, brush, column_index,
                               frame_colour, task_colour, task_progress)

Qt = QtCore.Qt
#: what Qt hands a model or delegate (PySide6's stubs: either kind of index)
Index = Union[QtCore.QModelIndex, QtCore.QPersistentModelIndex]
_ROOT = None
#: More separate runs of changed rows than this under one parent are signalled as one range.
MAX_RUNS = 8

# Plain ints, read once: under PySide6 every ``Qt.DisplayRole`` / ``Role.ID`` lookup goes
# through the enum machinery (microseconds each), and ``data`` runs for every painted cell.
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
_ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_ROLE_ID, _ROLE_ROW, _ROLE_STATUS = int(Role.ID), int(Role.ROW), int(Role.STATUS)
_ROLE_PROGRESS, _ROLE_SORT, _ROLE_PARENT = int(Role.PROGRESS), int(Role.SORT), int(Role.PARENT_ID)
_HORIZONTAL = Qt.Orientation.Horizontal


def _runs(numbers: Sequence[int]) -> List[Tuple[int, int]]:
    """Sorted numbers -> contiguous (first, last) runs."""
    runs: List[Tuple[int, int]] = []
    for number in numbers:
        if runs and number == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], number)
        else:
            runs.append((number, number))
    return runs


class RowTreeModel(QtGui.QStandardItemModel):
    """Rows by id in a tree, changed only by change sets (shape in C++, data from Python dicts)."""

    status_field = "taskStatus"

    def __init__(self, columns: Tuple[Column, ...], parent: Optional[QtCore.QObject] = None) -> None:
        super().__init__(0, len(columns), parent)
        self.columns = columns
        self._rows: Dict[Key, Row] = {}
        self._children: Dict[Optional[Key], List[Key]] = {_ROOT: []}
        self._position: Dict[Optional[Key], Dict[Key, int]] = {}  # per parent: key -> row, rebuilt lazily
        self._after_removal: Optional[Tuple[Optional[Key], int, int]] = None  #: rows to forget once removed
        self._status_column = -1
        for index, column in enumerate(columns):
            if column.key == "status":
                self._status_column = index
        # Connected before any view: the id bookkeeping follows a removal before views hear of it.
        self.rowsRemoved.connect(self._removed)

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
        parent = self._rows[key].get("parent")
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
        parent_key = row.get("parent")
        parent_index = self.index_of(parent_key) if parent_key is not None else QtCore.QModelIndex()
        return self.index(self._row_of(key), column, parent_index)

    def key_of(self, index: Index) -> Optional[Key]:
        """The farm id of an index."""
        if not index.isValid():
            return None
        parent = index.parent()
        parent_key = self.key_of(parent) if parent.isValid() else None
        siblings = self._children.get(parent_key)
        row = index.row()
        return siblings[row] if siblings is not None and 0 <= row < len(siblings) else None

    # --- QAbstractItemModel (only what a view asks per painted cell is Python) -------------------
    def headerData(self, section: int, orientation: Any, role: int = _DISPLAY) -> Any:  # noqa: N802
        if orientation != _HORIZONTAL or not 0 <= section < len(self.columns):
            return None
        if role == _DISPLAY:
            return self.columns[section].header()
        if role == _ALIGNMENT and self.columns[section].align_right:
            return _RIGHT  # a numbers column's title sits over its numbers
        return None

    def refresh_all(self) -> None:
        """Repaint every row (the currency or the language changed): one dataChanged per parent."""
        for parent_key, siblings in list(self._children.items()):
            if not siblings or (parent_key is not None and parent_key not in self._rows):
                continue
            parent_index = self.index_of(parent_key) if parent_key is not None else QtCore.QModelIndex()
            self.dataChanged.emit(self.index(0, 0, parent_index),
                                  self.index(len(siblings) - 1, len(self.columns) - 1, parent_index))

    def data(self, index: Index, role: int = _DISPLAY) -> Any:
        key = self.key_of(index)
        if key is None:
            return None
        role = int(role)
        row = self._rows[key]
        if role == _DISPLAY or role == _TOOLTIP:
            try:
                return self.columns[index.column()].text(row)
            except Exception:  # noqa: BLE001 - whatever a garbled reply holds renders as a dash, never raises
                return NO_VALUE
        if role == _FOREGROUND:
            return brush(self.colour(row)) if index.column() == self._status_column else None
        if role == _ALIGNMENT:
            return _RIGHT if self.columns[index.column()].align_right else None
        if role == _ROLE_ID:
            return key
        if role == _ROLE_ROW:
            return row
        if role == _ROLE_STATUS:
            return row.get(self.status_field)
        if role == _ROLE_SORT:
            return self.columns[index.column()].sort(row)
        if role == _ROLE_PARENT:
            return row.get("parent")
        return None

    def colour(self, row: Row) -> str:
        """The status colour of a row."""
        return task_colour(row.get("taskStatus"))

    def sort_value(self, index: Index) -> Any:
        """What ``index``'s cell sorts by (its column's ``sort``); None when it has none."""
        key = self.key_of(index)
        if key is None:
            return None
        try:
            return self.columns[index.column()].sort(self._rows[key])
        except Exception:  # noqa: BLE001 - a garbled value sorts with the missing ones
            return None

    # --- changes ----------------------------------------------------------------------------------
    def clear(self) -> None:
        """Empty the model (used when the model starts showing another data set, not on polls)."""
        self.beginResetModel()
        self._rows.clear()
        self._children = {_ROOT: []}
        self._position.clear()
        self.blockSignals(True)  # inside the reset: views rebuild from scratch at endResetModel
        try:
            self.setRowCount(0)
        finally:
            self.blockSignals(False)
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
                by_parent.setdefault(self._rows[key].get("parent"), []).append(self._row_of(key))
        for parent_key, rows in by_parent.items():
            for first, last in reversed(_runs(sorted(rows))):  # bottom-up keeps earlier rows valid
                parent_index = self.index_of(parent_key) if parent_key is not None else QtCore.QModelIndex()
                self._after_removal = (parent_key, first, last)  # data, not a closure over self
                try:
                    self.removeRows(first, last - first + 1, parent_index)
                finally:
                    if self._after_removal is not None:  # no signal came (nothing removed): keep in step
                        pending, self._after_removal = self._after_removal, None
                        self._forget_rows(*pending)

    def _removed(self, *_args: Any) -> None:
        if self._after_removal is not None:
            pending, self._after_removal = self._after_removal, None
            self._forget_rows(*pending)

    def _forget_rows(self, parent_key: Optional[Key], first: int, last: int) -> None:
        siblings = self._children[parent_key]
        for key in siblings[first:last + 1]:
            self._forget(key)
        del siblings[first:last + 1]
        self._position.pop(parent_key, None)

    def _forget(self, key: Key) -> None:
        for child in self._children.pop(key, []):
            self._forget(child)
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
        parent_index = QtCore.QModelIndex()
        if parent_key is not None:
            parent_index = self.index_of(parent_key)
            if not siblings:  # its first children: the parent needs an item with every column
                holder = self.itemFromIndex(parent_index)
                if holder.columnCount() < len(self.columns):
                    holder.setColumnCount(len(self.columns))
        # the ids go in first: nobody reads between rowsAboutToBeInserted and the C++ insertion,
        # and views asking for data when rowsInserted arrives must find the new rows
        for item in batch:
            row = dict(item.row)
            row.setdefault("parent", parent_key)
            self._rows[item.key] = row  # no empty child list per row: every list is one more
            # container for each full garbage collection to walk (bench/monitor_scale.py)
        siblings[first:first] = [item.key for item in batch]
        self._position.pop(parent_key, None)
        self.insertRows(first, len(batch), parent_index)

    def _update(self, changed: Dict[Key, Row]) -> None:
        by_parent: Dict[Optional[Key], List[int]] = {}
        for key, delta in changed.items():
            row = self._rows.get(key)
            if row is None:
                continue
            row.update(delta)
            by_parent.setdefault(row.get("parent"), []).append(self._row_of(key))
        last_column = len(self.columns) - 1
        # Every Qt call drops and retakes the GIL under PySide6 (a wait while a worker runs
        # Python), so the root index is made once and a top-level parent's index directly.
        root = QtCore.QModelIndex()
        for parent_key, rows in by_parent.items():
            if parent_key is None:
                parent_index = root
            elif self._rows[parent_key].get("parent") is None:
                parent_index = self.index(self._row_of(parent_key), 0, root)
            else:
                parent_index = self.index_of(parent_key)
            runs = _runs(sorted(rows))
            if len(runs) > MAX_RUNS:  # one range over the lot: a view repaints it at once, and each
                runs = [(runs[0][0], runs[-1][1])]  # emit costs (0.2 ms apiece under PySide6)
            for first, last in runs:
                self.dataChanged.emit(self.index(first, 0, parent_index), self.index(last, last_column, parent_index))


def sorts_before(left: Any, right: Any) -> bool:
    """``left < right`` for sort values: missing ones (None) last, mixed types by their text."""
    if left is None or right is None:
        return left is not None and right is None
    try:
        return bool(left < right)
    except TypeError:
        return str(left) < str(right)


class SortedRows(QtCore.QSortFilterProxyModel):
    """What a view shows of a :class:`RowTreeModel`: the farm's order until the artist clicks a
    column header, then that column's sort values (``Column.sort``), kept in order as polls change
    rows (dynamic sorting moves only the rows that changed). It sorts the rows the panel holds: a
    page of the task list, the selected task's frames. ``lessThan`` is the only Python here and
    runs only while a column is sorted; unsorted, the proxy is C++ through and through."""

    def __init__(self, rows: RowTreeModel, parent: Optional[QtCore.QObject] = None) -> None:
        super().__init__(parent)
        self.rows = rows
        self.setSourceModel(rows)
        self.setDynamicSortFilter(True)

    def lessThan(self, left: Index, right: Index) -> bool:  # noqa: N802 - Qt override
        return sorts_before(self.rows.sort_value(left), self.rows.sort_value(right))

    def key_of(self, index: QtCore.QModelIndex) -> Optional[Key]:
        """The farm id of a view index."""
        return self.rows.key_of(self.mapToSource(index)) if index.isValid() else None

    def index_of(self, key: Key, column: int = 0) -> QtCore.QModelIndex:
        """The view index of the row with farm id ``key`` (invalid when not shown)."""
        return self.mapFromSource(self.rows.index_of(key, column))


class LayerRows(SortedRows):
    """The frames table's rows: sortable, and only one layer's when a layer is chosen."""

    def __init__(self, rows: RowTreeModel, parent: Optional[QtCore.QObject] = None) -> None:
        super().__init__(rows, parent)
        self.layer = ""

    def set_layer(self, layer: str) -> None:
        """Show only ``layer``'s frames ("" for all)."""
        if layer == self.layer:
            return
        if hasattr(self, "beginFilterChange"):  # Qt 6.10+ (invalidateFilter is deprecated there)
            self.beginFilterChange()
            self.layer = layer
            self.endFilterChange()
        else:
            self.layer = layer
            self.invalidateFilter()

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:  # noqa: N802
        if not self.layer:
            return True
        key = self.rows.key_of(self.rows.index(source_row, 0, source_parent))
        row = self.rows.row_data(key) if key is not None else None
        return row is not None and row.get("layer") == self.layer


class TaskTreeModel(RowTreeModel):
    """The task list: tasks with their sub-tasks (layers / ROPs / takes) underneath."""

    def __init__(self, parent: Optional[QtCore.QObject] = None) -> None:
        super().__init__(TASK_COLUMNS, parent)
        self.progress_column = column_index(TASK_COLUMNS, "progress")

    def data(self, index: Index, role: int = _DISPLAY) -> Any:
        if role == _ROLE_PROGRESS:
            key = self.key_of(index)
            return task_progress(self._rows[key]) if key is not None else None
        return super().data(index, role)


class FrameTableModel(RowTreeModel):
    """The selected task's frames (a flat list)."""

    status_field = "frameStatus"

    def __init__(self, parent: Optional[QtCore.QObject] = None) -> None:
        super().__init__(FRAME_COLUMNS, parent)
        self.task_id: Optional[int] = None

    def colour(self, row: Row) -> str:
        return frame_colour(row.get("frameStatus"))

    def key_of(self, index: Index) -> Optional[Key]:
        """The farm id of an index (flat: no parent to look up)."""
        if not index.isValid():
            return None
        siblings = self._children[_ROOT]
        row = index.row()
        return siblings[row] if 0 <= row < len(siblings) else None

    def show_task(self, task_id: Optional[int]) -> None:
        """Start showing another task's frames (a new data set: the one place a reset is right)."""
        if task_id != self.task_id:
            self.task_id = task_id
            self.clear()
