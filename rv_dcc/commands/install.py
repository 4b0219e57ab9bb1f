"""``rv-dcc install DCC [--version V] [--prefix DIR] [--uninstall]``: put the plugin where the DCC finds it.

Dispatches to ``rv_dcc.install.<dcc>.install``; prints the paths written or removed (or a JSON
list with --json) and, after an install, what the artist does next in the DCC.
"""
import argparse
import inspect
import json

from rv_dcc.errors import RvDccError

_NEXT_STEP = {
    "blender": ("Restart Blender, then enable \"Fox Renderfarm (rv_dcc)\" in Edit > Preferences > "
                "Add-ons (Blender 4.2+: Get Extensions > Installed)."),
}


def configure(parser: argparse.ArgumentParser) -> None:
    """Arguments of ``rv-dcc install``."""
    from rv_dcc.install import INSTALLERS

    parser.add_argument("dcc", choices=sorted(INSTALLERS), help="the DCC to install into")
    parser.add_argument("--version", dest="dcc_version", metavar="V",
                        help="the DCC's version, e.g. 4.2 (default: the one found on this machine)")
    parser.add_argument("--prefix", metavar="DIR", help="install here instead of the DCC's user folder")
    parser.add_argument("--uninstall", action="store_true", help="remove exactly what an install put there")
    parser.add_argument("--blender", metavar="PATH",
                        help="Blender only: the executable to install for (default: every Blender found)")
    parser.add_argument("--no-deps", action="store_true",
                        help="don't download the Python dependencies (requests, pydantic, ...)")


def run(args: argparse.Namespace) -> int:
    """Install or uninstall; 0 on success, 1 with a message on failure."""
    from rv_dcc.install import installer

    try:
        module = installer(args.dcc)
        kwargs = {}
        if args.no_deps:
            if "deps" not in inspect.signature(module.install).parameters:
                raise RvDccError("--no-deps is not supported for %s." % args.dcc, hint="leave it out")
            kwargs["deps"] = False
        if args.blender:
            if "blender" not in inspect.signature(module.install).parameters:
                raise RvDccError("--blender is for `rv-dcc install blender` only.", hint="leave it out")
            kwargs["blender"] = args.blender
        paths = module.install(args.dcc_version, args.prefix, uninstall=args.uninstall, **kwargs)
    except RvDccError as exc:
        from rv_dcc.commands.connect import fail

        return fail(exc, args.json, "rv-dcc install")
    if args.json:
        print(json.dumps({"dcc": args.dcc, "uninstall": bool(args.uninstall), "paths": paths}, indent=2))
        return 0
    if args.uninstall and not paths:  # a second uninstall: nothing to do, and that is fine
        where = " in %s" % args.prefix if args.prefix else ""
        version = " %s" % args.dcc_version if args.dcc_version else ""
        print("nothing of rv_dcc was installed for %s%s%s; nothing removed" % (args.dcc, version, where))
        return 0
    verb = "removed" if args.uninstall else "installed"
    for path in paths:
        print("%s %s" % (verb, path))
    if not args.uninstall:
        step = _NEXT_STEP.get(args.dcc) or str(getattr(module, "NEXT_STEP", "") or "")
        if step:
            print(step)
    return 0
