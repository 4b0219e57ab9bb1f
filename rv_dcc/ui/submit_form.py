"""The submit view's option cards, built here and handed back as named fields.

Each function builds one card (frames, machines, what renders) and returns it with its controls
as a NamedTuple; the view keeps the controls and binds them to the controller. Nothing here holds
the view or reads the controller: building only, translated with the panel's words.
"""
from typing import NamedTuple, Tuple

from qtpy import QtWidgets

from rv_dcc.ui.i18n import tr
from rv_dcc.ui.submit_parts import section


class FrameFields(NamedTuple):
    """Frames, frames per machine, the test frames and the pause after them."""

    frames: QtWidgets.QLineEdit
    per_task: QtWidgets.QSpinBox
    test_first: QtWidgets.QCheckBox
    test_middle: QtWidgets.QCheckBox
    test_last: QtWidgets.QCheckBox
    test_custom: QtWidgets.QLineEdit
    pause: QtWidgets.QCheckBox


class MachineFields(NamedTuple):
    """Priority, machine, render node OS and the time limits."""

    priority: QtWidgets.QComboBox
    machine: QtWidgets.QComboBox
    os: QtWidgets.QComboBox
    frame_timeout: QtWidgets.QDoubleSpinBox
    task_timeout: QtWidgets.QDoubleSpinBox


class RenderFields(NamedTuple):
    """Layers, cameras, output, project and labels."""

    layers: QtWidgets.QListWidget
    cameras: QtWidgets.QListWidget
    output: QtWidgets.QLineEdit
    project: QtWidgets.QLineEdit
    labels: QtWidgets.QLineEdit


def frames_card(parent: QtWidgets.QWidget) -> Tuple[QtWidgets.QWidget, FrameFields]:
    """The Frames card."""
    card, form = section(tr("submit.section.frames"), parent)
    fields = FrameFields(QtWidgets.QLineEdit(card), QtWidgets.QSpinBox(card),
                         QtWidgets.QCheckBox(tr("submit.test.first"), card),
                         QtWidgets.QCheckBox(tr("submit.test.middle"), card),
                         QtWidgets.QCheckBox(tr("submit.test.last"), card), QtWidgets.QLineEdit(card),
                         QtWidgets.QCheckBox(tr("submit.stop_after_test"), card))
    fields.per_task.setRange(1, 10000)
    fields.test_custom.setPlaceholderText(tr("submit.test.custom"))
    tests = QtWidgets.QHBoxLayout()
    tests.setSpacing(14)
    for widget in (fields.test_first, fields.test_middle, fields.test_last):
        tests.addWidget(widget)
    tests.addWidget(fields.test_custom, 1)
    form.addRow(tr("submit.frames"), fields.frames)
    form.addRow(tr("submit.frames_per_task"), fields.per_task)
    form.addRow(tr("submit.test_frames"), tests)
    form.addRow("", fields.pause)
    return card, fields


def machines_card(parent: QtWidgets.QWidget) -> Tuple[QtWidgets.QWidget, MachineFields]:
    """The Machines card."""
    card, form = section(tr("submit.section.machines"), parent)
    fields = MachineFields(QtWidgets.QComboBox(card), QtWidgets.QComboBox(card), QtWidgets.QComboBox(card),
                           QtWidgets.QDoubleSpinBox(card), QtWidgets.QDoubleSpinBox(card))
    fields.priority.addItem(tr("priority.50"), 50)
    fields.priority.addItem(tr("priority.60"), 60)
    fields.os.addItem("Windows", "1")
    fields.os.addItem("Linux", "0")
    fields.frame_timeout.setRange(0.1, 720)
    fields.task_timeout.setRange(0, 2000)
    for spin in (fields.frame_timeout, fields.task_timeout):
        spin.setDecimals(1)
        spin.setSuffix(" h")
    form.addRow(tr("submit.priority"), fields.priority)
    form.addRow(tr("submit.machine"), fields.machine)
    form.addRow(tr("submit.os"), fields.os)
    form.addRow(tr("submit.frame_timeout"), fields.frame_timeout)
    form.addRow(tr("submit.task_timeout"), fields.task_timeout)
    return card, fields


def render_card(parent: QtWidgets.QWidget) -> Tuple[QtWidgets.QWidget, RenderFields]:
    """The What renders card."""
    card, form = section(tr("submit.section.render"), parent)
    fields = RenderFields(QtWidgets.QListWidget(card), QtWidgets.QListWidget(card), QtWidgets.QLineEdit(card),
                          QtWidgets.QLineEdit(card), QtWidgets.QLineEdit(card))
    for listing in (fields.layers, fields.cameras):
        listing.setMinimumHeight(96)
        listing.setMaximumHeight(118)
        listing.setSpacing(1)
    fields.labels.setPlaceholderText(tr("submit.labels_placeholder"))
    form.addRow(tr("submit.layers"), fields.layers)
    form.addRow(tr("submit.cameras"), fields.cameras)
    form.addRow(tr("submit.output"), fields.output)
    form.addRow(tr("submit.project"), fields.project)
    form.addRow(tr("submit.labels"), fields.labels)
    return card, fields
