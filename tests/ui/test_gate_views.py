"""The monitor's views and drain hold the worker gate while they run Python for the GUI."""
from qtpy import QtCore, QtGui

from rv_dcc.monitor.gate import GATE
from rv_dcc.ui.drain import Drain
from rv_dcc.ui.gated import ListView, TableView, TreeView


class _Recording(QtGui.QStandardItemModel):
    """A model that records whether the gate was held each time a view asked for a cell's text."""

    def __init__(self):
        super().__init__(20, 3)
        self.held = []

    def data(self, index, role=QtCore.Qt.DisplayRole):
        if role == QtCore.Qt.DisplayRole:
            self.held.append(GATE.held())
            return f"{index.row()},{index.column()}"
        return super().data(index, role)


def test_every_view_paints_with_the_gate_held(qtbot):
    assert not GATE.held()
    for view_class in (TreeView, TableView, ListView):
        model = _Recording()
        view = view_class()
        qtbot.addWidget(view)
        view.setModel(model)
        view.resize(400, 300)
        view.show()
        qtbot.waitExposed(view)
        model.held.clear()
        view.grab()  # renders the view now: its paintEvent runs
        assert model.held, f"{view_class.__name__} painted without asking for any cell"
        assert all(model.held), f"{view_class.__name__} painted cells with the gate open"
    assert not GATE.held(), "a paint left the gate held"


def test_drain_steps_run_with_the_gate_held(qtbot):
    seen = []
    drain = Drain(budget=0.0)
    drain.push("tasks", [lambda: seen.append(GATE.held()) for _ in range(3)])
    qtbot.waitUntil(lambda: not drain.busy(), timeout=5000)
    assert seen == [True, True, True] and not GATE.held()
