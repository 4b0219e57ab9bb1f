"""Preparing a submission: scene -> description -> asset scan -> catalog -> checks -> task files.

The steps every front end runs before anything is created on the farm, in the order of
DESIGN.md's data flow: ``load_scene`` (a description .json, or any scene file through its host
with rv_dcc.batch), ``scan`` (asset expansion and md5s through the persistent hash cache),
``catalog_for`` (the host's catalog from the CatalogSource the caller injects: the farm's
answers, or the bundled snapshot for dry runs without an account), ``prepare`` (checks and the four task files). ``Prepared``
holds everything the command line prints and the submission pipeline uploads.
"""
import logging
import os
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Optional

from rv_dcc.submit.catalog import HOST_CG_IDS, Catalog
from rv_dcc.submit.catalog_source import CatalogSource
from rv_dcc.submit.checks import Issue, blocking, run_checks
from rv_dcc.submit.options import SubmitOptions
from rv_dcc.submit.taskfiles import TaskFiles, build_task_files
from rv_dcc.submit.units import Unit, render_units

log = logging.getLogger("rv_dcc.submit.prepare")


@dataclass
class Prepared:
    """A checked submission with its task files, not yet sent anywhere."""

    desc: Any
    options: SubmitOptions
    catalog: Catalog
    scan: Any
    issues: List[Issue]
    files: TaskFiles
    units: List[Unit] = field(default_factory=list)
    catalog_source: str = ""   #: "embedded farm data" or the farm's domain

    @property
    def blocking(self) -> List[Issue]:
        """Issues that stop the submission."""
        return blocking(self.issues)

    @property
    def ok(self) -> bool:
        """True when nothing blocks the submission."""
        return not self.blocking


def load_scene(path: str, timeout: float = 300) -> Any:
    """The SceneDescription of ``path``: a description .json directly, any other scene through its host."""
    if os.path.splitext(path)[1].lower() == ".json":
        from rv_dcc.scene.io import load_description
        return load_description(path)
    from rv_dcc.batch import describe_file  # lazy: starts a host process, may not exist for every host
    return describe_file(path, timeout=timeout)


def scan(desc: Any, use_cache: bool = True, progress: Optional[Callable[[int, int], bool]] = None) -> Any:
    """Find and hash the scene's files (the user's persistent hash cache unless ``use_cache`` is False)."""
    from rv_dcc.scene.assets import scan_assets
    from rv_dcc.scene.hashcache import HashCache, default_cache

    cache = default_cache() if use_cache else HashCache(":memory:")
    try:
        return scan_assets(desc, cache=cache, progress=progress)
    finally:
        cache.close()


def catalog_for(desc: Any, os_name: str, source: CatalogSource) -> Catalog:
    """The catalog of the scene's host from ``source`` (the farm's answers, or a snapshot)."""
    return source.catalog(HOST_CG_IDS[desc.host], os_name)


def prepare(desc: Any, options: SubmitOptions, catalog: Catalog, scan_result: Any, task_id: Any = "0",
            user_id: Any = "0", platform: Any = "2", catalog_source: str = "") -> Prepared:
    """Run the checks and build the task files (pure apart from reading the scene md5 if unknown)."""
    issues = run_checks(desc, options, catalog, scan_result)
    files = build_task_files(desc, options, catalog, scan_result, task_id, user_id, platform, issues=issues)
    return Prepared(desc=desc, options=options, catalog=catalog, scan=scan_result, issues=issues, files=files,
                    units=render_units(desc, options), catalog_source=catalog_source)


def summary(prepared: Prepared) -> Dict[str, Any]:
    """The machine-readable form of a prepared submission (the CLI's --json output, minus files)."""
    env = prepared.files.env
    return {
        "ok": prepared.ok,
        "blocking": len(prepared.blocking),
        "host": prepared.desc.host,
        "scene": prepared.desc.scene_file,
        "catalog": prepared.catalog_source,
        "software": {
            "cg_name": env.cg_name if env else "", "cg_version": env.cg_version if env else "",
            "host": env.software.describe() if env else "",
            "plugins": [p.describe() for p in env.plugins] if env else [],
            "render_env": env.edit_name if env else "",
            "render_env_exists": bool(env and env.existing is not None),
        },
        "issues": [issue.to_dict() for issue in prepared.issues],
        "outputs": [{"unit": unit.label, "renders": unit.selected, "frames": unit.frames.to_farm(),
                     "cameras": list(unit.cameras), "output": unit.output}
                    for unit in prepared.units],
        "assets": {"found": len(prepared.scan.found), "missing": len(prepared.scan.missing),
                   "bytes": sum(f.size for f in prepared.scan.found)},
    }
