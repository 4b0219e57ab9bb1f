"""Checks: every problem with a submission found before anything is uploaded, each with a hint.

``run_checks`` runs every check (one failing check never hides the others: a check that crashes
becomes an issue itself) and returns the issues in a stable order: scene file, frames, layers,
cameras, outputs (this module), then assets, software, paths and the render node
(rv_dcc.submit.checks_farm). Each Issue (rv_dcc.submit.issues) says what is wrong (title), what to do (hint), where
(node, e.g. ``file1.fileTextureName``) and carries the farm's tips code when there is one
(spec/wire.md §6). For a tips code the farm explains (queryAnalyseErrorDetail, via the Catalog)
the farm's word decides the severity: type 1 is an error that blocks submission, type 0 a
warning; the farm's explanation rides along in ``farm_note``. ``blocking`` lists the errors.
Every Issue also carries a stable message ``key`` and its ``params`` so that the text can be shown
in another language (rv_dcc.submit.messages; the English title and hint are the reference).
Pure: reads the description, options, catalog and asset scan; looks at the disk only to see
whether the scene file exists when the scan does not list it.
"""
import logging
import os
from typing import Any, Dict, List, Optional

from rv_dcc.submit import checks_farm
from rv_dcc.i18n import phrase
from rv_dcc.submit import units as units_mod
from rv_dcc.submit.catalog import Catalog
# Issue and its helpers live in rv_dcc.submit.issues (shared with checks_farm); named here too
# because callers know them as checks.Issue, checks.blocking ...
from rv_dcc.submit.issues import (ERROR, INFO, SEVERITIES, WARNING, Check, Issue, apply_farm_severity,  # noqa: F401
                                  blocking, layer_word)
from rv_dcc.submit.options import SubmitOptions

log = logging.getLogger("rv_dcc.submit.checks")


def run_checks(desc: Any, options: SubmitOptions, catalog: Catalog, scan: Any) -> List[Issue]:
    """Run every check and return all issues (farm severities applied to tips codes)."""
    issues: List[Issue] = []
    for check in CHECKS + checks_farm.CHECKS:
        try:
            issues.extend(check(desc, options, catalog, scan))
        except Exception as exc:  # noqa: BLE001 - one broken check must not hide the others
            log.exception("check %s failed", check.__name__)
            issues.append(Issue("internal.check_failed", WARNING, f"The check {check.__name__} could not run: {exc}",
                                "Report this with the scene description; the other checks ran.",
                                params={"check": check.__name__, "error": str(exc)}))
    return [apply_farm_severity(issue, catalog) for issue in issues]


# --- scene file ------------------------------------------------------------------------------

def _scene_exists(desc: Any, scan: Any) -> bool:
    # The asset scan stats the scene (AssetScan.scene); look at the disk only without a scan.
    if getattr(scan, "scene", None) is not None:
        return True
    return os.path.isfile(desc.scene_file)


def check_scene_file(desc: Any, options: SubmitOptions, catalog: Catalog, scan: Any) -> List[Issue]:
    """Never saved, missing on disk, unsaved changes, wrong file type, no project folder."""
    if not desc.scene_file:
        return [Issue("scene.unsaved", ERROR, "The scene has never been saved",
                      "Save the scene to a file (File > Save As), then submit again.", tips_code="15024",
                      key="scene.never_saved")]
    issues: List[Issue] = []
    if not _scene_exists(desc, scan):
        issues.append(Issue("scene.missing", ERROR, f"The scene file does not exist: {desc.scene_file}",
                            "Save the scene again, or connect the drive or share it lives on.",
                            tips_code="15024", detail=desc.scene_file, params={"path": desc.scene_file}))
    if not desc.scene_saved:
        issues.append(Issue("scene.modified", WARNING, "The scene has unsaved changes: the farm renders the file "
                                                       "as it was last saved",
                            "Save the scene (Ctrl+S) so that the farm renders what you see."))
    ext = os.path.splitext(desc.scene_file)[1].lstrip(".").lower()
    if catalog.file_types and ext not in catalog.file_types:
        wanted = ", ".join("." + t for t in catalog.file_types)
        issues.append(Issue("scene.file_type", ERROR, f"The farm does not render .{ext} files for this host",
                            f"Save the scene as {wanted}.", detail=desc.scene_file,
                            params={"ext": ext, "wanted": wanted}))
    if desc.host == "maya" and not desc.project_dir:
        issues.append(Issue("scene.no_project", INFO, "No Maya project (workspace) is set",
                            "Set the project (File > Set Project) so that relative paths resolve on the farm."))
    return issues


# --- frames ----------------------------------------------------------------------------------

