"""rv_dcc_hosts.maya: the Maya adapter (adapter, scan), its start-up entry (entry) and batch runner (batch).

Importing this package imports nothing from Maya, rv_dcc's heavy modules or Qt.
"""
