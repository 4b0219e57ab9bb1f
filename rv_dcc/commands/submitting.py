"""The real (non-dry-run) path of ``rv-dcc submit``: ``SCENE`` or ``--resume JOURNAL``.

Called by rv_dcc/commands/submit.py, which prepares the scene (load, scan, catalog, checks,
task files) and hands over. Here: connect (the embedded farm when no account is configured), run the
pipeline with a tqdm bar for uploads and stage lines on stderr, and print the result
(``--json``: ``{"task_id", "journal", "stage", ...}``). Exit codes: 0 submitted, 1 failed (the
journal can be resumed), 2 blocked by the checks, 3 cancelled. Not a subcommand module.
"""
import sys
from typing import Any, Callable, Optional

EXIT_OK, EXIT_FAILED, EXIT_BLOCKED, EXIT_CANCELLED = 0, 1, 2, 3


class _CliProgress:
    """Stage lines and a byte bar on stderr (nothing on stdout, which --json owns)."""

    def __init__(self, quiet: bool) -> None:
        self.quiet = quiet
        self.bar: Any = None
        self.stage = ""

    def __call__(self, event: Any) -> Optional[bool]:
        if self.quiet:
            return None
        if event.stage != self.stage:
            self.close()
            self.stage = event.stage
            if event.stage in ("upload", "download") and event.bytes_total:
                from tqdm import tqdm

                self.bar = tqdm(total=event.bytes_total, initial=event.bytes_done, unit="B", unit_scale=True,
                                unit_divisor=1024, file=sys.stderr, dynamic_ncols=True, desc=event.stage)
        if self.bar is not None:
            self.bar.n = event.bytes_done
            self.bar.set_postfix_str(f"{event.files_done}/{event.files_total} files", refresh=False)
            self.bar.refresh()
        elif event.message:
            print(f"[{event.stage}] {event.message}", file=sys.stderr, flush=True)
        return None

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None


def submit_from_args(args: Any, prepare_from_args: Callable[[Any], Any]) -> int:
    """Submit ``args.scene`` (prepared by ``prepare_from_args``) or resume ``args.resume``."""
    as_json = bool(getattr(args, "json", False))
    progress = _CliProgress(quiet=as_json)
    try:
        if getattr(args, "resume", None):
            outcome = _resume(args, progress, as_json)
        else:
            outcome = _submit_new(args, progress, as_json, prepare_from_args)
    finally:
        progress.close()
    return outcome if isinstance(outcome, int) else _report(outcome, as_json)


def _resume(args: Any, progress: _CliProgress, as_json: bool) -> Any:
    """Resume (or ``--abandon``) the journal ``args.resume``: its result, or the exit code when
    there was nothing to resume (said here)."""
    from rv_dcc.commands.connect import connect, emit_json
    from rv_dcc.errors import RvDccError
    from rv_dcc.submit import journal as jr
    from rv_dcc.submit import pipeline

    journal = jr.find_journal(args.resume, getattr(args, "journal_root", None))
    was_submitted = journal.stage == jr.SUBMITTED
    abandon = bool(getattr(args, "abandon", False))
    if abandon and was_submitted and not getattr(args, "force", False):
        # Abandoning a submitted journal aborts a task that is rendering (and billed):
        # never on a mistyped journal id at 2 a.m. without saying so.
        raise RvDccError(f"task {journal.task_id} of {journal.path.name} is already submitted and on the "
                         "farm; --abandon only gives up unfinished submissions",
                         hint=f"To abort the task on the farm, run again with --force; to follow it: "
                              f"rv-dcc watch {journal.task_id}")
    api = connect(args, defaults=journal.state.get("farm") or {})
    try:
        if abandon:
            result = pipeline.abandon(api, journal.path)
        else:
            result = pipeline.resume(api, journal.path, progress=progress)
            _remember_budget(api, result, _journal_budget(journal))
    finally:
        api.close()
    if was_submitted and not abandon:
        if as_json:
            emit_json(dict(result.to_dict(), already_submitted=True))
        else:
            print(f"task {result.task_id} ({result.task_alias}) was already submitted: nothing to resume\n"
                  f"  journal: {result.journal}\n  follow it: rv-dcc watch {result.task_id}")
        return EXIT_OK
    return result


def _submit_new(args: Any, progress: _CliProgress, as_json: bool,
                prepare_from_args: Callable[[Any], Any]) -> Any:
    """Prepare ``args.scene`` and submit it: the result, or EXIT_BLOCKED (with the report) when checks block it."""
    from rv_dcc.commands.connect import connect, emit_json
    from rv_dcc.submit import pipeline

    prepared = prepare_from_args(args)
    if prepared.blocking:
        from rv_dcc.submit.report import render

        if as_json:
            from rv_dcc.submit.prepare import summary

            emit_json(dict(summary(prepared), submitted=False))
        else:
            print(render(prepared, [], dry_run=False))
        return EXIT_BLOCKED
    api = connect(args)
    try:
        result = pipeline.submit_scene(api, prepared.desc, prepared.options,
                                       journal_root=getattr(args, "journal_root", None), progress=progress,
                                       catalog=prepared.catalog, scan=prepared.scan,
                                       use_hash_cache=not getattr(args, "no_hash_cache", False))
        _remember_budget(api, result, getattr(prepared.options, "budget", None))
        return result
    finally:
        api.close()


def _journal_budget(journal: Any) -> Optional[float]:
    """The budget a journal's submission was given (None: none, or unreadable options)."""
    import json

    try:
        budget = json.loads(journal.options_json()).get("budget")
    except (OSError, ValueError, AttributeError):
        return None
    return float(budget) if isinstance(budget, (int, float)) and not isinstance(budget, bool) else None


def _remember_budget(api: Any, result: Any, budget: Optional[float]) -> None:
    """A submitted task's budget goes to the watchers' book (rv_dcc.monitor.budget), so that
    `rv-dcc watch` and the panel stop it when its cost passes the budget."""
    from rv_dcc.monitor.budget import remember

    if getattr(result, "submitted", False):
        remember(api, result.task_id, budget)


def _report(result: Any, as_json: bool) -> int:
    """Print how the submission ended; its exit code."""
    from rv_dcc.commands.connect import emit_json

    if as_json:
        emit_json(result.to_dict())
    elif result.submitted:
        print(f"task {result.task_id} ({result.task_alias}) submitted: {result.uploaded} file(s) uploaded, "
              f"{result.already_there} already on the farm\n  journal: {result.journal}\n"
              f"  follow it: rv-dcc watch {result.task_id}")
    elif result.stage == "abandoned":
        print(f"abandoned{f' task {result.task_id}' if result.task_id else ''}; journal: {result.journal}")
    else:
        print(f"{result.stage}: resume with  rv-dcc submit --resume {result.journal}\n"
              f"  or give it up with  rv-dcc submit --resume {result.journal} --abandon", file=sys.stderr)
    if result.submitted or result.stage == "abandoned":
        return EXIT_OK
    return EXIT_CANCELLED if result.cancelled else EXIT_FAILED
