"""The person-readable report of a prepared submission (what ``rv-dcc submit`` prints).

Software matched against the farm's catalog, the checks grouped by severity with their hints
and the farm's explanation of tips codes, the resolved output paths per layer (LESSONS.md 10:
show them before submitting), the asset count and the files written. Plain text, ASCII marks,
no colour: it goes to terminals, logs and CI alike. The checks are written in the artist's
language (rv_dcc.i18n: the same rule and catalogs as the panel); the rest stays English.
"""
from typing import Any, List, Optional, Sequence

from rv_dcc.i18n import N_, text
from rv_dcc.submit.checks import ERROR, INFO, WARNING, layer_word

#: severity, heading key, mark, count key (a plural entry: "1 error", "2 errors")
_HEADINGS = ((ERROR, N_("report.heading.error"), "x", N_("report.count.error")),
             (WARNING, N_("report.heading.warning"), "!", N_("report.count.warning")),
             (INFO, N_("report.heading.info"), "i", N_("report.count.info")))


def _size(count: int) -> str:
    value = float(count)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{count} B"  # pragma: no cover


def software_lines(prepared: Any) -> List[str]:
    """Host and plugins as matched against the catalog, and the render environment."""
    env = prepared.files.env
    lines = [f"Software    {env.software.describe()}"]
    lines.extend(f"            {plugin.describe()}" for plugin in env.plugins)
    state = "exists" if env.existing is not None else "will be created"
    lines.append(f"Render env  {env.edit_name!r} ({state}, {prepared.options.os_label} nodes)")
    if prepared.catalog_source:
        lines.append(f"Catalog     {prepared.catalog_source}")
    return lines


def issue_lines(issues: Sequence[Any], language: Optional[str] = None) -> List[str]:
    """The checks grouped by severity, each with its hint (``language`` None: from the environment)."""
    from rv_dcc.submit.messages import cli_language, localize

    language = language or cli_language()
    if not issues:
        return ["Checks      " + text("report.all_passed", language)]
    counts = {severity: sum(1 for i in issues if i.severity == severity) for severity, *_rest in _HEADINGS}
    lines = ["Checks      " + text("report.separator", language).join(
        text(key, language, n=counts[severity]) for severity, _h, _m, key in _HEADINGS if counts[severity])]
    for severity, heading, mark, _count in _HEADINGS:
        group = [issue for issue in issues if issue.severity == severity]
        if not group:
            continue
        lines.append(text(heading, language))
        for issue in group:
            title, hint = localize(issue, language)
            code = f" [{issue.tips_code}]" if issue.tips_code else ""
            node = f"  ({issue.node})" if issue.node and issue.node not in title else ""
            lines.append(f"  {mark}{code} {title}{node}")
            if issue.detail and issue.detail not in title:
                lines.extend(f"      {row}" for row in issue.detail.splitlines())
            lines.append(f"      -> {hint}")
            if issue.farm_note:
                lines.append(f"      farm: {issue.farm_note}")
    return lines


def output_lines(prepared: Any) -> List[str]:
    """Each unit: rendered or not, frames, cameras and the resolved output path."""
    word = layer_word(prepared.desc, plural=True) if prepared.desc.layers else "Scene"
    lines = [f"Outputs     ({word}: [x] renders)"]
    for unit in prepared.units:
        mark = "x" if unit.selected else " "
        cameras = ", ".join(unit.cameras) or ("-" if not unit.renders_images else "(none)")
        target = unit.output or ("(cache / simulation)" if not unit.renders_images else "(no output path)")
        lines.append(f"  [{mark}] {unit.label}  frames {unit.frames.to_farm()}  camera {cameras}")
        lines.append(f"      -> {target}")
    return lines


def asset_lines(prepared: Any) -> List[str]:
    """How many files are uploaded and how many are missing."""
    found = prepared.scan.found
    total = sum(f.size for f in found) + (prepared.scan.scene.size if getattr(prepared.scan, "scene", None) else 0)
    return [f"Assets      {len(found)} file(s) + the scene, {_size(total)}; {len(prepared.scan.missing)} missing"]


def render(prepared: Any, written: Sequence[str] = (), dry_run: bool = True) -> str:
    """The whole report."""
    desc = prepared.desc
    lines = [f"Scene       {desc.scene_file or '(never saved)'}  [{desc.host} {desc.host_version}]"]
    lines += software_lines(prepared)
    lines += asset_lines(prepared)
    lines += output_lines(prepared)
    lines += issue_lines(prepared.issues)
    if written:
        lines.append("Task files  written" + (" (dry run: no task was created)" if dry_run else "") + ":")
        lines.extend(f"  {path}" for path in written)
    elif dry_run:
        lines.append("Task files  not written (give --out DIR to write them)")
    if prepared.blocking and not dry_run:
        # A real submission stopped by its checks: say plainly that nothing left this machine.
        lines.append(f"Result      NOT submitted (nothing was sent to the farm): fix the "
                     f"{len(prepared.blocking)} error(s) above, then submit again.")
    elif prepared.blocking:
        lines.append(f"Result      the farm would refuse this submission: fix the {len(prepared.blocking)} error(s) above.")
    else:
        lines.append("Result      ready to submit." if dry_run else "Result      submitted.")
    return "\n".join(lines)
