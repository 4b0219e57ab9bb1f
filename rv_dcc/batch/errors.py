"""The errors of describing a scene in a host process (re-exported by ``rv_dcc.batch``).

Their own module so that the runner modules, which the package imports, never import the package
back (tests/test_architecture.py: no import cycle between modules).
"""
from rv_dcc.errors import RvDccError


class BatchError(RvDccError):
    """The host ran but could not describe the scene (crash, timeout, unreadable file)."""


class HostNotFoundError(BatchError):
    """No program that can open this kind of scene is installed (or configured)."""
