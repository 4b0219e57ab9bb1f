"""The submit view's actions: preview the task files, export the submission folder, submit.

Submitting runs the pipeline in the view's worker pool with a cancel token; progress (stage,
file, bytes, ETA) comes back through a progress channel of the view's runner, and when the farm has
accepted the task :attr:`SubmitView.submitted` carries its id. Split out of
:mod:`rv_dcc.ui.submit_view` for size: the methods use the view's widgets and controller.
"""
import functools
from typing import Any, List, Optional

from rv_dcc.ui.i18n import tr
from rv_dcc.ui.submit_parts import PreviewDialog, progress_text


class SubmitActions:
    """Mixed into :class:`rv_dcc.ui.submit_view.SubmitView` (a QWidget)."""

    controller: Any
    banner: Any
    runner: Any
    reporter: Any
    progress: Any
    cancel_button: Any
    status: Any
    submitted: Any
    progress_shown: Any
    cancel_token: Any
    last_result: Any
    export_folder: Any
    unfinished: Optional[dict]

    def render_state(self) -> None:  # provided by the view
        raise NotImplementedError

    def preview(self) -> Optional[PreviewDialog]:
        """Show the exact task files (non-modal)."""
        try:
            files = self.controller.task_files()
        except Exception as error:  # noqa: BLE001 - shown to the artist, not raised
            self.banner.show_message(str(error), "warning")
            return None
        dialog = PreviewDialog(files, self)  # type: ignore[arg-type]  # self is the SubmitView, a QWidget
        from rv_dcc.ui import style
        from rv_dcc.ui.i18n import language

        style.apply(dialog, language())
        dialog.show()
        return dialog

    def export(self) -> List[str]:
        """Write the submission folder where the artist chooses."""
        folder = self.export_folder()
        if not folder:
            return []
        try:
            written = self.controller.export(folder)
        except Exception as error:  # noqa: BLE001
            self.banner.show_message(str(error), "warning")
            return []
        self.banner.show_message(tr("submit.exported", folder=folder), "info")
        return written

    def submit(self) -> None:
        """Submit in a worker, with progress and Cancel."""
        if self.controller.can_submit():
            self._run_submission(self.controller.submit_job)

    def resume_unfinished(self) -> None:
        """Finish the stopped submission the banner offered (its journal: no second task or upload)."""
        found = getattr(self, "unfinished", None)
        if found is None or self.cancel_token is not None:
            return
        self.banner.clear()
        self._run_submission(functools.partial(self.controller.resume_job, found["journal"]))

    def _run_submission(self, make_job: Any) -> None:
        """Run ``make_job(progress, cancel)``'s job in a worker, with progress and Cancel."""
        from rv_dcc.transfer.base import CancelToken

        self.cancel_token = CancelToken()
        self.progress.setRange(0, 0)
        self.progress.show()
        self.cancel_button.show()
        self.render_state()
        self.reporter = self.runner.channel(self._progress, phase=_stage)
        self.runner.run(make_job(self.reporter, self.cancel_token), self._submit_done, self._submit_failed,
                        key="submit")

    def cancel(self) -> None:
        """Ask the running submission to stop (it can be resumed from its journal)."""
        if self.cancel_token is not None:
            self.cancel_token.cancel()

    def _progress(self, event: Any) -> None:
        fraction = event.fraction
        if fraction is None:
            self.progress.setRange(0, 0)
        else:
            self.progress.setRange(0, 1000)
            self.progress.setValue(int(fraction * 1000))
        self.status.setText(progress_text(event))
        self.progress_shown.emit(event)

    def _finish(self) -> None:
        if self.reporter is not None:
            self.runner.close_channel(self.reporter)
            self.reporter = None
        self.cancel_token = None
        self.progress.hide()
        self.cancel_button.hide()
        self.render_state()

    def _submit_done(self, result: Any) -> None:
        self.last_result = result
        self.unfinished = None
        self._finish()
        if getattr(result, "submitted", False):
            self.status.setText(tr("submit.done", task=result.task_alias or result.task_id))
            self.submitted.emit(result.task_id)
        else:
            self.status.setText(tr("submit.cancelled"))

    def _submit_failed(self, error: BaseException) -> None:
        self._finish()
        self.banner.show_message(tr("submit.failed", error=error), "warning")


def _stage(event: Any) -> Any:
    """A progress event's stage: each new one is shown at once (AsyncRunner.channel)."""
    return getattr(event, "stage", None)
