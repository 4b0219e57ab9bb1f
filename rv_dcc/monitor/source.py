"""What the monitor asks the farm, behind one small interface, and its adapter to RayvisionAPI.

The poller and the panel talk to a :class:`MonitorSource`, never to the client directly, so
tests and the scale benchmark can substitute an in-memory source, and the one place that knows
the client's method names and reply shapes is :class:`ApiSource`. Every method here blocks on
the network: call them from a worker thread, never from a GUI thread. No Qt.
"""
import logging
from collections import abc  # isinstance against typing.Mapping is ~10x slower (per row)
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Dict, List, Mapping, Optional, Sequence, Set, Tuple

try:
    from typing import Protocol, runtime_checkable
except ImportError:  # pragma: no cover
    from typing_extensions import Protocol, runtime_checkable  # type: ignore

from rv_dcc.api.replies import to_wire
from rv_dcc.errors import RvDccError

if TYPE_CHECKING:
    from rv_dcc.api.client import RayvisionAPI

log = logging.getLogger("rv_dcc.monitor.source")


@dataclass(frozen=True)
class TaskQuery:
    """What the task list shows: a page, optionally filtered by status, keyword and date."""

    page_num: int = 1
    page_size: int = 50
    status_list: Sequence[int] = ()
    search_keyword: str = ""
    start_time: str = ""   #: "yyyy-MM-dd HH:mm:ss" or ""
    end_time: str = ""


@dataclass
class Page:
    """One page of rows as the farm returned it."""

    items: List[Mapping[str, Any]] = field(default_factory=list)
    total: int = 0
    page_num: int = 1
    page_count: int = 1


class MonitorSource(Protocol):
    """The farm as the monitor sees it (blocking calls, for worker threads)."""

    def task_page(self, query: TaskQuery) -> Page:
        """One page of the task list (parents with their sub-tasks)."""

    def task_frames(self, task_id: int) -> List[Mapping[str, Any]]:
        """Every frame of one task (all pages)."""

    def thumbnail_urls(self, frame_id: int) -> List[str]:
        """URLs of a finished frame's thumbnails (may be empty)."""

    def processing_image(self, task_id: int) -> Dict[str, Any]:
        """The 3ds Max progress image description (loadTaskProcessImg data)."""

    def frame_log(self, frame_id: int, wanted: Optional[Callable[[], bool]] = None) -> str:
        """The render log of one frame, as text (``wanted``: stop early once it returns False)."""


def _get(obj: Any, key: str, default: Any = None) -> Any:
    """Read a wire key from a dict or a typed reply (rv_dcc.api models read by wire key)."""
    if obj is None:
        return default
    if isinstance(obj, abc.Mapping):
        return obj.get(key, default)
    try:
        return obj[key]
    except (KeyError, TypeError, IndexError):
        return getattr(obj, key, default)


class MalformedReplyError(RvDccError):
    """The farm answered a monitor query with something that is not a page of rows."""

    default_hint = "The farm's answer could not be read; it is asked again at the next refresh."


def _count(value: Any, default: int) -> int:
    """A non-negative count from the farm, or ``default`` when it is missing or unreadable."""
    if isinstance(value, bool):
        return default
    try:
        number = int(value)
    except (TypeError, ValueError, OverflowError):  # OverflowError: Infinity, which JSON decoders accept
        return default
    return number if number >= 0 else default


def _rows(items: Any) -> List[Mapping[str, Any]]:
    """The rows of a page that can be shown: mappings with an integer id (others are skipped)."""
    rows = []
    for item in items:
        data = to_wire(item)
        if not isinstance(data, abc.Mapping):
            continue
        key = data.get("id")
        if isinstance(key, bool) or not isinstance(key, (int, str)) or not str(key).lstrip("-").isdigit():
            continue
        rows.append(data)
    if len(rows) < len(items):
        log.warning("skipped %d unreadable row(s) of %d in the farm's answer", len(items) - len(rows), len(items))
    return rows


