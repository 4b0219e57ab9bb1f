"""The submit view: options bound to the scene description, checks, environment, preview, submit.

Every control writes straight into :class:`~rv_dcc.ui.submit_controller.SubmitController`
(which validates, persists and re-runs the checks), and the view re-reads issues, environment
and summary from it. The catalog read and the asset scan run in an AsyncRunner; the submission in
a :class:`~rv_dcc.ui.submit_actions.SubmissionRun`; the cards are built by submit_form. When the
farm accepted the task, :attr:`SubmitView.submitted` carries its id (the panel opens the monitor on it).
"""
import functools
import logging
from typing import Any, List, Optional

from qtpy import QtCore, QtWidgets

from rv_dcc.ui.dialogs import pick_folder
from rv_dcc.ui.i18n import count, tr
from rv_dcc.ui import submit_actions, submit_form
from rv_dcc.ui.submit_actions import SubmissionRun
from rv_dcc.ui.submit_controller import SubmitController
from rv_dcc.ui.submit_env import EnvPicker
from rv_dcc.ui.submit_money import MoneyCard
from rv_dcc.ui.submit_parts import IssueList, describe_path, fill_checklist, run_fix
from rv_dcc.ui.widgets import Banner, button, label
from rv_dcc.ui.weakcall import WeakCall
from rv_dcc.ui.workers import AsyncRunner

log = logging.getLogger("rv_dcc.ui.submit")
Qt = QtCore.Qt


