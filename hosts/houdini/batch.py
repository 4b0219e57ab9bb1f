"""Runnable in hython: load a .hip, describe it, write the description JSON.

``hython -m rv_dcc_hosts.houdini.batch <scene.hip> <out.json>``, or ``main([scene, out.json])``
from the bootstrap script rv_dcc.batch.runners runs in hython. It writes plain JSON from HoudiniAdapter.describe_dict(), so hython needs rv_dcc_hosts on
its path and nothing else; the caller validates the JSON. The .hip is loaded, never saved.
Exit codes: 0 written, 2 bad arguments, 3 the scene could not be loaded.
"""
import logging
import sys
from typing import List, Optional

from rv_dcc.fsutil import atomic_write_json  # standard library only: fine in a DCC's Python

log = logging.getLogger("rv_dcc.hosts.houdini.batch")


def main(argv: Optional[List[str]] = None) -> int:
    """Entry point; returns the process exit code."""
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 2:
        sys.stderr.write("usage: hython -m rv_dcc_hosts.houdini.batch <scene.hip> <out.json>\n")
        return 2
    scene, out_path = args
    import hou

    from .adapter import HoudiniAdapter

    try:
        hou.hipFile.load(scene, suppress_save_prompt=True, ignore_load_warnings=True)
    except hou.LoadWarning as exc:  # e.g. a missing HDA: the scene is loaded, describe what is there
        log.warning("loaded with warnings: %s", exc)
    except hou.OperationFailed as exc:
        sys.stderr.write(f"Houdini could not load {scene}: {exc}\n")
        return 3
    atomic_write_json(out_path, HoudiniAdapter().describe_dict(), sort_keys=True)
    return 0


if __name__ == "__main__":  # pragma: no cover - run by hython
    sys.exit(main())
