"""Maya start-up entry: what the shelf button and userSetup import (must stay cheap).

Importing this module loads nothing but the standard library: no maya.cmds, no rv_dcc submodule,
no pydantic, requests or Qt. ``install_shelf()`` runs deferred at Maya start-up and adds the
rv_dcc shelf; ``open_panel()`` runs on click and only then loads the adapter, Qt and the panel,
parented to Maya's main window (non-modal).
"""
import importlib
import logging
from typing import Any, Optional

log = logging.getLogger("rv_dcc.hosts.maya.entry")

SHELF = "rv_dcc"
BUTTON_COMMAND = "import rv_dcc_hosts.maya.entry as e; e.open_panel()"
_panel: Optional[Any] = None


def install_shelf() -> None:
    """Create (or refresh) the rv_dcc shelf with one button; safe to call repeatedly."""
    from maya import cmds, mel

    if cmds.about(batch=True):
        return
    top = mel.eval("$rv_dcc_tmp = $gShelfTopLevel")
    if cmds.shelfLayout(SHELF, exists=True):
        cmds.deleteUI(SHELF, layout=True)
    cmds.shelfLayout(SHELF, parent=top)
    cmds.shelfButton(parent=SHELF, label="Render", annotation="Send this scene to the render farm",
                     image="pythonFamily.png", imageOverlayLabel="RV", sourceType="python", command=BUTTON_COMMAND)


def open_panel() -> Any:
    """Show the submit/monitor panel for the open scene, parented to Maya's main window."""
    global _panel
    from .adapter import MayaAdapter

    adapter = MayaAdapter()
    panel_module = importlib.import_module("rv_dcc.app.panel")  # connects, then opens rv_dcc.ui.panel
    _panel = panel_module.open_in_host(adapter)  # parents itself to adapter.main_window()
    return _panel
