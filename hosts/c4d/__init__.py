"""rv_dcc_hosts.c4d: the c4d adapter."""