class SubmitView(QtWidgets.QWidget):
    """The submit dialog's content (the panel shows it in a tab; hosts may show it alone)."""

    submitted = QtCore.Signal(object)
    #: a submission's progress event, as shown (GUI thread)
    progress_shown = QtCore.Signal(object)

    def __init__(self, controller: SubmitController, parent: Optional[QtWidgets.QWidget] = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.runner = AsyncRunner(2, self)
        self.unfinished: Optional[dict] = None  #: an earlier, stopped submission of this scene (journal summary)
        self._loading = False

        self.title = label(tr("submit.no_scene"), "title", self)
        self.subtitle = label("", "subtitle", self)
        self.banner = Banner(self)
        split = QtWidgets.QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(self._build_options())
        split.addWidget(self._build_checks())
        split.setStretchFactor(0, 5)
        split.setStretchFactor(1, 6)
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(16, 14, 16, 14)
        layout.setSpacing(8)
        layout.addWidget(self.title)
        layout.addWidget(self.subtitle)
        layout.addWidget(self.banner)
        layout.addWidget(split, 1)
        self._connect()
        self.load()

    def _build_options(self) -> QtWidgets.QWidget:
        """The left side: the option cards (frames, machines, render) in a scroll area."""
        left = QtWidgets.QWidget(self)
        left_layout = QtWidgets.QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 6, 0)
        left_layout.setSpacing(10)
        frames, frame_fields = submit_form.frames_card(left)  # the cards' controls, kept by the view
        (self.frames, self.per_task, self.test_first, self.test_middle, self.test_last, self.test_custom,
         self.pause) = frame_fields
        left_layout.addWidget(frames)
        self.money = MoneyCard(left, WeakCall(self._set_value, "budget"), WeakCall(self._use_test_frames))
        left_layout.addWidget(self.money)
        machines, (self.priority, self.machine, self.os, self.frame_timeout, self.task_timeout) = \
            submit_form.machines_card(left)
        left_layout.addWidget(machines)
        render, (self.layers, self.cameras, self.output, self.project, self.labels) = submit_form.render_card(left)
        left_layout.addWidget(render)
        left_layout.addStretch(1)
        self.scroll_area = scroll = QtWidgets.QScrollArea(self)  # not .scroll: QWidget.scroll is Qt's
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QtWidgets.QFrame.Shape.NoFrame)
        scroll.setWidget(left)
        left.setObjectName("ScrollBody")
        left.setAutoFillBackground(False)  # setWidget turned it on; the panel's background shows through
        return scroll

    def _build_checks(self) -> QtWidgets.QWidget:
        """The right side: environment, checks, summary, progress and the buttons."""
        right = QtWidgets.QWidget(self)
        right_layout = QtWidgets.QVBoxLayout(right)
        right_layout.setContentsMargins(6, 0, 0, 0)
        right_layout.setSpacing(8)
        right_layout.addWidget(label(tr("submit.section.env").upper(), "section", right))
        self.env = EnvPicker(right)
        right_layout.addWidget(self.env)
        right_layout.addWidget(label(tr("submit.section.checks").upper(), "section", right))
        self.issues = IssueList(right)
        right_layout.addWidget(self.issues, 1)
        self.summary = label("", "subtitle", right)
        right_layout.addWidget(self.summary)
        self.progress = QtWidgets.QProgressBar(right)
        self.progress.setTextVisible(False)
        self.progress.setFixedHeight(6)
        self.progress.hide()
        self.status = label("", "hint", right)
        self.status.setWordWrap(True)
        right_layout.addWidget(self.progress)
        right_layout.addWidget(self.status)
        buttons = QtWidgets.QHBoxLayout()
        self.preview_button = button(tr("submit.preview"), "", self.preview, right)
        self.export_button = button(tr("submit.export"), "", self.export, right)
        self.cancel_button = button(tr("submit.cancel"), "", self.cancel, right)
        self.cancel_button.hide()
        self.submit_button = button(tr("submit.submit"), "primary", self.submit, right)
        self.submit_button.setMinimumWidth(120)
        buttons.addWidget(self.preview_button)
        buttons.addWidget(self.export_button)
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.submit_button)
        right_layout.addLayout(buttons)
        self.run = SubmissionRun(self.runner, self.banner, self.progress, self.cancel_button, self.status,
                                 changed=WeakCall(self.render_state, signal_args=False),
                                 submitted=WeakCall(self._submitted), progressed=WeakCall(self._progressed))
        return right

    # --- binding ------------------------------------------------------------------------------------
    def _connect(self) -> None:
        # bound methods and partials of methods only: a lambda over self held by a child's
        # connection would put the whole view in a reference cycle (DESIGN.md, threads)
        self.frames.editingFinished.connect(self._frames_edited)
        self.per_task.valueChanged.connect(WeakCall(self._set_value, "frames_per_task"))
        for widget in (self.test_first, self.test_middle, self.test_last):
            widget.toggled.connect(self._set_tests)
        self.test_custom.editingFinished.connect(self._set_tests)
        self.pause.toggled.connect(WeakCall(self._set_value, "stop_after_test"))
        self.priority.currentIndexChanged.connect(WeakCall(self._set_data, "priority", "priority"))
        self.machine.currentIndexChanged.connect(WeakCall(self._set_data, "hardware_config_id", "machine"))
        self.os.currentIndexChanged.connect(self._os_changed)
        self.frame_timeout.valueChanged.connect(WeakCall(self._set_hours, "job_stop_time"))
        self.task_timeout.valueChanged.connect(WeakCall(self._set_hours, "task_stop_time"))
        self.layers.itemChanged.connect(self._layers_changed)
        self.cameras.itemChanged.connect(self._cameras_changed)
        self.output.editingFinished.connect(self._output_edited)
        self.project.editingFinished.connect(self._project_edited)
        self.labels.editingFinished.connect(self._labels_edited)
        self.env.version_chosen.connect(self._version_chosen)
        self.env.reset_requested.connect(self._versions_reset)

    # --- actions (rv_dcc.ui.submit_actions) ----------------------------------------------------------
    def preview(self) -> Any:
        """Show the exact task files (non-modal)."""
        return submit_actions.preview(self.controller, self.banner, self)

    def export(self) -> List[str]:
        """Write the submission folder where the artist chooses (nothing when cancelled)."""
        return submit_actions.export(self.controller, self.banner, str(pick_folder(self, tr("submit.export")) or ""))

    def submit(self) -> None:
        """Submit in a worker, with progress and Cancel."""
        if self.controller.can_submit():
            self.run.start(self.controller.submit_job)

    def resume_unfinished(self) -> None:
        """Finish the stopped submission the banner offered (its journal: no second task or upload)."""
        found = self.unfinished
        if found is None or self.run.cancel_token is not None:
            return
        self.banner.clear()
        self.run.start(functools.partial(self.controller.resume_job, found["journal"]))

    def cancel(self) -> None:
        """Ask the running submission to stop (it can be resumed from its journal)."""
        self.run.cancel()

    def _submitted(self, task_id: int) -> None:
        self.unfinished = None
        self.submitted.emit(task_id)

    def _progressed(self, event: Any) -> None:  # a callback held weakly (a bound signal would hold the view)
        self.progress_shown.emit(event)

    def _set_value(self, name: str, value: Any) -> None:
        self._set(**{name: value})

    def _set_data(self, name: str, combo: str, *_args: Any) -> None:
        self._set(**{name: getattr(self, combo).currentData()})  # the combo by name: no cycle through it

    def _set_hours(self, name: str, hours: float) -> None:
        self._set(**{name: int(hours * 3600)})

    def _frames_edited(self, *_args: Any) -> None:
        self._set(frames=self.frames.text().strip() or None)

    def _layers_changed(self, _item: Any) -> None:
        self._set(layers=self._checked(self.layers))

    def _cameras_changed(self, _item: Any) -> None:
        self._set(cameras=self._checked(self.cameras))

    def _output_edited(self, *_args: Any) -> None:
        self._set(output=self.output.text().strip() or None)

    def _project_edited(self, *_args: Any) -> None:
        self._set(project_name=self.project.text().strip())

    def _labels_edited(self, *_args: Any) -> None:
        self._set(labels=[part for part in self.labels.text().split(",") if part.strip()])

    def _version_chosen(self, item: Any, version: Any) -> None:
        self._after(self.controller.choose_version(item, version))

    def _versions_reset(self, *_args: Any) -> None:
        self._after(self.controller.reset_versions())

    def _after(self, errors: List[str]) -> None:
        self.status.setText("<span style='color:#e5534b'>" + "<br>".join(errors) + "</span>" if errors else "")
        self.render_state()

    def apply_fix(self, issue: Any, fix: Any) -> Any:
        """Run a fix button of the checks list (rv_dcc.ui.submit_parts.run_fix); returns its FixResult."""
        return run_fix(self, issue, fix)

    @staticmethod
    def _checked(widget: QtWidgets.QListWidget) -> List[str]:
        return [widget.item(row).text() for row in range(widget.count())
                if widget.item(row).checkState() == Qt.CheckState.Checked]

    def _set(self, **changes: Any) -> None:
        if self._loading:
            return
        errors = self.controller.update(**changes)
        if errors:
            self.status.setText("<span style='color:#e5534b'>" + "<br>".join(errors) + "</span>")
        else:
            self.status.setText("")
        self.render_state()

    def _set_tests(self, *_args: Any) -> None:
        self._set(test_frames={"first": self.test_first.isChecked(), "middle": self.test_middle.isChecked(),
                               "last": self.test_last.isChecked(), "custom": self.test_custom.text().strip() or None})

    def _os_changed(self, _index: int) -> None:
        self._set(os_name=self.os.currentData())
        if not self._loading and self.controller.desc is not None:  # another OS: another catalog
            self.runner.run(self.controller.catalog_job(), self._catalog_loaded, self._load_failed, key="catalog")

    # --- loading ------------------------------------------------------------------------------------
    def load(self) -> None:
        """Fill the controls from the description and options, and start the catalog read and scan."""
        desc = self.controller.desc
        self._fill_controls()
        self.controller.refresh()
        self.render_state()
        if desc is not None:
            if self.controller.catalog is None:
                self.status.setText(tr("submit.loading_catalog"))
                self.runner.run(self.controller.catalog_job(), self._catalog_loaded, self._load_failed, key="catalog")
            self.runner.run(self.controller.scan_job(), self._scan_loaded, self._load_failed, key="scan")
            if self.controller.api is not None and self.controller.funds is None:  # the Cost card's figures
                self.runner.run(self.controller.funds_job(), self._funds_loaded, key="funds")
            self.runner.run(self.controller.unfinished_job(), self._unfinished_found, key="unfinished")

    def _fill_controls(self) -> None:
        desc, options = self.controller.desc, self.controller.options
        self._loading = True
        try:
            if desc is None:
                self.title.setText(tr("submit.no_scene"))
                self.subtitle.setText("")
            else:
                import os

                self.title.setText(os.path.basename(desc.scene_file) or desc.host)
                self.subtitle.setText(f"{desc.host} {desc.host_version} · {desc.renderer} · "
                                      f"{desc.frame_start}-{desc.frame_end} · "
                                      f"{desc.resolution.width}×{desc.resolution.height}")
                scene_range = f"{desc.frame_start}-{desc.frame_end}" + (
                    f"x{desc.frame_step}" if desc.frame_step > 1 else "")
                self.frames.setPlaceholderText(tr("submit.frames_placeholder", range=scene_range))
                self.output.setPlaceholderText(tr("submit.output_placeholder", path=desc.output.path or "—"))
                fill_checklist(self.layers, [layer.name for layer in desc.layers],
                                     options.layers, {layer.name for layer in desc.layers if layer.renderable})
                fill_checklist(self.cameras, [camera.name for camera in desc.cameras],
                                     options.cameras, {camera.name for camera in desc.cameras if camera.renderable})
            self.frames.setText(options.frames or "")
            self.per_task.setValue(options.frames_per_task)
            self.test_first.setChecked(options.test_frames.first)
            self.test_middle.setChecked(options.test_frames.middle)
            self.test_last.setChecked(options.test_frames.last)
            self.test_custom.setText(options.test_frames.custom or "")
            self.pause.setChecked(options.stop_after_test)
            self.priority.setCurrentIndex(max(self.priority.findData(options.priority), 0))
            self.os.setCurrentIndex(max(self.os.findData(options.os_name), 0))
            self.frame_timeout.setValue(options.job_stop_time / 3600)
            self.task_timeout.setValue(options.task_stop_time / 3600)
            self.output.setText(options.output or "")
            self.project.setText(options.project_name)
            self.labels.setText(", ".join(options.labels))
            self._fill_machines()
        finally:
            self._loading = False

    def set_description(self, desc: Any) -> None:
        """Show another scene."""
        self.controller.set_description(desc)
        self.load()

    def open_description(self) -> None:
        """Ask for a scene description (or a scene file, described by its host in a worker) and show it."""
        path, _filter = QtWidgets.QFileDialog.getOpenFileName(self, tr("submit.open_scene"), "", tr("submit.open_filter"))
        if path:
            self.runner.run(functools.partial(describe_path, path), self.set_description, self._load_failed,
                            key="describe")

    def _fill_machines(self) -> None:
        self.machine.blockSignals(True)
        self.machine.clear()
        self.machine.addItem(tr("submit.machine_default"), None)
        catalog = self.controller.catalog
        for config in getattr(catalog, "hardware", ()) or ():
            if config.status == 1:
                kind = "GPU" if config.type == 2 else "CPU"
                self.machine.addItem(f"{config.model} · {config.ram} · {kind}", config.id)
        index = self.machine.findData(self.controller.options.hardware_config_id)
        self.machine.setCurrentIndex(max(index, 0))
        self.machine.blockSignals(False)

    def _catalog_loaded(self, catalog: Any) -> None:
        self.controller.set_catalog(catalog)
        self._fill_machines()
        self.status.setText("")
        self.render_state()

    def _funds_loaded(self, funds: Any) -> None:
        self.controller.funds = funds
        self.render_state()

    def _use_test_frames(self) -> None:
        """The Cost card's advice taken: the first frame renders first and the task waits after it."""
        self._set(test_frames=dict(self.controller.options.test_frames.model_dump(), first=True), stop_after_test=True)
        self._fill_controls()

    def _scan_loaded(self, scan: Any) -> None:
        self.controller.set_scan(scan)
        self.render_state()

    def _unfinished_found(self, journals: List[Any]) -> None:
        """An earlier submission of this scene stopped before the farm had it all: offer to finish it."""
        self.unfinished = journals[0] if journals else None
        if self.unfinished is None or self.run.cancel_token is not None:
            return
        found = self.unfinished
        self.banner.show_message(
            tr("submit.unfinished", stage=tr(f"stage.{found['stage']}"), done=found["assets_done"],
               total=found["assets_total"]), "info",
            [(tr("submit.resume"), self.resume_unfinished)])

    def _load_failed(self, error: BaseException) -> None:
        self.banner.show_message(str(error), "warning")
        self.status.setText("")

    # --- showing state ------------------------------------------------------------------------------
    def render_state(self) -> None:
        """Re-read issues, environment and summary from the controller."""
        controller = self.controller
        if controller.desc is None:  # nothing checked yet: offer to open a scene, not a green "no problems"
            self.issues.show_empty(tr("submit.no_scene_hint"), tr("submit.open_scene"), self.open_description)
        else:
            self.issues.set_issues(controller.issues, controller.fixes, self.apply_fix)
        options = controller.options
        self.money.set_state(options, controller.funds)
        self.env.set_state(controller.env, controller.user_envs(), bool(options.cg_version or options.plugin_versions))
        if controller.desc is not None:
            try:
                numbers = controller.summary()
                self.summary.setText(tr("submit.summary", frames=count("frames", numbers["frames"]),
                                        layers=count("layers", numbers["layers"]),
                                        machines=count("machines", numbers["machines"])))
            except Exception:  # noqa: BLE001 - a bad frame spec is already an issue in the list
                self.summary.setText("")
        busy = self.run.cancel_token is not None
        ready = controller.can_submit() and controller.api is not None and not busy
        self.submit_button.setEnabled(ready)
        self.preview_button.setEnabled(controller.catalog is not None and controller.desc is not None)
        self.export_button.setEnabled(controller.catalog is not None and controller.desc is not None)
        if controller.blocking():
            self.summary.setText(self.summary.text() + "  ·  " + tr("submit.blocked"))

    def shutdown(self) -> None:
        """Cancel a running submission (its journal keeps it resumable) and stop the workers."""
        self.cancel()
        self.runner.close()
