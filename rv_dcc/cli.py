"""The ``rv-dcc`` command: global options and a table of subcommands.

Each subcommand lives in ``rv_dcc.commands.<name>`` and exposes ``configure(parser)`` and
``run(args) -> int``; this module only dispatches, so ``rv-dcc --help`` imports nothing heavy.
"""
import argparse
import importlib
import sys
from typing import TYPE_CHECKING, List, Optional

if TYPE_CHECKING:
    from typing import NoReturn

from rv_dcc import __version__

#: subcommand -> (module under rv_dcc.commands, one-line help). Order is the order of --help.
COMMANDS = {
    "demo": ("demo", "start the embedded farm, submit the five samples and watch them render"),
    "farm": ("farm", "run the embedded farm: the same service on loopback"),
    "describe": ("describe", "read a scene file through its host and print its description"),
    "submit": ("submit", "check a scene and submit it (or --dry-run to write the task files)"),
    "history": ("history", "list submission journals and their state"),
    "status": ("status", "show a task, or the task list"),
    "watch": ("watch", "follow a task's progress until it ends"),
    "download": ("download", "download a task's outputs"),
    "frames": ("frames", "list a task's frames: status, time, cost, machine"),
    "log": ("log", "show a frame's render log"),
    "retry": ("retry", "render a task's failed (or chosen) frames again"),
    "stop": ("stop", "stop a task (asks first; --yes without a terminal)"),
    "start": ("start", "let a stopped task render on"),
    "priority": ("priority", "set a task's priority: normal or high"),
    "timeout": ("timeout", "stop a task once it has rendered this long (the farm's overtime stop)"),
    "open": ("open", "open a task's downloaded outputs folder, else the farm's web page"),
    "abandon": ("abandon", "abandon a task (asks first; --yes without a terminal)"),
    "delete": ("delete", "delete a task from the list (asks first; --yes without a terminal)"),
    "panel": ("panel", "open the submit dialog and monitor (Qt)"),
    "install": ("install", "install the plugin into a DCC"),
}


class _Parser(argparse.ArgumentParser):
    """argparse that answers a usage error in JSON on stdout when ``--json`` was asked for.

    A script that passes ``--json`` parses stdout; a usage error printed only as text would break
    it. The text usage still goes to stderr for the person; the exit code stays 2.
    """

    def error(self, message: str) -> "NoReturn":  # type: ignore[override]
        if "--json" in sys.argv[1:] or _JSON_ARGV[0]:
            from rv_dcc.commands.connect import emit_json

            emit_json({"error": "UsageError", "message": message,
                       "hint": f"See {self.prog} --help."})
        super().error(message)


#: set by main(): whether the argv being parsed asks for --json (argv may not be sys.argv)
_JSON_ARGV = [False]


def _global_options() -> _Parser:
    common = _Parser(add_help=False)
    group = common.add_argument_group("farm connection")
    group.add_argument("--domain", default=argparse.SUPPRESS,
                       help="service domain, e.g. jop.foxrenderfarm.com or 127.0.0.1:8765 (default: account config, else the embedded farm)")
    group.add_argument("--platform", default=argparse.SUPPRESS, help="platform id, e.g. 2")
    group.add_argument("--protocol", choices=("https", "http"), default=argparse.SUPPRESS, help="https or http")
    common.add_argument("--json", action="store_true", default=argparse.SUPPRESS,
                        help="machine-readable output on stdout")
    return common


def build_parser() -> argparse.ArgumentParser:
    """The full parser; subcommand modules are imported to add their own arguments."""
    common = _global_options()
    parser = _Parser(
        prog="rv-dcc", parents=[common],
        description="Send DCC scenes to the Fox Renderfarm / Renderbus cloud farm and watch them render.")
    parser.add_argument("--version", action="version", version=f"rv-dcc {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name, (module_name, help_text) in COMMANDS.items():
        module = importlib.import_module(f"rv_dcc.commands.{module_name}")
        child = sub.add_parser(name, parents=[common], help=help_text, description=help_text)
        module.configure(child)
        child.set_defaults(_module=module)
    return parser


def _debug() -> bool:
    import os

    return os.environ.get("RV_DCC_DEBUG", "") not in ("", "0")


def main(argv: Optional[List[str]] = None) -> int:
    """Entry point of ``rv-dcc``.

    Exit codes: 0 done, 1 an error (said in one line on stderr, or a JSON object on stdout with
    --json), 2 a usage error or a submission blocked by its checks, 3 a cancelled submission,
    130 interrupted (Ctrl-C). No Python traceback reaches the person unless RV_DCC_DEBUG=1.
    """
    _JSON_ARGV[0] = "--json" in (sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    args = parser.parse_args(argv)
    for option, default in (("domain", None), ("platform", None), ("protocol", None), ("json", False)):
        if not hasattr(args, option):
            setattr(args, option, default)
    module = getattr(args, "_module", None)
    if module is None:
        parser.print_help(sys.stderr)
        return 2
    from rv_dcc.commands.connect import fail
    from rv_dcc.errors import RvDccError

    prefix = f"rv-dcc {args.command}"
    try:
        return int(module.run(args) or 0)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except RvDccError as error:
        return fail(error, args.json, prefix)
    except OSError as error:
        # A file or folder the person named cannot be read or written: say which and why.
        if _debug():
            raise
        where = f" {error.filename}" if error.filename else ""
        return fail(RvDccError(f"cannot use{where}: {error.strerror or error}",
                               hint="Check the path exists, is the kind expected (file or folder) and "
                                    "that you may read / write it."), args.json, prefix)
    except Exception as error:  # a bug: one line for the person, the traceback on request
        if _debug():
            raise
        return fail(RvDccError(f"internal error ({type(error).__name__}: {error})",
                               hint="This is a bug in rv_dcc. Run again with RV_DCC_DEBUG=1 to see the "
                                    "traceback and report it."), args.json, prefix)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
