"""The render-environment picker of the submit dialog: farm versions for the host and each plugin.

One row per item of an :class:`~rv_dcc.submit.render_env.EnvMatch`: the scene's version, a combo
of every version the farm's catalog offers (the exact match preselected; else the nearest, marked
"nearest"; a plugin the farm lacks shows "not on the farm" in red) and the match state. Picking
a version emits :attr:`EnvPicker.version_chosen`; the view hands it to the controller, which
stores it in the options (task.json's software_config follows) and re-runs the checks. Below:
the render environments already on the account, the one that will be used, or the
deterministic name of the one that will be created (rv_dcc.submit.render_env.default_edit_name).
"""
import re
from typing import Any, List, Optional, Tuple

from qtpy import QtCore, QtWidgets

from rv_dcc.ui.columns import AMBER, BLUE, GREEN, RED
from rv_dcc.ui.weakcall import WeakCall
from rv_dcc.ui.i18n import tr
from rv_dcc.ui.widgets import button, label

Qt = QtCore.Qt
MATCH_COLOURS = {"exact": GREEN, "nearest": AMBER, "missing": RED, "picked": BLUE}


def _escape(text: str) -> str:
    return (text or "").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class EnvPicker(QtWidgets.QFrame):
    """Host and plugin versions to render with, picked from the farm's catalog."""

    version_chosen = QtCore.Signal(str, object)   #: item ("host" or a plugin name), version
    reset_requested = QtCore.Signal()

    def __init__(self, parent: Optional[QtWidgets.QWidget] = None) -> None:
        super().__init__(parent)
        self.setProperty("role", "card")
        outer = QtWidgets.QVBoxLayout(self)
        outer.setContentsMargins(12, 8, 12, 10)
        outer.setSpacing(6)
        self._grid_host = QtWidgets.QWidget(self)
        self.grid = QtWidgets.QGridLayout(self._grid_host)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setHorizontalSpacing(12)
        self.grid.setVerticalSpacing(5)
        self.grid.setColumnStretch(3, 1)  # status right after the combo; the slack goes to the end
        outer.addWidget(self._grid_host)
        self.placeholder = label(tr("submit.loading_catalog"), "hint", self)
        outer.addWidget(self.placeholder)
        self.reset_button = button(tr("submit.env.reset"), "link", self.reset_requested.emit, self)
        self.reset_button.hide()
        outer.addWidget(self.reset_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.envs_title = label(tr("submit.env.user_envs"), "hint", self)
        outer.addWidget(self.envs_title)
        self.envs = label("", "", self)
        self.envs.setWordWrap(True)
        self.envs.setTextFormat(Qt.TextFormat.RichText)
        outer.addWidget(self.envs)
        self.target = label("", "", self)
        self.target.setWordWrap(True)
        self.target.setTextFormat(Qt.TextFormat.RichText)
        outer.addWidget(self.target)
        self.combos: dict = {}          #: item -> QComboBox
        self.states: dict = {}          #: item -> QLabel showing the match state
        self._key: Any = None
        self.set_state(None, [], False)

    # --- state ---------------------------------------------------------------------------------------
    def set_state(self, match: Any, user_envs: List[Any], picked: bool) -> None:
        """Show an EnvMatch (None: catalog not loaded), the account's environments, and Reset when ``picked``."""
        key = _state_key(match, user_envs, picked)
        if key == self._key:
            return  # nothing changed: keep the combos (and any open popup) as they are
        self._key = key
        self._clear()
        self.placeholder.setVisible(match is None)
        self._grid_host.setVisible(match is not None)
        self.reset_button.setVisible(match is not None and picked)
        for widget in (self.envs_title, self.envs, self.target):
            widget.setVisible(match is not None)
        if match is None:
            return
        for row, item in enumerate([match.software, *match.plugins]):
            self._add_row(row, "host" if item.kind == "host" else item.name, item)
        self.envs.setText(_envs_html(match, user_envs))
        used = match.existing is not None
        self.target.setText(tr("submit.env.will_use" if used else "submit.env.will_create",
                               name=_escape(match.edit_name)))

    def _clear(self) -> None:
        while self.grid.count():
            item = self.grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.combos, self.states = {}, {}

    def _add_row(self, row: int, item_id: str, item: Any) -> None:
        name = label(f"<b>{_escape(item.name)}</b> {_escape(item.wanted or '?')}", "", self._grid_host)
        combo = QtWidgets.QComboBox(self._grid_host)
        combo.setSizeAdjustPolicy(QtWidgets.QComboBox.SizeAdjustPolicy.AdjustToContents)
        combo.setMinimumWidth(120)
        status, colour = _status(item)
        if not item.offered:
            combo.addItem("—", None)
            combo.setEnabled(False)
        for version in item.offered:  # just the version: the state beside it says "nearest: 5.3.4"
            combo.addItem(version, version)
        index = combo.findData(item.chosen) if item.chosen else -1
        combo.setCurrentIndex(max(index, 0))
        combo.currentIndexChanged.connect(WeakCall(self._chosen, item_id))
        state = label(f"<span style='color:{colour}'>●</span>&nbsp;{_escape(status)}", "", self._grid_host)
        self.grid.addWidget(name, row, 0)
        self.grid.addWidget(combo, row, 1, Qt.AlignmentFlag.AlignLeft)
        self.grid.addWidget(state, row, 2)
        self.combos[item_id] = combo
        self.states[item_id] = state

    def _chosen(self, item_id: str, *_args: Any) -> None:
        combo = self.combos.get(item_id)
        version = combo.currentData() if combo is not None else None
        if version is not None:
            self.version_chosen.emit(item_id, version)

    def state_text(self, item_id: str) -> str:
        """The plain text of an item's match state ("" when there is no such row)."""
        widget = self.states.get(item_id)
        return _plain(widget.text()).lstrip("● ").strip() if widget is not None else ""


def _plain(html: str) -> str:
    return re.sub(r"<[^>]+>", "", html).replace("&nbsp;", " ").replace("&amp;", "&").strip()


def _status(item: Any) -> Tuple[str, str]:
    if item.status == "missing":
        return tr("submit.env.not_offered"), MATCH_COLOURS["missing"]
    if item.status == "exact":
        return tr("submit.env.exact"), MATCH_COLOURS["exact"]
    if item.picked:
        return tr("submit.env.picked"), MATCH_COLOURS["picked"]
    return tr("submit.env.nearest", version=item.chosen), MATCH_COLOURS["nearest"]


def _envs_html(match: Any, user_envs: List[Any]) -> str:
    if not user_envs:
        return f"<span style='color:#8b949e'>{_escape(tr('submit.env.none_on_account'))}</span>"
    rows = []
    used = match.existing.edit_name if match.existing is not None else None
    for env in user_envs:
        plugins = " · ".join(_escape(p.plugin_version if p.plugin_version.lower().startswith(p.plugin_name.lower())
                                     else f"{p.plugin_name} {p.plugin_version}") for p in env.plugins)
        tags = []
        if env.is_default:
            tags.append(tr("submit.env.default"))
        if env.edit_name == used:
            tags.append(f"<span style='color:{GREEN}'>✔ {_escape(tr('submit.env.used'))}</span>")
        where = f"{_escape(env.cg_name)} {_escape(env.cg_version)}" + (f" · {plugins}" if plugins else "")
        tag_text = ("  · " + " · ".join(tags)) if tags else ""
        rows.append(f"<b>{_escape(env.edit_name)}</b> &nbsp;<span style='color:#8b949e'>{where}</span>{tag_text}")
    return "<br>".join(rows)


def _state_key(match: Any, user_envs: List[Any], picked: bool) -> Any:
    if match is None:
        return None
    items = tuple((i.name, i.wanted, i.status, i.chosen, i.offered, i.picked) for i in (match.software, *match.plugins))
    return items, tuple(e.edit_name for e in user_envs), match.edit_name, match.existing is not None, picked
