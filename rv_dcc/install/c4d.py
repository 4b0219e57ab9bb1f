"""``rv-dcc install c4d``: a Cinema 4D plug-in folder (rv_dcc.pyp) with rv_dcc and its dependencies.

Writes ``rv_dcc/`` under the prefix (default: the ``plugins`` folder of that Cinema 4D's user
preferences, found by its "Maxon Cinema 4D <version>_<id>" folder) holding ``rv_dcc.pyp`` (the
menu command), ``site-packages`` (dependencies built for that Cinema 4D's Python; no Qt, the panel
runs in its own process) and ``panel_python.txt`` (the Python that runs the panel: the one
running this install). ``--uninstall`` removes what the manifest lists.
"""
import glob
import os
import sys
from pathlib import Path
from typing import List, Optional

from rv_dcc.fsutil import atomic_write
from rv_dcc.install import InstallError
from rv_dcc.install import _hostpkg as pkg

#: the panel runs outside Cinema 4D, so its Python needs no Qt binding
DEPENDENCIES = [d for d in pkg.DEPENDENCIES if not d.startswith("qtpy")]


#: what the artist does after ``rv-dcc install c4d`` (printed by the install command)
NEXT_STEP = ("Restart Cinema 4D: Extensions > Render Farm... opens the panel. Installed with --prefix? "
             "Add that folder in Edit > Preferences > Plugins > Plugin Folders.")


def default_prefix(version: str) -> Path:
    """The plugins folder of Cinema 4D ``version``'s user preferences."""
    if sys.platform == "win32":
        base = Path(os.environ.get("APPDATA", str(Path.home()))) / "Maxon"
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Preferences" / "Maxon"
    else:
        base = Path.home() / ".config" / "Maxon"
    found = sorted(glob.glob(str(base / f"Maxon Cinema 4D {version}*")))
    if not found:
        raise InstallError(f"No Cinema 4D {version} preferences folder under {base}.",
                           hint="start Cinema 4D once, or give --prefix with the plugins folder "
                                "(Edit > Preferences > Open Preferences Folder, then plugins)")
    return Path(found[-1]) / "plugins"


def _version(version: Optional[str]) -> str:
    if not version:
        from rv_dcc.batch import runners

        found = runners.find_interpreter("c4d")
        years = [w for w in "".join(c if c.isdigit() else " " for c in (found[0] if found else "")).split() if len(w) == 4]
        if not years:
            raise InstallError("Can't tell which Cinema 4D to install for.", hint="give --version, e.g. --version 2025")
        version = years[0]
    return "2023.2" if version.startswith("2023.2") else version.split(".")[0]


def install(version: Optional[str] = None, prefix: Optional[str] = None, uninstall: bool = False,
            deps: bool = True, runner: Optional[pkg.Runner] = None) -> List[str]:
    """Install (or remove) the rv_dcc plug-in for Cinema 4D ``version``; returns the paths written/removed."""
    c4d_version = _version(version)
    root = Path(prefix) if prefix else default_prefix(c4d_version.split(".")[0])
    payload = root / "rv_dcc"
    if uninstall:
        return pkg.uninstall(payload)
    python_version = pkg.python_for("c4d", c4d_version, "Cinema 4D")
    resources = pkg.source_dirs("c4d")["resources"]
    written = pkg.install_payload("c4d", payload, python_version, deps, runner, DEPENDENCIES)
    plugin = payload / "rv_dcc.pyp"
    pkg.fill(resources / "rv_dcc.pyp", plugin, {})
    python_file = payload / "panel_python.txt"
    atomic_write(python_file, sys.executable + "\n")
    written += [str(plugin), str(python_file)]
    return written + [pkg.write_manifest(payload, written, "c4d", c4d_version)]
