"""The thumbnail grid's model: one tile per frame in frame order, filled in as images arrive.

Tiles are inserted at their frame's place (never rebuilt); a frame that changes state updates its
tile, and an image that arrives from a worker updates exactly its tile. Images are decoded to ``QImage`` in the worker (safe
off the GUI thread) and turned into a ``QPixmap`` here, once.
"""
import bisect
import re
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple, Union

from qtpy import QtCore, QtGui

from rv_dcc.api.status import FrameStatus
from rv_dcc.ui.columns import Role, brush, frame_colour
from rv_dcc.ui.i18n import frame_status_text

Qt = QtCore.Qt
#: what Qt hands a model or delegate (PySide6's stubs: either kind of index)
Index = Union[QtCore.QModelIndex, QtCore.QPersistentModelIndex]
#: Frame states that get a tile in the grid: done (with its thumbnail), failed and timed out (red).
TILE_STATUSES = (FrameStatus.DONE, FrameStatus.FAILED, FrameStatus.TIMED_OUT)


def frame_order(row: Mapping[str, Any]) -> Tuple[str, int, int]:
    """Where a frame's tile goes: by layer, then by its (first) frame number."""
    found = re.search(r"-?\d+", str(row.get("frameIndex") or ""))
    return (str(row.get("layer") or row.get("gopName") or ""), int(found.group()) if found else 0, int(row.get("id") or 0))


class ThumbnailModel(QtCore.QAbstractListModel):
    """The frames of the selected task, with the thumbnails of the finished ones when loaded."""

    def __init__(self, parent: Optional[QtCore.QObject] = None) -> None:
        super().__init__(parent)
        self.task_id: Optional[int] = None
        self._keys: List[int] = []
        self._order: List[Tuple[str, int, int]] = []  #: frame_order of each tile, in step with _keys
        self._rows: Dict[int, Dict[str, Any]] = {}
        self._pixmaps: Dict[int, QtGui.QPixmap] = {}
        self._paths: Dict[int, str] = {}

    def show_task(self, task_id: Optional[int]) -> None:
        """Start showing another task (a new data set)."""
        if task_id == self.task_id:
            return
        self.beginResetModel()
        self.task_id = task_id
        self._keys, self._order, self._rows, self._pixmaps, self._paths = [], [], {}, {}, {}
        self.endResetModel()

    def add_frames(self, rows: Sequence[Mapping[str, Any]]) -> List[int]:
        """Add tiles for new frames and update the state of shown ones (a failed frame that was
        rendered again); returns the ids of done frames whose image is not loaded yet."""
        new = [dict(row) for row in rows if int(row["id"]) not in self._rows]
        for row in rows:
            key = int(row["id"])
            if key in self._rows and self._rows[key].get("frameStatus") != row.get("frameStatus"):
                position = self._position(key)
                self._rows[key] = dict(row)
                index = self.index(position, 0)
                self.dataChanged.emit(index, index)
        # tiles in frame order (per layer), whatever order frames finish in: a failed frame sits
        # at its place, so the grid reads like the sequence
        for row in sorted(new, key=frame_order):
            key = int(row["id"])
            order = frame_order(row)
            position = bisect.bisect_right(self._order, order)  # O(log n): no key rebuilt per tile
            self.beginInsertRows(QtCore.QModelIndex(), position, position)
            self._rows[key] = row
            self._keys.insert(position, key)
            self._order.insert(position, order)
            self.endInsertRows()
        return [int(row["id"]) for row in rows
                if row.get("frameStatus") == FrameStatus.DONE and int(row["id"]) not in self._pixmaps]

    def set_image(self, frame_id: int, image: Optional[QtGui.QImage], path: str = "") -> None:
        """The image of a tile arrived (None: keep the placeholder)."""
        if frame_id not in self._rows or image is None or image.isNull():
            return
        self._pixmaps[frame_id] = QtGui.QPixmap.fromImage(image)
        self._paths[frame_id] = path
        index = self.index(self._position(frame_id), 0)
        self.dataChanged.emit(index, index)

    def _position(self, key: int) -> int:
        """Where the tile of ``key`` is: O(log n) by its frame order (unique: it ends with the id)."""
        return bisect.bisect_left(self._order, frame_order(self._rows[key]))

    def row(self, key: int) -> Optional[Mapping[str, Any]]:
        """The frame row of a tile (None when it has no tile)."""
        return self._rows.get(key)

    def loaded(self) -> int:
        """How many tiles have their image."""
        return len(self._pixmaps)

    def frame_ids(self) -> List[int]:
        """Ids of the frames shown, in order."""
        return list(self._keys)

    def rowCount(self, parent: Index = QtCore.QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self._keys)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._keys):
            return None
        key = self._keys[index.row()]
        row = self._rows[key]
        if role == Qt.ItemDataRole.DisplayRole:  # with its layer when the task has several: "rs_beauty · 5"
            frame = str(row.get("frameIndex") or key)
            return f"{row['layer']} · {frame}" if row.get("layer") else frame
        if role == Qt.ItemDataRole.DecorationRole:
            return self._pixmaps.get(key)
        if role == Qt.ItemDataRole.ForegroundRole:
            return brush(frame_colour(row.get("frameStatus")))
        if role == Qt.ItemDataRole.StatusTipRole:
            return frame_status_text(row.get("frameStatus")) if row.get("frameStatus") != FrameStatus.DONE else "…"
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._paths.get(key) or str(row.get("frameIndex") or key)
        if int(role) == Role.ID:
            return key
        if int(role) == Role.THUMBNAIL:
            return self._paths.get(key)
        return None
