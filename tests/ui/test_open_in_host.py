"""A host's shelf button (Maya, 3ds Max, Houdini) opens the panel connected to the farm through
the composition root (rv_dcc.app.panel), with the account the artist configured."""
from rv_dcc.scene.io import load_description
from rv_dcc.ui.panel import find_open_panel
from rv_dcc.ui.screenshots import SAMPLES, _ShowAdapter


def test_the_hosts_panel_opens_connected_to_the_configured_farm(qtbot, farm, monkeypatch):
    from rv_dcc.app import panel as app_panel

    # the account a TD sets for the whole studio (RAYVISION_API_*), here the test's farm on loopback
    monkeypatch.setenv("RAYVISION_API_ACCESS_ID", farm.access_id)
    monkeypatch.setenv("RAYVISION_API_KEY", farm.access_key)
    monkeypatch.setenv("RAYVISION_API_DOMAIN", farm.domain)
    monkeypatch.setenv("RAYVISION_API_PLATFORM", str(farm.platform))
    adapter = _ShowAdapter(load_description(str(SAMPLES / "maya.json")))
    window = app_panel.open_in_host(adapter)
    try:
        assert window.api is not None and window.api.domain == farm.domain and window.api.protocol == "http"
        assert window.submit_controller.desc.host == "maya" and window.reconnect is not None
        window.show_task(None)  # the Monitor tab: it polls that farm
        qtbot.waitUntil(lambda: window.monitor.tasks.rowCount() >= 1, timeout=15000)
        assert app_panel.open_in_host(adapter) is window and find_open_panel() is window  # a second click
    finally:
        window.close()
        window.api.close()
