"""The submit view's actions: preview the task files, export the submission folder, and the
running submission (:class:`SubmissionRun`).

A submission runs the pipeline in the view's worker pool with a cancel token; progress (stage,
file, bytes, ETA) comes back through a progress channel of the runner, shown in the view's
progress bar and status line. The run holds those widgets and callbacks into the view (held
weakly: rv_dcc.ui.weakcall), never the view itself, so no reference cycle ties a panel to it
(docs/HOST_RULES.md).
"""
from typing import Any, Callable, List, Optional

from qtpy import QtWidgets

from rv_dcc.ui.i18n import tr
from rv_dcc.ui.submit_parts import PreviewDialog, progress_text


def preview(controller: Any, banner: Any, parent: QtWidgets.QWidget) -> Optional[PreviewDialog]:
    """Show the exact task files (non-modal); a problem goes to the banner."""
    try:
        files = controller.task_files()
    except Exception as error:  # noqa: BLE001 - shown to the artist, not raised
        banner.show_message(str(error), "warning")
        return None
    dialog = PreviewDialog(files, parent)
    from rv_dcc.ui import style
    from rv_dcc.ui.i18n import language

    style.apply(dialog, language())
    dialog.show()
    return dialog


def export(controller: Any, banner: Any, folder: str) -> List[str]:
    """Write the submission folder into ``folder`` ("" when the artist chose none)."""
    if not folder:
        return []
    try:
        written = controller.export(folder)
    except Exception as error:  # noqa: BLE001
        banner.show_message(str(error), "warning")
        return []
    banner.show_message(tr("submit.exported", folder=folder), "info")
    return written


class SubmissionRun:
    """One submission at a time: its cancel token, its progress channel, its result.

    ``changed()`` re-reads the view's state (buttons enabled or not), ``submitted(task_id)`` says
    the farm accepted the task, ``progressed(event)`` passes each progress event on.
    """

    def __init__(self, runner: Any, banner: Any, progress: Any, cancel_button: Any, status: Any,
                 changed: Callable[[], Any], submitted: Callable[[int], Any],
                 progressed: Callable[[Any], Any]) -> None:
        self.runner = runner
        self.banner = banner
        self.progress = progress
        self.cancel_button = cancel_button
        self.status = status
        self.changed = changed
        self.submitted = submitted
        self.progressed = progressed
        self.cancel_token: Any = None  #: set while a submission runs
        self.reporter: Any = None      #: its progress channel (AsyncRunner.channel)
        self.last_result: Any = None   #: the SubmitResult of the last one that ended

    def start(self, make_job: Callable[[Any, Any], Callable[[], Any]]) -> None:
        """Run ``make_job(progress, cancel)``'s job in a worker, with progress and Cancel."""
        from rv_dcc.transfer.base import CancelToken
        from rv_dcc.ui.weakcall import WeakCall

        self.cancel_token = CancelToken()
        self.progress.setRange(0, 0)
        self.progress.show()
        self.cancel_button.show()
        self.changed()
        self.reporter = self.runner.channel(WeakCall(self._progress), phase=_stage)
        self.runner.run(make_job(self.reporter, self.cancel_token), WeakCall(self._done), WeakCall(self._failed),
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
        self.progressed(event)

    def _finish(self) -> None:
        if self.reporter is not None:
            self.runner.close_channel(self.reporter)
            self.reporter = None
        self.cancel_token = None
        self.progress.hide()
        self.cancel_button.hide()
        self.changed()

    def _done(self, result: Any) -> None:
        self.last_result = result
        self._finish()
        if getattr(result, "submitted", False):
            self.status.setText(tr("submit.done", task=result.task_alias or result.task_id))
            self.submitted(result.task_id)
        else:
            self.status.setText(tr("submit.cancelled"))

    def _failed(self, error: BaseException) -> None:
        self._finish()
        self.banner.show_message(tr("submit.failed", error=error), "warning")


def _stage(event: Any) -> Any:
    """A progress event's stage: each new one is shown at once (AsyncRunner.channel)."""
    return getattr(event, "stage", None)
