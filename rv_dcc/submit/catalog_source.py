"""Where a submission's Catalog comes from: the farm's answers, or a snapshot of them.

A :class:`CatalogSource` is injected by the composition root (rv_dcc.app.catalog): submissions and
the panel never decide by themselves which farm to read. Two sources exist:

- :class:`ApiCatalogSource` asks the farm through a RayvisionAPI (``Catalog.from_api``);
- :class:`SnapshotCatalogSource` reads ``catalog_snapshot.json``, bundled beside this module: the
  farm's catalog (software list and details, machine configurations, English tips explanations)
  as :func:`take_snapshot` recorded it. Used by dry runs on a machine with no account; it holds no
  user render environments. tests/submit/test_submit_catalog_env.py keeps it equal to what the
  embedded farm answers (and rewrites it with RV_DCC_UPDATE_SNAPSHOT=1).
"""
import json
from pathlib import Path
from typing import Any, Dict, Optional, Protocol, Union

from rv_dcc.errors import RvDccError
from rv_dcc.submit.catalog import HOST_CG_IDS, HOST_LOOKUP_NAMES, TIPS_CODES, Catalog, plain

#: The snapshot bundled with rv_dcc (package data).
SNAPSHOT_FILE = Path(__file__).with_name("catalog_snapshot.json")


class CatalogError(RvDccError):
    """No catalog could be read for a host (a damaged installation, or a host the source lacks)."""

    default_hint = ("Reinstall rv-dcc, or configure your farm account (RAYVISION_API_ACCESS_ID / "
                    "RAYVISION_API_KEY) so that the farm's own catalog is read.")


class CatalogSource(Protocol):
    """Something that gives the Catalog of one host on one render node OS."""

    #: where the catalog comes from, in words for a report ("farm jop.foxrenderfarm.com", ...)
    description: str

    def catalog(self, cg_id: int, os_name: str = "1") -> Catalog:
        """The catalog of host ``cg_id`` for render nodes running ``os_name`` ("1" Windows, "0" Linux)."""
        ...


class ApiCatalogSource:
    """The farm's own answers, read through a RayvisionAPI (five safe queries per host)."""

    def __init__(self, api: Any) -> None:
        self.api = api
        self.description = f"farm {getattr(api, 'domain', '') or ''}".strip()

    def catalog(self, cg_id: int, os_name: str = "1") -> Catalog:
        """``Catalog.from_api`` for that host."""
        return Catalog.from_api(self.api, int(cg_id), os_name)


class SnapshotCatalogSource:
    """The catalog as recorded in a snapshot file (by default the one bundled with rv_dcc)."""

    def __init__(self, path: Optional[Union[str, Path]] = None) -> None:
        self.path = Path(path) if path is not None else SNAPSHOT_FILE
        self.description = "catalog snapshot bundled with rv_dcc (no account: no render environments)" \
            if path is None else f"catalog snapshot {self.path}"
        self._data: Optional[Dict[str, Any]] = None

    def data(self) -> Dict[str, Any]:
        """The snapshot's content (read once)."""
        if self._data is None:
            try:
                data = json.loads(self.path.read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                raise CatalogError(f"the catalog snapshot {self.path} cannot be read: {exc}") from None
            if not isinstance(data, dict) or not isinstance(data.get("details"), dict):
                raise CatalogError(f"{self.path} is not a catalog snapshot (no 'details')")
            self._data = data
        return self._data

    def catalog(self, cg_id: int, os_name: str = "1") -> Catalog:
        """The snapshot's catalog for that host (no render environments)."""
        data = self.data()
        if str(int(cg_id)) not in data["details"]:
            raise CatalogError(f"the catalog snapshot {self.path} has nothing for software id {cg_id}",
                               hint="Configure your farm account so that the farm's own catalog is read.")
        return Catalog.from_dict(dict(data, render_envs=[]), cg_id=int(cg_id), os_name=os_name)


def take_snapshot(api: Any, language: int = 1) -> Dict[str, Any]:
    """What :class:`SnapshotCatalogSource` reads, asked of the farm behind ``api`` (every host)."""
    software = plain(api.query.supported_software()) or {}
    details = {}
    for host, cg_id in sorted(HOST_CG_IDS.items(), key=lambda item: item[1]):
        details[str(cg_id)] = plain(api.query.supported_plugin(name=HOST_LOOKUP_NAMES[host], os_name="windows")) or {}
    return {
        "software": software.get("renderInfoList") or [],
        "details": details,
        "hardware": plain(api.user.get_hardware_config()) or [],
        "tips": plain(api.query.error_detail(codes=list(TIPS_CODES), language=language)) or [],
    }
