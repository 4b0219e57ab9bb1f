"""rv_dcc_hosts.houdini: the houdini adapter."""
