"""Find the Blenders on this machine and ask each which version it is and which Python it runs.

A Blender's Python is not a function of its version: blender.org builds embed one Python, a
Linux distribution's build uses the system's (Debian 12's Blender 3.4.1 runs Python 3.11, the
official 3.4 build 3.10). So each executable is run once in background with a one-line
expression that prints its version, ``sys.version_info``, and the user folders it loads add-ons
(``bpy.utils.user_resource("SCRIPTS")``, which honours $BLENDER_USER_SCRIPTS) and extensions
(4.2+: the "user_default" repository's directory) from.
"""
import json
import logging
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Optional, Tuple

from rv_dcc.install import InstallError

log = logging.getLogger("rv_dcc.install.blender")

MARK = "RV_DCC_BLENDER_PROBE:"
#: Blender 4.2 moved add-ons to extensions; repositories are listed in the preferences
#: (docs.blender.org/api/4.2/bpy.types.UserExtensionRepo.html: module, directory)
PROBE = (
    "import bpy, sys, json\n"
    "v = tuple(bpy.app.version)\n"
    "ext = ''\n"
    "if v >= (4, 2, 0):\n"
    "    repos = [r for r in bpy.context.preferences.extensions.repos if r.module == 'user_default']\n"
    "    ext = repos[0].directory if repos else bpy.utils.user_resource('EXTENSIONS', path='user_default')\n"
    "print(%r + json.dumps({'version': list(v), 'python': list(sys.version_info[:3]),"
    " 'scripts': bpy.utils.user_resource('SCRIPTS'), 'extensions': ext}))\n" % MARK
)
PROBE_TIMEOUT = 120.0

#: Blender release -> the Python blender.org's build embeds (release notes; bpy wheels on PyPI carry
#: the same tag). A fallback only: a distribution's build may run another (Debian 12's 3.4: 3.11).
PYTHON_FOR_BLENDER: Dict[Tuple[int, int], str] = {
    (3, 3): "3.10", (3, 4): "3.10", (3, 5): "3.10", (3, 6): "3.10", (4, 0): "3.10", (4, 1): "3.11", (4, 2): "3.11", (4, 3): "3.11", (4, 4): "3.11",
    (4, 5): "3.11", (5, 0): "3.11", (5, 1): "3.13",
}
EXTENSIONS_SINCE = (4, 2)
OLDEST = (3, 3)  #: 3.3 LTS: studios keep LTS releases for years


def parse_version(text: str) -> Tuple[int, int]:
    """'4.2', '4.2.3' or '5.0.1' -> (major, minor); a clear error otherwise."""
    match = re.match(r"^\s*(\d+)\.(\d+)", text or "")
    if not match:
        raise InstallError("%r is not a Blender version." % text, hint="give --version like 4.2 or 3.6")
    version = (int(match.group(1)), int(match.group(2)))
    if version < OLDEST:
        raise InstallError("Blender %d.%d is too old for rv_dcc." % version, hint="use Blender 3.3 LTS or newer")
    return version


def python_for(version: Tuple[int, int]) -> str:
    """The Python version Blender ``version`` embeds (the newest known for a newer Blender)."""
    if version in PYTHON_FOR_BLENDER:
        return PYTHON_FOR_BLENDER[version]
    newest = max(PYTHON_FOR_BLENDER)
    if version > newest:
        log.warning("Blender %d.%d is newer than this installer knows; assuming Python %s",
                    version[0], version[1], PYTHON_FOR_BLENDER[newest])
        return PYTHON_FOR_BLENDER[newest]
    raise InstallError("Unknown Blender version %d.%d." % version,
                       hint="known: %s" % ", ".join("%d.%d" % v for v in sorted(PYTHON_FOR_BLENDER)))


def config_base() -> Path:
    """Blender's per-user folder that holds one sub-folder per version."""
    if sys.platform == "win32":
        return Path(os.environ.get("APPDATA", Path.home() / "AppData" / "Roaming")) / "Blender Foundation" / "Blender"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / "Blender"
    return Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config") / "blender"