def page_from(reply: Any) -> Page:
    """Read a paged reply (``{pageCount, pageNum, total, size, items}``).

    Rows that are not objects with an integer ``id`` are skipped (and logged); a reply that is
    not a page at all raises :class:`MalformedReplyError`, a sentence the panel can show.
    """
    data = to_wire(reply)
    if isinstance(data, list):  # some replies are a bare list
        items = _rows(data)
        return Page(items=items, total=len(items))
    data = {} if data is None else data
    if not isinstance(data, abc.Mapping):
        raise MalformedReplyError(f"the farm answered with a {type(data).__name__} where a page of rows was expected")
    found: Any = data.get("items")
    if found is None:
        found = []
    if not isinstance(found, list):
        raise MalformedReplyError(f"the farm's page has {type(found).__name__} items, not a list")
    rows = _rows(found)
    return Page(items=rows, total=_count(data.get("total"), len(rows)), page_num=_count(data.get("pageNum"), 1),
                page_count=_count(data.get("pageCount"), 1))


def reply_rows(page_size: int, most: int, max_requests: int) -> int:
    """Rows to ask per request when reading a page of ``page_size`` rows at most ``most`` at a
    time: the largest divisor of ``page_size`` not above ``most`` (so the sub-pages tile the page
    exactly), or the whole page when that would take more than ``max_requests`` requests."""
    if page_size <= most:
        return page_size
    for size in range(most, 0, -1):
        if page_size % size == 0:
            return size if page_size // size <= max_requests else page_size
    return page_size  # pragma: no cover - 1 always divides


def urls_in(value: Any) -> List[str]:
    """Every http(s) URL inside a reply of unknown nesting (a string, list or dict of them)."""
    found: List[str] = []
    stack = [to_wire(value)]
    while stack:
        item = stack.pop(0)
        if isinstance(item, str):
            if item.startswith(("http://", "https://")):
                found.append(item)
        elif isinstance(item, abc.Mapping):
            stack.extend(item.values())
        elif isinstance(item, (list, tuple)):
            stack.extend(item)
    return found


@runtime_checkable
class Paced(Protocol):
    """A source that reads a big answer as several replies and lets the interface in between
    them: the poller sets ``checkpoint`` to its own (the panel's gate) before each fetch."""

    checkpoint: Optional[Callable[[], None]]


