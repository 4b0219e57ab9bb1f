"""The monitor's detail pane: the selected task's header, actions, thumbnails, frames, log and
progress image (the filter bar is rv_dcc.ui.monitor_filters).

A view only: it emits what the person asked for (an action name, a frame to read the log of)
and shows what the monitor widget hands it.
"""
import functools
from typing import Any, Dict, List, Optional

from qtpy import QtCore, QtGui, QtWidgets

from rv_dcc.api.status import TaskStatus
from rv_dcc.ui.columns import NO_VALUE, Role, column_index, task_colour, task_progress
from rv_dcc.ui.delegates import StatusDelegate, ThumbnailDelegate
from rv_dcc.ui.i18n import task_status_text, tr
from rv_dcc.ui.image_preview import ImagePreview
from rv_dcc.ui.log_find import LogFindBar
from rv_dcc.ui.models import FrameTableModel, LayerRows
from rv_dcc.ui.monitor_controller import ACTIONS, allowed_actions
from rv_dcc.ui.thumb_model import ThumbnailModel
from rv_dcc.ui.pacing import Gate, ListView, TableView
from rv_dcc.ui.weakcall import WeakCall
from rv_dcc.ui.widgets import button, card, fit_columns, label, sortable

Qt = QtCore.Qt

class DetailPane(QtWidgets.QWidget):
    """The selected task: name, status, progress and cost; actions; thumbnails, frames, log, progress image."""

    action_requested = QtCore.Signal(str)
    frame_selected = QtCore.Signal(object)
    download_requested = QtCore.Signal()

    def __init__(self, frames: FrameTableModel, thumbs: ThumbnailModel,
                 parent: Optional[QtWidgets.QWidget] = None, gate: Optional[Gate] = None) -> None:
        super().__init__(parent)
        self.frames = frames
        self.thumbs = thumbs
        self._row: Optional[Dict[str, Any]] = None
        self.buttons: Dict[str, QtWidgets.QPushButton] = {}
        self.preview: Optional[ImagePreview] = None
        header = self._build_header()
        self.tabs = QtWidgets.QTabWidget(self)
        self.grid = self._build_grid(thumbs, gate or Gate())
        frame_page = self._build_frame_page(frames, gate or Gate())
        self.tabs.addTab(self.grid, tr("monitor.thumbs_tab"))
        self.tabs.addTab(frame_page, tr("monitor.frames_tab"))
        self.tabs.addTab(self._build_log_page(), tr("monitor.log_tab"))
        self.tabs.addTab(self.progress_image, tr("monitor.progress_tab"))
        # a task with several layers / ROPs / takes: show one of them (frames and thumbnails)
        self._layer_filtered = False
        self.layer_filter = QtWidgets.QComboBox(self)
        self.layer_filter.setSizeAdjustPolicy(QtWidgets.QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.layer_filter.currentIndexChanged.connect(self.apply_layer_filter)
        self.tabs.setCornerWidget(self.layer_filter, Qt.Corner.TopRightCorner)
        self.set_layers([])
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addWidget(header)
        layout.addWidget(self.tabs, 1)
        self.set_task(None)

    def _build_header(self) -> QtWidgets.QWidget:
        """The task's card: name, status, cost, progress bar, the action buttons and the next step."""
        header = card(self)
        self.title = label(tr("monitor.no_task"), "title", header)
        self.status = label("", "", header)
        self.summary = label("", "subtitle", header)
        self.cost = label("", "metric", header)
        #: what happens next for a task waiting on the artist (test frames done), in words
        self.next_step = label("", "hint", header)
        self.next_step.setWordWrap(True)
        self.next_step.hide()
        self.bar = QtWidgets.QProgressBar(header)
        self.bar.setTextVisible(False)
        self.bar.setFixedHeight(6)
        top = QtWidgets.QHBoxLayout()
        top.addWidget(self.title)
        top.addWidget(self.status)
        top.addStretch(1)
        top.addWidget(self.cost)
        box = QtWidgets.QVBoxLayout(header)
        box.setContentsMargins(14, 12, 14, 12)
        box.setSpacing(8)
        box.addLayout(top)
        box.addWidget(self.bar)
        box.addLayout(self._build_actions(header))
        box.addWidget(self.summary)  # its own line: beside the buttons it was cut at 150% in Chinese
        box.addWidget(self.next_step)
        return header

    def _build_actions(self, header: QtWidgets.QWidget) -> QtWidgets.QHBoxLayout:
        """Start, stop, retry failed, download and the "more" menu of the task's other actions."""
        actions = QtWidgets.QHBoxLayout()
        actions.setSpacing(6)
        for name, role in (("start", ""), ("stop", ""), ("retry_failed", "")):
            self.buttons[name] = button(tr(ACTIONS[name].label), role,
                                        functools.partial(self._request, name), header)
            actions.addWidget(self.buttons[name])
        self.download = button(tr("monitor.download"), "", self.download_requested.emit, header)
        actions.addWidget(self.download)
        self.more = QtWidgets.QToolButton(header)
        self.more.setText(tr("action.more") + "  ▾")
        self.more.setPopupMode(QtWidgets.QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QtWidgets.QMenu(self.more)
        for entry in ("full_speed", "priority", "overtime", "label", None, "abandon", "delete"):
            if entry is None:
                menu.addSeparator()
            else:
                action = menu.addAction(tr(ACTIONS[entry].label), WeakCall(self._request, entry, signal_args=False))
                action.setData(entry)
        self.more.setMenu(menu)
        actions.addWidget(self.more)
        actions.addStretch(1)
        return actions

    def _build_grid(self, thumbs: ThumbnailModel, gate: Gate) -> ListView:
        """The thumbnails tab: one tile per frame in frame order (double-click previews a rendered one)."""
        grid = ListView(gate, self)
        grid.setModel(thumbs)
        grid.setViewMode(QtWidgets.QListView.ViewMode.IconMode)
        grid.setResizeMode(QtWidgets.QListView.ResizeMode.Adjust)
        grid.setMovement(QtWidgets.QListView.Movement.Static)
        grid.setUniformItemSizes(True)
        grid.setSpacing(2)
        self.tile_delegate = ThumbnailDelegate(grid)  # sized from the grid's fonts
        grid.setGridSize(QtCore.QSize(self.tile_delegate.tile.width() + 10, self.tile_delegate.tile.height() + 10))
        grid.setItemDelegate(self.tile_delegate)
        grid.clicked.connect(self._tile_clicked)
        grid.doubleClicked.connect(self.preview_frame)
        return grid

    def _build_frame_page(self, frames: FrameTableModel, gate: Gate) -> QtWidgets.QWidget:
        """The frames tab: the frame table and the buttons for the selected frames."""
        self.table = TableView(gate, self)
        self.frame_rows = LayerRows(frames, self)  # sortable; one layer's frames when one is chosen
        self.table.setModel(self.frame_rows)
        sortable(self.table.horizontalHeader())
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QtWidgets.QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(26)
        self.table.setShowGrid(False)
        self.table.setAlternatingRowColors(True)
        self.table.setItemDelegateForColumn(column_index(frames.columns, "status"), StatusDelegate(self.table))
        fit_columns(self.table, frames.columns, self.table.horizontalHeader())
        self.table.selectionModel().currentRowChanged.connect(self._frame_row_changed)
        frame_page = QtWidgets.QWidget(self)
        frame_actions = QtWidgets.QHBoxLayout()
        for name in ("retry_selected", "stop_selected"):
            self.buttons[name] = button(tr(ACTIONS[name].label), "",
                                        functools.partial(self._request, name), frame_page)
            frame_actions.addWidget(self.buttons[name])
        frame_actions.addStretch(1)
        frame_layout = QtWidgets.QVBoxLayout(frame_page)
        frame_layout.setContentsMargins(0, 8, 0, 0)
        frame_layout.addLayout(frame_actions)
        frame_layout.addWidget(self.table)
        return frame_page

    def _build_log_page(self) -> QtWidgets.QWidget:
        """The log tab (the selected frame's log with a find bar); also makes the progress image label."""
        self.log = QtWidgets.QPlainTextEdit(self)
        self.log.setReadOnly(True)
        self.log.setFont(QtGui.QFontDatabase.systemFont(QtGui.QFontDatabase.SystemFont.FixedFont))
        self.log.setPlaceholderText(tr("monitor.log_hint"))
        self.progress_image = label(tr("monitor.progress_none"), "hint", self)
        self.progress_image.setAlignment(Qt.AlignmentFlag.AlignCenter)
        log_page = QtWidgets.QWidget(self)
        self.log_find = LogFindBar(self.log, log_page)
        log_layout = QtWidgets.QVBoxLayout(log_page)
        log_layout.setContentsMargins(0, 8, 0, 0)
        log_layout.addWidget(self.log_find)
        log_layout.addWidget(self.log)
        return log_page

    def set_task(self, row: Optional[Dict[str, Any]]) -> None:
        """Show the selected task's header (None: nothing selected)."""
        enabled = row is not None
        self._row = row
        self._show_next_step(None)
        for widget in list(self.buttons.values()) + [self.download, self.more]:
            widget.setEnabled(enabled)
        if row is None:
            self.title.setText(tr("monitor.no_task"))
            self.status.setText("")
            self.cost.setText("")
            self.summary.setText("")
            self.bar.setValue(0)
            return
        name = row.get("sceneName") or ""
        if row.get("layerName"):
            name = f"{name} · {row['layerName']}"
        self.title.setText(f"{row.get('taskAlias') or row.get('id')}  {name}")
        colour = task_colour(row.get("taskStatus"))
        self.status.setText(f"<span style='color:{colour}'>●</span> {task_status_text(row.get('taskStatus'))}")
        allowed = allowed_actions(row)
        for name in ("start", "stop", "retry_failed"):
            self.buttons[name].setEnabled(name in allowed)
        self.buttons["stop_selected"].setEnabled("stop" in allowed)
        for action in self.more.menu().actions():  # the More menu offers only what the state allows
            name = action.data()
            if name:
                action.setEnabled(name in allowed)
        done, failed, total = task_progress(row)
        self.bar.setMaximum(max(total, 1))
        self.bar.setValue(min(done, max(total, 1)))

    def set_cost(self, so_far: str, projected: str, summary: Dict[str, int]) -> None:
        """Cost so far / projected and the frame counts of the selected task."""
        self.cost.setText(tr("monitor.cost_line", so_far=so_far, projected=projected))
        self._show_next_step(projected)
        self.summary.setText(tr("monitor.summary", **summary))

    def _show_next_step(self, projected: Optional[str]) -> None:
        """A test-finished task says what happens next: render the remaining frames, at what cost."""
        row = self._row
        if not row or row.get("taskStatus") != TaskStatus.TEST_FINISHED:
            self.next_step.hide()
            return
        done, _failed, total = task_progress(row)
        remaining = max(total - done, 0)
        key = "monitor.test_done_next" if projected and projected != NO_VALUE else "monitor.test_done_next_no_cost"
        self.next_step.setText(tr(key, n=remaining, projected=projected or ""))
        self.next_step.show()

    def selected_frame_ids(self) -> List[int]:
        """Farm ids of the frames selected in the table."""
        keys = [self.frame_rows.key_of(index) for index in self.table.selectionModel().selectedRows(0)]
        return [key for key in keys if key is not None]

    def set_layers(self, layers: List[str]) -> None:
        """The selected task's layers: a filter and a Layer column only when there are several."""
        current = self.layer_filter.currentData()
        if [self.layer_filter.itemData(i) for i in range(1, self.layer_filter.count())] != layers:
            self.layer_filter.blockSignals(True)
            self.layer_filter.clear()
            self.layer_filter.addItem(tr("monitor.all_layers"), "")
            for name in layers:
                self.layer_filter.addItem(name, name)
            index = self.layer_filter.findData(current) if current else 0
            self.layer_filter.setCurrentIndex(max(index, 0))
            self.layer_filter.blockSignals(False)
        several = len(layers) > 1
        self.layer_filter.setVisible(several)
        self.table.setColumnHidden(column_index(self.frames.columns, "layer"), not several)
        self.apply_layer_filter()

    def apply_layer_filter(self, *_args: Any) -> None:
        """Hide the frames and tiles of the other layers (all shown for "All layers")."""
        chosen = self.layer_filter.currentData() or ""
        if not chosen and not self._layer_filtered:
            return  # nothing hidden, nothing to hide: no walk over thousands of rows per poll
        self._layer_filtered = bool(chosen)
        self.frame_rows.set_layer(chosen)
        for row in range(self.thumbs.rowCount()):
            data = self.thumbs.row(self.thumbs.data(self.thumbs.index(row, 0), int(Role.ID))) or {}
            self.grid.setRowHidden(row, bool(chosen) and data.get("layer") != chosen)

    def _request(self, name: str) -> None:
        self.action_requested.emit(name)

    def _tile_clicked(self, index: QtCore.QModelIndex) -> None:
        self.frame_selected.emit(self.thumbs.data(index, int(Role.ID)))

    def _frame_row_changed(self, current: QtCore.QModelIndex, _previous: Any = None) -> None:
        self.frame_selected.emit(self.frame_rows.key_of(current))

    def preview_frame(self, index: QtCore.QModelIndex) -> bool:
        """Open the tile's image at full size (False while it has none yet)."""
        path = index.data(int(Role.THUMBNAIL))
        if not path:
            return False
        if self.preview is None:
            self.preview = ImagePreview(self)
        row = self._row or {}
        task = str(row.get("taskAlias") or row.get("id") or "")
        layer = str(row.get("layerName") or row.get("sceneName") or "")
        return self.preview.show_image(path, str(index.data(Qt.ItemDataRole.DisplayRole) or ""), task, layer)

    def show_log(self, text: str) -> None:
        """Show a frame's render log (or a hint), scrolled to its end: where a failed frame's error is."""
        self.log.setPlainText(text or "")
        self.log.moveCursor(QtGui.QTextCursor.MoveOperation.End)
        self.log.ensureCursorVisible()

    def set_progress_image(self, path: Optional[str]) -> None:
        """Show the 3ds Max progress image, or the note that there is none."""
        pixmap = QtGui.QPixmap(path) if path else QtGui.QPixmap()
        if pixmap.isNull():
            self.progress_image.setPixmap(QtGui.QPixmap())
            self.progress_image.setText(tr("monitor.progress_none"))
        else:
            self.progress_image.setPixmap(pixmap.scaled(720, 480, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation))
