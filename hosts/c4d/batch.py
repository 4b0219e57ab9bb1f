"""Runnable in c4dpy: load a .c4d document, describe it, write the description JSON.

``c4dpy <bootstrap.py> <scene.c4d> <out.json>`` (the bootstrap written by rv_dcc.batch.runners makes
rv_dcc_hosts importable and calls ``main``). The JSON is C4DAdapter(doc).describe_dict(), plain
data, so c4dpy needs no pydantic. The document is loaded, never saved. Exit codes: 0 written,
2 bad arguments, 3 the document could not be loaded.
"""
import sys
from typing import List, Optional

from rv_dcc.fsutil import atomic_write_json  # standard library only: fine in a DCC's Python


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
    atomic_write_json(out_path, C4DAdapter(doc).describe_dict(), sort_keys=True)
    return 0
