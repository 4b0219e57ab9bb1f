"""Runnable in c4dpy: load a .c4d document, describe it, write the description JSON.

``c4dpy <bootstrap.py> <scene.c4d> <out.json>`` (the bootstrap written by rv_dcc.batch.c4d makes
rv_dcc_hosts importable and calls ``main``). The JSON is C4DAdapter(doc).describe_dict(), plain
data, so c4dpy needs no pydantic. The document is loaded, never saved. Exit codes: 0 written,
2 bad arguments, 3 the document could not be loaded.
"""
import json
import os
import sys
from typing import List, Optional


def write_json(data: dict, out_path: str) -> None:
    """Write atomically: a half-written file must never look like a description."""
    tmp = out_path + ".part"
    with open(tmp, "w", encoding="utf-8") as handle:
        json.dump(data, handle, indent=2, sort_keys=True)
    os.replace(tmp, out_path)


def main(argv: Optional[List[str]] = None) -> int:
    """Describe ``scene`` into ``out.json``; returns the exit code."""
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 2:
        sys.stderr.write("usage: c4dpy <bootstrap.py> <scene.c4d> <out.json>\n")
        return 2
    scene, out_path = args
    import c4d
    from c4d import documents

    from .adapter import C4DAdapter

    doc = documents.LoadDocument(scene, c4d.SCENEFILTER_OBJECTS | c4d.SCENEFILTER_MATERIALS)
    if doc is None:
        sys.stderr.write(f"Cinema 4D could not load {scene}\n")
        return 3
    write_json(C4DAdapter(doc).describe_dict(), out_path)
    return 0
