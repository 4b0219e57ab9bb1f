"""``rv-dcc install blender``: the add-on (Blender 3.3-4.1) or the extension (4.2+), with dependencies.

Which Blender: ``--blender PATH``, else every Blender found on the machine (PATH, the usual
install folders; ``blender_find``), each asked for its version, the Python it really runs and
its user folders; ``--version`` keeps only that release. The table of Pythons per release is
only a fallback for ``--prefix`` installs when no Blender of that version runs here.

- 3.3-4.1: ``<prefix>/rv_dcc_blender/`` (the add-on shim) and, in ``<prefix>/modules/`` (on
  Blender's sys.path, after its own site-packages), rv_dcc, rv_dcc_hosts and the dependencies
  installed by pip for Blender's Python version and this platform.
- 4.2+: ``<prefix>/rv_dcc_blender/`` with ``blender_manifest.toml`` listing the wheels in
  ``wheels/``: a wheel of rv_dcc + rv_dcc_hosts built here, and the dependencies downloaded by
  pip for Blender's Python. Blender installs the wheels when the extension is enabled.
The default prefix is the folder that Blender reports (its user scripts/addons, or its
user_default extensions repository). Every path written is recorded in ``rv_dcc_blender/rv_dcc_install.json``; ``uninstall``
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
from rv_dcc.install.blender_find import (  # noqa: F401 - the version table is part of this module's API
    EXTENSIONS_SINCE, OLDEST, PYTHON_FOR_BLENDER, BlenderInfo, config_base, default_prefix, detect_version,
    discover, parse_version, python_for)

log = logging.getLogger("rv_dcc.install.blender")

NAME = "rv_dcc_blender"  # add-on folder and extension id
MANIFEST = "rv_dcc_install.json"
CONFIG = "rv_dcc_config.json"
#: pure-Python runtime dependencies (pydantic brings pydantic_core, which is compiled)
DEPENDENCIES = ["requests>=2.28", "pydantic>=2.5", "qtpy>=2.3", "platformdirs>=3", "tqdm>=4.64"]
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


class Target:
    """One install: where, for which Blender release and Python, and the Blender that said so."""

    def __init__(self, release: Tuple[int, int], python_version: str, prefix: Path,
                 info: Optional[BlenderInfo] = None) -> None:
        self.release, self.python_version, self.prefix, self.info = release, python_version, prefix, info


def _prefix_of(info: BlenderInfo) -> Path:
    if info.release >= EXTENSIONS_SINCE:
        return Path(info.extensions) if info.extensions else default_prefix(info.release)
    return Path(info.scripts) / "addons" if info.scripts else default_prefix(info.release)


def targets(version: Optional[str], prefix: Optional[str], blender: Optional[str]) -> List[Target]:
    """What to install for: see the module docstring. Raises with what to do when nothing fits."""
    wanted = parse_version(version) if version else None
    where = Path(prefix).expanduser().resolve() if prefix else None
    found = discover(blender)
    if wanted is not None:
        matching = [info for info in found if info.release == wanted]
        if blender and not matching:
            raise InstallError("%s is Blender %d.%d, not %d.%d." % ((blender,) + found[0].release + wanted),
                               hint="leave out --version, or give the Blender %d.%d executable" % wanted)
        found = matching
    for info in found:
        if info.release < OLDEST:
            raise InstallError("%s is Blender %d.%d, too old for rv_dcc." % ((info.executable,) + info.release),
                               hint="use Blender 3.3 LTS or newer")
    if where is not None:
        if len({(i.release, i.python_version) for i in found}) > 1:
            raise InstallError("Several Blenders found for --prefix %s: %s." % (
                where, ", ".join("%s (%d.%d)" % ((i.executable,) + i.release) for i in found)),
                hint="say which with --blender PATH or --version")
        if found:
            return [Target(found[0].release, found[0].python_version, where, found[0])]
        release = wanted or detect_version()
        log.info("no Blender %d.%d runs here: assuming it embeds Python %s", release[0], release[1], python_for(release))
        return [Target(release, python_for(release), where)]
    if not found:
        what = "Blender %d.%d" % wanted if wanted else "Blender"
        raise InstallError("No %s found on this machine (PATH and the usual install folders)." % what,
                           hint="give the executable with --blender PATH, or install into a folder with "
                                "--prefix DIR --version V")
    chosen: Dict[Path, Target] = {}
    for info in found:  # the first found wins a shared user folder (PATH first, then newest)
        target = _prefix_of(info)
        if target in chosen:
            if chosen[target].python_version != info.python_version:
                log.warning("%s shares %s with %s but runs Python %s: installed for Python %s only",
                            info.executable, target, chosen[target].info.executable,  # type: ignore[union-attr]
                            info.python_version, chosen[target].python_version)
            continue
        chosen[target] = Target(info.release, info.python_version, target, info)
    return list(chosen.values())


def install(version: Optional[str] = None, prefix: Optional[str] = None, uninstall: bool = False,
            deps: bool = True, blender: Optional[str] = None) -> List[str]:
    """Install (or with ``uninstall`` remove) the Blender add-on/extension; return the paths.

    ``blender``: the executable to install for (else every Blender found, or with ``prefix`` and
    ``version`` and none found, the table). ``deps=False`` skips downloading requests/pydantic/...
    (they must then be provided otherwise).
    """
    paths: List[str] = []
    for target in targets(version, prefix, blender):
        if uninstall:
            paths += globals()["uninstall"](target.prefix)
        else:
            paths += _install_one(target, deps)
    return paths


def _install_one(target: Target, deps: bool) -> List[str]:
    blender, python_version, where = target.release, target.python_version, target.prefix
    folder = where / NAME
    previous = (_read_manifest(folder) or {}).get("paths", [])
    if folder.exists():  # reinstall: start from a clean add-on folder, keep others' modules
        _remove(folder)
    where.mkdir(parents=True, exist_ok=True)
    written: List[str] = []
    if blender >= EXTENSIONS_SINCE:
        _install_extension(where, python_version, deps, written)
    else:
        _install_addon(where, python_version, deps, written, previous)
    config = {"python": sys.executable, "blender_version": "%d.%d" % blender, "python_version": python_version,
              "blender": target.info.executable if target.info else ""}
    atomic_write(folder / CONFIG, json.dumps(config, indent=2))
    manifest = {"rv_dcc": __version__, "blender_version": "%d.%d" % blender,
                "kind": "extension" if blender >= EXTENSIONS_SINCE else "addon",
                "dependencies": deps, "paths": written}
    atomic_write(folder / MANIFEST, json.dumps(manifest, indent=2))
    log.info("installed rv_dcc for Blender %d.%d (Python %s) into %s", blender[0], blender[1], python_version, where)
    return written
