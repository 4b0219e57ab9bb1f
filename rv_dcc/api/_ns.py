"""What every namespace (``api.user``, ``api.task``...) shares: send an operation, wrap the reply.

A namespace method builds the wire body of spec/wire.md §5 from the reference's keyword
arguments and hands it to :meth:`Namespace._call`, which validates, sends and wraps the reply
in its response model. A validation error names the Python argument the caller wrote
(``task_param_list``) beside the wire field (``taskIds``).
"""
from typing import Any, Dict, Optional

from rv_dcc.api.errors import RequestValidationError


def _models() -> Any:
    # The response models import pydantic: load them with the first reply, not with the namespace.
    from rv_dcc.api import models

    return models


class Namespace:
    """Base of the six namespaces; holds the client (never the key)."""

    def __init__(self, client: Any) -> None:
        self._client = client

    def __repr__(self) -> str:
        return f"<{type(self).__name__} of {self._client!r}>"

    def _call(self, operation: str, body: Dict[str, Any], model: Optional[str] = None,
              args: Optional[Dict[str, str]] = None) -> Any:
        try:
            data = self._client._transport.call(operation, body)
        except RequestValidationError as error:
            if args and error.field:
                name = args.get(error.field.split(".")[0])
                if name:
                    error.message = f"{name} ({error.field}): {error.message.split(': ', 1)[-1]}"
                    error.args = (error.message,)
            raise
        if model is None or data is None:
            return data
        models = _models()
        return models.wrap(getattr(models, model), data)


def put(body: Dict[str, Any], key: str, value: Any) -> None:
    """Set ``body[key]`` when ``value`` was given (not None)."""
    if value is not None:
        body[key] = value


def require_list(value: Any, name: str, operation: str) -> list:
    """``value`` as a list (tuples and sets accepted); a clear error for anything else."""
    if isinstance(value, (list, tuple, set, frozenset)):
        return list(value)
    raise RequestValidationError(f"{name} must be a list, not {type(value).__name__} {value!r:.60}",
                                 field=name, code=600 if value is not None else 601, operation=operation)
