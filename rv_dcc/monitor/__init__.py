"""rv_dcc.monitor."""
