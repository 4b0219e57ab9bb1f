"""Shared steps of the Maya, 3ds Max, Houdini and Cinema 4D installers.

Owns: which Python each host version embeds (so dependencies are built for it), the pip command
that fetches binary wheels for that Python and platform into a folder, copying rv_dcc (with the
panel's icons) and the host's part of rv_dcc_hosts beside them, filling the resource templates (@NAME@ placeholders),
and the manifest that lets ``--uninstall`` remove exactly what was written. Each host module
only decides where things go.
"""
import importlib.util
import json
import logging
import os
import platform
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional

from rv_dcc.fsutil import atomic_write
from rv_dcc.install import InstallError

log = logging.getLogger("rv_dcc.install.hosts")

MANIFEST = "rv_dcc_install.json"
#: host -> version -> Python the host embeds (Maya/Max/C4D release notes, SideFX's Python builds;
#: C4D 2023.2 moved to 3.10.8 and 2024.0 to 3.11.4: developers.maxon.net/docs/py/2024_0_0/misc/whatisnew.html)
PYTHON_VERSIONS: Dict[str, Dict[str, str]] = {
    "maya": {"2023": "3.9", "2024": "3.10", "2025": "3.11", "2026": "3.11"},
    "houdini": {"19.5": "3.9", "20.0": "3.10", "20.5": "3.11", "21.0": "3.11"},
    "max": {"2023": "3.9", "2024": "3.10", "2025": "3.11", "2026": "3.11"},
    "c4d": {"2023": "3.9", "2023.2": "3.10", "2024": "3.11", "2025": "3.11", "2026": "3.11"},
}
#: what the host's Python needs to run the adapter and the panel (Qt itself ships with the host)
DEPENDENCIES = ["requests>=2.28", "pydantic>=2.5", "qtpy>=2.3", "platformdirs>=3", "tqdm>=4.64"]
Runner = Callable[..., Any]


def python_for(host: str, version: str, label: str) -> str:
    """The Python version of ``host`` ``version`` ('3.11'); a clear error for an unknown one."""
    table = PYTHON_VERSIONS[host]
    if version not in table:
        raise InstallError(f"rv_dcc does not know {label} {version}'s Python.",
                           hint=f"give one of these versions: {', '.join(table)} (rv_dcc needs Python 3.9+)")
    return table[version]


def pip_platforms() -> List[str]:
    """pip --platform tags for this machine (the host runs here)."""
    arm = platform.machine().lower() in ("arm64", "aarch64")
    if sys.platform == "win32":
        return ["win_amd64"]
    if sys.platform == "darwin":
        return ["macosx_11_0_arm64"] if arm else ["macosx_10_13_x86_64"]
    arch = "aarch64" if arm else "x86_64"
    return [f"manylinux_2_28_{arch}", f"manylinux2014_{arch}"]


def pip_command(target: Path, python_version: str, packages: List[str]) -> List[str]:
    """pip install --target: binary wheels only, for the host's Python and this platform."""
    argv = [sys.executable, "-m", "pip", "install", "--no-compile", "--disable-pip-version-check", "--no-input",
            "--only-binary=:all:", "--python-version", python_version, "--implementation", "cp"]
    for tag in pip_platforms():
        argv += ["--platform", tag]
    return argv + ["--upgrade", "--target", str(target)] + packages


def run_pip(argv: List[str], python_version: str, runner: Optional[Runner] = None) -> None:
    """Run pip (an argument list, never a shell string); a failure says what to do."""
    log.info("running %s", " ".join(argv))
    proc = (runner or subprocess.run)(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, check=False)
    if proc.returncode != 0:
        tail = "\n".join((proc.stdout or b"").decode("utf-8", "replace").strip().splitlines()[-12:])
        raise InstallError(f"pip could not get the dependencies for Python {python_version}:\n{tail}",
                           hint="check the network connection, or install with --no-deps and provide them yourself")


