"""rv_dcc.ui: the panel — the only Qt code in rv_dcc (always imported through qtpy).

Plain-Python controllers (``monitor_controller``, ``submit_controller``, ``settings_store``,
``keystore``, ``i18n``, ``columns``) sit behind Qt views: item models (``models``,
``thumb_model``), delegates, workers (``workers``: QThreadPool with keyed supersession), the
monitor (``monitor_widget``, ``monitor_parts``), the submit view (``submit_view``,
``submit_parts``), the sign-in dialog and the window that holds them (``panel.open_panel``).
Nothing is imported here, and no module creates a QObject or thread at import.
"""
