"""rv_dcc.commands."""
