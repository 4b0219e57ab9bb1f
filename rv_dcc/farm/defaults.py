"""The embedded farm's documented defaults: its local account, address and data folder.

Kept apart from the package's ``__init__`` so that the farm's modules read them without
importing the package that lazily loads them back (no module cycle). Standard library only.
"""

#: Credentials every fresh embedded farm accepts unless told otherwise (documented, not secret:
#: the farm only listens on loopback). The CLI and the panel use them when no account is set.
DEFAULT_ACCESS_ID = "rvdcc-local"
DEFAULT_ACCESS_KEY = "rvdcc-local-secret"
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765
#: The platform string the embedded account lives on.
DEFAULT_PLATFORM = "2"


def default_data_dir() -> str:
    """The farm's default data folder: ``<user data dir>/rv_dcc/farm`` (platformdirs)."""
    import os

    import platformdirs

    return os.path.join(platformdirs.user_data_dir("rv_dcc", appauthor=False), "farm")
