"""Checks against the farm: missing assets, software in the catalog, path mapping, render node.

The second half of the check list of rv_dcc.submit.checks (same Issue type, same rules). Decisions
documented here because artists ask about them:
- Missing files carry tips 10012 (10018 for Alembic, 10028 for VDB); the farm's type decides
  whether they block. The node and attribute the file came from are named.
- A host version the farm does not run exactly is rendered with the nearest one it does run
  (named in the message, tips 15013 "saved by another version", a warning); a host with no
  version at all on the farm is tips 15019 and blocks. A plugin with no exact version gets the
  nearest (warning); a plugin the farm does not offer at all is an error (15004 when it is the
  scene's renderer).
- Paths: relative paths cannot be mapped (error); UNC paths are mapped to /server/share/...
  but a renderer resolving the share by name at render time will not find it (warning); paths
  over 256 characters fail on Windows nodes (error there, warning for Linux nodes).
- Windows drive-letter paths on a Linux node are fine: every uploaded file lives at its server
  path (D:\\a\\b.jpg -> /D/a/b.jpg) and the farm remaps the scene's references. The same holds
  for POSIX paths on a Windows node. Hosts the farm runs only on Windows (querySoftwareList
  isSupportLinux = 0: 3ds Max, Cinema 4D) cannot be sent to Linux nodes (error).
"""
import os
from typing import Any, Dict, List, Optional, Tuple

from rv_dcc.i18n import phrase
from rv_dcc.scene import paths as paths_mod
from rv_dcc.submit.catalog import Catalog
from rv_dcc.submit.issues import ERROR, INFO, WARNING, Check, Issue
from rv_dcc.submit.options import SubmitOptions
from rv_dcc.submit.render_env import MISSING, NEAREST, match_render_env

#: at most this many issues of one path problem are listed one by one; the rest are summed up.
MAX_PATH_ISSUES = 50
#: longest path a Windows render node opens without long-path support (rv_dcc.scene.paths).
MAX_PATH_LENGTH = paths_mod.MAX_PATH_LENGTH

_TIPS_BY_EXT = {".abc": "10018", ".vdb": "10028"}
#: renderer name (letters and digits only, lower case) -> plugin names that provide it.
_RENDERER_PLUGINS = {
    "arnold": ("mtoa", "htoa", "c4dtoa", "arnold"), "vray": ("vrayformaya", "vray", "vrayforc4d"),
    "redshift": ("redshift",), "renderman": ("renderman", "rfm"), "octane": ("octane",),
    "corona": ("corona",),
}
_GPU_RENDERERS = ("redshift", "octane")


def _node_of(ref: Any) -> str:
    if ref.node and ref.attribute:
        return f"{ref.node}.{ref.attribute}"
    return ref.node or ref.attribute


def check_assets(desc: Any, options: SubmitOptions, catalog: Catalog, scan: Any) -> List[Issue]:
    """One issue per missing file, naming the node and attribute it came from."""
    issues: List[Issue] = []
    for missing in getattr(scan, "missing", []) or []:
        ref = missing.ref
        shown = missing.expanded or ref.path
        ext = os.path.splitext(shown.replace("\\", "/").rsplit("/", 1)[-1])[1].lower()
        node = _node_of(ref)
        where = f" ({node})" if node else ""
        reason = f": {missing.reason}" if missing.reason else ""
        issues.append(Issue("assets.missing", WARNING, f"Missing file{where}: {shown}",
                            f"Put the file back or repath {node or 'the reference'}{reason}; "
                            "otherwise the farm renders without it.",
                            node=node, tips_code=_TIPS_BY_EXT.get(ext, "10012"), detail=paths_mod.to_slash(shown),
                            key="assets.missing" + ("" if node else ".no_node") + (".reason" if reason else ""),
                            params={"path": shown, "node": node, "reason": missing.reason or ""}))
    if desc.host == "3dsmax":
        xrefs = [f for f in getattr(scan, "found", []) or [] if f.ref.kind == "xref"]
        if xrefs:
            issues.append(Issue("assets.xref", INFO, f"The scene uses {len(xrefs)} XRef file(s); they are uploaded with it",
                                "Make sure each XRef opens on its own.", tips_code="10025",
                                detail=", ".join(sorted({paths_mod.to_slash(f.path) for f in xrefs})),
                                params={"count": len(xrefs)}))
    return issues


def _renderer_key(desc: Any) -> str:
    letters = "".join(c for c in (desc.renderer or "").lower() if c.isalnum())
    return next((key for key in _RENDERER_PLUGINS if letters.startswith(key)), "")


