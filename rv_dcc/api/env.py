"""``api.env``: the account's saved render environments (software version + plugins)."""
from typing import TYPE_CHECKING, Any, Dict, Iterable, Mapping, Optional, Union

if TYPE_CHECKING:
    from rv_dcc.api import models

from rv_dcc.api._ns import Namespace, require_list
from rv_dcc.api.errors import RequestValidationError
from rv_dcc.api.operations import CG_IDS


def cg_id_for(name: Union[str, int], operation: str, argument: str = "name") -> int:
    """The cgId of a software name (``"maya"``, ``"3ds max"``...) or an id given as is (wire.md §7)."""
    if isinstance(name, int) and not isinstance(name, bool):
        return name
    if isinstance(name, str):
        key = name.strip().lower()
        if key in CG_IDS:
            return CG_IDS[key]
        if key.isdigit():
            return int(key)
    raise RequestValidationError(f"{argument}: unknown software {name!r}; use one of {', '.join(sorted(CG_IDS))} "
                                 "or a cgId number", field="cgId", code=600, operation=operation)


class EnvNamespace(Namespace):
    """Render-environment operations."""

    def _env(self, operation: str, render_env: Mapping[str, Any]) -> Any:
        if not isinstance(render_env, Mapping):
            raise RequestValidationError(f"render_env must be a dict, not {type(render_env).__name__}",
                                         field="render_env", operation=operation)
        # The service wants integers; the reference's example sends renderSystem as "0" (validation coerces).
        return self._call(operation, dict(render_env), "RenderEnvName")

    def add_render_env(self, render_env: Mapping[str, Any]) -> "models.RenderEnvName":
        """Save a new render environment (``addUserPluginConfig``); returns its ``editName``."""
        return self._env("addUserPluginConfig", render_env)

    def update_render_env(self, render_env: Mapping[str, Any]) -> Any:
        """Change a saved render environment, found by ``editName`` (``editUserPluginConfig``)."""
        return self._env("editUserPluginConfig", render_env)

    def delete_render_env(self, edit_name: str) -> Any:
        """Delete a saved render environment (``deleteUserPluginConfig``)."""
        return self._call("deleteUserPluginConfig", {"editName": edit_name}, args={"editName": "edit_name"})

    def set_default_render_env(self, edit_name: str) -> Any:
        """Make a render environment the default (``setDefaultUserPluginConfig``)."""
        return self._call("setDefaultUserPluginConfig", {"editName": edit_name}, args={"editName": "edit_name"})

    def get_render_env(self, name: Optional[Union[str, int]] = None, cg_names: Optional[Iterable[str]] = None,
                       os_name: Optional[int] = None) -> "models.RenderEnvList":
        """Saved render environments of one software (``name``) or several (``cg_names``); ``os_name``
        0 Linux, 1 Windows (``getUserPluginConfig``)."""
        body: Dict[str, Any] = {}
        if name is not None:
            body["cgId"] = cg_id_for(name, "getUserPluginConfig")
        elif cg_names is not None:
            body["cgIds"] = [cg_id_for(n, "getUserPluginConfig", "cg_names")
                             for n in require_list(cg_names, "cg_names", "getUserPluginConfig")]
        if os_name is not None:
            body["osName"] = os_name
        return self._call("getUserPluginConfig", body, "RenderEnvList",
                          args={"cgId": "name", "cgIds": "cg_names", "osName": "os_name"})
