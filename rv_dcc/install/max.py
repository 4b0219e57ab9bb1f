"""``rv-dcc install max``: a 3ds Max start-up script with rv_dcc and its dependencies.

Writes, under the prefix (default: the user scripts folder of that 3ds Max,
%LOCALAPPDATA%\\Autodesk\\3dsMax\\<year> - 64bit\\ENU\\scripts): ``startup/rv_dcc_startup.ms``
(puts rv_dcc on Max's Python path, defines the macroscript, adds the menu item with the legacy
menu system or the 2025+ one) and ``rv_dcc/<year>/site-packages`` (dependencies built for that
Max's Python). ``--uninstall`` removes what the manifest lists.
"""
import os
import sys
from pathlib import Path
from typing import List, Optional

from rv_dcc.install import InstallError
from rv_dcc.install import _hostpkg as pkg


#: what the artist does after ``rv-dcc install max`` (printed by the install command)
NEXT_STEP = ("Restart 3ds Max: the main menu bar gets a \"Render Farm\" menu whose \"Render Farm...\" item "
             "opens the panel. Installed with --prefix? Copy startup\\rv_dcc_startup.ms into 3ds Max's "
             "user scripts\\startup folder.")


def default_prefix(year: str) -> Path:
    """The user scripts folder of 3ds Max ``year`` (Windows only)."""
    local = os.environ.get("LOCALAPPDATA")
    if sys.platform != "win32" or not local:
        raise InstallError("3ds Max runs on Windows only; there is no 3ds Max user folder here.",
                           hint="give --prefix to write the files to a folder of your choice")
    return Path(local) / "Autodesk" / "3dsMax" / f"{year} - 64bit" / "ENU" / "scripts"


def verbatim_path(path: str) -> str:
    """``path`` for the body of a MAXScript verbatim string (@"..."), checked to fit there.

    A verbatim string processes no escape sequence and ends at the next double quote (MAXScript
    Help, "String Literals"); Windows forbids '"' in file names, and a line break would split the
    script line, so either is refused with a clear message instead of a start-up script that fails.
    """
    bad = sorted({c for c in path if c in '"\r\n' or ord(c) < 32})
    if bad:
        raise InstallError(f"The 3ds Max install folder {path!r} contains {', '.join(repr(c) for c in bad)}, "
                           "which a MAXScript string cannot hold.",
                           hint="give --prefix a folder without quotes or control characters")
    return path


def _version(version: Optional[str]) -> str:
    if not version:
        from rv_dcc.batch import runners

        found = runners.find_interpreter("max")
        years = [w for w in "".join(c if c.isdigit() else " " for c in (found[0] if found else "")).split() if len(w) == 4]
        if not years:
            raise InstallError("Can't tell which 3ds Max to install for.", hint="give --version, e.g. --version 2025")
        version = years[0]
    return version.split(".")[0]


def install(version: Optional[str] = None, prefix: Optional[str] = None, uninstall: bool = False,
            deps: bool = True, runner: Optional[pkg.Runner] = None) -> List[str]:
    """Install (or remove) rv_dcc for 3ds Max ``version``; returns the paths written/removed."""
    year = _version(version)
    root = Path(prefix) if prefix else default_prefix(year)
    payload = root / "rv_dcc" / year
    if uninstall:
        return pkg.uninstall(payload)
    python_version = pkg.python_for("max", year, "3ds Max")
    resources = pkg.source_dirs("max")["resources"]
    written = pkg.install_payload("max", payload, python_version, deps, runner)
    startup = root / "startup" / "rv_dcc_startup.ms"
    pkg.fill(resources / "rv_dcc_startup.ms", startup, {"SITE_DIR": verbatim_path(str(payload / "site-packages"))})
    written.append(str(startup))
    return written + [pkg.write_manifest(payload, written, "max", year)]
