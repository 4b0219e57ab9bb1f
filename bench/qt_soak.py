"""Run the Qt tests many times per binding and count crashes: the proof that the panel no longer
dies the way it did (issue 12: PySide2 about 1 run in 8, PySide6 1 in 8 of tests/ui, a segfault
while the cyclic collector freed Qt wrappers on a worker thread).

Each run is a fresh ``python -m pytest -q tests/ui`` process; a run that ends by a signal
(SIGSEGV, SIGABRT) is a crash, a non-zero exit a failure. Printed per binding beside the
reference: the 1-in-8 crash rate measured before the fix.

Usage: python bench/qt_soak.py [--runs 30] [--bindings pyside6,pyqt5] [--python PATH]
(PySide2 needs Python 3.9/3.10: ``--bindings pyside2 --python .venv310/bin/python``.)
"""
import argparse
import os
import signal
import subprocess
import sys
import time

BEFORE = "about 1 run in 8 crashed before the fix (PySide2 and PySide6, tests/ui)"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--bindings", default="pyside6,pyqt5")
    parser.add_argument("--python", default=sys.executable)
    args = parser.parse_args()
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    worst = 0
    for binding in [b.strip() for b in args.bindings.split(",") if b.strip()]:
        crashes, failures, started = 0, 0, time.monotonic()
        env = dict(os.environ, QT_API=binding, QT_QPA_PLATFORM="offscreen")
        for run in range(1, args.runs + 1):
            proc = subprocess.run([args.python, "-m", "pytest", "-q", "-x", "tests/ui"], cwd=root, env=env,
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT, check=False)
            if proc.returncode < 0 or proc.returncode in (134, 139):
                crashes += 1
                name = signal.Signals(-proc.returncode).name if proc.returncode < 0 else str(proc.returncode)
                print(f"  {binding} run {run}: CRASHED ({name})")
                print("    " + "\n    ".join(proc.stdout.decode(errors="replace").splitlines()[-15:]))
            elif proc.returncode != 0:
                failures += 1
                print(f"  {binding} run {run}: failed (exit {proc.returncode})")
        minutes = (time.monotonic() - started) / 60
        print(f"{binding}: {args.runs} runs of tests/ui in {minutes:.1f} min - crashes: {crashes}, "
              f"failures: {failures}   (reference: {BEFORE})")
        worst = max(worst, crashes + failures)
    return 1 if worst else 0


if __name__ == "__main__":
    sys.exit(main())
