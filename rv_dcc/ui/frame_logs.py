"""The selected task's render logs and 3ds Max progress image, read in workers.

A render log is read page by page (up to 20 pages); when the artist moves to another frame the
read for the previous one stops at its next page (:class:`Wanted`, plain Python, so a worker
asks it without holding any widget). The progress image (loadTaskProcessImg) exists for 3ds Max
tasks only. Holds the detail pane and the runners, never the monitor widget.
"""
import functools
from typing import Any, Optional

from rv_dcc.ui.i18n import tr

#: cgId of 3ds Max: the only host whose tasks have a progress image
MAX_CG_ID = 2001


class Wanted:
    """Which frame's render log is wanted now."""

    def __init__(self) -> None:
        self.frame: Optional[int] = None

    def is_current(self, frame_id: int) -> bool:
        """True while ``frame_id``'s log is still the one wanted."""
        return self.frame == frame_id


class FrameLogs:
    """Logs into ``detail`` through ``log_runner``; progress images through ``runner``."""

    def __init__(self, controller: Any, detail: Any, log_runner: Any, runner: Any) -> None:
        self.controller = controller
        self.detail = detail
        self.log_runner = log_runner
        self.runner = runner
        self.wanted = Wanted()

    def load(self, frame_id: Optional[int], frames: Any) -> None:
        """Read ``frame_id``'s render log (``frames``: the frame model, for its number)."""
        if frame_id is None:
            return
        row = frames.row_data(frame_id) or {}
        self.detail.show_log(tr("monitor.log_loading", frame=row.get("frameIndex", frame_id)))
        self.wanted.frame = frame_id  # a read for another frame stops at its next page
        wanted = functools.partial(self.wanted.is_current, frame_id)
        self.log_runner.run(self.controller.log_job(frame_id, wanted), self.detail.show_log,
                            self._log_failed, key="log")

    def forget(self) -> None:
        """Another task (or none): the log being read is no longer wanted."""
        self.detail.show_log("")
        self.wanted.frame = None
        self.log_runner.cancel("log")

    def load_progress_image(self, task_id: Optional[int], row: Optional[dict]) -> None:
        """The task's progress image (3ds Max), or none."""
        if task_id is not None and row and row.get("cgId") == MAX_CG_ID:
            self.runner.run(self.controller.progress_image_job(task_id), self._progress_loaded,
                            self._progress_failed, key="progress")
        else:
            self.detail.set_progress_image(None)

    def _log_failed(self, error: BaseException) -> None:
        self.detail.show_log(str(error))

    def _progress_loaded(self, info: Optional[dict]) -> None:
        self.detail.set_progress_image(info.get("path") if info else None)

    def _progress_failed(self, _error: BaseException) -> None:
        self.detail.set_progress_image(None)
