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
    """One frame's image, non-modal."""

    def __init__(self, parent: Optional[QtWidgets.QWidget] = None) -> None:
        super().__init__(parent)
        self.setObjectName("RvDialog")
        self.setModal(False)
        self.image = QtWidgets.QLabel(self)
        self.image.setAlignment(Qt.AlignCenter)
        self.caption = QtWidgets.QLabel(self)
        self.caption.setProperty("role", "hint")
        self.caption.setTextInteractionFlags(Qt.TextSelectableByMouse)
        layout = QtWidgets.QVBoxLayout(self)
        layout.addWidget(self.image, 1)
        layout.addWidget(self.caption)

    def show_image(self, path: str, frame: str) -> bool:
        """Show the image at ``path`` (frame ``frame``); False when it cannot be read."""
        pixmap = QtGui.QPixmap(path) if path else QtGui.QPixmap()
        if pixmap.isNull():
            return False
        screen = self.screen() if hasattr(self, "screen") else None  # QWidget.screen: Qt 5.14+
        room = screen.availableGeometry().size() * 0.85 if screen is not None else QtCore.QSize(1600, 900)
        if pixmap.width() > room.width() or pixmap.height() > room.height():
            pixmap = pixmap.scaled(room, Qt.KeepAspectRatio, Qt.SmoothTransformation)
        self.image.setPixmap(pixmap)
        self.caption.setText(f"{pixmap.width()}×{pixmap.height()} · {path}")
        self.setWindowTitle(tr("monitor.preview_title", frame=frame))
        self.adjustSize()
        self.show()
        self.raise_()
        return True
