"""A reply of the client as the decoded JSON the service sent (wire keys), whatever wraps it.

``to_wire`` is what code below the submission (rv_dcc.transfer) and the submission's recovery use
to read a reply as plain dicts and lists: the client's models hand back the JSON they were read
from; plain data (a test's fake client) passes through. Standard library only.
"""
from typing import Any


def to_wire(value: Any) -> Any:
    """``value`` (a model, a list of models, plain data) as plain wire-keyed dicts and lists."""
    wire = getattr(value, "to_wire", None)
    if callable(wire):
        return wire()
    dump = getattr(value, "model_dump", None)
    if callable(dump):
        return dump(by_alias=True)
    if isinstance(value, dict):
        return {k: to_wire(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_wire(v) for v in value]
    return value
