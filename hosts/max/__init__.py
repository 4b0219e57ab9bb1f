"""rv_dcc_hosts.max: the max adapter."""
