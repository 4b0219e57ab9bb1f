"""``EmbeddedFarm``: one running farm — store, scheduler, renderer and HTTP server — in
background threads of the current process. Tests, the demo and ``rv-dcc farm`` use it::

    with EmbeddedFarm(tmp_path, port=0, speed=50) as farm:
        farm.domain      # "127.0.0.1:<port>" (give it to RayvisionAPI with protocol "http")
        farm.url         # "http://127.0.0.1:<port>"
        farm.access_id, farm.access_key, farm.platform
        api = farm.client()   # a RayvisionAPI for it (protocol http)

``port=0`` picks a free port. ``speed`` scales the farm's clock (50: a 60 s frame takes 1.2 s),
``fail_rate`` fails that share of frames, ``real_blender`` forces real bpy renders on/off (default:
on when bpy is importable). ``start()`` writes ``farm.json`` (pid, url, access id — never the key)
into the data folder for ``launcher``; ``stop()`` removes it and stops every thread.

Off loopback (``host`` such as ``0.0.0.0`` or a LAN address) the published default key is
refused (anyone on the network could use the account), and the farm advertises a reachable
address (``advertise``, else this machine's outbound address) in its URL and transfer lines
instead of the wildcard it listens on.
"""
import ipaddress
import json
import logging
import os
import socket
import threading
from typing import Any, Dict, Optional

from rv_dcc.farm import catalog
from rv_dcc.farm.defaults import DEFAULT_ACCESS_ID, DEFAULT_ACCESS_KEY, DEFAULT_HOST, DEFAULT_PLATFORM
from rv_dcc.farm.state import now_ms

log = logging.getLogger("rv_dcc.farm")

STATE_FILE = "farm.json"


