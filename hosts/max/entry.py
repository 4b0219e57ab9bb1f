"""3ds Max start-up entry: what the rv_dcc macroscript imports (must stay cheap).

Importing this module loads only the standard library: no pymxs query, no rv_dcc submodule,
no pydantic, requests or Qt. The menu item (legacy menuMan before 2025, the CuiMenuMgr after;
both set up by resources/max/rv_dcc_startup.ms) runs ``open_panel()``, which only then loads
the adapter, Qt and the panel, parented to the 3ds Max main window (non-modal).
"""
import importlib
import logging
from typing import Any, Optional

log = logging.getLogger("rv_dcc.hosts.max.entry")

_panel: Optional[Any] = None


def open_panel() -> Any:
    """Show the submit/monitor panel for the open scene, parented to the 3ds Max main window."""
    global _panel
    from .adapter import MaxAdapter

    adapter = MaxAdapter()
    panel_module = importlib.import_module("rv_dcc.app.panel")  # connects, then opens rv_dcc.ui.panel
    _panel = panel_module.open_in_host(adapter)  # parents itself to adapter.main_window()
    return _panel
