"""Loading the monitor's thumbnails: fetched by workers, decoded on the GUI thread a tile at a time.

A worker downloads (or finds in the disk cache) the frame's thumbnail and hands back its path;
the GUI thread decodes it - no Qt object is ever made off the GUI thread - one per queued step
of the panel's drain, so a poll that finishes sixty frames never decodes sixty at once. A result
for a task no longer shown is dropped. Plain Python: it holds the panel's runner, drain and
thumbnail model, never the panel itself.
"""
import functools
import logging
from typing import Any, Optional

from qtpy import QtCore, QtGui

from rv_dcc.ui.delegates import ThumbnailDelegate

log = logging.getLogger("rv_dcc.ui.thumbs")
Qt = QtCore.Qt


def load_image(path: Optional[str], size: Optional[QtCore.QSize] = None) -> Any:
    """GUI thread: decode a cached thumbnail and scale it to its tile's image area ``size``
    (a tile at 96 dpi when None); None when unreadable."""
    if not path:
        return None
    image = QtGui.QImage(path)
    if image.isNull():
        return None
    # scaled once, to the tile: painting never scales (a tile at 96 dpi when the grid's is unknown)
    size = size or ThumbnailDelegate.image_area(ThumbnailDelegate.base_tile, ThumbnailDelegate.base_label)
    return image.scaled(size.width(), size.height(), Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation)


class ThumbnailLoader:
    """Fetch a frame's thumbnail in ``runner`` and show it in ``thumbs`` through ``drain``."""

    def __init__(self, controller: Any, runner: Any, drain: Any, thumbs: Any) -> None:
        self.controller = controller
        self.runner = runner
        self.drain = drain
        self.thumbs = thumbs
        #: the grid's tile image area (set by the panel once its grid exists)
        self.image_size: Optional[QtCore.QSize] = None

    def fetch(self, frame_id: int) -> None:
        """Start loading ``frame_id``'s thumbnail (for the task shown now)."""
        row = self.controller.poller.frames.rows.get(frame_id, {})
        job = self.controller.thumbnail_job(frame_id, int(row.get("recommitFlag") or 0))
        task_id = self.thumbs.task_id
        self.runner.run(job, on_done=functools.partial(self._fetched, task_id, frame_id),
                        on_error=functools.partial(_failed, frame_id))

    def _fetched(self, task_id: Optional[int], frame_id: int, path: Optional[str]) -> None:
        self.drain.push("thumbs", [functools.partial(self._show, task_id, frame_id, path)])

    def _show(self, task_id: Optional[int], frame_id: int, path: Optional[str]) -> None:
        if task_id == self.thumbs.task_id:
            self.thumbs.set_image(frame_id, load_image(path, self.image_size), path or "")


def _failed(frame_id: int, error: BaseException) -> None:
    log.debug("thumbnail %s: %s", frame_id, error)
