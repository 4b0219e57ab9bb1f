"""rv_dcc.farm."""