def is_loopback_host(host: str) -> bool:
    """True for ``localhost`` and 127.0.0.0/8 / ::1 addresses."""
    if host.strip("[]").lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def reachable_address() -> str:
    """This machine's address as others on the network reach it (no packet is sent to find it)."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("192.0.2.1", 9))  # TEST-NET-1: a UDP connect only picks the outbound interface
            address = probe.getsockname()[0]
            if address and address != "0.0.0.0":
                return str(address)
    except OSError:
        pass
    try:
        return socket.gethostbyname(socket.gethostname())
    except OSError:
        return socket.gethostname()


class EmbeddedFarm:
    """A farm serving on loopback from ``data_dir`` until ``stop()``."""

    def __init__(self, data_dir: Any, host: str = DEFAULT_HOST, port: int = 0,
                 access_id: str = DEFAULT_ACCESS_ID, access_key: str = DEFAULT_ACCESS_KEY,
                 speed: float = 1.0, fail_rate: float = 0.0, platform: str = DEFAULT_PLATFORM,
                 nodes: int = 20, real_blender: Optional[bool] = None, advertise: Optional[str] = None) -> None:
        if not access_id or not access_key:
            raise ValueError("the farm needs a non-empty access id and access key")
        if not is_loopback_host(host) and access_key == DEFAULT_ACCESS_KEY:
            raise ValueError(f"refusing to serve on {host} with the published default access key: anyone on the "
                             "network could use it; give a key of your own (rv-dcc farm makes a random one)")
        if speed <= 0:
            raise ValueError(f"speed must be above 0, not {speed}")
        if not 0 <= fail_rate <= 1:
            raise ValueError(f"fail_rate must be between 0 and 1, not {fail_rate}")
        self.data_dir = os.path.abspath(str(data_dir))
        self.host, self.port = host, port
        self.loopback = is_loopback_host(host)
        if advertise:
            self.public_host = advertise
        elif host in ("0.0.0.0", "", "::"):
            self.public_host = reachable_address()
        else:
            self.public_host = host
        self.access_id, self.access_key = access_id, access_key
        self.speed, self.fail_rate, self.platform, self.nodes = float(speed), float(fail_rate), str(platform), nodes
        self._real_blender = real_blender
        self.store: Any = None
        self.renderer: Any = None
        self.scheduler: Any = None
        self.transfer: Any = None
        self._server: Any = None
        self._thread: Optional[threading.Thread] = None

    def __repr__(self) -> str:  # never shows the key
        return f"EmbeddedFarm(url={self.url!r}, access_id={self.access_id!r}, data_dir={self.data_dir!r})"

    # -- what clients need ----------------------------------------------------------------------
    @property
    def domain(self) -> str:
        """``host:port`` as a client configures it (and signs with): the advertised address."""
        return f"{self.public_host}:{self.port}"

    @property
    def url(self) -> str:
        """``http://host:port``."""
        return f"http://{self.domain}"

    base_url = url

    @property
    def transfer_token(self) -> str:
        """The transfer endpoint's bearer token (getRaySyncUserKey's raySyncUserKey)."""
        from rv_dcc.farm.transfer import transfer_token

        return transfer_token(self.access_key)

    def client(self, **kwargs: Any) -> Any:
        """A ``rv_dcc.api.RayvisionAPI`` for this farm (keyword arguments go to its constructor)."""
        from rv_dcc.api import RayvisionAPI

        options: Dict[str, Any] = dict(access_id=self.access_id, access_key=self.access_key, domain=self.domain,
                                       platform=self.platform, protocol="http")
        options.update(kwargs)
        return RayvisionAPI(**options)

    # -- life -------------------------------------------------------------------------------------
    def start(self) -> "EmbeddedFarm":
        """Open the store, bind the port and start the server and scheduler threads."""
        from rv_dcc.farm.render import Renderer
        from rv_dcc.farm.scheduler import Scheduler
        from rv_dcc.farm.server import FarmServer
        from rv_dcc.farm.store import Store
        from rv_dcc.farm.transfer import Transfer

        os.makedirs(self.data_dir, exist_ok=True)
        self.store = Store(self.data_dir)
        self.renderer = Renderer(self.data_dir, self._real_blender)
        self.transfer = Transfer(self)
        self.scheduler = Scheduler(self, self.speed, self.fail_rate, self.nodes)
        try:
            self._server = FarmServer((self.host, self.port), self)
        except OSError:
            self.store.close()
            raise
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.2},
                                        name="rv-farm-http", daemon=True)
        self._thread.start()
        self.scheduler.start()
        self._write_state()
        log.info("embedded farm serving %s from %s (speed %s, fail rate %s, real Blender renders: %s)",
                 self.url, self.data_dir, self.speed, self.fail_rate, self.renderer.real_blender)
        return self

    def stop(self) -> None:
        """Stop serving and close everything (idempotent)."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=10)
            self._thread = None
        if self.scheduler is not None:
            self.scheduler.stop()
        if self.renderer is not None:
            self.renderer.close()
        if self.store is not None:
            self.store.close()
        self._remove_state()

    def __enter__(self) -> "EmbeddedFarm":
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    # -- used by handlers ------------------------------------------------------------------------
    def wake(self) -> None:
        """Ask the scheduler for a tick now."""
        if self.scheduler is not None:
            self.scheduler.wake()

    def file_url(self, area: str, rel: str) -> str:
        """A capability URL (with ``sig``) for a thumbnail or output file."""
        from urllib.parse import quote

        from rv_dcc.farm.transfer import file_sig

        path = f"/farm/files/{area}/{quote(rel.lstrip('/'))}"
        return f"{self.url}{path}?sig={file_sig(self.access_key, path)}"

    def profile_price(self, gpu: bool) -> float:
        """The price per machine-hour of a frame (the profile's cpuPrice / gpuPrice)."""
        return float(catalog.PROFILE["gpuPrice" if gpu else "cpuPrice"])

    def record_login(self, address: str) -> None:
        """Record the first authenticated call of this run (loginRecord)."""
        with self.store.write() as conn:
            self.store.record(conn, "login", now_ms(), json.dumps({"ip": address, "accessId": self.access_id,
                                                                  "channel": 4}))

    def _write_state(self) -> None:
        state = {"pid": os.getpid(), "host": self.host, "port": self.port, "url": self.url,
                 "domain": self.domain, "access_id": self.access_id, "platform": self.platform,
                 "started_ms": now_ms()}
        path = os.path.join(self.data_dir, STATE_FILE)
        with open(path + ".part", "w", encoding="utf-8") as handle:
            json.dump(state, handle)
        os.replace(path + ".part", path)

    def _remove_state(self) -> None:
        path = os.path.join(self.data_dir, STATE_FILE)
        try:
            with open(path, encoding="utf-8") as handle:
                mine = json.load(handle).get("pid") == os.getpid()
            if mine:
                os.remove(path)
        except (OSError, ValueError):
            pass
