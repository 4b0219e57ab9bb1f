"""Turn a typing stub (.pyi) into a strict gate for test fakes of DCC modules.

The host adapters cannot run against the real maya.cmds / hou / pymxs / c4d here, so their tests
run against fakes. A fake is only worth something if it refuses what the real module refuses:
this module reads the stub the adapter was type-checked against (types-maya, types-houdini, or
the stubs written in this folder from the vendors' documentation) and wraps a fake so that
  * getting a module function or a class method the stub does not declare raises AttributeError,
  * calling it with a keyword the stub does not declare, or with more positional arguments than
    the stub accepts, raises TypeError (overloads: a call must fit at least one of them).
Stubs are indexed line by line and each top-level definition is parsed with ``ast`` only when it
is first used, because types-maya's cmds.pyi (6 MB) takes seconds to parse whole.
Test-only tooling: nothing in rv_dcc or rv_dcc_hosts imports it.
"""
import ast
import functools
import re
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

_TOP = re.compile(r"^(?:async\s+)?(def|class)\s+([A-Za-z_][A-Za-z0-9_]*)")


class Signature:
    """The parameters one ``def`` in a stub accepts."""

    def __init__(self, node: ast.FunctionDef, drop_self: bool) -> None:
        args = node.args
        positional = list(args.posonlyargs) + list(args.args)
        self.static = any(isinstance(d, ast.Name) and d.id == "staticmethod" for d in node.decorator_list)
        if drop_self and positional and not self.static:
            positional = positional[1:]
        self.positional_names = [a.arg for a in positional]
        self.keyword_names = {a.arg for a in args.args + args.kwonlyargs} - {"self"}
        self.varargs = args.vararg is not None
        self.varkw = args.kwarg is not None

    def accepts(self, n_positional: int, keywords: Sequence[str]) -> bool:
        """True when a call with that many positional arguments and these keywords fits."""
        if n_positional > len(self.positional_names) and not self.varargs:
            return False
        taken = set(self.positional_names[:n_positional])
        for key in keywords:
            if key in taken or (key not in self.keyword_names and not self.varkw):
                return False
        return True


class StubClass:
    """A class of the stub: its own methods/attributes and its bases (resolved in the same stub)."""

    def __init__(self, stub: "Stub", node: ast.ClassDef) -> None:
        self.stub = stub
        self.name = node.name
        self.bases = [b.id if isinstance(b, ast.Name) else getattr(b, "attr", "") for b in node.bases]
        self.methods: Dict[str, List[Signature]] = {}
        self.attributes: set = set()
        for item in node.body:
            if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
                self.methods.setdefault(item.name, []).append(Signature(item, drop_self=True))  # type: ignore[arg-type]
            elif isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name):
                self.attributes.add(item.target.id)
            elif isinstance(item, ast.Assign):
                self.attributes.update(t.id for t in item.targets if isinstance(t, ast.Name))
            elif isinstance(item, ast.ClassDef):
                self.attributes.add(item.name)

    def lookup(self, name: str) -> Tuple[Optional[List[Signature]], bool]:
        """(signatures if a method, True if declared at all) searching the bases too."""
        if name in self.methods:
            return self.methods[name], True
        if name in self.attributes:
            return None, True
        for base in self.bases:
            parent = self.stub.cls(base) if base else None
            if parent is not None:
                found = parent.lookup(name)
                if found[1]:
                    return found
        return None, False


class Stub:
    """One .pyi file, indexed by top-level name and parsed lazily."""

    def __init__(self, path: "str | Path", module_name: str = "", also: Sequence["Stub"] = ()) -> None:
        self.path = Path(path)
        self.also = list(also)  # stubs this one imports classes from (base classes live there)
        self.module_name = module_name or self.path.stem
        self._chunks: Dict[str, List[str]] = {}
        self._kinds: Dict[str, str] = {}
        self._names: set = set()
        lines = self.path.read_text(encoding="utf-8").splitlines()
        current: Optional[str] = None
        buffer: List[str] = []
        pending_decorators: List[str] = []

        def flush() -> None:
            if current is not None:
                self._chunks.setdefault(current, []).append("\n".join(buffer))

        for line in lines:
            if line.startswith("@"):
                flush()
                current, buffer = None, []
                pending_decorators.append(line)
                continue
            match = _TOP.match(line)
            if match:
                flush()
                current, buffer = match.group(2), pending_decorators + [line]
                pending_decorators = []
                self._kinds[current] = match.group(1)
                continue
            if line and not line[0].isspace() and not line.startswith((")", "]", "}")):
                flush()
                current, buffer = None, []
                assigned = re.match(r"^([A-Za-z_][A-Za-z0-9_]*)\s*[:=]", line)
                if assigned:
                    self._names.add(assigned.group(1))
                continue
            if current is not None:
                buffer.append(line)
        flush()

    def has(self, name: str) -> bool:
        """True when the stub declares this top-level name (function, class or variable)."""
        return name in self._chunks or name in self._names

    @functools.lru_cache(maxsize=None)
    def functions(self, name: str) -> Optional[List[Signature]]:
        """The signatures of a top-level function (all overloads), or None."""
        if self._kinds.get(name) != "def":
            return None
        sigs = []
        for chunk in self._chunks[name]:
            tree = ast.parse(chunk)
            sigs.extend(Signature(n, drop_self=False) for n in tree.body if isinstance(n, ast.FunctionDef))
        return sigs

    @functools.lru_cache(maxsize=None)
    def cls(self, name: str) -> Optional[StubClass]:
        """The class of that name, or None."""
        if self._kinds.get(name) != "class":
            return next((found for other in self.also for found in [other.cls(name)] if found is not None), None)
        tree = ast.parse(self._chunks[name][0])
        return StubClass(self, tree.body[0])  # type: ignore[arg-type]


