"""The embedded farm as a tool: ``rv-dcc farm``, ``rv-dcc demo`` and the panel's screenshots.

The emulator (rv_dcc.farm) is a test double and a demo, never part of a submission: the commands
that run it get it through here, the one place besides rv_dcc.app.connect that imports it.
``local_farm`` starts a private farm in this process and yields it with a connected client;
``new_farm`` builds one for ``rv-dcc farm`` to start and stop itself.
"""
from contextlib import contextmanager
from dataclasses import dataclass
import os
from typing import Any, Dict, Iterator, Optional, Tuple

from rv_dcc.farm.defaults import (DEFAULT_ACCESS_ID, DEFAULT_ACCESS_KEY, DEFAULT_HOST,  # noqa: F401 - for the commands
                                  DEFAULT_PLATFORM, DEFAULT_PORT, default_data_dir)

__all__ = ["DEFAULT_ACCESS_ID", "DEFAULT_ACCESS_KEY", "DEFAULT_HOST", "DEFAULT_PLATFORM", "DEFAULT_PORT",
           "LocalFarm", "default_data_dir", "is_loopback_host", "local_farm", "new_farm", "stop_background"]


@dataclass
class LocalFarm:
    """A running embedded farm and a client signed in to it."""

    farm: Any    #: the rv_dcc.farm.EmbeddedFarm (domain, platform, url, speed ...)
    api: Any     #: a RayvisionAPI for its account

    @property
    def domain(self) -> str:
        return str(self.farm.domain)

    @property
    def platform(self) -> str:
        return str(self.farm.platform)


def is_loopback_host(host: str) -> bool:
    """True when ``host`` is a loopback address (the farm then serves its documented key)."""
    from rv_dcc.farm.embedded import is_loopback_host as farm_is_loopback

    return bool(farm_is_loopback(host))


def new_farm(data_dir: str, *, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT,
             access_id: str = DEFAULT_ACCESS_ID, access_key: str = DEFAULT_ACCESS_KEY, speed: float = 1.0,
             fail_rate: float = 0.0, platform: str = DEFAULT_PLATFORM, nodes: int = 20,
             advertise: Optional[str] = None) -> Any:
    """An embedded farm, not started (``start()`` / ``stop()``, or use it as a context manager)."""
    from rv_dcc.farm.embedded import EmbeddedFarm

    return EmbeddedFarm(data_dir, host=host, port=port, access_id=access_id, access_key=access_key, speed=speed,
                        fail_rate=fail_rate, platform=platform, nodes=nodes, advertise=advertise)


@contextmanager
def local_farm(data_dir: str, *, speed: float = 1.0, fail_rate: float = 0.0,
               real_blender: Optional[bool] = None) -> Iterator[LocalFarm]:
    """A private embedded farm on a free loopback port for the duration of the block, and a client."""
    from rv_dcc.api import RayvisionAPI
    from rv_dcc.farm.embedded import EmbeddedFarm

    with EmbeddedFarm(data_dir, port=0, speed=speed, fail_rate=fail_rate, real_blender=real_blender) as farm:
        api = RayvisionAPI(access_id=farm.access_id, access_key=farm.access_key, domain=farm.domain,
                           platform=farm.platform, protocol="http")
        try:
            yield LocalFarm(farm, api)
        finally:
            api.close()


def stop_background(data_dir: Optional[str] = None) -> Tuple[Optional[Dict[str, Any]], bool, str]:
    """Stop the background farm serving ``data_dir`` (the default folder when None), if one runs:
    ``(its state or None, whether it was stopped, the data folder)`` (``rv-dcc farm stop``)."""
    from rv_dcc.farm import launcher

    data = os.path.abspath(data_dir or default_data_dir())
    state = launcher.running(data)
    stopped = launcher.stop_running(data) if state is not None else False
    return state, stopped, data
