"""``rv-dcc demo``: the whole product on this machine, no account needed.

Starts an embedded farm (in this process, on a free loopback port, with a fresh data folder
unless ``--data`` is given), submits the five sample scenes of ``resources/samples`` through the
real submission pipeline (checks, journal, createTask, task files, uploads, submit), and shows
them rendering until they finish: the panel (``rv-dcc panel``) when there is a display and a Qt
binding, ``watch``-style progress bars otherwise (``--no-panel`` forces the bars). ``--speed``
scales the farm's clock (the default finishes in well under two minutes). When the renders end
the outputs of each task are downloaded into ``<data>/outputs``; then, with a panel open, the
farm stays up until the panel is closed when run from a terminal, and stops at once otherwise
(a script, CI or ``xvfb-run`` has nobody to close the window).
"""
import argparse
import importlib.util
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Dict, List, Optional

DEFAULT_SPEED = 40.0


def configure(parser: argparse.ArgumentParser) -> None:
    """Add this command's arguments."""
    parser.add_argument("--speed", type=float, default=DEFAULT_SPEED,
                        help=f"farm clock factor: frames render this many times faster (default {DEFAULT_SPEED:g})")
    parser.add_argument("--no-panel", action="store_true", help="show progress bars even when the panel could open")
    parser.add_argument("--data", help="farm data folder (default: a new temporary folder)")
    parser.add_argument("--samples", help="folder of scene descriptions (default: resources/samples)")
    parser.add_argument("--timeout", type=float, default=600, help="give up after N seconds (default 600)")
    parser.add_argument("--no-download", action="store_true", help="do not download the outputs at the end")


def run(args: Any) -> int:
    """Run the demo."""
    from rv_dcc.commands.connect import run_guarded

    return run_guarded(_run, args)


def samples_dir() -> Path:
    """resources/samples of this checkout (or RV_DCC_SAMPLES)."""
    env = os.environ.get("RV_DCC_SAMPLES")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[2] / "resources" / "samples"


def sample_files(folder: Path) -> List[Path]:
    """The scene description files in ``folder`` (top level and one folder down), sorted."""
    found = sorted(set(folder.glob("*.json")) | set(folder.glob("*/*.json")))
    return [p for p in found if not p.name.startswith((".", "_"))]


def panel_possible() -> bool:
    """A display, a Qt binding and the panel command are all there."""
    if sys.platform.startswith("linux") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        return False
    if not any(importlib.util.find_spec(b) for b in ("PySide6", "PyQt5", "PySide2", "PyQt6")):
        return False
    return importlib.util.find_spec("rv_dcc.commands.panel") is not None


def _say(args: Any, text: str, **data: Any) -> None:
    if args.json:
        from rv_dcc.commands.connect import emit_json

        emit_json({"event": text, **data})
    else:
        print(text, file=sys.stderr, flush=True)


def _run(args: Any) -> int:
    from rv_dcc.app.local_farm import local_farm
    from rv_dcc.errors import RvDccError

    folder = Path(args.samples) if args.samples else samples_dir()
    files = sample_files(folder)
    if not files:
        raise RvDccError(f"no sample scene descriptions in {folder}",
                         hint="Run the demo from a checkout of rv_dcc, or give --samples DIR.")
    data = Path(args.data) if args.data else Path(tempfile.mkdtemp(prefix="rv_dcc_demo_"))
    data.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    with local_farm(str(data / "farm"), speed=args.speed) as farm:
        _say(args, f"embedded farm on http://{farm.domain} (data in {data})", domain=farm.domain)
        api = farm.api  # closed with the farm
        made: List[Dict[str, Any]] = []
        task_ids = _submit_all(args, api, files, data / "journals", made)
        if not task_ids:
            raise RvDccError("no sample could be submitted", hint="See the messages above.")
        panel = _open_panel(args, farm, _shown_first(made))
        try:
            final = _watch(args, api, task_ids, started)
            if not args.no_download:
                _download(args, api, made, data / "outputs")
            _summary(args, made, final, data)
            if panel is not None:
                _wait_for_panel(args, panel, started)
        finally:
            if panel is not None and panel.poll() is None:
                panel.terminate()  # the farm it shows is about to stop
                try:
                    panel.wait(10)
                except Exception:
                    panel.kill()
    from rv_dcc.commands.watch import exit_code

    _say(args, f"demo finished in {time.monotonic() - started:.0f} s", seconds=round(time.monotonic() - started, 1))
    return exit_code(final)


def task_label(task_id: Any, alias: Optional[str] = None) -> str:
    """A task as the panel and the CLI show it: its alias (``2W19002``), else its number."""
    text = str(alias or "").strip()
    return text if text else str(task_id)


