"""rv_dcc_hosts.c4d: the Cinema 4D adapter (adapter), its menu entry (entry) and c4dpy runner (batch).

Importing this package imports nothing from Cinema 4D, rv_dcc's heavy modules or Qt.
"""
