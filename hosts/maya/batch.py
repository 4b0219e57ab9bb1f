"""Runnable in mayapy: open a scene file, describe it, write the description JSON.

``mayapy -m rv_dcc_hosts.maya.batch <scene.ma|mb> <out.json>``, or ``main([scene, out.json])`` from
the bootstrap script rv_dcc.batch.runners runs in mayapy. It writes plain JSON from MayaAdapter.describe_dict(), so Maya's Python needs rv_dcc_hosts on its
path and nothing else (no pydantic, no requests); the caller validates the JSON. The scene is
opened and never saved. Exit codes: 0 written, 2 bad arguments, 3 the scene could not be read.
"""
import logging
import os
import sys
from typing import List, Optional

from rv_dcc.fsutil import atomic_write_json  # standard library only: fine in a DCC's Python

log = logging.getLogger("rv_dcc.hosts.maya.batch")


def main(argv: Optional[List[str]] = None) -> int:
    """Entry point; returns the process exit code."""
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 2:
        sys.stderr.write("usage: mayapy -m rv_dcc_hosts.maya.batch <scene.ma|.mb> <out.json>\n")
        return 2
    scene, out_path = args
    import maya.standalone

    maya.standalone.initialize(name="python")
    try:
        from maya import cmds

        from .adapter import MayaAdapter

        try:
            cmds.file(scene, open=True, force=True, ignoreVersion=True, prompt=False)
        except RuntimeError as exc:  # Maya raises after opening when e.g. a plug-in is missing
            if os.path.normcase(str(cmds.file(query=True, sceneName=True) or "")) != os.path.normcase(scene):
                sys.stderr.write(f"Maya could not open {scene}: {exc}\n")
                return 3
            log.warning("scene opened with errors: %s", exc)
        atomic_write_json(out_path, MayaAdapter().describe_dict(), sort_keys=True)
        return 0
    finally:
        maya.standalone.uninitialize()


if __name__ == "__main__":  # pragma: no cover - run by mayapy
    sys.exit(main())
