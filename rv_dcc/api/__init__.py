"""rv_dcc.api: the farm client (``RayvisionAPI``), its errors, models and wire models.

Importing this package is cheap: ``RayvisionAPI`` and the error classes are loaded on first
attribute access (module ``__getattr__``), and requests / pydantic only when a call is made or a
model is used. Submodules: ``client``, ``transport``, ``signing``, ``operations``, ``wire``
(request models shared with the embedded farm), ``models`` (typed replies), ``errors``,
``credentials``, ``status`` (task and frame status codes), ``replies`` (``to_wire``: any reply as
the service's JSON) and one module per namespace.
"""
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # what the checker sees; at run time __getattr__ below loads each on first use
    from rv_dcc.api.client import RayvisionAPI
    from rv_dcc.api.credentials import CredentialsError
    from rv_dcc.api.errors import ApiError, RequestValidationError
    from rv_dcc.api.replies import to_wire

__all__ = ["RayvisionAPI", "ApiError", "RequestValidationError", "CredentialsError", "to_wire"]


def __getattr__(name: str) -> Any:
    if name == "to_wire":
        from rv_dcc.api.replies import to_wire

        return to_wire
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
