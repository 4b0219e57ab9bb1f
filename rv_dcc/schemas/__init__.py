"""JSON Schemas of the ``--json`` output of each command (docs/JSON.md), shipped with the package.

``<command>.json`` describes what ``rv-dcc <command> --json`` prints (one JSON document, or
one per line for ``watch``); ``common.json`` holds the shared definitions (task, frame, times,
statuses, the error object). :func:`load` reads one; :func:`names` lists the commands.
"""
import json
from pathlib import Path
from typing import Any, Dict, List

_HERE = Path(__file__).resolve().parent
#: the base of every schema's $id (relative $refs such as "common.json#/$defs/task" resolve here)
BASE = "https://rv-dcc.example/schemas/"


def names() -> List[str]:
    """The commands with a schema (common.json is shared definitions, not a command)."""
    return sorted(path.stem for path in _HERE.glob("*.json") if path.stem != "common")


def load(name: str) -> Dict[str, Any]:
    """The schema of ``rv-dcc <name> --json`` (or ``common``)."""
    return json.loads((_HERE / f"{name}.json").read_text(encoding="utf-8"))
