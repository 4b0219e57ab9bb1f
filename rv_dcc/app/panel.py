"""The panel inside a host (Maya, 3ds Max, Houdini), connected to the farm.

``open_in_host(adapter)`` is what a host's shelf button or menu calls: it makes the saved
account's keyring source known, connects (the configured account, else the embedded farm) and
opens the panel (rv_dcc.ui.panel) parented to the host's main window, with the sign-in dialog able
to reconnect. Imported only when the artist clicks: it loads Qt, the client and the panel.
"""
from typing import Any, Optional


def open_in_host(adapter: Any, lang: Optional[str] = None) -> Any:
    """Open (or bring back) the panel for the host's open scene; returns the panel window."""
    from rv_dcc.app.connect import connect, reconnect
    from rv_dcc.ui import keystore
    from rv_dcc.ui.panel import find_open_panel, open_panel

    existing = find_open_panel()
    if existing is not None:  # a second click: the open panel, on the scene as it is now
        return open_panel(adapter=adapter, api=existing.api, lang=lang, reconnect=reconnect)
    keystore.register()
    return open_panel(adapter=adapter, api=connect(), lang=lang, reconnect=reconnect)
