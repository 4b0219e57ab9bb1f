"""The submit dialog's controller: description + options -> checks, environment, files, submission.

Plain Python (no Qt): it holds the scene description, the current :class:`SubmitOptions`, the
farm's catalog and the asset scan; recomputes the issues and the render-environment match when
an option changes; builds the exact task files for the preview and the export; and hands the
widget blocking callables for the slow parts (catalog, scan, submission) to run in workers.
Options persist on every change (scene through the adapter, user file), so reopening the
dialog shows what the artist chose (LESSONS 9).
"""
import logging
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional

from rv_dcc.fsutil import atomic_write
from rv_dcc.scene.adapter import NodeSelector
from rv_dcc.ui.settings_store import SettingsStore

log = logging.getLogger("rv_dcc.ui.submit_controller")

PREVIEW_TASK_ID = "0"  #: the task id shown in previews and exports (the farm assigns the real one)


class SubmitController:
    """State and work of one submit dialog."""

    def __init__(self, desc: Any = None, api: Any = None, adapter: Optional[object] = None,
                 settings: Optional[SettingsStore] = None, journal_root: Optional[Path] = None) -> None:
        from rv_dcc.submit.options import SubmitOptions

        self.api = api
        self.adapter = adapter
        self.settings = settings or SettingsStore(adapter)
        self.journal_root = journal_root
        self.transfer: Any = None  #: a TransferEngine to use; None lets the pipeline pick the farm's
        self.catalog_source: Any = None  #: a CatalogSource for when there is no farm connection
        self.desc = desc
        self.catalog: Any = None
        self.scan: Any = None
        self.issues: List[Any] = []
        self.env: Any = None
        self.funds: Any = None  #: the account's rv_dcc.monitor.funds.Funds once the profile is read
        self.options = SubmitOptions()
        stored = self.settings.initial_options()
        if stored:
            try:
                self.options = SubmitOptions.model_validate(stored)
            except Exception as error:  # noqa: BLE001 - stale settings from an older version: start clean
                log.info("ignoring stored submit options: %s", error)

    # --- the scene ---------------------------------------------------------------------------------
    def set_description(self, desc: Any) -> None:
        """Use another scene description (scan and checks start again)."""
        self.desc = desc
        self.scan = None
        if self.catalog is not None and self.catalog.cg_id != self.catalog_cg_id():
            self.catalog = None  # another host: its catalog must be read again
        self.refresh()

    def catalog_cg_id(self) -> Optional[int]:
        """The cgId of the scene's host."""
        from rv_dcc.submit.catalog import HOST_CG_IDS

        return HOST_CG_IDS.get(self.desc.host) if self.desc is not None else None

    def catalog_job(self) -> Callable[[], Any]:
        """A blocking callable reading this host's catalog: from the farm connected to, else from the
        CatalogSource given to the controller (the bundled snapshot when nothing was given)."""
        cg_id, os_name, api, source = self.catalog_cg_id(), self.options.os_name, self.api, self.catalog_source

        def job() -> Any:
            from rv_dcc.submit.catalog_source import ApiCatalogSource, SnapshotCatalogSource

            if cg_id is None:
                raise ValueError("no scene description")
            chosen = ApiCatalogSource(api) if api is not None else (source or SnapshotCatalogSource())
            return chosen.catalog(cg_id, os_name)
        return job

    def funds_job(self) -> Callable[[], Any]:
        """A blocking callable: the account's balance, vouchers and prices (``queryUserProfile``)."""
        api = self.api

        def job() -> Any:
            from rv_dcc.monitor.funds import funds_of
            from rv_dcc.api.replies import to_wire

            if api is None:
                raise ValueError("not connected to a farm")
            return funds_of(to_wire(api.user.query_user_profile()) or {})
        return job

    def scan_job(self, progress: Optional[Callable[[int, int], bool]] = None) -> Callable[[], Any]:
        """A blocking callable scanning (and hashing) the scene's files."""
        desc = self.desc

        def job() -> Any:
            from rv_dcc.scene.assets import scan_assets
            from rv_dcc.scene.hashcache import default_cache

            return scan_assets(desc, default_cache(), progress=progress)
        return job

    def set_catalog(self, catalog: Any) -> None:
        """The catalog arrived: checks and environment match again."""
        self.catalog = catalog
        self.refresh()

    def set_scan(self, scan: Any) -> None:
        """The asset scan arrived: checks again."""
        self.scan = scan
        self.refresh()

    # --- options -------------------------------------------------------------------------------------
    def update(self, **changes: Any) -> List[str]:
        """Change options; returns the error messages of rejected values ([] when all applied)."""
        from pydantic import ValidationError

        from rv_dcc.submit.options import SubmitOptions

        data = self.options.model_dump()
        data.update(changes)
        try:
            self.options = SubmitOptions.model_validate(data)
        except ValidationError as error:
            return [f"{'.'.join(str(p) for p in item['loc'])}: {item['msg']}" for item in error.errors()]
        self.settings.remember(self.options.model_dump(mode="json"))
        self.refresh()
        return []

    # --- derived -------------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Recompute issues and the environment match from what is known now."""
        if self.desc is None:
            self.issues, self.env = [], None
            return
        from rv_dcc.submit.catalog import Catalog
        from rv_dcc.submit.checks import run_checks
        from rv_dcc.submit.render_env import match_render_env

        catalog = self.catalog if self.catalog is not None else Catalog.from_dict({}, cg_id=self.catalog_cg_id(),
                                                                                  os_name=self.options.os_name)
        self.issues = run_checks(self.desc, self.options, catalog, self.scan)
        if self.catalog is None:  # without the farm's answers, version checks would all say "missing"
            self.issues = [issue for issue in self.issues if not issue.code.startswith(("software.", "plugin."))]
        self.env = match_render_env(self.desc, self.catalog, self.options.render_env, self.options.cg_version,
                                    self.options.plugin_versions) if self.catalog else None

    # --- fixes and the render-environment picker ------------------------------------------------------
    def fixes(self, issue: Any) -> List[Any]:
        """The fix buttons ``issue`` offers now (rv_dcc.ui.submit_fixes.Fix)."""
        from rv_dcc.ui.submit_fixes import fixes_for

        return fixes_for(issue, self)

    def apply_fix(self, issue: Any, fix: Any) -> Any:
        """Do ``fix`` (the artist clicked it), re-run the checks; returns what the view still has to do."""
        from rv_dcc.ui.submit_fixes import apply_fix

        result = apply_fix(self, issue, fix)
        self.refresh()
        return result

    def choose_version(self, item: str, version: Optional[str]) -> List[str]:
        """Pick the farm version of the host (``item`` "host") or of a plugin; None goes back to matching."""
        if item == "host":
            # Plugin versions are offered per host version: picks for another host version do not apply.
            return self.update(cg_version=version, plugin_versions={})
        picks = dict(self.options.plugin_versions)
        if version is None:
            picks.pop(item, None)
        else:
            picks[item] = version
        return self.update(plugin_versions=picks)

    def reset_versions(self) -> List[str]:
        """Forget picked versions: match the scene's again (exact, else nearest)."""
        return self.update(cg_version=None, plugin_versions={})

    def user_envs(self) -> List[Any]:
        """The render environments already on the account for this host and node OS (catalog order)."""
        return list(getattr(self.catalog, "render_envs", ()) or ())

    def blocking(self) -> List[Any]:
        """Issues that stop the submission."""
        from rv_dcc.submit.checks import blocking

        return blocking(self.issues)

    def can_submit(self) -> bool:
        """A description, a catalog, a scan, and no blocking issue."""
        return (self.desc is not None and self.catalog is not None and self.scan is not None
                and not self.blocking())

    def units(self) -> List[Any]:
        """What renders (one unit per layer / ROP / take, or the whole scene)."""
        from rv_dcc.submit.units import render_units

        return render_units(self.desc, self.options) if self.desc is not None else []

    def select(self, node: str) -> bool:
        """Select the culprit of an issue in the host (False standalone or when it cannot)."""
        if not node or not isinstance(self.adapter, NodeSelector):
            return False
        try:
            return bool(self.adapter.select(node))
        except Exception as error:  # noqa: BLE001 - the host refused; say so in the dialog, don't crash
            log.info("could not select %s: %s", node, error)
            return False

    def task_files(self) -> Any:
        """The exact task files this submission would send (task id shown as 0)."""
        from rv_dcc.submit.taskfiles import build_task_files

        if self.catalog is None:
            raise ValueError("the farm's catalog is not loaded yet")
        user_id = getattr(self.catalog, "user_id", None) or "0"
        platform = str(getattr(self.api, "platform", "2") or "2")
        return build_task_files(self.desc, self.options, self.catalog, self.scan, PREVIEW_TASK_ID, user_id,
                                platform, issues=self.issues)

    def export(self, folder: str) -> List[str]:
        """Write the submission folder: the four task files, the description and the options."""
        files = self.task_files()
        written = list(files.write(folder))
        for name, text in (("description.json", self.desc.to_json()),
                           ("options.json", self.options.model_dump_json(indent=2))):
            path = Path(folder) / name
            atomic_write(path, text)
            written.append(str(path))
        return written

    def submit_job(self, progress: Callable[[Any], Optional[bool]], cancel: Any) -> Callable[[], Any]:
        """A blocking callable submitting the scene (pipeline.submit_scene); returns its SubmitResult."""
        api, desc, options, catalog, scan = self.api, self.desc, self.options, self.catalog, self.scan
        root, transfer = self.journal_root, self.transfer

        def job() -> Any:
            from rv_dcc.submit.pipeline import submit_scene

            if api is None:
                raise ValueError("not connected to a farm")
            result = submit_scene(api, desc, options, journal_root=root, progress=progress, cancel=cancel,
                                  catalog=catalog, scan=scan, transfer=transfer)
            if result.submitted:  # the watchers stop the task when its cost passes the budget
                from rv_dcc.monitor.budget import remember

                remember(api, result.task_id, getattr(options, "budget", None))
            return result
        return job

    def unfinished_job(self) -> Callable[[], List[Dict[str, Any]]]:
        """A blocking callable: the journals of submissions of this scene that stopped before the
        farm had the whole task (the host closed mid-upload, a cancel, a lost connection), newest
        first, as `rv-dcc history` summarises them. Read off the GUI thread: it lists a folder."""
        scene, root = (self.desc.scene_file if self.desc is not None else None), self.journal_root

        def job() -> List[Dict[str, Any]]:
            from rv_dcc.submit import journal as jr

            if not scene:
                return []
            done = (jr.SUBMITTED, jr.ABANDONED)
            return [journal.summary() for journal in jr.iter_journals(root)
                    if journal.state.get("scene") == scene and journal.stage not in done]
        return job

    def resume_job(self, journal_dir: str, progress: Callable[[Any], Optional[bool]],
                   cancel: Any) -> Callable[[], Any]:
        """A blocking callable finishing a stopped submission (pipeline.resume: no second task, no
        second upload of a file already on the farm); returns its SubmitResult."""
        api, transfer = self.api, self.transfer

        def job() -> Any:
            from rv_dcc.submit.pipeline import resume

            if api is None:
                raise ValueError("not connected to a farm")
            return resume(api, Path(journal_dir), progress=progress, cancel=cancel, transfer=transfer)
        return job

    def summary(self) -> Dict[str, Any]:
        """Numbers for the dialog's summary line: frames in all selected layers, the layers, and the
        most machines the task can use at once (each layer is its own sub-task rendering in
        parallel, one machine per ``frames_per_task`` frames, so the machines add up)."""
        units = [unit for unit in self.units() if unit.selected]
        frames = sum(len(unit.frames) for unit in units if unit.frames is not None)
        per_task = max(self.options.frames_per_task, 1)
        machines = sum(-(-len(unit.frames) // per_task) for unit in units if unit.frames is not None)
        return {"frames": frames, "layers": len(units), "machines": machines}
