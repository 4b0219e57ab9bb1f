"""rv_dcc.ui."""
