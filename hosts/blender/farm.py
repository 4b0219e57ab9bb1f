"""The farm side of Blender's task panel: connect, list this scene's tasks, fetch thumbnails.

Runs in the poller's worker thread only (every call blocks on the network). Uses the core's
``rv_dcc.monitor`` source, poller and thumbnail cache, so the Blender panel and the Qt monitor
read the farm the same way. The farm is found as the CLI finds it (``rv_dcc.app.connect``, the
composition root): the account from ``rv_dcc.api.credentials``, else the embedded farm located (or
started) in the background. No bpy, no Qt.
"""
import logging
import threading
from typing import Any, Callable, List, Optional, Tuple

from rv_dcc.api.status import FrameStatus
from rv_dcc_hosts.blender.monitor import FetchThumbnail, TaskPoller, TaskRow, as_int

log = logging.getLogger("rv_dcc.hosts.blender.farm")


def connect() -> Any:
    """A ``RayvisionAPI`` found exactly as the ``rv-dcc`` commands find theirs.

    The configured account (``rv_dcc.api.credentials``: arguments, RAYVISION_API_* variables,
    registered sources, the account file); with none, the embedded farm the launcher keeps
    running in the background (started when it is not), on whatever port it got.
    """
    from rv_dcc.app.connect import FarmAddress, connect as connect_to

    # no --domain/--platform/--protocol inside Blender: the account's (or the farm's) own values
    return connect_to(FarmAddress())


class LazySource:
    """A ``MonitorSource`` that connects on first use, i.e. in the poller's worker thread: reading
    the account and finding (or starting) the farm never block Blender. The modules it needs are
    imported on the main thread beforehand (:func:`preload`). A failed connection raises from
    the call, so the shared Poller backs off and tries again."""

    def __init__(self, connector: Callable[[], Any] = connect) -> None:
        self._connector = connector
        self._source: Any = None
        self._cache: Any = None
        self._lock = threading.Lock()

    def _real(self) -> Any:
        with self._lock:
            if self._source is None:
                from rv_dcc.monitor.source import ApiSource
                from rv_dcc.monitor.thumbs import ThumbnailCache, namespace_for

                api = self._connector()
                self._cache = ThumbnailCache(namespace=namespace_for(api))
                self._source = ApiSource(api)
            return self._source

    def task_page(self, query: Any) -> Any:
        """One page of the task list (connects first when needed)."""
        return self._real().task_page(query)

    def task_frames(self, task_id: int) -> List[Any]:
        """Every frame of one task."""
        return self._real().task_frames(task_id)

    def thumbnail_urls(self, frame_id: int) -> List[str]:
        """URLs of a finished frame's thumbnails."""
        return self._real().thumbnail_urls(frame_id)

    def thumbnail_cache(self) -> Any:
        """The shared thumbnail cache of the farm connected to."""
        self._real()
        return self._cache


def thumbnail_fetcher(source: Any, cache: Callable[[], Any]) -> FetchThumbnail:
    """The poller's thumbnail callback: the most recently finished frame of a task, through
    ``cache()`` (a ``rv_dcc.monitor.thumbs.ThumbnailCache``, shared with the Qt panel)."""

    def fetch_thumbnail(row: TaskRow) -> Optional[Tuple[str, str]]:
        frames = [f for f in source.task_frames(row["id"])  # only finished frames have thumbnails
                  if as_int(f.get("frameStatus")) == FrameStatus.DONE]
        if not frames:
            return None
        latest = max(frames, key=lambda f: (as_int(f.get("endTime")), as_int(f.get("id"))))
        frame_id, renders = as_int(latest.get("id")), as_int(latest.get("recommitFlag"))
        key = "%d_%d" % (frame_id, renders)
        store = cache()
        path = store.cached(frame_id, renders) or store.fetch(frame_id, source.thumbnail_urls(frame_id), renders)
        return (key, path) if path else None

    return fetch_thumbnail


#: What the poller's worker imports when it first connects (the client with requests, urllib3,
#: charset_normalizer, idna, ssl, pydantic and pydantic_core; the account; the farm launcher, pure
#: Python and reached only through rv_dcc.app, is left to the worker).
#: rv_dcc.api loads its parts lazily (module ``__getattr__``): the client is named, which builds
#: the reply models (pydantic) here too.
WORKER_MODULES = ("requests", "pydantic", "platformdirs", "rv_dcc.api.client", "rv_dcc.api.credentials",
                  "rv_dcc.api.models", "rv_dcc.api.models_task", "rv_dcc.api._ns", "rv_dcc.api.deadline",
                  "rv_dcc.api.env", "rv_dcc.api.wire", "rv_dcc.app.connect", "rv_dcc.monitor.source",
                  "rv_dcc.monitor.thumbs")


def preload() -> None:
    """Import on Blender's main thread what the worker will need, before it starts.

    A compiled extension initialised on a worker thread took Blender 3.4 down: CI's window test
    segfaulted in ``create_module`` of charset_normalizer's mypyc extension, imported by requests
    from the poller thread while the main thread ran the Submit operator (Blender's crash.txt).
    Importing here costs the first Submit/Refresh about a third of a second, once a session; the
    worker then finds everything in ``sys.modules`` (tests/hosts/blender/gui_driver.py records
    every import made off the main thread and the window test fails on a compiled one outside
    Python's own library; the standard library's own, imported lazily by pydantic on a first
    validation, are CPython's and initialise safely on any thread).
    """
    import importlib

    for name in WORKER_MODULES:
        importlib.import_module(name)


def default_poller(blend_file: str) -> TaskPoller:
    """The poller the add-on uses: the configured account (or the embedded farm), connected lazily."""
    source = LazySource()
    return TaskPoller(source, thumbnail_fetcher(source, source.thumbnail_cache), scene=blend_file)
