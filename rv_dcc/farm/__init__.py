"""The embedded farm: the Fox Renderfarm / Renderbus service on loopback (``rv-dcc farm``).

This package owns everything the local farm is: the HTTP server (``server``), its SQLite state
(``store``), the account and software catalogue (``catalog``), the task life (``tasks``,
``scheduler``), output images (``render``), the transfer endpoint (``transfer``) and the ways to
run it (``EmbeddedFarm`` in a background thread, ``launcher.ensure_running`` in a background
process). Importing this package is free: it only re-exports the documented default credentials
(``defaults``); ``EmbeddedFarm`` is loaded on first use. It is a tool and a test double: in the
product only the composition root (rv_dcc.app) imports it (docs/ARCHITECTURE.md).

Python use (tests, rv_dcc.app)::

    from rv_dcc.farm import EmbeddedFarm
    with EmbeddedFarm(data_dir, port=0, speed=50) as farm:
        api = RayvisionAPI(access_id=farm.access_id, access_key=farm.access_key,
                           domain=farm.domain, platform=farm.platform, protocol="http")
        ...
"""
from typing import Any

from rv_dcc.farm.defaults import (DEFAULT_ACCESS_ID, DEFAULT_ACCESS_KEY, DEFAULT_HOST, DEFAULT_PLATFORM,
                                  DEFAULT_PORT, default_data_dir)

__all__ = ["DEFAULT_ACCESS_ID", "DEFAULT_ACCESS_KEY", "DEFAULT_HOST", "DEFAULT_PORT",
           "DEFAULT_PLATFORM", "EmbeddedFarm", "default_data_dir"]


def __getattr__(name: str) -> Any:
    # Lazy: ``EmbeddedFarm`` pulls in http.server and sqlite3 only when someone asks for it.
    if name == "EmbeddedFarm":
        from rv_dcc.farm.embedded import EmbeddedFarm

        return EmbeddedFarm
    raise AttributeError(f"module 'rv_dcc.farm' has no attribute {name!r}")
