"""rv_dcc_hosts: one thin adapter per DCC (installed under this unique name, never as a bare "hosts")."""
