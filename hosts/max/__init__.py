"""rv_dcc_hosts.max: the 3ds Max adapter (adapter), its start-up entry (entry) and 3dsmaxbatch runner (batch).

Importing this package imports nothing from 3ds Max, rv_dcc's heavy modules or Qt.
"""