def _submit_all(args: Any, api: Any, files: List[Path], journals: Path, made: List[Dict[str, Any]]) -> List[int]:
    from rv_dcc.errors import RvDccError
    from rv_dcc.scene.io import load_description
    from rv_dcc.submit.options import SubmitOptions
    from rv_dcc.submit.pipeline import submit_scene

    task_ids: List[int] = []
    for path in files:
        try:
            desc = load_description(str(path))
        except RvDccError as error:
            _say(args, f"skipping {path.name}: {error}", file=str(path))
            continue
        try:
            result = submit_scene(api, desc, SubmitOptions(), journal_root=journals)
        except RvDccError as error:
            _say(args, f"{path.name} was not submitted: {error}", file=str(path))
            continue
        if result.task_id is None:  # cannot happen for a submitted result; keeps the types honest
            continue
        task_ids.append(int(result.task_id))
        shown = task_label(result.task_id, result.task_alias)
        made.append({"task_id": int(result.task_id), "task": shown, "host": desc.host,
                     "scene": str(desc.scene_file).replace("\\", "/").rsplit("/", 1)[-1] or path.name,
                     "journal": str(result.journal)})
        _say(args, f"{desc.host:<9} {made[-1]['scene']:<24} -> task {shown} ({result.uploaded} file(s) uploaded)",
             host=desc.host, task_id=result.task_id, task=shown, journal=str(result.journal))
    return task_ids


def _shown_first(made: List[Dict[str, Any]]) -> Optional[Dict[str, Any]]:
    """The task the panel opens on: the Blender scene (real renders: thumbnails keep coming), else the first."""
    return next((m for m in made if m["host"] == "blender"), made[0] if made else None)


def _open_panel(args: Any, farm: Any, task: Optional[Dict[str, Any]] = None) -> Optional[Any]:
    if args.no_panel or args.json or not panel_possible():
        return None
    import subprocess

    argv = [sys.executable, "-m", "rv_dcc", "panel", "--domain", farm.domain, "--platform", str(farm.platform),
            "--protocol", "http"]
    if task is not None:
        argv += ["--task", str(task["task_id"])]
    _say(args, f"opening the panel on task {task['task']} ({task['scene']})" if task else "opening the panel")
    try:
        return subprocess.Popen(argv)
    except OSError as error:
        _say(args, f"the panel could not start ({error}); showing progress here")
        return None


def _wait_for_panel(args: Any, panel: Any, started: float) -> None:
    """Keep the farm up while a person looks at the panel; never wait for nobody.

    In a terminal the demo waits for the panel to close (or Ctrl-C, or --timeout). Run by a
    script, CI or ``xvfb-run`` (stdin not a terminal) nobody can close the window, so the demo
    ends once the renders are done and downloaded instead of hanging.
    """
    import subprocess

    if not sys.stdin.isatty():
        _say(args, "renders done; not run from a terminal, so the panel closes now")
        return
    left = max(1.0, args.timeout - (time.monotonic() - started))
    _say(args, "renders done: close the panel (or press Ctrl-C) to stop the demo farm")
    try:
        panel.wait(left)
    except subprocess.TimeoutExpired:
        _say(args, f"--timeout {args.timeout:g} s reached: closing the panel")
    except KeyboardInterrupt:
        _say(args, "closing the panel")


def _watch(args: Any, api: Any, task_ids: List[int], started: float) -> Any:
    from rv_dcc.commands.connect import emit_json
    from rv_dcc.commands.watch import Bars, follow, progress_json

    left = max(10.0, args.timeout - (time.monotonic() - started))
    if args.json:
        def lines(records: Any) -> None:
            for task_id, record in sorted(records.items()):
                emit_json(progress_json(task_id, record))

        return follow(api, task_ids, lines, interval=1.0, timeout=left)
    bars = Bars()
    try:
        return follow(api, task_ids, bars.update, interval=0.5, timeout=left)
    finally:
        bars.close()


def _download(args: Any, api: Any, made: List[Dict[str, Any]], dest: Path) -> None:
    from rv_dcc.commands.download import download_task

    for task in made:
        _files, paths = download_task(api, task["task_id"], dest)
        # the folders the files landed in: the task's output folder(s) right under dest
        task["outputs"] = sorted({str(dest / Path(p).relative_to(dest).parts[0]) for p in paths
                                  if Path(p).is_relative_to(dest)})
        task["files"] = len(paths)
        _say(args, f"task {task['task']}: {len(paths)} output file(s) in {', '.join(task['outputs']) or dest}",
             task_id=task["task_id"], task=task["task"], outputs=len(paths), folders=task["outputs"])


def _summary(args: Any, made: List[Dict[str, Any]], final: Any, data: Path) -> None:
    """What the demo made, named as the panel and the CLI name it: tasks, output folders, journals."""
    records = final if isinstance(final, dict) else {}
    if args.json:
        _say(args, "summary", tasks=[{key: task.get(key) for key in ("task", "task_id", "host", "scene", "journal",
                                                                      "outputs", "files")} for task in made],
             data=str(data))
        return
    lines = ["", "What the demo made (in " + str(data) + "):"]
    for task in made:
        record = records.get(task["task_id"]) or {}
        done, total = record.get("doneFrames"), record.get("totalFrames")
        frames = f"{done}/{total} frames" if total else ""
        lines.append(f"  task {task['task']:<9} {task['host']:<9} {task['scene']:<24} {frames}")
        if task.get("outputs"):
            lines.append(f"    {task['files']} output file(s) in {', '.join(task['outputs'])}")
        elif "outputs" in task:
            lines.append("    no output files")
    lines.append(f"  submission journals in {data / 'journals'}")
    lines.append("  follow them with: rv-dcc status TASK, rv-dcc frames TASK (TASK as shown above)")
    print("\n".join(lines), file=sys.stderr, flush=True)