def source_dirs(host: str) -> Dict[str, Path]:
    """rv_dcc, rv_dcc_hosts and resources/<host> of this installation."""
    core = Path(__file__).resolve().parent.parent
    spec = importlib.util.find_spec("rv_dcc_hosts")  # located, not imported: the core never imports hosts
    if spec is None or not spec.submodule_search_locations:
        raise InstallError("rv_dcc_hosts is not installed beside rv_dcc.", hint="reinstall rv-dcc")
    hosts = Path(list(spec.submodule_search_locations)[0])
    for resources in (core.parent / "resources" / host, core / "resources" / host):
        if resources.is_dir():
            return {"core": core, "hosts": hosts, "resources": resources}
    raise InstallError(f"The {host} plug-in files (resources/{host}) are missing from this installation.",
                       hint="install rv-dcc from its source checkout")


def _ignore(folder: str, names: List[str]) -> List[str]:
    return [n for n in names if n == "__pycache__" or n.endswith((".pyc", ".pyo"))]


def copy_packages(host: str, site: Path) -> None:
    """rv_dcc and rv_dcc_hosts (its __init__ and this host only) into ``site``."""
    dirs = source_dirs(host)
    site.mkdir(parents=True, exist_ok=True)
    for target in (site / "rv_dcc", site / "rv_dcc_hosts"):
        if target.exists():
            shutil.rmtree(target)
    shutil.copytree(dirs["core"], site / "rv_dcc", ignore=_ignore)
    (site / "rv_dcc_hosts").mkdir()
    shutil.copy2(dirs["hosts"] / "__init__.py", site / "rv_dcc_hosts" / "__init__.py")
    shutil.copytree(dirs["hosts"] / host, site / "rv_dcc_hosts" / host, ignore=_ignore)
    # the panel's icons, where an installed rv_dcc finds its data (rv_dcc/resources, the wheel's
    # layout, rv_dcc.locate.resource_dir); without them the panel's arrows and chevrons are blank
    icons = dirs["resources"].parent / "icons"
    if icons.is_dir():
        shutil.copytree(icons, site / "rv_dcc" / "resources" / "icons", ignore=_ignore)


def fill(template: Path, target: Path, values: Dict[str, str]) -> None:
    """Copy a resource file, replacing @NAME@ placeholders; an unfilled one is a bug."""
    text = template.read_text(encoding="utf-8")
    for name, value in values.items():
        text = text.replace(f"@{name}@", value)
    left = re.findall(r"@[A-Z_]+@", text)
    if left:
        raise InstallError(f"{template.name}: no value for {', '.join(sorted(set(left)))}", hint="report this bug")
    target.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(target, text)  # a DCC never loads half a plugin file


def write_manifest(payload: Path, written: List[str], host: str, version: str) -> str:
    """Record what an install wrote (the manifest lists itself last)."""
    path = payload / MANIFEST
    atomic_write(path, json.dumps({"host": host, "version": version, "paths": written + [str(path)]}, indent=2))
    return str(path)


def uninstall(payload: Path) -> List[str]:
    """Remove what the manifest in ``payload`` lists (deepest first) and the payload folder."""
    manifest = payload / MANIFEST
    if not manifest.is_file():
        log.info("nothing to uninstall in %s", payload)
        return []
    paths = json.loads(manifest.read_text(encoding="utf-8")).get("paths", [])
    removed = []
    for raw in sorted(set(paths), key=lambda p: p.count(os.sep), reverse=True):
        path = Path(raw)
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        elif path.exists() or path.is_symlink():
            path.unlink()
        else:
            continue
        removed.append(raw)
    for folder in (payload, payload.parent):  # .../rv_dcc/<version>: leave no empty folder of ours
        if folder.is_dir() and folder.name in (payload.name, "rv_dcc") and not any(folder.iterdir()):
            folder.rmdir()
    return removed


def install_payload(host: str, payload: Path, python_version: str, deps: bool,
                    runner: Optional[Runner], packages: Optional[List[str]] = None) -> List[str]:
    """Copy rv_dcc into ``payload``/site-packages and pip the dependencies there."""
    site = payload / "site-packages"
    copy_packages(host, site)
    if deps:
        run_pip(pip_command(site, python_version, packages or DEPENDENCIES), python_version, runner)
    return [str(site)]
