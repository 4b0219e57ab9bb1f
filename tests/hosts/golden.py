"""Golden comparison for the host pipelines: describe -> checks -> task files, seen as a TD reads it.

``pipeline(desc, cg_id)`` runs the real checks and task-file builder on a description (with the
submit tests' catalog fixture); ``view(...)`` keeps what a TD signs off per render unit (frames,
renderer, cameras, resolution, output), the plug-ins sent, the files uploaded and missing, and
the check codes, with the test's temporary folder written as <ROOT>. Goldens are JSON files with
``//`` comment lines that explain each expected value; ``load(path)`` drops the comments.
Loaded by path (tests/hosts/<host>/ are separate rootdirs without packages).
"""
import json
import sys
from pathlib import Path
from typing import Any, Dict, List, Tuple

CATALOG = Path(__file__).resolve().parents[1] / "submit" / "fixtures" / "catalog.json"


def load(path: Path) -> Any:
    """A golden file: JSON whose lines starting with // are comments."""
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if not line.lstrip().startswith("//")]
    return json.loads("\n".join(lines))


def pipeline(desc: Any, cg_id: int) -> Tuple[Any, List[Any]]:
    """(task files, issues) for ``desc`` with default options, as `rv-dcc submit --dry-run` builds them."""
    from rv_dcc.scene.assets import scan_assets
    from rv_dcc.submit import taskfiles
    from rv_dcc.submit.catalog import Catalog
    from rv_dcc.submit.checks import run_checks
    from rv_dcc.submit.options import SubmitOptions

    catalog = Catalog.from_dict(json.loads(CATALOG.read_text()), cg_id=cg_id, os_name="1")
    scan = scan_assets(desc, hash_files=True)
    issues = run_checks(desc, SubmitOptions(), catalog, scan)
    built = taskfiles.build_task_files(desc, SubmitOptions(), catalog, scan, task_id=7, user_id=42, platform="2",
                                       issues=issues)
    return built, issues


def _rooted(value: Any, root: str) -> Any:
    if isinstance(value, str):
        return value.replace("\\", "/").replace(root, "<ROOT>")
    if isinstance(value, list):
        return [_rooted(v, root) for v in value]
    if isinstance(value, dict):
        return {k: _rooted(v, root) for k, v in value.items()}
    return value


def view(desc: Any, built: Any, issues: List[Any], root: Path) -> Dict[str, Any]:
    """What a TD checks before a render goes to the farm."""
    task = built.task_json
    units = {}
    for layer in desc.layers:
        units[layer.name] = {k: v for k, v in {
            "renderable": layer.renderable, "frames": str(desc.layer_frames(layer)),
            # a Houdini cache ROP (option 0) renders no image: no renderer to show
            "renderer": (layer.renderer or desc.renderer) if layer.option == "-1" else None, "cameras": layer.cameras,
            "resolution": [layer.resolution.width, layer.resolution.height] if layer.resolution else None,
            "output": layer.output.path if layer.output else None, "depends_on": layer.depends_on or None,
        }.items() if v is not None}
    found = {
        "renderer": [desc.renderer, desc.renderer_version],
        "plugins": sorted([p.name, p.version] for p in desc.plugins),
        "units": units,
        "scene_info_render": task["scene_info_render"],
        "uploaded": sorted(a["local"] for a in built.upload_json["asset"]),
        "missing": sorted(built.asset_json.get("missing_file", [])),
        "issues": sorted({i.code for i in issues}),
    }
    for extra in ("aovs", "outputs", "elements"):  # per-layer AOVs (Maya), per-take outputs (C4D), elements (Max)
        if desc.settings.get(extra):
            found[extra] = desc.settings[extra]
    return _rooted(found, str(root).replace("\\", "/"))


def found_in(desc: Any, cg_id: int, root: Path) -> Dict[str, Any]:
    """What a TD signs off for ``desc``: its task files and checks (:func:`pipeline`, :func:`view`)."""
    built, issues = pipeline(desc, cg_id)
    return view(desc, built, issues, root)


def compare(found: Dict[str, Any], golden_path: Path) -> None:
    """Assert ``found`` equals the golden, naming the first differing key (``--golden-print``
    prints ``found`` first: for writing a new golden by hand)."""
    if "--golden-print" in sys.argv:  # pragma: no cover
        print(json.dumps(found, indent=1))
    expected = load(golden_path)
    for key in expected:
        assert found.get(key) == expected[key], f"{golden_path.name}: '{key}' differs:\n{json.dumps(found.get(key), indent=1)}"
    assert set(found) == set(expected), f"{golden_path.name}: keys {sorted(set(found) ^ set(expected))}"
