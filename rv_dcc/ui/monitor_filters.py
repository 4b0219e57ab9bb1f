"""The monitor's filter bar: search, status and date filters, pages, refresh rate, auto-download.

A view only: it emits what the person asked for (a new query, a refresh, a rate) and shows the
totals the monitor widget hands it.
"""
import datetime
import math
from typing import Any, Optional

from qtpy import QtCore, QtWidgets

from rv_dcc.api.status import TaskStatus
from rv_dcc.monitor.source import TaskQuery
from rv_dcc.ui.dialogs import pick_folder
from rv_dcc.ui.i18n import tr
from rv_dcc.ui.widgets import button, label

Qt = QtCore.Qt

#: status filter entries: (i18n key, status codes)
_DONE = (int(TaskStatus.FINISHED), int(TaskStatus.TEST_FINISHED))
STATUS_FILTERS = (("monitor.all_statuses", ()),
                  ("monitor.filter.active", tuple(int(s) for s in TaskStatus if s.is_active)),
                  ("monitor.filter.done", _DONE),
                  # stopped, failed, abandoned: everything else that ended
                  ("monitor.filter.failed", tuple(int(s) for s in TaskStatus if s.is_final and s not in _DONE)))
DATE_FILTERS = (("monitor.any_date", 0), ("monitor.today", 1), ("monitor.week", 7), ("monitor.month", 30))


#: The refresh periods on offer: None adapts to what is rendering, 0 is manual only.
REFRESH_RATES = (("monitor.rate.auto", None), ("monitor.rate.5", 5), ("monitor.rate.30", 30),
                 ("monitor.rate.120", 120), ("monitor.rate.manual", 0))


class FilterBar(QtWidgets.QWidget):
    """Search, status and date filters, paging, auto-download and refresh."""

    query_changed = QtCore.Signal(object)
    refresh_clicked = QtCore.Signal()
    rate_changed = QtCore.Signal(object)  #: None (adaptive), 0 (manual) or seconds
    auto_download_toggled = QtCore.Signal(object)

    def __init__(self, parent: Optional[QtWidgets.QWidget] = None, page_size: int = 50) -> None:
        super().__init__(parent)
        self.page_size = page_size
        self.page = 1
        self.total = 0
        self.search = QtWidgets.QLineEdit(self)
        self.search.setPlaceholderText(tr("monitor.search"))
        self.search.setClearButtonEnabled(True)
        self.status = QtWidgets.QComboBox(self)
        for key, _codes in STATUS_FILTERS:
            self.status.addItem(tr(key))
        self.dates = QtWidgets.QComboBox(self)
        for key, _days in DATE_FILTERS:
            self.dates.addItem(tr(key))
        self.prev = QtWidgets.QToolButton(self)
        self.prev.setText("‹")
        self.next = QtWidgets.QToolButton(self)
        self.next.setText("›")
        self.page_label = label("", "hint", self)
        self.auto = QtWidgets.QCheckBox(tr("monitor.auto_download"), self)
        self.refresh = button(tr("monitor.refresh"), "", self.refresh_clicked.emit, self)
        self.rate = QtWidgets.QComboBox(self)
        for key, every in REFRESH_RATES:
            self.rate.addItem(tr(key), every)
        self.rate.setToolTip(tr("monitor.rate.tip"))
        self.rate.currentIndexChanged.connect(self._rate_picked)
        for combo, letters in ((self.status, 8), (self.dates, 7), (self.rate, 8)):
            # as wide as a typical entry, not the longest: the search field keeps the room
            combo.setSizeAdjustPolicy(QtWidgets.QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(letters)
        layout = QtWidgets.QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        self.search.setMinimumWidth(200)
        layout.addWidget(self.search, 1)
        layout.addWidget(self.status)
        layout.addWidget(self.dates)
        layout.addSpacing(8)
        layout.addWidget(self.prev)
        layout.addWidget(self.page_label)
        layout.addWidget(self.next)
        layout.addStretch(0)
        layout.addWidget(self.auto)
        layout.addWidget(self.rate)
        layout.addWidget(self.refresh)
        self._debounce = QtCore.QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(300)
        # bound methods only: a lambda over self in a child's connection makes a reference cycle
        self._debounce.timeout.connect(self._filter_changed)
        self.search.textChanged.connect(self._search_typed)
        self.status.currentIndexChanged.connect(self._filter_changed)
        self.dates.currentIndexChanged.connect(self._filter_changed)
        self.prev.clicked.connect(self._previous_page)
        self.next.clicked.connect(self._next_page)
        self.auto.toggled.connect(self._auto_toggled)
        self.set_total(0)

    def query(self) -> TaskQuery:
        """The query the controls describe now."""
        days = DATE_FILTERS[self.dates.currentIndex()][1]
        start = ""
        if days:
            since = datetime.datetime.now() - datetime.timedelta(days=days - 1)
            start = since.replace(hour=0, minute=0, second=0).strftime("%Y-%m-%d %H:%M:%S")
        return TaskQuery(page_num=self.page, page_size=self.page_size,
                         status_list=tuple(STATUS_FILTERS[self.status.currentIndex()][1]),
                         search_keyword=self.search.text().strip(), start_time=start)

    def set_rate(self, every: Any) -> bool:
        """Show the refresh period ``every`` (as stored); False when it is not one on offer."""
        for index, (_key, offered) in enumerate(REFRESH_RATES):
            if offered == every and type(offered) is type(every):
                self.rate.setCurrentIndex(index)
                return True
        return False

    def pages(self) -> int:
        """Number of pages for the last total."""
        return max(1, math.ceil(self.total / self.page_size))

    def set_total(self, total: int) -> None:
        """The farm's total for the current query (updates the pager)."""
        self.total = total
        self.page_label.setText(tr("monitor.page", page=self.page, pages=self.pages(), total=total))
        self.prev.setEnabled(self.page > 1)
        self.next.setEnabled(self.page < self.pages())

    def _rate_picked(self, index: int) -> None:
        self.rate_changed.emit(REFRESH_RATES[index][1])

    def _filter_changed(self, *_args: Any) -> None:
        self._changed(reset_page=True)

    def _search_typed(self, *_args: Any) -> None:
        self._debounce.start()

    def _previous_page(self, *_args: Any) -> None:
        self._go(-1)

    def _next_page(self, *_args: Any) -> None:
        self._go(+1)

    def _go(self, step: int) -> None:
        self.page = min(max(1, self.page + step), self.pages())
        self._changed(reset_page=False)

    def _changed(self, reset_page: bool) -> None:
        if reset_page:
            self.page = 1
        self.set_total(self.total)
        self.query_changed.emit(self.query())

    def _auto_toggled(self, checked: bool) -> None:
        folder = None
        if checked:
            folder = pick_folder(self, tr("monitor.auto_download")) or None
            if folder is None:
                self.auto.blockSignals(True)
                self.auto.setChecked(False)
                self.auto.blockSignals(False)
        self.auto_download_toggled.emit(folder)
