"""``rv-dcc describe SCENE [--out FILE] [--json]``: read a scene through its host and report it.

The scene is opened by its host in a separate process (``rv_dcc.batch``). Without options a
short summary is printed for a person: layers, cameras, frames, outputs and how many of the
files the scene uses were found. ``--out`` writes the description JSON; ``--json`` prints it.
"""
import argparse
from typing import Any, List, Tuple

from rv_dcc.errors import RvDccError


def configure(parser: argparse.ArgumentParser) -> None:
    """Arguments of ``rv-dcc describe``."""
    parser.add_argument("scene", help="scene file (.blend, .ma, .hip, ...) or a description .json")
    parser.add_argument("--out", metavar="FILE", help="write the description JSON here")
    parser.add_argument("--timeout", type=float, default=300.0, metavar="SECONDS",
                        help="give up when the host takes longer than this (default 300)")


def _asset_counts(desc: Any) -> Tuple[int, int, List[Any]]:
    """(files found, references missing, missing entries) without hashing anything."""
    from rv_dcc.scene.assets import scan_assets

    scan = scan_assets(desc, hash_files=False)
    return len(scan.found), len(scan.missing), list(scan.missing)


def summary(desc: Any) -> str:
    """A few lines a person reads to check the scene was understood."""
    lines = ["%s %s  %s%s" % (desc.host, desc.host_version, desc.scene_file or "(never saved)",
                              "" if desc.scene_saved else "  (unsaved changes)")]
    device = desc.settings.get("device")
    lines.append("renderer   %s%s" % (desc.renderer or "?", " (%s)" % device if device else ""))
    lines.append("frames     %d-%d step %d at %g fps" % (desc.frame_start, desc.frame_end, desc.frame_step, desc.fps))
    res = desc.resolution
    lines.append("resolution %dx%d at %d%%" % (res.width, res.height, res.percentage))
    lines.append("output     %s  [%s]" % (desc.output.path or "(none)", desc.output.format or "?"))
    for layer in desc.layers:
        lines.append("layer      [%s] %s" % ("x" if layer.renderable else " ", layer.name))
    for camera in desc.cameras:
        lines.append("camera     %s%s" % (camera.name, "  (renders)" if camera.renderable else ""))
    found, missing, entries = _asset_counts(desc)
    lines.append("assets     %d references: %d files found, %d missing" % (len(desc.assets), found, missing))
    for entry in entries[:20]:
        lines.append("  missing  %s  (%s %s: %s)" % (entry.expanded, entry.ref.node, entry.ref.attribute, entry.reason))
    if len(entries) > 20:
        lines.append("  ... and %d more" % (len(entries) - 20))
    return "\n".join(lines)


def check_scene_path(scene: str) -> None:
    """Refuse a folder early: the host would only say "not found", which misleads."""
    import os

    if os.path.isdir(scene):
        raise RvDccError(f"{scene} is a folder, not a scene file",
                         hint="Give the scene file itself (.blend, .ma, .hip, .max, .c4d) or its description .json.")


def run(args: argparse.Namespace) -> int:
    """Describe the scene; 0 on success, 1 with a message when it cannot be read."""
    from rv_dcc.batch import describe_file
    from rv_dcc.commands.connect import fail

    try:
        check_scene_path(args.scene)
        desc = describe_file(args.scene, timeout=args.timeout)
        if args.out:
            from rv_dcc.scene.io import save_description

            save_description(desc, args.out)
    except RvDccError as exc:
        return fail(exc, args.json, "rv-dcc describe")
    if args.json:
        print(desc.to_json())
    elif args.out:
        print("wrote %s" % args.out)
    else:
        print(summary(desc))
    return 0
