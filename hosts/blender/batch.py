"""Describe a .blend without a person at the keyboard, in its own process.

Two ways in:
- ``python -m rv_dcc_hosts.blender.batch SCENE.blend OUT.json`` with a Python that has ``bpy``;
- ``blender -b SCENE.blend --python-expr <expr>`` where the expression (built by
  ``rv_dcc.batch.blender``) makes this package importable and calls ``write_description(OUT)``
  on the already-open file.
The JSON written is ``adapter.describe_dict()``: plain data, validated by the caller, so a
Blender without pydantic can run it. Exit status 0 on success, 2 when the file cannot be read.
"""
import os
import sys
from typing import List, Optional

from rv_dcc.fsutil import atomic_write_json  # standard library only: fine in Blender's Python


def write_description(out_path: str) -> None:
    """Describe the open file and write the JSON atomically (a reader never sees half a file)."""
    from rv_dcc_hosts.blender.adapter import describe_dict

    atomic_write_json(out_path, describe_dict(from_disk=True))


def main(argv: Optional[List[str]] = None) -> int:
    """Open SCENE with bpy, write its description to OUT; 2 on a bad scene path."""
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 2:
        sys.stderr.write("usage: python -m rv_dcc_hosts.blender.batch SCENE.blend OUT.json\n")
        return 2
    scene, out = (os.path.abspath(arg) for arg in args)
    if not os.path.isfile(scene):
        sys.stderr.write("scene file not found: %s\n" % scene)
        return 2
    import bpy

    # load_ui=False: the batch process has no window; the scene itself is never saved back
    bpy.ops.wm.open_mainfile(filepath=scene, load_ui=False)
    write_description(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
