"""rv_dcc.scene."""
