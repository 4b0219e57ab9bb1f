"""Catch Qt wrappers in cyclic garbage: the precondition of the worker-thread crash of issue 12.

CPython's cyclic collector runs on whichever thread happens to allocate when a threshold is
reached. When it frees a reference cycle that holds a Qt wrapper (a widget whose lambda keeps
``self`` alive, a runnable, a bridge object), the wrapper's C++ object is destroyed on that
thread - a pool thread, in the panel's case - and PySide2/PySide6 crash now and then. So the
rule is: no Qt wrapper is ever in, or only reachable from, cyclic garbage.

:class:`CycleGuard` makes a violation deterministic instead of a 1-in-8 crash: for the length of
a test it sets ``gc.DEBUG_SAVEALL`` (everything a collection finds unreachable is kept in
``gc.garbage`` instead of being freed) and lowers the first threshold so collections are
frequent; a ``gc.callbacks`` hook notes which thread each collection ran on and what Qt objects
it found. At the end one last collection on the main thread gathers what is left; the test
fails listing every Qt object that sat in cyclic garbage (and which ones a worker found). The
saved garbage is then released on the main thread. This is a test fixture: it changes the
collector's settings only inside a test and restores them after.
"""
import gc
import threading
from typing import Any, Dict, List, Tuple

QT_MODULES = ("PySide6", "PySide2", "PyQt5", "PyQt6", "shiboken")
#: Qt classes whose objects must die on the GUI thread: QObjects (thread affinity: widgets,
#: timers, models, the runner), pixmaps, icons and cursors (GUI-thread only), runnables. Value
#: types (QRect, QFont, a style option) may be freed anywhere; PyQt5 even puts them in cycles of
#: its own (a struct member's wrapper and the struct keep each other).
THREAD_BOUND = ("QObject", "QPixmap", "QIcon", "QCursor", "QRunnable", "QPicture", "QBitmap")


def is_qt(obj: Any) -> bool:
    """True for an instance of a thread-bound Qt class (or a Python subclass of one)."""
    try:
        mro = type(obj).__mro__
    except Exception:  # noqa: BLE001 - exotic objects in garbage
        return False
    return any(cls.__name__ in THREAD_BOUND and (getattr(cls, "__module__", "") or "").startswith(QT_MODULES)
               for cls in mro)


def qt_in(objects: List[Any]) -> List[Any]:
    """The Qt wrappers among ``objects``. Wrappers are tracked by the collector (all three
    bindings), so every wrapper a collection would free is itself in ``gc.garbage``."""
    return [obj for obj in objects if is_qt(obj)]


def cycle_through(start: Any, garbage: List[Any], limit: int = 12) -> str:
    """The shortest reference cycle from ``start`` back to itself within ``garbage``, as text
    ("SubmitView -> dict -> function <lambda> -> cell -> SubmitView"): where to break it."""
    members = {id(obj) for obj in garbage}
    previous: Dict[int, Any] = {id(start): None}
    objects: Dict[int, Any] = {id(start): start}
    layer = [start]
    for _ in range(limit):
        nxt = []
        for obj in layer:
            for ref in gc.get_referents(obj):
                if ref is start:
                    path = [obj]
                    while previous[id(path[-1])] is not None:
                        path.append(previous[id(path[-1])])
                    names = [_short(item) for item in reversed(path)] + [_short(start)]
                    return " -> ".join(names)
                if id(ref) in members and id(ref) not in previous:
                    previous[id(ref)] = obj
                    objects[id(ref)] = ref
                    nxt.append(ref)
        layer = nxt
    return _short(start) + " (no cycle found: kept by one; held by " + held_by(start, garbage, members) + ")"


def held_by(start: Any, garbage: List[Any], members: Any, limit: int = 10) -> str:
    """Who in the garbage holds ``start``, up the chain: frames name their function (a frame kept
    by an exception's traceback holds its caller's locals, a widget among them)."""
    chain = []
    obj = start
    for _ in range(limit):
        refs = [ref for ref in gc.get_referrers(obj) if id(ref) in members and ref is not garbage]
        if not refs:
            break
        obj = refs[0]
        name = getattr(getattr(obj, "f_code", None), "co_name", "") or getattr(obj, "__qualname__", "")
        chain.append(_short(obj) + (f" {name}" if name else ""))
    return " <- ".join(chain) or "nothing found"


def _short(obj: Any) -> str:
    if type(obj).__name__ == "function":
        return f"function {obj.__qualname__}"
    if isinstance(obj, dict):
        keys = list(obj)[:4]
        return f"dict{keys}"
    return type(obj).__name__


def describe(obj: Any) -> str:
    """A short name for a Qt object in a failure message."""
    name = type(obj).__name__
    try:
        object_name = obj.objectName() if hasattr(obj, "objectName") else ""
    except Exception:  # noqa: BLE001 - its C++ side may be gone
        object_name = ""
    return f"{name}({object_name})" if object_name else name


class CycleGuard:
    """Record Qt objects found in cyclic garbage during a test (see the module docstring)."""

    def __init__(self, threshold: int = 50) -> None:
        self.threshold = threshold
        self.worker_finds: List[Tuple[str, str]] = []   # (thread name, object)
        self.worker_collections = 0
        self._seen = 0
        self._saved: Tuple[Any, ...] = ()
        self._lock = threading.Lock()

    def _callback(self, phase: str, info: Dict[str, Any]) -> None:
        if phase != "stop":
            return
        thread = threading.current_thread()
        with self._lock:
            fresh = gc.garbage[self._seen:]
            self._seen = len(gc.garbage)
            if thread is threading.main_thread():
                return
            self.worker_collections += 1
            for obj in qt_in(fresh):
                self.worker_finds.append((thread.name, describe(obj)))

    def start(self) -> None:
        self._saved = (gc.get_debug(), gc.get_threshold())
        gc.collect()
        gc.garbage.clear()
        self._seen = 0
        gc.set_debug(gc.DEBUG_SAVEALL)
        gc.set_threshold(self.threshold, *self._saved[1][1:])
        gc.callbacks.append(self._callback)

    def stop(self) -> List[str]:
        """End the watch; returns the Qt objects found in cyclic garbage (empty when clean)."""
        gc.collect()
        gc.callbacks.remove(self._callback)
        debug, threshold = self._saved
        garbage = list(gc.garbage)
        qt_objects = qt_in(garbage)
        found = [describe(obj) for obj in qt_objects]
        #: one reference cycle that held a Qt object, to show where to break it
        self.example = cycle_through(qt_objects[0], garbage) if qt_objects else ""
        #: the functions in the same garbage: usually the lambda or closure that made the cycle
        self.functions = sorted({f"{fn.__module__}.{fn.__qualname__}" for fn in garbage
                                 if type(fn).__name__ == "function"}) if found else []
        del garbage, qt_objects
        gc.set_debug(0)
        gc.garbage.clear()  # released here, on the main thread, and really freed this time
        gc.collect()
        gc.set_debug(debug)
        gc.set_threshold(*threshold)
        problems = sorted(set(found))
        problems += sorted({f"{name} (found by a collection on thread {thread})" for thread, name in self.worker_finds})
        return problems
