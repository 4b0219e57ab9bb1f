"""rv_dcc.submit."""
