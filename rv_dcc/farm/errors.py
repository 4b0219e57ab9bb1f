"""The farm's refusals and the typed reading of request bodies.

A handler refuses a request by raising ``FarmError(code, message)`` with one of the service's
codes (spec/wire.md §6); the server turns it into the envelope. ``Body`` reads fields out of a
decoded JSON body the way the service does (an integer may arrive as ``5`` or ``"5"``, never as
``true`` or ``5.5``) and names the field in every refusal, so a caller always learns what to fix.
"""
from typing import Any, Dict, List, Mapping, Optional, cast

#: Service codes used by the farm (spec/wire.md §6).
FAIL = 100
NOT_FOUND = 404
INTERNAL = 500
INVALID = 600
EMPTY = 601
LOGIN_NEEDED = 602
ILLEGAL_PROTOCOL = 603
FORBIDDEN = 605
SIGNATURE_EXPIRED = 610
SIGNATURE_INVALID = 611

_MISSING = object()


class FarmError(Exception):
    """A refusal with a service code, a message for a person and, when known, the field."""

    def __init__(self, code: int, message: str, field: Optional[str] = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field


def not_found(what: str, ident: Any) -> FarmError:
    """A 404 naming the missing thing."""
    return FarmError(NOT_FOUND, f"{what} {ident} was not found in this account (never created, or deleted)")


def _is_int_text(value: str) -> bool:
    text = value.strip()
    return bool(text) and (text.isdigit() or (text[0] == "-" and text[1:].isdigit()))


class Body:
    """Typed, field-naming access to a request body (a JSON object)."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        self.data = data

    def _get(self, key: str, required: bool) -> Any:
        value = self.data.get(key, _MISSING)
        if value is _MISSING or value is None or value == "" or value == []:
            if required:
                raise FarmError(EMPTY, f"parameter '{key}' can't be empty", key)
            return _MISSING
        return value

    def has(self, key: str) -> bool:
        """True when the field is present and not null/empty."""
        return self._get(key, False) is not _MISSING

    def num(self, key: str, default: Optional[int] = None, minimum: Optional[int] = None,
            maximum: Optional[int] = None, required: bool = False) -> Optional[int]:
        """An integer field (``5`` or ``"5"``); bool, float and other text are refused with 600."""
        value = self._get(key, required)
        if value is _MISSING:
            return default
        number = to_int(value, key)
        if minimum is not None and number < minimum:
            raise FarmError(INVALID, f"parameter '{key}' must be at least {minimum}, got {number}", key)
        if maximum is not None and number > maximum:
            raise FarmError(INVALID, f"parameter '{key}' must be at most {maximum}, got {number}", key)
        return number

    def need(self, key: str, minimum: Optional[int] = None, maximum: Optional[int] = None) -> int:
        """A required integer field (601 when absent)."""
        return cast(int, self.num(key, None, minimum, maximum, required=True))

    def num_or(self, key: str, default: int, minimum: Optional[int] = None, maximum: Optional[int] = None) -> int:
        """An integer field with a default."""
        return cast(int, self.num(key, default, minimum, maximum))

    def text(self, key: str, default: Optional[str] = None, max_length: int = 10000,
             required: bool = False) -> Optional[str]:
        """A text field; numbers are accepted and rendered as text, containers are refused."""
        value = self._get(key, required)
        if value is _MISSING:
            return default
        if isinstance(value, (bool, dict, list)):
            raise FarmError(INVALID, f"parameter '{key}' must be a string, got {type_name(value)}", key)
        text = str(value)
        if len(text) > max_length:
            raise FarmError(INVALID, f"parameter '{key}' is too long ({len(text)} characters, at most {max_length})", key)
        return text

    def need_text(self, key: str, max_length: int = 10000) -> str:
        """A required text field (601 when absent or empty)."""
        return cast(str, self.text(key, None, max_length, required=True))

    def text_or(self, key: str, default: str, max_length: int = 10000) -> str:
        """A text field with a default."""
        return cast(str, self.text(key, default, max_length))

    def ints(self, key: str, required: bool = False, max_items: int = 10000) -> List[int]:
        """A list of integers (a single integer is accepted as a one-item list)."""
        value = self._get(key, required)
        if value is _MISSING:
            return []
        if not isinstance(value, list):
            value = [value]
        if len(value) > max_items:
            raise FarmError(INVALID, f"parameter '{key}' has {len(value)} items, at most {max_items}", key)
        return [to_int(item, f"{key}[{index}]") for index, item in enumerate(value)]

    def texts(self, key: str, required: bool = False, max_items: int = 10000) -> List[str]:
        """A list of strings (one string is accepted as a one-item list)."""
        value = self._get(key, required)
        if value is _MISSING:
            return []
        if not isinstance(value, list):
            value = [value]
        if len(value) > max_items:
            raise FarmError(INVALID, f"parameter '{key}' has {len(value)} items, at most {max_items}", key)
        out = []
        for index, item in enumerate(value):
            if isinstance(item, (dict, list, bool)) or item is None:
                raise FarmError(INVALID, f"parameter '{key}[{index}]' must be a string, got {type_name(item)}", key)
            out.append(str(item))
        return out

    def obj(self, key: str) -> Dict[str, Any]:
        """An object field ({} when absent)."""
        value = self._get(key, False)
        if value is _MISSING:
            return {}
        if not isinstance(value, dict):
            raise FarmError(INVALID, f"parameter '{key}' must be an object, got {type_name(value)}", key)
        return value


def to_int(value: Any, key: str) -> int:
    """``value`` as an int, or a 600 naming ``key``."""
    if isinstance(value, bool):
        raise FarmError(INVALID, f"parameter '{key}' must be an integer, got a boolean", key)
    if isinstance(value, int):
        if abs(value) >= 2 ** 63:
            raise FarmError(INVALID, f"parameter '{key}' is out of range", key)
        return value
    if isinstance(value, float) and value.is_integer() and abs(value) < 2 ** 53:
        return int(value)
    if isinstance(value, str) and _is_int_text(value) and len(value.strip()) < 19:
        return int(value.strip())
    raise FarmError(INVALID, f"parameter '{key}' must be an integer, got {type_name(value)} {short(value)}", key)


def type_name(value: Any) -> str:
    """JSON-ish name of a value's type, for messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return type(value).__name__


def short(value: Any, limit: int = 40) -> str:
    """A short repr of a value for messages."""
    text = repr(value)
    return text if len(text) <= limit else text[:limit] + "…"