def check_software(desc: Any, options: SubmitOptions, catalog: Catalog, scan: Any) -> List[Issue]:
    """Host version and plugins against querySoftwareDetail, with the nearest version named."""
    match = _match(desc, options, catalog)
    issues: List[Issue] = []
    host = match.software
    offered = ", ".join(host.offered) or phrase("value.none")
    if host.status == MISSING:
        issues.append(Issue("software.host_missing", ERROR, f"The farm runs no version of {host.name}",
                            "This farm cannot render the scene; contact the farm's support.",
                            tips_code="15019", detail=f"{host.name} {host.wanted}", params={"host": host.name}))
    elif host.status == NEAREST and host.picked:
        # The artist picked this version in the render-environment picker: a note, not a warning.
        issues.append(Issue("software.host_picked", INFO,
                            f"{host.name} {host.chosen} picked for a scene saved with {host.name} {host.wanted}",
                            "Check the test frames: a scene opened in another version can render differently.",
                            detail=f"{host.name} {host.wanted}", key="software.host_picked",
                            params={"host": host.name, "chosen": host.chosen, "wanted": host.wanted}))
    elif host.status == NEAREST:
        issues.append(Issue("software.host_nearest", WARNING,
                            f"{host.name} {host.wanted} is not on the farm: {host.chosen}, the nearest, will render it",
                            f"Check the test frames, or save the scene from {host.name} {host.chosen}. "
                            f"The farm runs: {offered}.", tips_code="15013", detail=f"{host.name} {host.wanted}",
                            params={"host": host.name, "wanted": host.wanted, "chosen": host.chosen,
                                    "offered": offered}))
    renderer = _renderer_key(desc)
    if not desc.renderer:
        issues.append(Issue("software.no_renderer", ERROR, "The scene names no renderer",
                            "Pick a renderer in the render settings and save the scene.", tips_code="15005"))
    for plugin in match.plugins:
        offered_p = ", ".join(plugin.offered) or phrase("value.none")
        if plugin.status == NEAREST and plugin.picked:
            issues.append(Issue("software.plugin_picked", INFO,
                                f"{plugin.name} {plugin.chosen} picked (the scene uses "
                                f"{plugin.wanted or 'an unknown version'})",
                                "Check the test frames: another plugin version can render differently.",
                                node=plugin.name, key="software.plugin_picked" + ("" if plugin.wanted else ".unknown"),
                                params={"plugin": plugin.name, "chosen": plugin.chosen, "wanted": plugin.wanted}))
        elif plugin.status == NEAREST:
            what = f"{plugin.name} {plugin.wanted}" if plugin.wanted else f"{plugin.name} (version unknown)"
            issues.append(Issue("software.plugin_nearest", WARNING,
                                f"{what} is not offered for {host.name} {match.cg_version}: {plugin.chosen} will be used",
                                f"Check the test frames, or install {plugin.name} {plugin.chosen} locally. "
                                f"Offered: {offered_p}.", node=plugin.name,
                                key="software.plugin_nearest" + ("" if plugin.wanted else ".unknown"),
                                params={"plugin": plugin.name, "wanted": plugin.wanted, "chosen": plugin.chosen,
                                        "host": host.name, "cg_version": match.cg_version, "offered": offered_p}))
        elif plugin.status == MISSING:
            is_renderer = renderer and plugin.name.lower() in _RENDERER_PLUGINS[renderer]
            issues.append(Issue("software.plugin_missing", ERROR,
                                f"The farm offers no {plugin.name} for {host.name} {match.cg_version}",
                                f"Remove the {plugin.name} dependency from the scene, or pick a {host.name} version "
                                f"that has it. Plugins offered: {', '.join(catalog.plugin_names(_cv_id(catalog, match.cg_version))) or 'none'}.",
                                node=plugin.name, tips_code="15004" if is_renderer else None,
                                detail=f"{plugin.name} {plugin.wanted}",
                                params={"plugin": plugin.name, "host": host.name, "cg_version": match.cg_version,
                                        "offered": ", ".join(catalog.plugin_names(_cv_id(catalog, match.cg_version)))
                                        or phrase("value.none")}))
    return issues


def _match(desc: Any, options: SubmitOptions, catalog: Catalog) -> Any:
    """The render environment as submitted: the scene matched, with the artist's picked versions."""
    return match_render_env(desc, catalog, options.render_env, options.cg_version, options.plugin_versions)


def _cv_id(catalog: Catalog, cg_version: str) -> int:
    version = catalog.version(cg_version)
    return version.id if version else -1


def _path_issue(path: str, node: str, os_name: str, host: str) -> Optional[Tuple[str, Issue]]:
    """(kind, issue) for a path the farm cannot map, or None."""
    # Infer Windows / POSIX from the path itself (a 3ds Max scene may live on a POSIX share);
    # only Blender's own "//" prefix needs the host to be read as relative.
    if paths_mod.is_relative(path, "blender" if host == "blender" else None):
        return "relative", Issue("paths.relative", ERROR, f"Relative path: {path}",
                                 "Make the path absolute (or relative to the project the scene declares) "
                                 "so that the farm knows which file it is.", node=node, detail=path,
                                 params={"path": path})
    if paths_mod.is_unc(path):
        return "unc", Issue("paths.unc", WARNING, f"Network share path: {path}",
                            f"It is uploaded to {paths_mod.to_server_path(path)}; if a renderer opens the share "
                            "by name at render time it will not find it. Prefer a mapped drive.", node=node, detail=path,
                            params={"path": path, "server": paths_mod.to_server_path(path)})
    if len(path) > MAX_PATH_LENGTH:
        severity = ERROR if os_name == "1" else WARNING
        return "long", Issue("paths.too_long", severity, f"Path longer than {MAX_PATH_LENGTH} characters: {path[:80]}...",
                             "Shorten the folder names or move the file closer to the drive root.", node=node, detail=path,
                             params={"limit": MAX_PATH_LENGTH, "start": path[:80]})
    problem = paths_mod.path_problem(path)
    if problem:
        return "other", Issue("paths.unmappable", ERROR, f"{problem}: {path}",
                              "Rename the file or folder to use plain characters, then repath it.", node=node, detail=path,
                              params={"problem": problem, "path": path})
    return None


