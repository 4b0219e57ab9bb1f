"""The ``rv-dcc`` command: global options and a table of subcommands.

Each subcommand lives in ``rv_dcc.commands.<name>`` and exposes ``configure(parser)`` and
``run(args) -> int``; this module only dispatches, so ``rv-dcc --help`` imports nothing heavy.
"""
import argparse
import importlib
import sys
from typing import List, Optional

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
    "panel": ("panel", "open the submit dialog and monitor (Qt)"),
    "install": ("install", "install the plugin into a DCC"),
}


def _global_options() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
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
    parser = argparse.ArgumentParser(
        prog="rv-dcc", parents=[common],
        description="Send DCC scenes to the Fox Renderfarm / Renderbus cloud farm and watch them render.")
    parser.add_argument("--version", action="version", version=f"rv-dcc {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (module_name, help_text) in COMMANDS.items():
        module = _load(module_name)
        if module is None:
            continue
        child = sub.add_parser(name, parents=[common], help=help_text, description=help_text)
        module.configure(child)
        child.set_defaults(_module=module)
    return parser


def _load(module_name: str):
    try:
        return importlib.import_module(f"rv_dcc.commands.{module_name}")
    except ModuleNotFoundError as exc:
        if exc.name == f"rv_dcc.commands.{module_name}":
            return None  # not built yet
        raise


def main(argv: Optional[List[str]] = None) -> int:
    """Entry point of ``rv-dcc``."""
    parser = build_parser()
    args = parser.parse_args(argv)
    for option, default in (("domain", None), ("platform", None), ("protocol", None), ("json", False)):
        if not hasattr(args, option):
            setattr(args, option, default)
    module = getattr(args, "_module", None)
    if module is None:
        parser.print_help()
        return 0
    try:
        return int(module.run(args) or 0)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
