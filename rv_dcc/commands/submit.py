"""``rv-dcc submit SCENE [options] --dry-run --out DIR``: check a scene and write its task files.

``run`` goes: load the description (a .json, or any scene file through its host) -> scan the
assets -> fetch the catalog -> run the checks -> print them -> build the four task files ->
write them. With ``--dry-run`` nothing is created on the farm. The catalog comes from the live
farm when ``--domain`` is given or an account is configured (RAYVISION_API_* variables or the
account file), else from the catalog snapshot bundled with rv_dcc: no server and no network needed.
Exit codes: 0 ready, 2 a blocking issue or a usage error (the files are still written so they can be read, and
the report says the farm would refuse them), 1 the command could not run (bad file, bad option).
Submitting for real (``_submit``) hands the prepared scene to rv_dcc.commands.submitting.
"""
import argparse
import os
import sys
from typing import Any, List, Optional, Tuple

from rv_dcc.errors import RvDccError

EXIT_OK, EXIT_FAILED, EXIT_BLOCKED = 0, 1, 2


class OptionError(RvDccError):
    """An option value the submission cannot use: a usage error (exit 2), named by its option."""

    default_hint = "See rv-dcc submit --help."


#: SubmitOptions fields -> the option that sets them (errors name what the person typed)
OPTION_OF = {"job_stop_time": "--frame-timeout", "task_stop_time": "--task-timeout", "time_out": "--overtime-reminder",
             "frames_per_task": "--frames-per-task", "frames": "--frames", "hardware_config_id": "--hardware",
             "ram": "--ram", "graphics_cards_num": "--gpus", "project_name": "--project", "project_id": "--project-id",
             "labels": "--label", "layers": "--layers", "cameras": "--cameras", "output": "--output",
             "render_env": "--render-env", "test_frames": "--test-frames", "budget": "--budget"}


def _seconds(text: str) -> int:
    """argparse type: a whole number of seconds, 0 or more."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number of seconds, not {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more seconds, not {value}")
    return value


def _amount(text: str) -> float:
    """argparse type: an amount of money, more than 0 (``20``, ``12.5``)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be an amount such as 20 or 12.5, not {text!r}") from None
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"must be more than 0, not {text}")
    return value


