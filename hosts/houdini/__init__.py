"""rv_dcc_hosts.houdini: the Houdini adapter (adapter), its start-up entry (entry) and hython runner (batch).

Importing this package imports nothing from Houdini, rv_dcc's heavy modules or Qt.
"""
