"""rv_dcc_hosts.blender: the blender adapter."""
