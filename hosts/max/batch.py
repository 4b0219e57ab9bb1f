"""Run inside 3dsmaxbatch: describe a .max scene and write the description JSON.

rv_dcc.batch.runners writes a tiny bootstrap script that makes rv_dcc_hosts importable and calls
``main([scene, out.json])``; 3dsmaxbatch has already opened the scene (-sceneFile), otherwise it
is loaded here with loadMaxFile(quiet). The JSON is MaxAdapter.describe_dict() (plain data, so
3ds Max's Python needs no pydantic). The scene is never saved. Exit codes: 0 written, 2 bad
arguments, 3 the scene could not be loaded.
"""
import os
import sys
from typing import List, Optional

from rv_dcc.fsutil import atomic_write_json  # standard library only: fine in a DCC's Python


def main(argv: Optional[List[str]] = None) -> int:
    """Describe ``scene`` (opening it when it is not the open file) into ``out.json``."""
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 2:
        sys.stderr.write("usage: main([<scene.max>, <out.json>])\n")
        return 2
    scene, out_path = args
    from pymxs import runtime as rt

    from .adapter import MaxAdapter

    # maxFilePath ends with a separator: plain concatenation is the open file's path
    current = os.path.normcase(str(rt.maxFilePath or "") + str(rt.maxFileName or ""))
    if current != os.path.normcase(scene) and not rt.loadMaxFile(scene, quiet=True):
        sys.stderr.write(f"3ds Max could not open {scene}\n")
        return 3
    atomic_write_json(out_path, MaxAdapter().describe_dict(), sort_keys=True)
    return 0