def default_prefix(version: Tuple[int, int]) -> Path:
    """Where Blender ``version`` looks for user add-ons (<4.2) or user extensions (4.2+)."""
    root = config_base() / ("%d.%d" % version)
    if version >= EXTENSIONS_SINCE:
        return root / "extensions" / "user_default"
    return root / "scripts" / "addons"


def detect_version() -> Tuple[int, int]:
    """The Blender to install for when --version is not given: the bpy module's, else the newest
    per-user Blender folder."""
    try:
        from importlib.metadata import version as dist_version

        return parse_version(dist_version("bpy"))
    except Exception:  # no bpy distribution: look at Blender's folders
        pass
    found = []
    base = config_base()
    if base.is_dir():
        for child in base.iterdir():
            if re.match(r"^\d+\.\d+$", child.name):
                found.append(parse_version(child.name))
    if not found:
        raise InstallError("Can't tell which Blender to install for.", hint="give --version, e.g. --version 4.2")
    return max(found)




@dataclass(frozen=True)
class BlenderInfo:
    """What one Blender executable said about itself."""

    executable: str
    version: Tuple[int, int, int]
    python: Tuple[int, int, int]
    scripts: str      #: user scripts folder (add-ons go to <scripts>/addons)
    extensions: str   #: 4.2+: the user_default extensions repository; "" before

    @property
    def release(self) -> Tuple[int, int]:
        """(major, minor), e.g. (3, 4)."""
        return self.version[0], self.version[1]

    @property
    def python_version(self) -> str:
        """'3.11': what pip builds the dependencies for."""
        return "%d.%d" % self.python[:2]


def probe(executable: str, timeout: float = PROBE_TIMEOUT) -> BlenderInfo:
    """Run ``executable`` in background with the one-line probe; a clear error when it fails."""
    argv = [executable, "-b", "--factory-startup", "--python-exit-code", "3", "--python-expr", PROBE]
    env = dict(os.environ)
    env.pop("PYTHONHOME", None)  # this Python's settings must not leak into Blender's
    env.pop("PYTHONPATH", None)
    try:
        proc = subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              timeout=timeout, check=False, env=env)
    except OSError as exc:
        raise InstallError("Can't run %s: %s" % (executable, exc),
                           hint="give the Blender executable with --blender PATH") from None
    except subprocess.TimeoutExpired:
        raise InstallError("%s did not answer within %d s." % (executable, timeout),
                           hint="start it once by hand to check it works, or give another with --blender") from None
    output = proc.stdout.decode("utf-8", "replace")
    for line in output.splitlines():
        if line.startswith(MARK):
            data = json.loads(line[len(MARK):])
            return BlenderInfo(executable, tuple(data["version"][:3]), tuple(data["python"][:3]),  # type: ignore[arg-type]
                               data["scripts"], data["extensions"])
    tail = "\n".join(output.strip().splitlines()[-8:])
    raise InstallError("%s is not a Blender rv_dcc can use (exit status %s):\n%s" % (executable, proc.returncode, tail),
                       hint="give the Blender executable with --blender PATH")


def discover(explicit: Optional[str] = None) -> List[BlenderInfo]:
    """The Blenders to install for: ``explicit`` only when given (an error when it does not
    run), else every executable found (PATH, the usual install folders) that answers the probe."""
    if explicit:
        return [probe(explicit)]
    from rv_dcc.batch.blender import installed_blenders

    found = []
    for executable in installed_blenders():
        try:
            found.append(probe(executable))
        except InstallError as exc:  # a broken or foreign "blender": say so, look at the others
            log.warning("skipping %s: %s", executable, exc)
    for info in found:
        log.info("found Blender %s (Python %s) at %s", ".".join(map(str, info.version)),
                 ".".join(map(str, info.python)), info.executable)
    return found
