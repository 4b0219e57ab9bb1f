"""rv_dcc: send a DCC scene to the Fox Renderfarm / Renderbus cloud farm and watch it render.

The package root is deliberately empty of imports: a DCC imports ``rv_dcc`` at start-up, so
requests, pydantic and Qt load only when a submodule that needs them is first used.
"""

__version__ = "0.1.0"
