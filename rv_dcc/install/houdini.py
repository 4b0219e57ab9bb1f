"""``rv-dcc install houdini``: a Houdini package (.json) with rv_dcc, its dependencies and a shelf.

Writes, under the prefix (default $HOUDINI_USER_PREF_DIR, else Houdini's user folder for that
version): ``packages/rv_dcc.json`` (puts rv_dcc on PYTHONPATH and adds the shelf folder to
HOUDINI_PATH) and ``rv_dcc/<version>/`` holding ``site-packages`` (dependencies built for that
Houdini's Python) and ``toolbar/rv_dcc.shelf``. ``--uninstall`` removes what the manifest lists.
"""
import os
import sys
from pathlib import Path
from typing import List, Optional

from rv_dcc.install import InstallError
from rv_dcc.install import _hostpkg as pkg


#: what the artist does after ``rv-dcc install houdini`` (printed by the install command)
NEXT_STEP = ("Restart Houdini: the \"Render Farm\" shelf tab is added to the default shelf set. If your "
             "desktop shows another shelf set, click + at the end of the shelf tabs and pick "
             "Shelves > Render Farm. Installed with --prefix? Add its packages folder to HOUDINI_PACKAGE_DIR.")


def normalize(version: str) -> str:
    """'20.5.370' -> '20.5', '21' -> '21.0'."""
    parts = (version.split(".") + ["0"])[:2]
    return f"{int(parts[0])}.{int(parts[1])}"


def default_prefix(version: str) -> Path:
    """$HOUDINI_USER_PREF_DIR (with __HVER__ filled), else the per-OS Houdini user folder."""
    configured = os.environ.get("HOUDINI_USER_PREF_DIR")
    if configured:
        return Path(configured.replace("__HVER__", version))
    home = Path.home()
    if sys.platform == "win32":
        return home / "Documents" / f"houdini{version}"
    if sys.platform == "darwin":
        return home / "Library" / "Preferences" / "houdini" / version
    return home / f"houdini{version}"


def _version(version: Optional[str]) -> str:
    if not version:
        from rv_dcc.batch import runners

        found = runners.find_interpreter("houdini")
        numbers = [int(n) for n in "".join(c if c.isdigit() else " " for c in (found[0] if found else "")).split()]
        if len(numbers) < 2:
            raise InstallError("Can't tell which Houdini to install for.", hint="give --version, e.g. --version 20.5")
        version = f"{numbers[0]}.{numbers[1]}"
    return normalize(version)


def install(version: Optional[str] = None, prefix: Optional[str] = None, uninstall: bool = False,
            deps: bool = True, runner: Optional[pkg.Runner] = None) -> List[str]:
    """Install (or remove) the rv_dcc package for Houdini ``version``; returns the paths written/removed."""
    houdini_version = _version(version)
    root = Path(prefix) if prefix else default_prefix(houdini_version)
    payload = root / "rv_dcc" / houdini_version
    if uninstall:
        return pkg.uninstall(payload)
    python_version = pkg.python_for("houdini", houdini_version, "Houdini")
    resources = pkg.source_dirs("houdini")["resources"]
    written = pkg.install_payload("houdini", payload, python_version, deps, runner)
    shelf = payload / "toolbar" / "rv_dcc.shelf"
    pkg.fill(resources / "toolbar" / "rv_dcc.shelf", shelf, {})
    package = root / "packages" / "rv_dcc.json"
    # JSON strings: forward slashes work on every OS and need no escaping
    pkg.fill(resources / "rv_dcc.json", package, {"PACKAGE_DIR": payload.as_posix(),
                                                  "SITE_DIR": (payload / "site-packages").as_posix()})
    written += [str(payload / "toolbar"), str(package)]
    return written + [pkg.write_manifest(payload, written, "houdini", houdini_version)]