def check_call(where: str, sigs: List[Signature], args: tuple, kwargs: Dict[str, Any]) -> None:
    """Raise TypeError unless one of the stub's signatures accepts the call."""
    if any(sig.accepts(len(args), list(kwargs)) for sig in sigs):
        return
    declared = sorted(set().union(*(s.keyword_names for s in sigs))) if sigs else []
    unknown = [k for k in kwargs if k not in declared]
    raise TypeError(f"{where}() called with {len(args)} positional argument(s) and keywords "
                    f"{sorted(kwargs)}; the stub does not accept that (unknown: {unknown})")


def _wrap(where: str, sigs: List[Signature], func: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(func)
    def gated(*args: Any, **kwargs: Any) -> Any:
        check_call(where, sigs, args, kwargs)
        return func(*args, **kwargs)
    return gated


class FakeModule:
    """A module object whose functions come from ``impl`` but are gated by the stub.

    ``impl`` is any object with attributes named like the module's functions. Names the stub
    declares but ``impl`` lacks raise NotImplementedError (a hole in the fake, not in the
    adapter); names the stub lacks raise AttributeError, as the real module would.
    ``extra`` holds sub-objects (classes, submodules) served without a stub check; ``absent`` names
    what the host version emulated does not have yet (AttributeError, as in that version).
    """

    def __init__(self, stub: Stub, impl: Any, extra: Optional[Dict[str, Any]] = None,
                 absent: Sequence[str] = ()) -> None:
        object.__setattr__(self, "_stub", stub)
        object.__setattr__(self, "_absent", frozenset(absent))
        object.__setattr__(self, "_impl", impl)
        object.__setattr__(self, "_extra", dict(extra or {}))
        object.__setattr__(self, "__name__", stub.module_name)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        if name in object.__getattribute__(self, "_absent"):  # not in the host version emulated
            raise AttributeError(f"module has no attribute {name!r} in this version")
        extra = object.__getattribute__(self, "_extra")
        if name in extra:
            return extra[name]
        stub: Stub = object.__getattribute__(self, "_stub")
        if not stub.has(name):
            raise AttributeError(f"module {stub.module_name!r} has no attribute {name!r} (not in {stub.path.name})")
        impl = object.__getattribute__(self, "_impl")
        if not hasattr(impl, name):
            raise NotImplementedError(f"fake {stub.module_name}.{name} is declared by the stub but not faked")
        value = getattr(impl, name)
        sigs = stub.functions(name)
        if sigs and callable(value):
            return _wrap(f"{stub.module_name}.{name}", sigs, value)
        return value


def gated(stub: Stub, class_name: str) -> Callable[[type], type]:
    """Class decorator: the fake class stands for ``class_name`` of the stub.

    Every public method or property the fake defines must be declared by the stub class (or its
    bases) or the decorator raises at import of the fake; method calls are checked against the
    stub's signature at run time; setting a public instance attribute the stub class does not
    declare raises AttributeError. Attributes the fake does not define raise AttributeError anyway.
    """
    spec = stub.cls(class_name)
    if spec is None:
        raise LookupError(f"{stub.path.name} declares no class {class_name}")

    def decorate(cls: type) -> type:
        for name, value in list(vars(cls).items()):
            if name.startswith("_"):
                continue
            sigs, declared = spec.lookup(name)
            if not declared:
                raise AttributeError(f"fake {cls.__name__}.{name}: {class_name} in {stub.path.name} has no {name}")
            if sigs and not callable(value) and not isinstance(value, (staticmethod, classmethod, property)):
                raise TypeError(f"fake {cls.__name__}.{name}: {class_name}.{name} is a method in the stub")
            if sigs and callable(value) and not isinstance(value, (staticmethod, classmethod, type)):
                setattr(cls, name, _wrap_method(f"{class_name}.{name}", sigs, value))
            elif sigs and isinstance(value, staticmethod):
                setattr(cls, name, staticmethod(_wrap(f"{class_name}.{name}", sigs, value.__func__)))
        if "__setattr__" not in vars(cls):
            def __setattr__(self: Any, name: str, value: Any) -> None:
                # instance attributes are the stub's attributes (or private to the fake)
                if not name.startswith("_") and not spec.lookup(name)[1]:
                    raise AttributeError(f"{class_name} in {stub.path.name} has no attribute {name!r}")
                object.__setattr__(self, name, value)
            cls.__setattr__ = __setattr__  # type: ignore[assignment]
        cls.__stub_class__ = class_name  # type: ignore[attr-defined]
        return cls
    return decorate


def _wrap_method(where: str, sigs: List[Signature], func: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(func)
    def method(self: Any, *args: Any, **kwargs: Any) -> Any:
        check_call(where, sigs, args, kwargs)
        return func(self, *args, **kwargs)
    return method