def _count(text: str) -> int:
    """argparse type: a whole number, 1 or more."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number, not {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, not {value}")
    return value


def configure(parser: argparse.ArgumentParser) -> None:
    """Arguments of ``rv-dcc submit`` (``--json`` and the farm options are global)."""
    parser.add_argument("scene", nargs="?", help="scene description .json, or a scene file (.blend, .ma, .hip, ...)")
    # The submission pipeline's options (rv_dcc.commands.submitting): resume or abandon a journal.
    parser.add_argument("--resume", metavar="JOURNAL",
                        help="finish an interrupted submission (journal folder, id or task id; see rv-dcc history)")
    parser.add_argument("--abandon", action="store_true",
                        help="with --resume: give the submission up and abandon its task on the farm")
    parser.add_argument("--force", action="store_true",
                        help="with --resume JOURNAL --abandon on a submitted task: abort the task on the farm")
    parser.add_argument("--journal-root", metavar="DIR", help="where submission journals are kept")
    parser.add_argument("--dry-run", action="store_true",
                        help="run the checks and write the task files; create nothing on the farm")
    parser.add_argument("--out", metavar="DIR", help="write task.json, upload.json, asset.json and tips.json here")
    what = parser.add_argument_group("what to render")
    what.add_argument("--frames", metavar="SPEC", help="frames for every layer: 1-100, 1-100x2, 1,5,10-20, 1-10[1]")
    what.add_argument("--layers", metavar="NAME", action="append",
                      help="layer / ROP / take / view layer to render (repeat or comma-join); default: the renderable ones")
    what.add_argument("--cameras", metavar="NAME", action="append",
                      help="camera to render (repeat or comma-join); default: the scene's renderable cameras")
    what.add_argument("--output", metavar="PATH", help="output path / file name prefix for every layer")
    how = parser.add_argument_group("how the farm renders it")
    how.add_argument("--frames-per-task", type=_count, default=1, metavar="N", help="frames rendered per machine (1)")
    how.add_argument("--test-frames", metavar="LIST",
                     help="render these first: any of first, middle, last and frame numbers, e.g. first,last,50")
    how.add_argument("--stop-after-test", action="store_true", help="pause the task after the test frames")
    how.add_argument("--priority", choices=("normal", "high"), default="normal", help="task priority")
    how.add_argument("--os", dest="os_name", choices=("windows", "linux"), default="windows",
                     help="render node OS (3ds Max and Cinema 4D: Windows only)")
    how.add_argument("--hardware", type=int, metavar="ID", help="machine configuration id (hardwareConfig/list)")
    how.add_argument("--ram", choices=("64", "128"), default="64", help="memory per node, GB")
    how.add_argument("--gpus", choices=("1", "2"), default="2", help="GPUs per node on GPU configurations")
    how.add_argument("--frame-timeout", type=_seconds, default=259200, metavar="SECONDS", help="per-frame timeout (259200)")
    how.add_argument("--task-timeout", type=_seconds, default=0, metavar="SECONDS", help="whole-task timeout, 0 none")
    how.add_argument("--overtime-reminder", type=_seconds, default=43200, metavar="SECONDS",
                     help="warn when a frame runs longer than this (43200)")
    how.add_argument("--no-layered", action="store_true", help="one task for all layers instead of one per layer")
    how.add_argument("--render-env", metavar="NAME", help="user render environment to use or create")
    how.add_argument("--project", default="", metavar="NAME", help="project (label) name")
    how.add_argument("--project-id", default="0", metavar="ID", help="project id ('0' none)")
    how.add_argument("--label", action="append", default=[], metavar="TEXT", help="task label (repeatable)")
    how.add_argument("--budget", type=_amount, metavar="AMOUNT",
                     help="most this task may cost, in the account's currency: `rv-dcc watch` and the panel stop "
                          "it when its projected or real cost passes this")
    parser.add_argument("--no-hash-cache", action="store_true", help="do not use or update the persistent md5 cache")
    parser.add_argument("--timeout", type=float, default=300.0, metavar="SECONDS",
                        help="give up describing a non-JSON scene after this long (300)")


def _names(values: Optional[List[str]]) -> Optional[List[str]]:
    if not values:
        return None
    return [name.strip() for value in values for name in value.split(",") if name.strip()]


def _test_frames(text: Optional[str]) -> dict:
    words = {"first": False, "middle": False, "last": False}
    custom: List[str] = []
    for token in (text or "").split(","):
        token = token.strip()
        if token.lower() in words:
            words[token.lower()] = True
        elif token:
            custom.append(token)
    return dict(words, custom=",".join(custom) or None)


def options_from_args(args: argparse.Namespace) -> Any:
    """SubmitOptions from the command line (raises RvDccError naming a bad option)."""
    from pydantic import ValidationError

    from rv_dcc.submit.options import PRIORITY_HIGH, PRIORITY_NORMAL, SubmitOptions, TestFrames

    try:
        return SubmitOptions(
            frames=args.frames, frames_per_task=args.frames_per_task, test_frames=TestFrames(**_test_frames(args.test_frames)),
            stop_after_test=args.stop_after_test, priority=PRIORITY_HIGH if args.priority == "high" else PRIORITY_NORMAL,
            hardware_config_id=args.hardware, ram=args.ram, graphics_cards_num=args.gpus,
            job_stop_time=args.frame_timeout, task_stop_time=args.task_timeout, time_out=args.overtime_reminder,
            project_name=args.project, project_id=args.project_id, labels=args.label, layers=_names(args.layers),
            cameras=_names(args.cameras), output=args.output, os_name="0" if args.os_name == "linux" else "1",
            render_env=args.render_env, enable_layered=not args.no_layered, budget=getattr(args, "budget", None))
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = [str(part) for part in first.get("loc", ())]
        field = OPTION_OF.get(loc[0], ".".join(loc)) if loc else "?"
        raise OptionError(f"bad option {field}: {first.get('msg')}") from None


def fetch_catalog(args: argparse.Namespace, desc: Any, os_name: str) -> Tuple[Any, str, Any]:
    """(catalog, where it came from, api or None): the live farm's, or the bundled snapshot."""
    from rv_dcc.app.catalog import dry_run_catalog
    from rv_dcc.commands.connect import address_of
    from rv_dcc.submit.prepare import catalog_for

    source, api = dry_run_catalog(address_of(args))
    return catalog_for(desc, os_name, source), source.description, api


