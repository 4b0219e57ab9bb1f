"""Sign-in: access id and key, region or domain, platform; or the local farm when there is no account.

On "Sign in" the account is stored by :mod:`rv_dcc.ui.keystore` (keyring, else a 0600 file)
and :attr:`SignInDialog.result_mode` is "account"; "Use the local farm" sets it to "local". The
caller builds the client afterwards; the dialog itself makes no network call.
"""
from typing import Optional

from qtpy import QtCore, QtWidgets

from rv_dcc.ui import keystore
from rv_dcc.ui.i18n import tr
from rv_dcc.ui.widgets import button, label

REGIONS = (("signin.region.intl", "jop.foxrenderfarm.com", "2"), ("signin.region.cn", "task.renderbus.com", "2"),
           ("signin.region.custom", "", ""))


class SignInDialog(QtWidgets.QDialog):
    """Ask for the farm account (non-blocking for the host: show() it, or exec() standalone)."""

    def __init__(self, parent: Optional[QtWidgets.QWidget] = None, offer_local: bool = True,
                 access_id: str = "", domain: str = "", platform: str = "") -> None:
        super().__init__(parent)
        self.setObjectName("RvDialog")
        self.setWindowTitle(tr("signin.title"))
        self.result_mode = ""
        self.stored = ("", "")
        self.access_id = QtWidgets.QLineEdit(access_id, self)
        self.access_key = QtWidgets.QLineEdit(self)
        self.access_key.setEchoMode(QtWidgets.QLineEdit.EchoMode.Password)
        self.region = QtWidgets.QComboBox(self)
        for key, region_domain, _platform in REGIONS:
            self.region.addItem(tr(key), region_domain)
        self.domain = QtWidgets.QLineEdit(domain or REGIONS[0][1], self)
        self.platform = QtWidgets.QLineEdit(platform or "2", self)
        self.message = label("", "hint", self)
        self.message.setWordWrap(True)
        form = QtWidgets.QFormLayout()
        form.setVerticalSpacing(8)
        form.addRow(tr("signin.access_id"), self.access_id)
        form.addRow(tr("signin.access_key"), self.access_key)
        form.addRow(tr("signin.region"), self.region)
        form.addRow(tr("signin.domain"), self.domain)
        form.addRow(tr("signin.platform"), self.platform)
        buttons = QtWidgets.QHBoxLayout()
        self.local_button = button(tr("signin.local"), "link", self._use_local, self)
        self.local_button.setVisible(offer_local)
        buttons.addWidget(self.local_button)
        buttons.addStretch(1)
        buttons.addWidget(button(tr("common.cancel"), "", self.reject, self))
        self.save_button = button(tr("signin.save"), "primary", self._save, self)
        buttons.addWidget(self.save_button)
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(20, 18, 20, 16)
        layout.setSpacing(10)
        layout.addWidget(label(tr("signin.title"), "title", self))
        layout.addWidget(label(tr("signin.help"), "hint", self))
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self.region.currentIndexChanged.connect(self._region_changed)
        index = self.region.findData(self.domain.text())
        self.region.setCurrentIndex(index if index >= 0 else 2)
        self.resize(460, 0)

    def _region_changed(self, index: int) -> None:
        domain = self.region.itemData(index)
        if domain:
            self.domain.setText(domain)
        self.domain.setEnabled(not domain)

    def _save(self) -> None:
        access_id, access_key = self.access_id.text().strip(), self.access_key.text().strip()
        if not access_id or not access_key:
            self.message.setText(tr("signin.missing"))
            return
        domain = self.domain.text().strip()
        protocol = "http" if domain.startswith(("127.0.0.1", "localhost")) else "https"
        self.stored = keystore.save(access_id, access_key, domain, self.platform.text().strip() or "2", protocol)
        where, path = self.stored
        self.message.setText(tr("signin.stored_keyring") if where == "keyring" else tr("signin.stored_file", path=path))
        self.result_mode = "account"
        self.accept()

    def _use_local(self) -> None:
        self.result_mode = "local"
        self.accept()

    def sizeHint(self) -> QtCore.QSize:  # noqa: N802
        return QtCore.QSize(460, 320)
