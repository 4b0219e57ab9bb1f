"""rv_dcc_hosts.maya: the maya adapter."""
