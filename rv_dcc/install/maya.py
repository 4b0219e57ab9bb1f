"""``rv-dcc install maya``: a Maya module (.mod) with rv_dcc, its dependencies and the shelf.

Writes, under the prefix (default $MAYA_APP_DIR, else Maya's user folder for this OS):
``modules/rv_dcc_<version>.mod`` (active for that Maya version only), and
``modules/rv_dcc/<version>/`` holding ``site-packages`` (rv_dcc, rv_dcc_hosts, dependencies
built for that Maya's Python) and ``scripts/userSetup.py`` (adds the shelf at start-up).
``--uninstall`` removes exactly what the install's manifest lists.
"""
import os
import sys
from pathlib import Path
from typing import List, Optional

from rv_dcc import __version__
from rv_dcc.install import InstallError
from rv_dcc.install import _hostpkg as pkg


#: what the artist does after ``rv-dcc install maya`` (printed by the install command)
NEXT_STEP = ("Restart Maya: the \"rv_dcc\" shelf appears with a Render button that opens the panel. "
             "Installed with --prefix outside your Maya folder? Add its modules folder to MAYA_MODULE_PATH.")


def default_prefix() -> Path:
    """$MAYA_APP_DIR, else Documents/maya (Windows), ~/Library/Preferences/Autodesk/maya (macOS), ~/maya."""
    if os.environ.get("MAYA_APP_DIR"):
        return Path(os.environ["MAYA_APP_DIR"])
    home = Path.home()
    if sys.platform == "win32":
        return home / "Documents" / "maya"
    if sys.platform == "darwin":
        return home / "Library" / "Preferences" / "Autodesk" / "maya"
    return home / "maya"


def _version(version: Optional[str]) -> str:
    if not version:
        from rv_dcc.batch import runners

        found = runners.find_interpreter("maya")
        digits = [part for part in (found[0] if found else "").replace("\\", "/").split("/") if part.lower().startswith("maya20")]
        if not digits:
            raise InstallError("Can't tell which Maya to install for.", hint="give --version, e.g. --version 2025")
        version = digits[0][4:8]
    return version.split(".")[0]


def install(version: Optional[str] = None, prefix: Optional[str] = None, uninstall: bool = False,
            deps: bool = True, runner: Optional[pkg.Runner] = None) -> List[str]:
    """Install (or remove) the rv_dcc module for Maya ``version``; returns the paths written/removed."""
    maya_version = _version(version)
    root = Path(prefix) if prefix else default_prefix()
    payload = root / "modules" / "rv_dcc" / maya_version
    if uninstall:
        return pkg.uninstall(payload)
    python_version = pkg.python_for("maya", maya_version, "Maya")
    resources = pkg.source_dirs("maya")["resources"]
    written = pkg.install_payload("maya", payload, python_version, deps, runner)
    user_setup = payload / "scripts" / "userSetup.py"
    pkg.fill(resources / "userSetup.py", user_setup, {})
    module_file = root / "modules" / f"rv_dcc_{maya_version}.mod"
    pkg.fill(resources / "rv_dcc.mod", module_file,
             {"MAYA_VERSION": maya_version, "RV_DCC_VERSION": __version__, "MODULE_DIR": str(payload)})
    written += [str(payload / "scripts"), str(module_file)]
    return written + [pkg.write_manifest(payload, written, "maya", maya_version)]
