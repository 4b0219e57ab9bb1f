"""The base classes of the typed responses: pydantic models that are also readable by wire key.

A reply is wrapped without validation (:meth:`WireModel.from_wire` keeps the decoded JSON);
the first attribute access validates the whole object once (snake_case attributes, nested
models, unknown fields kept as extras). Reading by wire key -- ``resp["taskIdList"][0]``,
``resp.get("items")`` -- returns the decoded JSON untouched, exactly what a ``rayvision_api``
script saw, at no cost. Lists (``WireList``) and maps (``WireMap``) index and iterate as their
JSON does, yielding lazily wrapped items. A reply whose shape disagrees with its model never
raises: it degrades to unvalidated values (logged at DEBUG).

Why not pydantic's supported API alone: laziness needs the fields absent from the instance
until first access, which ``model_construct`` (it fills every default) cannot give, so
``from_wire`` and ``_materialize`` set ``__dict__`` / ``__pydantic_private__`` themselves. The
supported alternative, validating every reply at once with ``model_validate``, was measured with
``bench/model_wrap.py`` (2026-12-03, loaded 2-core machine): a 100-row task page costs 7-14 ms to
validate against 0.001 ms to wrap and read by wire key, a 5,000-row page 0.5-1.0 s against
0.006 ms -- many times the whole client call (about 1 ms, ``bench/client_overhead.py``), paid by
every CLI command and monitor poll that only reads wire keys or hands the JSON on (``to_wire``).
So the internals stay, confined to this module and covered by tests/api/test_models.py.
"""
import logging
from typing import Any, ClassVar, Dict, Iterator, List, Optional, Type

from pydantic import BaseModel, ConfigDict, PrivateAttr, RootModel, ValidationError, model_validator
from pydantic.alias_generators import to_camel

log = logging.getLogger("rv_dcc.api.models")

_MISSING = object()


def _private(model: BaseModel) -> Dict[str, Any]:
    priv = object.__getattribute__(model, "__pydantic_private__")
    if priv is None:
        priv = {}
        object.__setattr__(model, "__pydantic_private__", priv)
    return priv


def _by_name(cls: Any, data: Any) -> bool:
    """True when ``data`` was written with Python field names (``TaskInfo(task_status=25)``), not
    read from the wire: it is then no JSON of the service to hand back."""
    if not isinstance(data, dict):
        return False
    fields = getattr(cls, "model_fields", {})
    return any(key in fields and fields[key].alias not in (None, key) for key in data)


class WireBase:
    """Mixin of every typed reply: wrap decoded JSON now, validate on first attribute access.

    ``rv_dcc.api.to_wire(reply)`` (or ``reply.to_wire()``) gives the JSON back."""

    _wire: Any = PrivateAttr(default=None)
    _pending: bool = PrivateAttr(default=False)

    @model_validator(mode="wrap")
    @classmethod
    def _keep_wire(cls, data: Any, handler: Any) -> Any:
        model = handler(data)
        if isinstance(model, BaseModel) and isinstance(data, (dict, list)) and not _by_name(cls, data):
            _private(model)["_wire"] = data
        return model

    @classmethod
    def from_wire(cls, data: Any) -> Any:
        """Wrap decoded JSON without validating it (validation happens on first attribute access)."""
        self = cls.__new__(cls)  # type: ignore[call-overload]
        object.__setattr__(self, "__dict__", {})
        object.__setattr__(self, "__pydantic_fields_set__", set())
        object.__setattr__(self, "__pydantic_extra__", {} if cls.model_config.get("extra") == "allow" else None)  # type: ignore[attr-defined]
        object.__setattr__(self, "__pydantic_private__", {"_wire": data, "_pending": True})
        return self

    def _materialize(self) -> None:
        priv = _private(self)  # type: ignore[arg-type]
        if not priv.get("_pending"):
            return
        raw = priv.get("_wire")
        cls = type(self)
        try:
            full = cls.model_validate(raw)  # type: ignore[attr-defined]
        except ValidationError as exc:
            # A reply that disagrees with the documented shape must still be readable.
            log.debug("%s: reply does not match the model (%d problems); values kept unvalidated",
                      cls.__name__, exc.error_count())
            full = cls.model_construct(**raw) if isinstance(raw, dict) else cls.model_construct(raw)  # type: ignore
        object.__setattr__(self, "__dict__", full.__dict__)
        object.__setattr__(self, "__pydantic_fields_set__", full.__pydantic_fields_set__)
        object.__setattr__(self, "__pydantic_extra__", full.__pydantic_extra__)
        priv["_pending"] = False

    def __getattr__(self, name: str) -> Any:
        if not name.startswith("_"):
            priv = object.__getattribute__(self, "__pydantic_private__")
            if priv and priv.get("_pending"):
                self._materialize()
                return getattr(self, name)
        return super().__getattr__(name)  # type: ignore[misc]

    # Anything that reads the fields directly must see them validated.
    def model_dump(self, **kwargs: Any) -> Any:  # noqa: D102
        self._materialize()
        return super().model_dump(**kwargs)  # type: ignore[misc]

    def model_dump_json(self, **kwargs: Any) -> str:  # noqa: D102
        self._materialize()
        return super().model_dump_json(**kwargs)  # type: ignore[misc]

    def __repr_args__(self) -> Any:
        self._materialize()
        return super().__repr_args__()  # type: ignore[misc]

    def __eq__(self, other: Any) -> bool:
        if isinstance(other, WireBase):
            mine, theirs = _private(self).get("_wire"), _private(other).get("_wire")  # type: ignore
            if mine is not None and theirs is not None:
                return type(self) is type(other) and mine == theirs
            self._materialize()
            other._materialize()
        return super().__eq__(other)  # type: ignore[misc]

    def to_wire(self) -> Any:
        """The decoded JSON this model was read from (wire keys); rebuilt from the fields if none."""
        raw = _private(self).get("_wire")  # type: ignore[arg-type]
        if raw is not None:
            return raw
        return self.model_dump(by_alias=True)