def _spec_issue(code: str, what: str, spec: str, error: Exception, node: str = "",
                params: Optional[Dict[str, Any]] = None) -> Issue:
    # The parser's message shows the spec with a caret under the bad character; its own hint
    # line is left out because the issue's hint says the same.
    text = str(error)
    hint = getattr(error, "hint", "")
    if hint and text.endswith("\n" + hint):
        text = text[:-len(hint) - 1]
    return Issue(code, ERROR, f"Cannot read the frames {spec!r} of {what}",
                 "Write frames like 1-100, 1-100x2, 1,5,10-20 or 1-10[1].", node=node, detail=text,
                 params={"spec": repr(spec), **(params or {})})


def check_frames(desc: Any, options: SubmitOptions, catalog: Catalog, scan: Any) -> List[Issue]:
    """Frame override, per-layer frames, scene range and test frames must parse and make sense."""
    issues: List[Issue] = []
    override_bad = False  # a flag, not the exception: a frame keeping its own exception is a
    # reference cycle (exception -> traceback -> this frame) that holds every caller's locals
    if options.frames is not None and options.frames.strip():
        try:
            units_mod.parse(options.frames)
        except ValueError as exc:
            override_bad = True
            issues.append(_spec_issue("frames.bad_spec", "the submission", options.frames, exc))
    elif options.frames is not None:
        issues.append(Issue("frames.bad_spec", ERROR, "The frame override is empty",
                            "Give frames like 1-100, or leave the override out to render each layer's range.",
                            key="frames.empty_override"))
    for layer in desc.layers:
        if layer.frames and not override_bad and not (options.frames or "").strip():
            try:
                units_mod.parse(layer.frames)
            except ValueError as exc:
                issues.append(_spec_issue("frames.bad_layer_spec", f"{layer_word(desc)} {layer.name}",
                                          layer.frames, exc, node=layer.name,
                                          params={"host": desc.host, "word": layer_word(desc), "layer": layer.name}))
    custom = (options.test_frames.custom or "").strip()
    if custom:
        try:
            test = units_mod.parse(custom)
        except ValueError as exc:
            issues.append(_spec_issue("frames.bad_test_spec", "the test frames", custom, exc))
        else:
            rendered = set()
            for unit in units_mod.selected_units(desc, options):
                rendered.update(unit.frames.numbers)
            outside = [f for f in test.numbers if f not in rendered]
            if rendered and outside:
                issues.append(Issue("frames.test_outside", WARNING,
                                    f"Test frames {', '.join(map(str, outside[:10]))} are not among the frames rendered",
                                    "Pick test frames inside the frame range, or they will not be rendered first.",
                                    params={"frames": ", ".join(map(str, outside[:10]))}))
    return issues


#: a unit with at least this many frames, one per machine, gets the frames-per-machine suggestion.
LONG_SEQUENCE = 100


def suggested_frames_per_task(frames: int) -> int:
    """Frames per machine worth suggesting for a sequence of ``frames`` (2 to 10: about 100 machines)."""
    return max(2, min(10, round(frames / 100)))


def check_batching(desc: Any, options: SubmitOptions, catalog: Catalog, scan: Any) -> List[Issue]:
    """Long sequences rendered one frame per machine: suggest frames per machine (LESSONS 14)."""
    if options.frames_per_task != 1:
        return []
    try:
        longest = max((len(unit.frames) for unit in units_mod.selected_units(desc, options)
                       if unit.renders_images and unit.frames is not None
                       and unit.frames_error is None), default=0)
    except ValueError:  # a bad frame spec is check_frames' issue
        return []
    if longest < LONG_SEQUENCE:
        return []
    per = suggested_frames_per_task(longest)
    return [Issue("frames.one_per_machine", INFO,
                  f"{longest} frames, one per machine: every machine loads the scene for a single frame",
                  f"Render {per} frames per machine to pay the scene-load time less often "
                  "(fewer machines at once, usually a lower cost).",
                  params={"frames": longest, "per": per})]


# --- layers ----------------------------------------------------------------------------------

def check_renderable(desc: Any, options: SubmitOptions, catalog: Catalog, scan: Any) -> List[Issue]:
    """Chosen layers must exist and something must be left to render."""
    issues: List[Issue] = []
    word = layer_word(desc)
    names = [layer.name for layer in desc.layers]
    if options.layers is not None:
        unknown = [name for name in options.layers if name not in names]
        if unknown:
            issues.append(Issue("layers.unknown", ERROR, f"No {word} named {', '.join(unknown)} in the scene",
                                f"Choose among: {', '.join(names) or '(none)'}.",
                                params={"host": desc.host, "word": word, "names": ", ".join(unknown),
                                        "choices": ", ".join(names) or phrase("value.none_listed")}))
    if desc.layers and not any(units_mod.is_selected(layer, options) for layer in desc.layers):
        how = "none of the chosen ones exists" if options.layers else f"no {word} is renderable"
        issues.append(Issue("layers.none", ERROR, f"Nothing to render: {how}",
                            f"Make at least one {word} renderable in the scene, or choose one to render.",
                            key="layers.none_chosen" if options.layers else "layers.none_renderable",
                            params={"host": desc.host, "word": word}))
    if desc.host == "cinema4d":
        takes = [u for u in units_mod.selected_units(desc, options) if u.layer is not None]
        if len({u.frames.numbers for u in takes}) > 1:
            issues.append(Issue("layers.take_frames", WARNING, "Takes have different frame ranges; the farm renders "
                                                               "every take over the same frames",
                                "Submit takes with different ranges separately, or give --frames."))
    return issues


