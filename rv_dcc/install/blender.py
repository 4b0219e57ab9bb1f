"""``rv-dcc install blender``: the add-on (Blender 3.6-4.1) or the extension (4.2+), with dependencies.

- 3.6-4.1: ``<prefix>/rv_dcc_blender/`` (the add-on shim) and, in ``<prefix>/modules/`` (on
  Blender's sys.path, after its own site-packages), rv_dcc, rv_dcc_hosts and the dependencies
  installed by pip for Blender's Python version and this platform.
- 4.2+: ``<prefix>/rv_dcc_blender/`` with ``blender_manifest.toml`` listing the wheels in
  ``wheels/``: a wheel of rv_dcc + rv_dcc_hosts built here, and the dependencies downloaded by
  pip for Blender's Python. Blender installs the wheels when the extension is enabled.
The default prefix is Blender's user scripts/addons or extensions/user_default folder for that
version. Every path written is recorded in ``rv_dcc_blender/rv_dcc_install.json``; ``uninstall``
removes exactly those. The Python running this command is recorded as the one that opens the
Qt panel (it has rv_dcc and Qt; Blender's own Python needs neither).
"""
import base64
import csv
import hashlib
import io
import json
import logging
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path
from typing import Dict, Iterator, List, Optional, Tuple

from rv_dcc import __version__
from rv_dcc.fsutil import atomic_write
from rv_dcc.install import InstallError

log = logging.getLogger("rv_dcc.install.blender")

NAME = "rv_dcc_blender"  # add-on folder and extension id
MANIFEST = "rv_dcc_install.json"
CONFIG = "rv_dcc_config.json"
#: pure-Python runtime dependencies (pydantic brings pydantic_core, which is compiled)
DEPENDENCIES = ["requests>=2.28", "pydantic>=2.5", "qtpy>=2.3", "platformdirs>=3", "tqdm>=4.64"]
#: Blender release -> the Python it embeds (release notes; bpy wheels on PyPI carry the same tag)
PYTHON_FOR_BLENDER: Dict[Tuple[int, int], str] = {
    (3, 6): "3.10", (4, 0): "3.10", (4, 1): "3.11", (4, 2): "3.11", (4, 3): "3.11", (4, 4): "3.11",
    (4, 5): "3.11", (5, 0): "3.11", (5, 1): "3.13",
}
EXTENSIONS_SINCE = (4, 2)


def parse_version(text: str) -> Tuple[int, int]:
    """'4.2', '4.2.3' or '5.0.1' -> (major, minor); a clear error otherwise."""
    match = re.match(r"^\s*(\d+)\.(\d+)", text or "")
    if not match:
        raise InstallError("%r is not a Blender version." % text, hint="give --version like 4.2 or 3.6")
    version = (int(match.group(1)), int(match.group(2)))
    if version < (3, 6):
        raise InstallError("Blender %d.%d is too old for rv_dcc." % version, hint="use Blender 3.6 or newer")
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


def pip_platforms() -> List[str]:
    """pip --platform tags for the machine Blender runs on (this one)."""
    machine = platform.machine().lower()
    arm = machine in ("arm64", "aarch64")
    if sys.platform == "win32":
        return ["win_arm64"] if arm else ["win_amd64"]
    if sys.platform == "darwin":
        return ["macosx_11_0_arm64"] if arm else ["macosx_10_13_x86_64"]
    arch = "aarch64" if arm else "x86_64"
    return ["manylinux_2_28_%s" % arch, "manylinux2014_%s" % arch]


def _pip(action: str, target: Path, python_version: str, packages: List[str]) -> None:
    """pip install --target / pip download --dest, binary wheels for Blender's Python only."""
    argv = [sys.executable, "-m", "pip", action, "--disable-pip-version-check", "--no-input",
            "--only-binary=:all:", "--python-version", python_version, "--implementation", "cp"]
    for tag in pip_platforms():
        argv += ["--platform", tag]
    argv += ["--target" if action == "install" else "--dest", str(target)] + packages
    if action == "install":
        argv.insert(4, "--no-compile")
    log.info("running %s", " ".join(argv))
    proc = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, check=False)
    if proc.returncode != 0:
        tail = "\n".join(proc.stdout.decode("utf-8", "replace").strip().splitlines()[-12:])
        raise InstallError("pip could not get the dependencies for Python %s:\n%s" % (python_version, tail),
                           hint="check the network connection, or install with --no-deps and provide them yourself")


