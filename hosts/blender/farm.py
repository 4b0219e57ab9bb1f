"""The farm side of Blender's task panel: connect, list this scene's tasks, fetch thumbnails.

Runs in the poller's worker thread only (every call blocks on the network). Uses the core's
``rv_dcc.monitor`` source and thumbnail cache, so the Blender panel and the Qt monitor read the
farm the same way. The farm is found as the CLI finds it (``rv_dcc.commands.connect``): the
account from ``rv_dcc.api.credentials``, else the embedded farm located (or started) by
``rv_dcc.farm.launcher``. No bpy, no Qt.
"""
import logging
import os
from typing import Any, Callable, List, Optional, Tuple

from rv_dcc_hosts.blender.monitor import FetchTasks, FetchThumbnail, TaskRow

log = logging.getLogger("rv_dcc.hosts.blender.farm")

#: tasks read per poll; the panel shows the newest of them that belong to this scene
PAGE_SIZE = 30
#: frame status "complete" (queryTaskFrames): only finished frames have thumbnails
FRAME_DONE = 4


def connect() -> Any:
    """A ``RayvisionAPI`` found exactly as the ``rv-dcc`` commands find theirs.

    The configured account (``rv_dcc.api.credentials``: arguments, RAYVISION_API_* variables,
    registered sources, the account file); with none, the embedded farm the launcher keeps
    running in the background (started when it is not), on whatever port it got.
    """
    from types import SimpleNamespace

    from rv_dcc.commands.connect import connect as cli_connect

    # no --domain/--platform/--protocol inside Blender: the account's (or the farm's) own values
    return cli_connect(SimpleNamespace(domain=None, platform=None, protocol=None))


def _int(value: Any) -> int:
    try:
        return int(value or 0)
    except (TypeError, ValueError):
        return 0


def to_row(item: Any) -> TaskRow:
    """A getTaskList item (wire keys) -> the few fields the Blender panel draws."""
    return {
        "id": _int(item.get("id")),
        "name": str(item.get("taskAlias") or item.get("sceneName") or item.get("id")),
        "scene": str(item.get("sceneName") or ""),
        "status": _int(item.get("taskStatus")),
        "status_text": str(item.get("statusText") or ""),
        "total": _int(item.get("totalFrames")),
        "done": _int(item.get("doneFrames")),
        "failed": _int(item.get("failedFrames")),
        "executing": _int(item.get("executingFrames")),
    }


def _same_scene(scene_name: str, blend_file: str) -> bool:
    if not blend_file:
        return True  # an unsaved scene: show every recent task
    wanted = os.path.basename(blend_file).lower()
    return os.path.basename(scene_name.replace("\\", "/")).lower() == wanted


def make_fetchers(source: Any, blend_file: Callable[[], str], cache: Any) -> Tuple[FetchTasks, FetchThumbnail]:
    """Poller callbacks over a ``rv_dcc.monitor.source.MonitorSource`` and a ``ThumbnailCache``.

    Tasks are those whose scene name is the .blend ``blend_file()`` names at the time of the poll
    (all recent tasks when it was never saved);
    the thumbnail is the most recently finished frame's.
    """
    from rv_dcc.monitor.source import TaskQuery

    def fetch_tasks() -> List[TaskRow]:
        page = source.task_page(TaskQuery(page_num=1, page_size=PAGE_SIZE))
        rows = [to_row(item) for item in page.items]
        current = blend_file()
        return [row for row in rows if _same_scene(row["scene"], current)]

    def fetch_thumbnail(row: TaskRow) -> Optional[Tuple[str, str]]:
        frames = [f for f in source.task_frames(row["id"]) if _int(f.get("frameStatus")) == FRAME_DONE]
        if not frames:
            return None
        latest = max(frames, key=lambda f: (_int(f.get("endTime")), _int(f.get("id"))))
        frame_id, renders = _int(latest.get("id")), _int(latest.get("recommitFlag"))
        key = "%d_%d" % (frame_id, renders)
        path = cache.cached(frame_id, renders) or cache.fetch(frame_id, source.thumbnail_urls(frame_id), renders)
        return (key, path) if path else None

    return fetch_tasks, fetch_thumbnail


def default_fetchers(blend_file: Callable[[], str]) -> Tuple[FetchTasks, FetchThumbnail]:
    """Fetchers for the configured account (or the embedded farm), with the shared thumbnail cache."""
    from rv_dcc.monitor.source import ApiSource
    from rv_dcc.monitor.thumbs import ThumbnailCache, namespace_for

    api = connect()
    return make_fetchers(ApiSource(api), blend_file, ThumbnailCache(namespace=namespace_for(api)))


def lazy_fetchers(blend_file: Callable[[], str]) -> Tuple[FetchTasks, FetchThumbnail]:
    """Like ``default_fetchers`` but connecting on the first call, i.e. in the worker thread:
    importing the client (requests, pydantic) and reading the account never block Blender."""
    built: List[Tuple[FetchTasks, FetchThumbnail]] = []

    def real() -> Tuple[FetchTasks, FetchThumbnail]:
        if not built:
            built.append(default_fetchers(blend_file))
        return built[0]

    def fetch_tasks() -> List[TaskRow]:
        return real()[0]()

    def fetch_thumbnail(row: TaskRow) -> Optional[Tuple[str, str]]:
        return real()[1](row)

    return fetch_tasks, fetch_thumbnail
