"""Snapshots of farm rows and the change sets between two of them, computed by id.

The monitor never replaces what a view shows: it compares the rows of the last poll with the
rows of this one and reports what was added (with its parent and position among its siblings),
what changed (only the fields that changed) and what was removed. Item models apply exactly
that, so selection, expansion and scroll position survive every poll (DESIGN.md, cuegui's
"rows by id"). Rows are plain dicts of the fields the panel shows; the farm's raw items are
normalised by :func:`task_row` / :func:`frame_row` so a field the panel does not show never
causes a change. Pure standard library, no Qt.
"""
from collections import abc  # isinstance against typing.Mapping is ~10x slower (per row)
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple

from rv_dcc.api.replies import to_wire

Key = int
Row = Dict[str, Any]
#: Called by a worker every PACE_ROWS rows so that an interface can take its turn (the panel
#: injects its gate's pause: rv_dcc.ui.pacing); None costs nothing.
Checkpoint = Optional[Callable[[], None]]
#: Rows handled between two checkpoints: every 32 rows (a fraction of a millisecond) with a
#: 0.1 ms pause kept the panel's longest stall near 20 ms at 5,000 tasks (bench/monitor_scale.py).
PACE_ROWS = 32

#: Task fields the panel shows (wire names); anything else in the farm's item is ignored.
TASK_FIELDS = (
    "id", "taskAlias", "sceneName", "layerName", "taskStatus", "totalFrames", "doneFrames",
    "failedFrames", "executingFrames", "abortFrames", "renderConsume", "userAccountConsume",
    "couponConsume", "submitDate", "startTime", "completedDate", "projectName", "taskUserLevel",
    "taskOverTime", "overTimeStop", "labels", "cgId", "framesRange", "outputFileName", "renderCamera",
    "taskType", "isOverTime",
)
#: Frame fields the panel shows.
FRAME_FIELDS = (
    "id", "taskId", "frameIndex", "frameBlock", "frameStatus", "frameType", "feeAmount", "couponFee",
    "startTime", "endTime", "frameExecuteTime", "currentRenderTime", "recommitFlag", "nodeId",
    "averageCpu", "averageMemory", "frameRam", "isOverTime", "gopName",
)


def _as_mapping(item: Any) -> Mapping[str, Any]:
    """Read a farm item as a wire-keyed mapping (a dict, or a typed model read by wire key)."""
    if isinstance(item, abc.Mapping):
        return item
    data = to_wire(item)  # a typed reply of rv_dcc.api: the JSON it was read from
    if not isinstance(data, abc.Mapping):
        raise TypeError(f"cannot read a farm row from {type(item).__name__}")
    return data


def _keyed(item: Any) -> bool:
    """True when ``item`` is a farm row with an integer ``id``."""
    try:
        key = _as_mapping(item).get("id")
    except TypeError:
        return False
    return not isinstance(key, bool) and isinstance(key, (int, str)) and str(key).lstrip("-").isdigit()


def task_row(item: Any, parent: Optional[Key] = None) -> Row:
    """The panel's view of one task item (``parent`` is the task id for a sub-task)."""
    data = _as_mapping(item)
    row = {name: data.get(name) for name in TASK_FIELDS}
    row["id"] = int(data["id"])
    row["parent"] = parent
    return row


def frame_row(item: Any, layers: Optional[Mapping[Any, str]] = None) -> Row:
    """The panel's view of one frame item. ``layers`` maps a layer sub-task's id to its layer /
    ROP / take name: the frames of a task with several come from its sub-tasks, and frame 5
    failing means nothing until it says which layer's frame 5 (``row["layer"]``)."""
    data = _as_mapping(item)
    row = {name: data.get(name) for name in FRAME_FIELDS}
    row["id"] = int(data["id"])
    layer = layers.get(data.get("taskId")) if layers else None
    row["layer"] = layer if isinstance(layer, str) else ""
    return row


def flatten_tasks(items: Iterable[Any], checkpoint: Checkpoint = None
                  ) -> Tuple[Dict[Key, Row], Dict[Optional[Key], List[Key]]]:
    """Task-list items -> (rows by id, child ids in server order per parent; None = top level).

    Sub-tasks come from ``respRenderingTaskList``; a sub-task that is also listed at the top level
    (some farms do) stays under its parent only.
    """
    rows: Dict[Key, Row] = {}
    children: Dict[Optional[Key], List[Key]] = {None: []}
    for count, item in enumerate(items, 1):
        if checkpoint is not None and count % PACE_ROWS == 0:
            checkpoint()
        data = _as_mapping(item)
        parent_row = task_row(data)
        parent_id = parent_row["id"]
        subs = data.get("respRenderingTaskList") or []
        # A sub-task the panel cannot key (not an object, no integer id) is left out, not fatal.
        subs = [sub for sub in subs if _keyed(sub)] if isinstance(subs, list) else []
        if parent_id not in rows:
            rows[parent_id] = parent_row
            children[None].append(parent_id)
        else:  # already seen as somebody's child: refresh its fields, keep its place
            parent_row["parent"] = rows[parent_id]["parent"]
            rows[parent_id] = parent_row
        if not subs:  # no empty list per childless task: fewer containers for the GC to walk
            continue
        kids = children.setdefault(parent_id, [])
        for sub in subs:
            sub_row = task_row(sub, parent=parent_id)
            sub_id = sub_row["id"]
            if sub_id in rows and rows[sub_id]["parent"] is None:
                children[None].remove(sub_id)
            rows[sub_id] = sub_row
            if sub_id not in kids:
                kids.append(sub_id)
    return rows, children