def _source_dirs() -> Tuple[Path, Path, Path]:
    """(rv_dcc package, rv_dcc_hosts package, resources/blender) of this installation."""
    import importlib.util

    core = Path(__file__).resolve().parent.parent
    spec = importlib.util.find_spec("rv_dcc_hosts")  # located, not imported
    if spec is None or not spec.submodule_search_locations:
        raise InstallError("rv_dcc_hosts is not installed beside rv_dcc.", hint="reinstall rv-dcc")
    hosts = Path(list(spec.submodule_search_locations)[0])
    for resources in (core.parent / "resources" / "blender", core / "resources" / "blender"):
        if resources.is_dir():
            return core, hosts, resources
    raise InstallError("The Blender add-on files (resources/blender) are missing from this installation.",
                       hint="install rv-dcc from its source checkout")


def _package_files(core: Path, hosts: Path) -> Iterator[Tuple[Path, str]]:
    """(file, archive path) of rv_dcc and the Blender part of rv_dcc_hosts, without caches."""
    for root, arc_root in ((core, "rv_dcc"), (hosts, "rv_dcc_hosts")):
        for path in sorted(root.rglob("*")):
            rel = path.relative_to(root)
            if path.is_dir() or "__pycache__" in rel.parts or path.suffix in (".pyc", ".pyo"):
                continue
            if arc_root == "rv_dcc_hosts" and len(rel.parts) > 1 and rel.parts[0] != "blender":
                continue  # one host never needs another
            yield path, "%s/%s" % (arc_root, rel.as_posix())


def build_wheel(directory: Path) -> Path:
    """A py3-none-any wheel of rv_dcc + rv_dcc_hosts (for the 4.2+ extension)."""
    core, hosts, _resources = _source_dirs()
    dist_info = "rv_dcc-%s.dist-info" % __version__
    path = directory / ("rv_dcc-%s-py3-none-any.whl" % __version__)
    records: List[List[str]] = []
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        def add(arcname: str, data: bytes) -> None:
            archive.writestr(arcname, data)
            digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
            records.append([arcname, "sha256=" + digest, str(len(data))])

        for file, arcname in _package_files(core, hosts):
            add(arcname, file.read_bytes())
        requires = "".join("Requires-Dist: %s\n" % dep for dep in DEPENDENCIES)
        add(dist_info + "/METADATA", ("Metadata-Version: 2.1\nName: rv-dcc\nVersion: %s\n%s"
                                      % (__version__, requires)).encode())
        add(dist_info + "/WHEEL", b"Wheel-Version: 1.0\nGenerator: rv_dcc.install\nRoot-Is-Purelib: true\n"
                                  b"Tag: py3-none-any\n")
        add(dist_info + "/top_level.txt", b"rv_dcc\nrv_dcc_hosts\n")
        text = io.StringIO()
        csv.writer(text, lineterminator="\n").writerows(records + [[dist_info + "/RECORD", "", ""]])
        archive.writestr(dist_info + "/RECORD", text.getvalue())
    return path


def _write_manifest_toml(template: Path, target: Path, wheels: List[str]) -> None:
    text = template.read_text(encoding="utf-8")
    listed = "wheels = [\n%s]\n" % "".join('  "./wheels/%s",\n' % name for name in wheels)
    platforms = sorted({_blender_platform(name) for name in wheels} - {""})
    if platforms:  # platform-specific wheels: say which platform this build is for
        listed += "platforms = [%s]\n" % ", ".join('"%s"' % p for p in platforms)
    atomic_write(target, re.sub(r"(?m)^wheels = \[\]\n", listed, text))


def _blender_platform(wheel: str) -> str:
    tag = wheel[:-4].split("-")[-1]
    if tag == "any":
        return ""
    arch = "arm64" if ("arm64" in tag or "aarch64" in tag) else "x64"
    system = "windows" if tag.startswith("win") else "macos" if tag.startswith("macosx") else "linux"
    return "%s-%s" % (system, arch)


def _copy(source: Path, target: Path, written: List[str]) -> None:
    if source.is_dir():
        shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    else:
        shutil.copy2(source, target)
    written.append(str(target))


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif path.exists() or path.is_symlink():
        path.unlink()


