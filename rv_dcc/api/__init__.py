"""rv_dcc.api."""
