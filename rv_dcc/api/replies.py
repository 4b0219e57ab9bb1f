"""``to_wire``: any reply of the client as the JSON the service sent (wire keys, plain dicts and lists).

The client's typed replies (``rv_dcc.api.models``) are read by attribute (``page.items[0].task_status``)
or by wire key (``page["items"][0]["taskStatus"]``). Code that keeps, compares, caches or prints
rows -- the monitor's change sets, the CLI's ``--json``, the submission journal -- wants the
plain JSON instead: this is the one place that turns a reply back into it. Standard library
only: importing it loads neither requests nor pydantic.
"""
import sys
from collections import abc
from typing import Any


def to_wire(value: Any) -> Any:
    """``value`` as decoded JSON with the service's keys (``taskStatus``, not ``task_status``).

    - a typed reply of ``rv_dcc.api.models``: the JSON it was read from, untouched and not
      validated (no cost); one built in Python: its fields by wire key;
    - any other pydantic model: ``model_dump(by_alias=True)``;
    - a ``dict`` or ``list``: returned as it is, not copied -- it is decoded JSON already (copying
      a 5,000-row page would cost a monitor worker ~0.2 s);
    - another mapping, or a tuple: converted item by item; anything else (str, numbers, None) as is.
    """
    kind = type(value)
    if kind is dict or kind is list or value is None or kind in (str, int, float, bool):
        return value
    # Without pydantic loaded, nothing here can be a model: do not load it just to ask.
    if "pydantic" in sys.modules:
        from pydantic import BaseModel

        from rv_dcc.api.models_base import WireBase

        if isinstance(value, WireBase):
            return value.to_wire()
        if isinstance(value, BaseModel):
            return value.model_dump(by_alias=True)
    if isinstance(value, abc.Mapping):
        return {key: to_wire(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_wire(item) for item in value]
    return value
