"""rv_dcc's Maya start-up (runs because the rv_dcc module puts this scripts folder on sys.path).

Adds the rv_dcc shelf once the UI exists. Imports only rv_dcc_hosts.maya.entry, which costs
milliseconds; the adapter, Qt and the panel load when the shelf button is clicked. A failure is
logged and never stops Maya (or the other modules' userSetup.py) from starting.
"""


def _rv_dcc_startup():
    import logging

    try:
        from rv_dcc_hosts.maya import entry

        entry.install_shelf()
    except Exception:  # keep Maya usable whatever happens (LESSONS.md #5)
        logging.getLogger("rv_dcc.hosts.maya").exception(
            "rv_dcc could not add its shelf; run `rv-dcc install maya` again")


try:
    import maya.utils

    maya.utils.executeDeferred(_rv_dcc_startup)
except Exception:  # pragma: no cover - outside Maya
    pass