def check_paths(desc: Any, options: SubmitOptions, catalog: Catalog, scan: Any) -> List[Issue]:
    """Scene, project and asset paths the farm cannot map (relative, UNC, too long, odd characters)."""
    candidates: List[Tuple[str, str]] = []
    if desc.scene_file:
        candidates.append((desc.scene_file, "scene file"))
    if desc.project_dir:
        candidates.append((desc.project_dir, "project folder"))
    for found in getattr(scan, "found", []) or []:
        candidates.append((found.path, _node_of(found.ref)))
    for missing in getattr(scan, "missing", []) or []:
        candidates.append((missing.expanded or missing.ref.path, _node_of(missing.ref)))
    seen = set()
    by_kind: Dict[str, List[Issue]] = {}
    for path, node in candidates:
        if path in seen:
            continue
        seen.add(path)
        found_issue = _path_issue(path, node, options.os_name, desc.host)
        if found_issue is not None:
            by_kind.setdefault(found_issue[0], []).append(found_issue[1])
    issues: List[Issue] = []
    for kind_issues in by_kind.values():
        issues.extend(kind_issues[:MAX_PATH_ISSUES])
        extra = len(kind_issues) - MAX_PATH_ISSUES
        if extra > 0:
            first = kind_issues[0]
            issues.append(Issue(first.code, first.severity, f"... and {extra} more like that", first.hint,
                                key="paths.more", params={**first.params, "extra": extra, "hint_key": first.message_key}))
    return issues


def check_render_node(desc: Any, options: SubmitOptions, catalog: Catalog, scan: Any) -> List[Issue]:
    """Settings the chosen render node OS and machine configuration cannot honour."""
    issues: List[Issue] = []
    match = _match(desc, options, catalog)
    host_name = match.cg_name
    if options.os_name == "0" and not catalog.supports_linux:
        issues.append(Issue("node.os_unsupported", ERROR, f"{host_name} renders on Windows nodes only",
                            "Choose Windows render nodes (--os windows).", params={"host": host_name}))
    gpu_renderer = _renderer_key(desc) in _GPU_RENDERERS or \
        str(desc.settings.get("device", desc.settings.get("render_device", ""))).upper() in ("GPU", "CUDA", "OPTIX", "HIP", "METAL")
    if options.hardware_config_id is None:
        if gpu_renderer:
            issues.append(Issue("node.gpu_on_cpu", INFO, "The scene renders on the GPU but no GPU machine is chosen",
                                "Choose a GPU machine configuration (--hardware ID) for a faster, cheaper render.",
                                key="node.gpu_default"))
        return issues
    config = catalog.hardware_config(options.hardware_config_id)
    if config is None:
        known = ", ".join(c.label() for c in catalog.hardware) or phrase("value.none")
        issues.append(Issue("node.hardware_unknown", ERROR, f"No machine configuration {options.hardware_config_id}",
                            f"Choose one of: {known}.", params={"id": options.hardware_config_id, "known": known}))
        return issues
    reason = config.refuses(match.cg_id, match.cg_version, match.plugin_versions)
    if reason is None:
        reason = config.refuses(match.cg_id, f"{host_name} {match.cg_version}", match.plugin_versions)
    if reason:
        issues.append(Issue("node.hardware_refuses", ERROR, f"Machine configuration {config.label()}: {reason}",
                            "Choose another machine configuration, or change the software version.",
                            detail=config.label(), params={"config": config.label(), "reason": reason}))
    if config.ram_gb and config.ram_gb != options.ram:
        issues.append(Issue("node.ram_mismatch", WARNING,
                            f"Machine configuration {config.label()} has {config.ram_gb} GB, not the {options.ram} GB asked",
                            f"Ask for {config.ram_gb} GB (--ram {config.ram_gb}) or choose another configuration.",
                            params={"config": config.label(), "has": config.ram_gb, "asked": options.ram}))
    if gpu_renderer and config.type != 2:
        issues.append(Issue("node.gpu_on_cpu", WARNING, f"The scene renders on the GPU but {config.label()} is a CPU machine",
                            "Choose a GPU machine configuration.", params={"config": config.label()}))
    return issues


CHECKS: List[Check] = [check_assets, check_software, check_paths, check_render_node]