# --- cameras ---------------------------------------------------------------------------------

def check_cameras(desc: Any, options: SubmitOptions, catalog: Catalog, scan: Any) -> List[Issue]:
    """Every rendered unit needs a camera; chosen cameras must exist; names must be unique."""
    issues: List[Issue] = []
    known = units_mod.camera_names(desc)
    if options.cameras:
        unknown = [name for name in options.cameras if name not in known]
        if unknown:
            issues.append(Issue("camera.unknown", ERROR, f"No camera named {', '.join(unknown)} in the scene",
                                f"Choose among: {', '.join(known) or '(none)'}.",
                                params={"names": ", ".join(unknown),
                                        "choices": ", ".join(known) or phrase("value.none_listed")}))
    for unit in units_mod.selected_units(desc, options):
        if unit.renders_images and not unit.cameras:
            where = f"{layer_word(desc)} {unit.name}" if unit.layer is not None else "the scene"
            hint = ("Set the camera parameter of the ROP." if desc.host == "houdini"
                    else "Mark a camera renderable (or set the scene camera), or choose one to render.")
            issues.append(Issue("camera.none", ERROR, f"No camera to render {where}", hint, node=unit.name,
                                tips_code="15006", detail=unit.label,
                                key="camera.none" + ("" if unit.layer is not None else ".scene")
                                + (".houdini" if desc.host == "houdini" else ""),
                                params={"host": desc.host, "word": layer_word(desc), "unit": unit.name}))
    duplicates = sorted({name for name in known if known.count(name) > 1})
    if duplicates:
        issues.append(Issue("camera.duplicate", WARNING, f"Several cameras are named {', '.join(duplicates)}",
                            "Rename the cameras so that every name is unique; the farm picks cameras by name.",
                            tips_code="15015", detail=", ".join(duplicates), params={"names": ", ".join(duplicates)}))
    return issues


# --- outputs ---------------------------------------------------------------------------------

def check_outputs(desc: Any, options: SubmitOptions, catalog: Catalog, scan: Any) -> List[Issue]:
    """Every rendered unit needs an output; two units must not write the same files."""
    issues: List[Issue] = []
    selected = units_mod.selected_units(desc, options)
    for unit in selected:
        if not unit.renders_images or unit.output:
            continue
        issues.append(Issue("output.none", ERROR, f"No output path for {unit.label}: nothing would be saved",
                            _OUTPUT_HINTS.get(desc.host, "Set the output path in the render settings."),
                            node=unit.name, key="output.none." + desc.host if desc.host in _OUTPUT_HINTS else "output.none",
                            params={"label": unit.label}))
    if desc.host == "maya" and not (desc.output.prefix or options.output) and \
            not any(u.layer is not None and u.layer.output is not None and u.layer.output.prefix for u in selected):
        issues.append(Issue("output.default_prefix", INFO, "No file name prefix: Maya names the images after the scene",
                            "Set a prefix such as <Scene>/<RenderLayer> in Render Settings > Common."))
    if desc.host != "blender":
        for output, names in units_mod.overlapping_outputs(selected):
            issues.append(Issue("output.overlap", WARNING, f"{', '.join(names)} all write {output}",
                                _OVERLAP_HINTS.get(desc.host, "Give each a different output path."),
                                node=names[0], key="output.overlap." + desc.host if desc.host in _OVERLAP_HINTS
                                else "output.overlap", params={"names": ", ".join(names), "output": output}))
    return issues


_OUTPUT_HINTS = {
    "3dsmax": "Tick 'Save File' and set the output file in Render Setup > Common > Render Output.",
    "houdini": "Set the output picture parameter of the ROP.",
    "cinema4d": "Tick Save and set the file path in Render Settings > Save > Regular Image.",
    "blender": "Set the output path in Output Properties > Output.",
}
_OVERLAP_HINTS = {
    "maya": "Put <RenderLayer> (and <Camera> for several cameras) in the file name prefix.",
    "cinema4d": "Put $take in the output path so that each take writes its own files.",
    "houdini": "Give each ROP its own output path (use $OS in the file name).",
}

CHECKS: List[Check] = [check_scene_file, check_frames, check_batching, check_renderable, check_cameras,
                      check_outputs]
