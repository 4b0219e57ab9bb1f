"""The four task files the farm renders from, built by pure functions (spec/task_files.md §2-4).

``build_task_files(desc, options, catalog, scan, task_id, user_id, platform)`` returns a
:class:`TaskFiles` holding task.json (software_config, task_info, scene_info_render,
scene_info, additional_info), upload.json, asset.json and tips.json as dicts; ``.write(dir)``
writes them. The host-specific ``scene_info_render`` comes from one module per host (maya,
max, houdini, c4d, blender); everything else from ``common``. Same inputs, same files: these
are covered by the golden tests of tests/submit/golden/.
"""
import json
import os
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Optional

from rv_dcc.fsutil import atomic_write
from rv_dcc.submit.catalog import Catalog
from rv_dcc.submit.options import SubmitOptions
from rv_dcc.submit.render_env import EnvMatch, match_render_env
from rv_dcc.submit.taskfiles import blender, c4d, common, houdini, max as max_, maya
from rv_dcc.submit.units import selected_units

FILE_NAMES = ("task.json", "upload.json", "asset.json", "tips.json")

#: host -> builder of its scene_info_render / scene_info section.
SCENE_INFO_BUILDERS: Dict[str, Callable[..., Dict[str, Any]]] = {
    "maya": maya.scene_info, "3dsmax": max_.scene_info, "houdini": houdini.scene_info,
    "cinema4d": c4d.scene_info, "blender": blender.scene_info,
}


@dataclass(frozen=True)
class TaskFiles:
    """The four task files of one submission, as dicts, plus what they were built from."""

    task_json: Dict[str, Any]
    upload_json: Dict[str, Any]
    asset_json: Dict[str, Any]
    tips_json: Dict[str, Any]
    env: Optional[EnvMatch] = None
    issues: List[Any] = field(default_factory=list)

    def files(self) -> Dict[str, Dict[str, Any]]:
        """file name -> content, in the order the farm receives them."""
        return {"task.json": self.task_json, "upload.json": self.upload_json,
                "asset.json": self.asset_json, "tips.json": self.tips_json}

    def text(self, name: str) -> str:
        """The JSON text of one file (UTF-8 names kept readable, two-space indent)."""
        return json.dumps(self.files()[name], indent=2, ensure_ascii=False) + "\n"

    def write(self, directory: str) -> List[str]:
        """Write the four files into ``directory`` (created if needed), each atomically; their paths."""
        os.makedirs(directory, exist_ok=True)
        written = []
        for name in FILE_NAMES:
            target = os.path.join(directory, name)
            atomic_write(target, self.text(name))
            written.append(target)
        return written


def build_task_files(desc: Any, options: SubmitOptions, catalog: Catalog, scan: Any, task_id: Any, user_id: Any,
                     platform: Any, issues: Optional[List[Any]] = None, scene_md5: Optional[str] = None) -> TaskFiles:
    """Build the four task files.

    ``issues`` are the results of run_checks for the same inputs (run here when not given);
    tips.json lists their tips codes. ``scene_md5`` is the scene's md5 when the caller knows it
    (else taken from the scan, else read from disk).
    """
    if issues is None:
        from rv_dcc.submit.checks import run_checks
        issues = run_checks(desc, options, catalog, scan)
    builder = SCENE_INFO_BUILDERS[desc.host]
    match = match_render_env(desc, catalog, options.render_env, options.cg_version, options.plugin_versions)
    task_json = {
        "software_config": common.software_config(match),
        "task_info": common.task_info(desc, options, selected_units(desc, options), task_id, user_id, platform),
        "scene_info_render": builder(desc, options, render=True),
        "scene_info": builder(desc, SubmitOptions(), render=False),
        "additional_info": {},
    }
    md5 = common.scene_md5(desc, scan, scene_md5)
    return TaskFiles(task_json=task_json, upload_json=common.upload_json(desc, scan, md5),
                     asset_json=common.asset_json(desc, scan), tips_json=common.tips_json(issues),
                     env=match, issues=list(issues))