class ApiSource:
    """:class:`MonitorSource` over a :class:`rv_dcc.api.RayvisionAPI` (the only client-aware code here).

    Between two replies of one answer it calls ``checkpoint`` (see :class:`Paced`): while the
    panel paints, the worker waits there instead of decoding the next reply.
    """

    checkpoint: Optional[Callable[[], None]] = None

    #: frames per page when fetching a task's frames (the service's maximum page size)
    frame_page_size = 100

    def __init__(self, api: "RayvisionAPI") -> None:
        self.api = api

    #: Most tasks asked in one request. Decoding a reply holds the GIL from start to end (json is
    #: C, with no point where another thread may run), so a page of 1,000 tasks froze the panel of
    #: a host for tens of milliseconds while a worker decoded it; a bigger page is read as several
    #: requests of this many (bench/monitor_scale.py: issue 12).
    task_reply_rows = 100
    #: ...unless that takes more requests than this (a page size with no divisor near 100)
    max_task_requests = 60

    def task_page(self, query: TaskQuery) -> Page:
        size = reply_rows(query.page_size, self.task_reply_rows, self.max_task_requests)
        if size >= query.page_size:
            return page_from(self.api.query.get_task_list(**self._task_kwargs(query, query.page_num, query.page_size)))
        # rows [(page_num - 1) * page_size, page_num * page_size) as sub-pages of ``size`` rows
        parts = query.page_size // size
        first = (query.page_num - 1) * parts + 1
        items: List[Mapping[str, Any]] = []
        seen: Set[Any] = set()
        total = 0
        for number in range(first, first + parts):
            if number != first:
                self._pace()
            page = page_from(self.api.query.get_task_list(**self._task_kwargs(query, number, size)))
            total = page.total
            fresh = [row for row in page.items if row.get("id") not in seen]  # a list that moved meanwhile
            seen.update(row.get("id") for row in fresh)
            items.extend(fresh)
            if len(page.items) < size or number * size >= total:
                break
        page_count = max(1, -(-total // query.page_size)) if total else 1
        return Page(items=items, total=total, page_num=query.page_num, page_count=page_count)

    def _pace(self) -> None:
        checkpoint = self.checkpoint
        if checkpoint is not None:
            checkpoint()

    @staticmethod
    def _task_kwargs(query: TaskQuery, page_num: int, page_size: int) -> Dict[str, Any]:
        kwargs: Dict[str, Any] = {"page_num": page_num, "page_size": page_size}
        if query.status_list:
            kwargs["status_list"] = list(query.status_list)
        if query.search_keyword:
            kwargs["search_keyword"] = query.search_keyword
        if query.start_time:
            kwargs["start_time"] = query.start_time
        if query.end_time:
            kwargs["end_time"] = query.end_time
        return kwargs

    #: most pages read for one task's frames: a farm that ignores pageNum (or claims millions of
    #: pages) must not keep a worker fetching forever
    max_frame_pages = 500

    def task_frames(self, task_id: int) -> List[Mapping[str, Any]]:
        frames: List[Mapping[str, Any]] = []
        seen: Set[Any] = set()
        page_num = 1
        while True:
            page = page_from(self.api.query.task_frames(task_id=task_id, page_num=page_num,
                                                        page_size=self.frame_page_size))
            fresh = [row for row in page.items if row.get("id") not in seen]
            seen.update(row.get("id") for row in fresh)
            frames.extend(fresh)
            if (not fresh or page_num >= page.page_count or len(frames) >= page.total
                    or page_num >= self.max_frame_pages):
                return frames
            page_num += 1
            self._pace()

    def thumbnail_urls(self, frame_id: int) -> List[str]:
        return urls_in(self.api.query.get_frame_thumbnall(frame_id=frame_id))

    def processing_image(self, task_id: int) -> Dict[str, Any]:
        return to_wire(self.api.query.get_task_processing_img(task_id=task_id)) or {}

    #: lines per showLog page, and the most lines read for one log: its beginning and its end
    #: (where the error that stopped a frame is), with a line saying what was left out between
    log_page_size = 1000
    max_log_lines = 20000

    def frame_log(self, frame_id: int, wanted: Optional[Callable[[], bool]] = None) -> str:
        """The whole render log, read page by page (a long one: its first and last lines).

        ``wanted`` is asked before each page: the panel stops reading a log the artist has
        already moved away from, so abandoned reads never hold up the polls.
        """
        def page(page_num: int) -> Tuple[Any, Optional[List[Any]]]:
            reply = to_wire(self.api.query.show_log(frame_id=frame_id, page_num=page_num,
                                                    page_size=self.log_page_size))
            items = reply.get("items") if isinstance(reply, abc.Mapping) else None
            return reply, items if isinstance(items, list) else None

        first, items = page(1)
        if items is None:
            return log_text(first)  # not the paged shape: show whatever it is
        lines = [log_text(line) for line in items]
        # a farm may cap the page size below what was asked, and send its counts as strings
        size = len(items) if 0 < len(items) < self.log_page_size else self.log_page_size
        total = _count(first.get("total"), 0)
        # no total: the page count, else read on (bounded) while pages come back full
        pages = -(-total // size) if total else _count(first.get("pageCount"), 0) or (
            self.max_log_lines // size if len(items) >= size else 1)
        keep = max(2, self.max_log_lines // size)  # pages read, the first one included
        tail_from = 2 if pages <= keep else pages - keep + 2
        tail: List[str] = []
        for page_num in range(tail_from, pages + 1):
            if wanted is not None and not wanted():
                break
            _reply, page_items = page(page_num)
            if not page_items:
                break  # the log ended sooner than its counts said
            tail.extend(log_text(line) for line in page_items)
        skipped = (tail_from - 2) * size
        if skipped > 0:
            lines.append(f"[... {skipped:,} lines not shown: the log has {total or pages * size:,} lines; "
                         f"the first {len(lines):,} and the last {len(tail):,} are shown ...]")
        elif total and len(lines) + len(tail) < total:
            tail.append(f"[... the farm sent {len(lines) + len(tail):,} of the log's {total:,} lines ...]")
        return "\n".join(lines + tail)


def log_text(reply: Any) -> str:
    """The text of a showLog reply, whatever its shape (string, list of lines, paged items)."""
    if reply is None:
        return ""
    if isinstance(reply, str):
        return reply
    if isinstance(reply, abc.Mapping):
        for key in ("content", "log", "text", "renderLog", "items", "data", "lines"):
            if key in reply:
                return log_text(reply[key])
        return "\n".join(f"{key}: {value}" for key, value in reply.items())
    if isinstance(reply, (list, tuple)):
        return "\n".join(log_text(line) for line in reply)
    return str(reply)