def prepare_from_args(args: argparse.Namespace) -> Any:
    """Everything up to the task files: load, scan, catalog, checks, build (no writing)."""
    from rv_dcc.submit.prepare import load_scene, prepare, scan

    options = options_from_args(args)
    desc = load_scene(args.scene, timeout=args.timeout)
    scanned = scan(desc, use_cache=not args.no_hash_cache)
    catalog, source, api = fetch_catalog(args, desc, options.os_name)
    platform = getattr(args, "platform", None) or (getattr(api, "platform", None) if api else None) or "2"
    return prepare(desc, options, catalog, scanned, task_id="0", user_id="0", platform=platform,
                   catalog_source=source)


def _dry_run(args: argparse.Namespace) -> int:
    from rv_dcc.submit.prepare import summary
    from rv_dcc.submit.report import render

    prepared = prepare_from_args(args)
    written: List[str] = prepared.files.write(os.path.abspath(args.out)) if args.out else []
    if args.json:
        from rv_dcc.commands.connect import emit_json

        emit_json(dict(summary(prepared), dry_run=True, files=written, out=os.path.abspath(args.out) if args.out else None))
    else:
        print(render(prepared, written, dry_run=True))
    return EXIT_BLOCKED if prepared.blocking else EXIT_OK


def _submit(args: argparse.Namespace) -> int:
    from rv_dcc.commands.submitting import submit_from_args

    return submit_from_args(args, prepare_from_args)


def _usage_problem(args: argparse.Namespace) -> Optional[str]:
    """A combination of options that cannot mean anything (exit 2), or None."""
    if not args.scene and not args.resume:
        return "give a scene to submit, or --resume JOURNAL"
    if args.scene and args.resume:
        return "give either a scene to submit or --resume JOURNAL, not both"
    if args.abandon and not args.resume:
        return "--abandon gives up an earlier submission: use it with --resume JOURNAL"
    if args.force and not args.abandon:
        return "--force only applies to --resume JOURNAL --abandon"
    if args.dry_run and args.resume:
        return "--dry-run checks a scene; a journal is resumed for real (leave out --dry-run)"
    return None


def run(args: argparse.Namespace) -> int:
    """Dry run (checks + task files) or submission; see the module docstring for exit codes."""
    from rv_dcc.commands.connect import fail

    problem = _usage_problem(args)
    if problem:
        return _usage_error(args, problem)
    try:
        if args.scene:
            from rv_dcc.commands.describe import check_scene_path

            check_scene_path(args.scene)
        if args.dry_run:
            return _dry_run(args)
        return _submit(args)
    except OptionError as error:
        return _usage_error(args, error.message)
    except RvDccError as error:
        return fail(error, args.json, "rv-dcc submit")


def _usage_error(args: argparse.Namespace, problem: str) -> int:
    hint = "See rv-dcc submit --help."
    if args.json:
        from rv_dcc.commands.connect import emit_json

        emit_json({"error": "UsageError", "message": problem, "hint": hint})
    else:
        print(f"rv-dcc submit: {problem} — {hint}", file=sys.stderr)
    return EXIT_BLOCKED
