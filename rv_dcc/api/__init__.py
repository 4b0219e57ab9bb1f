"""rv_dcc.api: the farm client (``RayvisionAPI``), its errors, models and wire models.

Importing this package is cheap: ``RayvisionAPI`` and the error classes are loaded on first
attribute access (module ``__getattr__``), and requests / pydantic only when a call is made or a
model is used. Submodules: ``client``, ``transport``, ``signing``, ``operations``, ``wire``
(request models shared with the embedded farm), ``models`` (typed replies), ``errors``,
``credentials`` and one module per namespace.
"""
from typing import Any

__all__ = ["RayvisionAPI", "ApiError", "RequestValidationError", "CredentialsError"]


def __getattr__(name: str) -> Any:
    if name == "RayvisionAPI":
        from rv_dcc.api.client import RayvisionAPI

        return RayvisionAPI
    if name == "CredentialsError":
        from rv_dcc.api.credentials import CredentialsError

        return CredentialsError
    if name in ("ApiError", "RequestValidationError"):
        from rv_dcc.api import errors

        return getattr(errors, name)
    raise AttributeError(f"module 'rv_dcc.api' has no attribute {name!r}")