class WireModel(WireBase, BaseModel):
    """A JSON object of the service: snake_case attributes, wire-key item access, extras kept."""

    model_config = ConfigDict(extra="allow", alias_generator=to_camel, populate_by_name=True,
                              protected_namespaces=(), arbitrary_types_allowed=True)

    def __getitem__(self, key: str) -> Any:
        raw = _private(self).get("_wire")
        if isinstance(raw, dict):
            return raw[key]
        value = self.get(key, _MISSING)
        if value is _MISSING:
            raise KeyError(key)
        return value

    def get(self, key: str, default: Any = None) -> Any:
        """The value of wire key ``key`` (as decoded JSON), or ``default``."""
        raw = _private(self).get("_wire")
        if isinstance(raw, dict):
            return raw.get(key, default)
        for name, field in type(self).model_fields.items():
            if key in (field.alias, name):
                return getattr(self, name)
        return (self.__pydantic_extra__ or {}).get(key, default)

    def __contains__(self, key: object) -> bool:
        raw = _private(self).get("_wire")
        if isinstance(raw, dict):
            return key in raw
        return self.get(key, _MISSING) is not _MISSING  # type: ignore[arg-type]


class WireObject(WireModel):
    """A JSON object whose shape is not documented: everything is an extra."""


class WireList(WireBase, RootModel):  # type: ignore[type-arg]
    """A JSON array of the service: indexes and iterates like the list, items lazily wrapped."""

    item_model: ClassVar[Optional[Type[Any]]] = None
    root: List[Any] = []

    def _items(self) -> List[Any]:
        priv = _private(self)
        items = priv.get("_items")
        if items is None:
            raw = priv.get("_wire")
            if raw is None:
                items = list(self.root)
            else:
                model = type(self).item_model
                items = [model.from_wire(x) if model is not None and isinstance(x, dict) else x for x in raw]
            priv["_items"] = items
        return items

    def __getitem__(self, index: Any) -> Any:
        return self._items()[index]

    def __iter__(self) -> Iterator[Any]:  # type: ignore[override]
        return iter(self._items())

    def __len__(self) -> int:
        return len(self._items())

    def __bool__(self) -> bool:
        return bool(self._items())


class WireMap(WireBase, RootModel):  # type: ignore[type-arg]
    """A JSON object keyed by data (frame index -> frame): behaves like a read-only dict."""

    item_model: ClassVar[Optional[Type[Any]]] = None
    root: Dict[str, Any] = {}

    def _raw(self) -> Dict[str, Any]:
        raw = _private(self).get("_wire")
        return raw if isinstance(raw, dict) else dict(self.root)

    def __getitem__(self, key: str) -> Any:
        value = self._raw()[key]
        model = type(self).item_model
        return model.from_wire(value) if model is not None and isinstance(value, dict) else value

    def get(self, key: str, default: Any = None) -> Any:
        """The item for ``key``, or ``default``."""
        return self[key] if key in self._raw() else default

    def __iter__(self) -> Iterator[str]:  # type: ignore[override]
        return iter(self._raw())

    def __len__(self) -> int:
        return len(self._raw())

    def __contains__(self, key: object) -> bool:
        return key in self._raw()

    def keys(self) -> Any:
        """The keys, as a dict's."""
        return self._raw().keys()

    def values(self) -> List[Any]:
        """The items, lazily wrapped."""
        return [self[key] for key in self._raw()]

    def items(self) -> List[Any]:
        """``(key, item)`` pairs, items lazily wrapped."""
        return [(key, self[key]) for key in self._raw()]


def wrap(model: Optional[type], data: Any) -> Any:
    """Wrap a reply's ``data`` in ``model`` when the shapes agree; scalars and null come back as is."""
    if model is None or data is None or isinstance(data, (str, int, float, bool)):
        return data
    if isinstance(data, dict):
        if issubclass(model, (WireModel, WireMap)):
            return model.from_wire(data)
        return WireObject.from_wire(data)
    if isinstance(data, list):
        if issubclass(model, WireList):
            return model.from_wire(data)
        return GenericList.from_wire(data)
    return data


class GenericList(WireList):
    """A JSON array of undocumented objects."""

    item_model = WireObject