@dataclass
class Added:
    """A row that appeared: where it goes (parent id, index among its siblings) and its fields."""

    key: Key
    parent: Optional[Key]
    position: int
    row: Row


@dataclass
class ChangeSet:
    """What changed between two snapshots; apply removals, then additions, then changes."""

    added: List[Added] = field(default_factory=list)
    changed: Dict[Key, Row] = field(default_factory=dict)
    removed: List[Key] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.added or self.changed or self.removed)

    def __len__(self) -> int:
        return len(self.added) + len(self.changed) + len(self.removed)


def diff_rows(old: Mapping[Key, Row], new: Mapping[Key, Row], checkpoint: Checkpoint = None) -> Dict[Key, Row]:
    """Rows present in both whose fields differ -> only the differing fields (new values)."""
    changed: Dict[Key, Row] = {}
    for count, (key, new_row) in enumerate(new.items(), 1):
        if checkpoint is not None and count % PACE_ROWS == 0:
            checkpoint()
        old_row = old.get(key)
        if old_row is None or old_row is new_row or old_row == new_row:  # equal dicts: one C-level compare
            continue
        delta = {name: value for name, value in new_row.items() if old_row.get(name) != value}
        if delta:
            changed[key] = delta
    return changed


class Snapshot:
    """Rows by id plus their tree shape (child ids per parent, server order)."""

    def __init__(self, rows: Optional[Dict[Key, Row]] = None,
                 children: Optional[Mapping[Optional[Key], Sequence[Key]]] = None) -> None:
        self.rows: Dict[Key, Row] = rows or {}
        # Tuples, not lists: a tuple of ints is untracked by the garbage collector, a list is not.
        # Every poll builds a new snapshot with a child list per task that has sub-tasks (1,300 at
        # 5,000 tasks); as lists they reached the oldest generation each poll and set off full
        # collections, the longest stalls of bench/monitor_scale.py (issue 12).
        self.children: Dict[Optional[Key], Tuple[Key, ...]] = {
            parent: tuple(keys) for parent, keys in (children or {None: ()}).items()}

    @classmethod
    def of_tasks(cls, items: Iterable[Any], checkpoint: Checkpoint = None) -> "Snapshot":
        """Build from task-list items (with their sub-tasks)."""
        rows, children = flatten_tasks(items, checkpoint)
        return cls(rows, children)

    @classmethod
    def of_frames(cls, items: Iterable[Any], checkpoint: Checkpoint = None,
                  layers: Optional[Mapping[Any, str]] = None) -> "Snapshot":
        """Build from frame items (a flat list); ``layers``: see :func:`frame_row`."""
        rows: Dict[Key, Row] = {}
        order: List[Key] = []
        for count, item in enumerate(items, 1):
            if checkpoint is not None and count % PACE_ROWS == 0:
                checkpoint()
            row = frame_row(item, layers)
            if row["id"] not in rows:
                order.append(row["id"])
            rows[row["id"]] = row
        return cls(rows, {None: order})

    def parent_of(self, key: Key) -> Optional[Key]:
        """The parent id of ``key`` (None for a top-level row)."""
        return self.rows[key].get("parent")

    def changes_to(self, new: "Snapshot", checkpoint: Checkpoint = None) -> ChangeSet:
        """The change set that turns this snapshot into ``new``.

        A row whose parent changed is reported as removed and added again (rare: a task that
        became a sub-task). Positions of added rows are indices in ``new``'s sibling lists, so
        applying additions in order (parents first, then by position) reproduces ``new``'s order
        for new rows while existing rows keep their place.
        """
        removed = [key for key in self.rows if key not in new.rows
                   or self.rows[key].get("parent") != new.rows[key].get("parent")]
        removed_set = set(removed)
        added: List[Added] = []
        # walk new's tree top-down so a parent is always added before its children
        stack: List[Optional[Key]] = [None]
        while stack:
            parent = stack.pop()
            for position, key in enumerate(new.children.get(parent, [])):
                if key not in self.rows or key in removed_set:
                    added.append(Added(key, parent, position, new.rows[key]))
                if new.children.get(key):
                    stack.append(key)
        kept_old = {key: row for key, row in self.rows.items() if key not in removed_set}
        changed = diff_rows(kept_old, new.rows, checkpoint)
        # descendants of a removed row are removed with it: report only the top-most
        removed = [key for key in removed if not self._ancestor_in(key, removed_set)]
        return ChangeSet(added=added, changed=changed, removed=removed)

    def _ancestor_in(self, key: Key, keys: "set") -> bool:
        parent = self.rows[key].get("parent")
        while parent is not None:
            if parent in keys:
                return True
            parent = self.rows.get(parent, {}).get("parent")
        return False


def split_changes(changes: ChangeSet, size: int) -> List[ChangeSet]:
    """Cut a change set into pieces of at most ``size`` entries that, applied in order, equal it.

    Removals come first, then additions in their order (parents before children, positions
    counted in the new snapshot, so each piece lands where the whole would), then changed
    fields. The panel applies a big set (the first page of 5,000 tasks) one piece per event-loop
    turn so that no single step freezes the interface.
    """
    size = max(1, int(size))
    pieces: List[ChangeSet] = []
    for start in range(0, len(changes.removed), size):
        pieces.append(ChangeSet(removed=changes.removed[start:start + size]))
    for start in range(0, len(changes.added), size):
        pieces.append(ChangeSet(added=changes.added[start:start + size]))
    keys = list(changes.changed)
    for start in range(0, len(keys), size):
        pieces.append(ChangeSet(changed={key: changes.changed[key] for key in keys[start:start + size]}))
    return pieces
