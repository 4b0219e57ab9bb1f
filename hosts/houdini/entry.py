"""Houdini start-up entry: what the rv_dcc shelf tool imports (must stay cheap).

Importing this module loads only the standard library: no hou query, no rv_dcc submodule, no
pydantic, requests or Qt. ``open_panel()`` runs when the artist clicks the shelf tool and only
then loads the adapter, Qt and the panel, parented to hou.qt.mainWindow() (non-modal).
"""
import importlib
import logging
from typing import Any, Optional

log = logging.getLogger("rv_dcc.hosts.houdini.entry")

_panel: Optional[Any] = None


def open_panel() -> Any:
    """Show the submit/monitor panel for the open .hip, parented to Houdini's main window."""
    global _panel
    from .adapter import HoudiniAdapter

    adapter = HoudiniAdapter()
    panel_module = importlib.import_module("rv_dcc.app.panel")  # connects, then opens rv_dcc.ui.panel
    _panel = panel_module.open_in_host(adapter)  # parents itself to adapter.main_window()
    return _panel