def _read_manifest(folder: Path) -> Optional[dict]:
    try:
        return json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def uninstall(prefix: Path) -> List[str]:
    """Remove what the manifest in ``prefix/rv_dcc_blender`` lists; return the paths removed.

    Nothing installed there (e.g. a second uninstall) is a no-op returning ``[]``; an add-on
    folder without a readable manifest is refused, as we cannot tell what is ours.
    """
    folder = prefix / NAME
    manifest = _read_manifest(folder)
    if manifest is None and not folder.exists() and not folder.is_symlink():
        log.info("nothing of rv_dcc is installed in %s: nothing to uninstall", prefix)
        return []
    if manifest is None:
        raise InstallError("%s has no readable %s: rv_dcc cannot tell which files are its own." % (folder, MANIFEST),
                           hint="remove the folder %s by hand, or install again, then uninstall" % folder)
    removed = []
    for entry in manifest.get("paths", []):
        path = Path(entry)
        if path.is_dir() and path.name == "modules":
            continue  # the folder we created: removed last, and only when empty
        if path.exists() or path.is_symlink():
            _remove(path)
            removed.append(str(path))
    if folder.exists():
        _remove(folder)
        removed.append(str(folder))
    for entry in manifest.get("paths", []):
        path = Path(entry)
        if path.name == "modules" and path.is_dir() and not any(path.iterdir()):
            path.rmdir()
            removed.append(str(path))
    return removed


def _install_addon(prefix: Path, python_version: str, deps: bool, written: List[str],
                   previous: List[str]) -> None:
    core, hosts, resources = _source_dirs()
    modules = prefix / "modules"
    if not modules.exists():
        modules.mkdir(parents=True)
        written.append(str(modules))  # ours: removed on uninstall once empty
    with tempfile.TemporaryDirectory(prefix="rv_dcc_install_") as tmp:
        staging = Path(tmp)
        for file, arcname in _package_files(core, hosts):
            (staging / arcname).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(file, staging / arcname)
        if deps:
            _pip("install", staging, python_version, DEPENDENCIES)
        for entry in sorted(staging.iterdir()):
            target = modules / entry.name
            if target.exists() or target.is_symlink():
                if str(target) not in previous and entry.name not in ("rv_dcc", "rv_dcc_hosts"):
                    log.warning("leaving %s alone: it was not installed by rv_dcc", target)
                    continue
                _remove(target)
            _copy(entry, target, written)
    _copy(resources / "addon" / NAME, prefix / NAME, written)


def _install_extension(prefix: Path, python_version: str, deps: bool, written: List[str]) -> None:
    _core, _hosts, resources = _source_dirs()
    folder = prefix / NAME
    wheels = folder / "wheels"
    wheels.mkdir(parents=True)
    shutil.copy2(resources / "extension" / "__init__.py", folder / "__init__.py")
    build_wheel(wheels)
    if deps:
        _pip("download", wheels, python_version, DEPENDENCIES)
    _write_manifest_toml(resources / "extension" / "blender_manifest.toml", folder / "blender_manifest.toml",
                         sorted(p.name for p in wheels.glob("*.whl")))
    written.append(str(folder))


def install(version: Optional[str] = None, prefix: Optional[str] = None, uninstall: bool = False,
            deps: bool = True) -> List[str]:
    """Install (or with ``uninstall`` remove) the Blender add-on/extension; return the paths.

    ``deps=False`` skips downloading requests/pydantic/... (they must then be provided otherwise).
    """
    blender = parse_version(version) if version else detect_version()
    target = Path(prefix).expanduser().resolve() if prefix else default_prefix(blender)
    if uninstall:
        return globals()["uninstall"](target)
    python_version = python_for(blender)
    folder = target / NAME
    previous = (_read_manifest(folder) or {}).get("paths", [])
    if folder.exists():  # reinstall: start from a clean add-on folder, keep others' modules
        _remove(folder)
    target.mkdir(parents=True, exist_ok=True)
    written: List[str] = []
    if blender >= EXTENSIONS_SINCE:
        _install_extension(target, python_version, deps, written)
    else:
        _install_addon(target, python_version, deps, written, previous)
    config = {"python": sys.executable, "blender_version": "%d.%d" % blender, "python_version": python_version}
    atomic_write(folder / CONFIG, json.dumps(config, indent=2))
    manifest = {"rv_dcc": __version__, "blender_version": "%d.%d" % blender,
                "kind": "extension" if blender >= EXTENSIONS_SINCE else "addon",
                "dependencies": deps, "paths": written}
    atomic_write(folder / MANIFEST, json.dumps(manifest, indent=2))
    log.info("installed rv_dcc for Blender %d.%d into %s", blender[0], blender[1], target)
    return written
