"""Callbacks for signal connections that never keep a widget alive: no reference cycles.

A child widget's connection that holds a strong reference to its parent (a lambda over
``self``, ``functools.partial(self.method, ...)``, a bound method wrapped in another callable)
puts parent and child in a reference cycle under PyQt5, whose wrappers let the cyclic collector
see both the connection and the parent's ownership of its children. The collector then frees
the whole panel on whatever thread it happens to run on: a worker's, where destroying a QObject
crashes the host now and then. :class:`WeakCall` holds the target weakly; when it is gone, the
call does nothing. PyQt5 and PySide already hold a plain bound method weakly, so connecting one
directly is fine; use this for anything with arguments baked in.
"""
import functools
import inspect
import weakref
from typing import Any, Callable, Optional, Tuple


class WeakCall:
    """``fn(*args, *signal_args)`` without a strong reference to ``fn``'s object.

    ``fn`` may be a bound method, a partial of one, a Qt wrapper's own method (``dialog.close``)
    or a plain function (held normally: it owns no widget). ``signal_args=False`` drops whatever
    the signal sends (``clicked`` sends a checked flag to a handler that takes nothing).
    """

    __slots__ = ("_ref", "_name", "_fn", "args", "keywords", "signal_args")

    def __init__(self, fn: Callable[..., Any], *args: Any, signal_args: bool = True, **keywords: Any) -> None:
        if isinstance(fn, functools.partial):
            args = tuple(fn.args) + args
            keywords = {**(fn.keywords or {}), **keywords}
            fn = fn.func
        self.args: Tuple[Any, ...] = args
        self.keywords = keywords
        self.signal_args = signal_args
        self._ref: Optional[Any] = None
        self._name = ""
        self._fn: Optional[Callable[..., Any]] = None
        owner = getattr(fn, "__self__", None)
        if inspect.ismethod(fn):
            self._ref = weakref.WeakMethod(fn)
        elif owner is not None and not inspect.ismodule(owner):
            try:  # a builtin method of a (Qt) object: keep the object weakly, look the method up
                self._ref = weakref.ref(owner)
                self._name = fn.__name__
            except TypeError:
                self._fn = fn
        else:
            self._fn = fn

    def target(self) -> Optional[Callable[..., Any]]:
        """The callable now, or None once its object is gone."""
        if self._fn is not None:
            return self._fn
        found = self._ref() if self._ref is not None else None
        if found is None:
            return None
        return getattr(found, self._name) if self._name else found

    def __call__(self, *signal_args: Any) -> Any:
        fn = self.target()
        if fn is None:
            return None
        extra = signal_args if self.signal_args else ()
        return fn(*self.args, *extra, **self.keywords)
