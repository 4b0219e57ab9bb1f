"""A frame's image at full size: double-click a thumbnail tile to look at it closely.

The image is the farm's thumbnail of the frame, from the disk cache the grid already filled
(no request). The window is non-modal and reused: double-clicking another tile shows that
frame in it. Large images are scaled down to fit the screen, never up.
"""
from typing import Optional

from qtpy import QtCore, QtGui, QtWidgets

from rv_dcc.ui.i18n import tr

Qt = QtCore.Qt


class ImagePreview(QtWidgets.QDialog):
    """One frame's image, non-modal, fitted to the window as it is resized."""

    def __init__(self, parent: Optional[QtWidgets.QWidget] = None) -> None:
        super().__init__(parent)
        self.setModal(False)
        self.image = QtWidgets.QLabel(self)
        self.image.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.image.setMinimumSize(160, 90)
        self.image.setSizePolicy(QtWidgets.QSizePolicy.Policy.Ignored, QtWidgets.QSizePolicy.Policy.Ignored)
        self.caption = QtWidgets.QLabel(self)
        self.caption.setProperty("role", "hint")
        self.original = QtGui.QPixmap()
        layout = QtWidgets.QVBoxLayout(self)
        layout.addWidget(self.image, 1)
        layout.addWidget(self.caption)
        from rv_dcc.ui import style
        from rv_dcc.ui.i18n import language

        style.apply(self, language())  # the panel's look: readable on any host palette
        self.setObjectName("RvDialog")

    def show_image(self, path: str, frame: str, task: str = "", layer: str = "") -> bool:
        """Show the image at ``path``, titled by task, layer and frame; False when it cannot be read."""
        pixmap = QtGui.QPixmap(path) if path else QtGui.QPixmap()
        if pixmap.isNull():
            return False
        self.original = pixmap
        parts = [part for part in (task, layer) if part]
        self.setWindowTitle(" · ".join(parts + [tr("monitor.preview_title", frame=frame)]))
        self.caption.setText(f"{pixmap.width()}×{pixmap.height()}")
        screen = self.screen() if hasattr(self, "screen") else None  # QWidget.screen: Qt 5.14+
        room = screen.availableGeometry().size() * 0.85 if screen is not None else QtCore.QSize(1600, 900)
        # open at the image's size (never bigger than the screen, never smaller than a useful window)
        size = pixmap.size().scaled(room, Qt.AspectRatioMode.KeepAspectRatio) if (
            pixmap.width() > room.width() or pixmap.height() > room.height()) else pixmap.size()
        self.resize(max(size.width(), 480) + 24, max(size.height(), 270) + 48)
        self._fit()
        self.show()
        self.raise_()
        return True

    def resizeEvent(self, event: object) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)  # type: ignore[arg-type]
        self._fit()

    def _fit(self) -> None:
        """Scale the image to the window, keeping its aspect (down or up to the window's size)."""
        if self.original.isNull():
            return
        room = self.image.size()
        self.image.setPixmap(self.original.scaled(room, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation))
