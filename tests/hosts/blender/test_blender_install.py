"""`rv-dcc install blender`: finding the Blenders and asking each for its Python, the add-on
(3.3-4.1) and the extension (4.2+), their dependencies, and an uninstall that removes exactly
what was installed."""
import importlib.util
import json
import os
import shutil
import socket
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from blender_helpers import HAS_BPY
from rv_dcc.cli import main
from rv_dcc.install import InstallError, installer
from rv_dcc.install import blender as inst
from rv_dcc.install import blender_find

#: Stands in for a Blender executable answering `blender -b --factory-startup --python-exit-code 3
#: --python-expr EXPR` (docs.blender.org/manual/en/latest/advanced/command_line/arguments.html): it runs
#: EXPR against a bpy with only what the probe reads - bpy.app.version (api/current/bpy.app.html),
#: bpy.utils.user_resource("SCRIPTS"/"EXTENSIONS", path=) (api/current/bpy.utils.html) and, from 4.2,
#: bpy.context.preferences.extensions.repos[].module/.directory (api/4.2/bpy.types.UserExtensionRepo.html).
#: Anything else the expression touches raises AttributeError, as an unknown name in bpy would.
FAKE_BLENDER = """#!{python} -S
import sys, types
args = sys.argv[1:]
assert args[:5] == ["-b", "--factory-startup", "--python-exit-code", "3", "--python-expr"], args
version, python = {version!r}, {python_version!r}
user = {user!r}
def user_resource(kind, path="", create=False):
    if kind not in ("DATAFILES", "CONFIG", "SCRIPTS", "AUTOSAVE") + (("EXTENSIONS",) if version >= (4, 2, 0) else ()):
        raise ValueError("expected a string in (...), got %r" % kind)
    return "/".join(p for p in (user, kind.lower(), path) if p)
repos = [types.SimpleNamespace(module="blender_org", directory=user + "/ext/blender_org"),
         types.SimpleNamespace(module="user_default", directory=user + "/ext/user_default")]
prefs = types.SimpleNamespace(extensions=types.SimpleNamespace(repos=repos)) if version >= (4, 2, 0) else types.SimpleNamespace()
bpy = types.ModuleType("bpy")
bpy.app = types.SimpleNamespace(version=version)
bpy.utils = types.SimpleNamespace(user_resource=user_resource)
bpy.context = types.SimpleNamespace(preferences=prefs)
sys.modules["bpy"] = bpy
sys.version_info = tuple(python) + ("final", 0)
print("Blender %d.%d.%d" % version)
try:
    exec(compile(args[5], "<expr>", "exec"), {{"__name__": "__main__"}})
except Exception:
    import traceback; traceback.print_exc(); sys.exit(3)
print("Blender quit")
"""


def fake_blender(folder: Path, version, python, name="blender") -> Path:
    """A fake Blender ``version`` running Python ``python``, its user folders under folder/user."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(FAKE_BLENDER.format(python=sys.executable, version=tuple(version), python_version=tuple(python),
                                        user=str(folder / "user")))
    path.chmod(0o755)
    return path


@pytest.fixture(autouse=True)
def no_blender_here(monkeypatch):
    """The machine's own Blenders are not looked at unless a test says which exist."""
    import rv_dcc.batch.blender as batch_blender

    monkeypatch.setattr(batch_blender, "installed_blenders", lambda: [])
    return monkeypatch


def blender_manifest_errors(path: Path):
    """Blender's own manifest validator (bl_pkg), loaded from the bpy installation."""
    bpy_dir = Path(importlib.util.find_spec("bpy").origin).parent
    cli = next(bpy_dir.glob("*/scripts/addons_core/bl_pkg/cli/blender_ext.py"))
    spec = importlib.util.spec_from_file_location("_blender_ext", cli)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    result = module.pkg_manifest_from_toml_and_validate_all_errors(str(path), strict=True)
    return result if isinstance(result, list) else []


def test_blender_python_versions_and_versions_parsing():
    assert inst.python_for((3, 6)) == "3.10" and inst.python_for((4, 0)) == "3.10"
    assert inst.python_for((4, 1)) == "3.11" and inst.python_for((4, 2)) == "3.11"
    assert inst.python_for((5, 0)) == "3.11" and inst.python_for((5, 1)) == "3.13"
    assert inst.parse_version("4.2.3") == (4, 2) and inst.parse_version("3.3") == (3, 3)
    assert inst.python_for((3, 3)) == "3.10"  # blender.org's 3.3 LTS build
    with pytest.raises(InstallError, match="too old.*3.3 LTS"):
        inst.parse_version("3.2")
    with pytest.raises(InstallError, match="not a Blender version"):
        inst.parse_version("latest")


@pytest.mark.skipif(sys.platform != "linux", reason="Linux folder layout")
def test_default_prefixes_follow_blenders_user_folders(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    assert inst.default_prefix((4, 1)) == tmp_path / "blender" / "4.1" / "scripts" / "addons"
    assert inst.default_prefix((4, 2)) == tmp_path / "blender" / "4.2" / "extensions" / "user_default"


def test_extension_install_and_uninstall(tmp_path):
    prefix = tmp_path / "user_default"
    prefix.mkdir()
    (prefix / "someone_else").mkdir()
    written = inst.install("4.2", str(prefix), deps=False)
    folder = prefix / "rv_dcc_blender"
    assert written == [str(folder)]
    assert sorted(p.name for p in folder.iterdir()) == [
        "__init__.py", "blender_manifest.toml", "rv_dcc_config.json", "rv_dcc_install.json", "wheels"]
    assert json.loads((folder / "rv_dcc_config.json").read_text())["python"] == sys.executable
    wheel = folder / "wheels" / "rv_dcc-0.1.0-py3-none-any.whl"
    manifest = (folder / "blender_manifest.toml").read_text()
    assert '"./wheels/rv_dcc-0.1.0-py3-none-any.whl"' in manifest and "\nplatforms = " not in manifest
    if HAS_BPY:
        assert blender_manifest_errors(folder / "blender_manifest.toml") == []
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        assert {"rv_dcc/__init__.py", "rv_dcc/batch/__init__.py", "rv_dcc_hosts/__init__.py",
                "rv_dcc_hosts/blender/startup.py", "rv_dcc-0.1.0.dist-info/RECORD",
                "rv_dcc-0.1.0.dist-info/WHEEL"} <= names
        assert not [n for n in names if n.startswith("rv_dcc_hosts/maya/") or "__pycache__" in n]
        record = archive.read("rv_dcc-0.1.0.dist-info/RECORD").decode()
        assert "rv_dcc_hosts/blender/startup.py,sha256=" in record
        archive.extractall(tmp_path / "site")
    # the wheel alone is enough for Blender's start-up module (no checkout on sys.path)
    if HAS_BPY:
        bpy_site = str(Path(importlib.util.find_spec("bpy").origin).parent.parent)
        code = ("import sys; sys.path[:0] = [%r]; sys.path.append(%r)\nimport bpy\n"
                "import rv_dcc_hosts.blender.startup as s\nprint(s.__file__)" % (str(tmp_path / "site"), bpy_site))
        proc = subprocess.run([sys.executable, "-S", "-c", code], capture_output=True, text=True, timeout=120)
        assert proc.returncode == 0, proc.stderr[-2000:]
        assert proc.stdout.strip().endswith(str(Path("site") / "rv_dcc_hosts" / "blender" / "startup.py"))
    removed = inst.install("4.2", str(prefix), uninstall=True)
    assert removed == [str(folder)]
    assert sorted(p.name for p in prefix.iterdir()) == ["someone_else"]
    # a second uninstall is a no-op, and touches nobody else's files
    assert inst.install("4.2", str(prefix), uninstall=True) == []
    assert sorted(p.name for p in prefix.iterdir()) == ["someone_else"]


def test_addon_install_leaves_other_modules_alone(tmp_path):
    prefix = tmp_path / "addons"
    (prefix / "modules" / "requests").mkdir(parents=True)  # someone else's copy
    written = inst.install("4.0", str(prefix), deps=False)
    assert sorted(Path(p).name for p in written) == ["rv_dcc", "rv_dcc_blender", "rv_dcc_hosts"]
    assert (prefix / "modules" / "rv_dcc_hosts" / "blender" / "startup.py").is_file()
    assert not (prefix / "modules" / "rv_dcc_hosts" / "maya").exists()
    shim = (prefix / "rv_dcc_blender" / "__init__.py").read_text()
    assert "bl_info" in shim and '"blender": (3, 3, 0)' in shim
    again = inst.install("4.0", str(prefix), deps=False)  # reinstall replaces our files only
    assert sorted(again) == sorted(written)
    removed = inst.install("4.0", str(prefix), uninstall=True)
    assert sorted(Path(p).name for p in removed) == ["rv_dcc", "rv_dcc_blender", "rv_dcc_hosts"]
    assert sorted(p.name for p in (prefix / "modules").iterdir()) == ["requests"]


def test_install_command(tmp_path, capsys):
    prefix = tmp_path / "ext"
    assert main(["install", "blender", "--version", "4.5", "--prefix", str(prefix), "--no-deps", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out == {"dcc": "blender", "uninstall": False, "paths": [str(prefix / "rv_dcc_blender")]}
    assert main(["install", "blender", "--version", "4.5", "--prefix", str(prefix), "--uninstall"]) == 0
    assert "removed %s" % (prefix / "rv_dcc_blender") in capsys.readouterr().out
    # uninstalling twice succeeds and says there was nothing to remove
    assert main(["install", "blender", "--version", "4.5", "--prefix", str(prefix), "--uninstall"]) == 0
    captured = capsys.readouterr()
    assert "nothing of rv_dcc was installed for blender 4.5 in %s" % prefix in captured.out, captured
    assert captured.err == ""
    assert main(["install", "blender", "--version", "4.5", "--prefix", str(prefix), "--uninstall", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"dcc": "blender", "uninstall": True, "paths": []}


def test_uninstall_refuses_an_addon_folder_without_manifest(tmp_path):
    prefix = tmp_path / "ext"
    (prefix / "rv_dcc_blender").mkdir(parents=True)
    (prefix / "rv_dcc_blender" / "__init__.py").write_text("# not ours, or a broken install\n")
    with pytest.raises(InstallError, match="cannot tell which files are its own"):
        inst.install("4.5", str(prefix), uninstall=True)
    assert (prefix / "rv_dcc_blender" / "__init__.py").is_file()
    assert installer("blender") is inst


def _pypi_reachable() -> bool:
    try:
        socket.create_connection(("pypi.org", 443), timeout=3).close()
        return True
    except OSError:
        return False


@pytest.mark.skipif(sys.platform != "linux" or not _pypi_reachable(), reason="needs Linux and PyPI")
def test_dependencies_are_built_for_blenders_python(tmp_path):
    """Blender 3.6 embeds Python 3.10: pydantic_core must be the cp310 build, whatever runs pip."""
    addon = tmp_path / "addons"
    inst.install("3.6", str(addon))
    modules = addon / "modules"
    assert (modules / "requests" / "__init__.py").is_file() and (modules / "qtpy").is_dir()
    assert list((modules / "pydantic_core").glob("_pydantic_core.cpython-310-*.so"))
    extension = tmp_path / "ext"
    inst.install("4.2", str(extension))
    wheels = sorted(p.name for p in (extension / "rv_dcc_blender" / "wheels").glob("*.whl"))
    assert [w for w in wheels if w.startswith("pydantic_core-") and "-cp311-cp311-" in w]
    assert any(w.startswith("requests-") for w in wheels) and any(w.startswith("tqdm-") for w in wheels)
    manifest = (extension / "rv_dcc_blender" / "blender_manifest.toml").read_text()
    assert 'platforms = ["linux-x64"]' in manifest or 'platforms = ["linux-arm64"]' in manifest
    if HAS_BPY:
        assert blender_manifest_errors(extension / "rv_dcc_blender" / "blender_manifest.toml") == []
    inst.install("3.6", str(addon), uninstall=True)
    assert not modules.exists()  # we created it, and it is empty again


def test_each_blender_found_is_asked_for_its_python_and_gets_its_own_kind_of_install(tmp_path, no_blender_here):
    import rv_dcc.batch.blender as batch_blender

    distro = fake_blender(tmp_path / "usr" / "bin", (3, 4, 1), (3, 11, 2))       # a distribution build
    official = fake_blender(tmp_path / "opt" / "blender-4.2.3", (4, 2, 3), (3, 11, 7))
    broken = tmp_path / "opt" / "blender-9" / "blender"
    broken.parent.mkdir(parents=True)
    broken.write_text("#!/bin/sh\necho not blender; exit 1\n")
    broken.chmod(0o755)
    no_blender_here.setattr(batch_blender, "installed_blenders", lambda: [str(distro), str(broken), str(official)])
    found = blender_find.discover()
    assert [(i.release, i.python_version) for i in found] == [((3, 4), "3.11"), ((4, 2), "3.11")]
    written = inst.install(deps=False)
    addons = tmp_path / "usr" / "bin" / "user" / "scripts" / "addons"
    extension = tmp_path / "opt" / "blender-4.2.3" / "user" / "ext" / "user_default"
    assert sorted(written) == sorted([str(addons / "modules"), str(addons / "modules" / "rv_dcc"), str(addons / "modules" / "rv_dcc_hosts"),
                                      str(addons / "rv_dcc_blender"), str(extension / "rv_dcc_blender")])
    config = json.loads((addons / "rv_dcc_blender" / "rv_dcc_config.json").read_text())
    # the table says 3.10 for Blender 3.4; this build said 3.11, and that is what counts
    assert (config["python_version"], config["blender_version"], config["blender"]) == ("3.11", "3.4", str(distro))
    assert json.loads((extension / "rv_dcc_blender" / "rv_dcc_install.json").read_text())["kind"] == "extension"
    # --version keeps one release; --uninstall finds the same folders again
    assert inst.install("4.2", uninstall=True) == [str(extension / "rv_dcc_blender")]
    assert (addons / "rv_dcc_blender").is_dir()
    inst.install(uninstall=True)
    assert not (addons / "rv_dcc_blender").exists() and not (addons / "modules").exists()


def test_blender_option_and_what_happens_without_a_blender(tmp_path, capsys):
    exe = fake_blender(tmp_path / "b", (3, 3, 12), (3, 10, 13))
    prefix = tmp_path / "p"
    assert main(["install", "blender", "--blender", str(exe), "--prefix", str(prefix), "--no-deps", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["paths"][-1] == str(prefix / "rv_dcc_blender")
    assert '"blender": (3, 3, 0)' in (prefix / "rv_dcc_blender" / "__init__.py").read_text()  # 3.3 LTS enables it
    with pytest.raises(InstallError, match=r"is Blender 3\.3, not 4\.1"):
        inst.install("4.1", blender=str(exe), deps=False)
    with pytest.raises(InstallError, match="not a Blender") as info:
        inst.install(blender=sys.executable, deps=False)
    assert "--blender" in info.value.hint
    with pytest.raises(InstallError, match="No Blender 4.5 found") as info:
        inst.install("4.5", deps=False)
    assert "--blender PATH" in info.value.hint and "--prefix DIR --version V" in info.value.hint
    old = fake_blender(tmp_path / "old", (3, 2, 0), (3, 10, 2))
    with pytest.raises(InstallError, match="too old"):
        inst.install(blender=str(old), deps=False)
    assert main(["install", "maya", "--blender", str(exe), "--prefix", str(prefix)]) == 1
    assert "--blender is for `rv-dcc install blender` only" in capsys.readouterr().err


@pytest.mark.skipif(not shutil.which("blender"), reason="no Blender executable on PATH (apt-get install blender)")
def test_the_real_blender_on_path_answers_the_probe(tmp_path, monkeypatch):
    """E.g. Debian 12's Blender 3.4.1, which runs the system's Python 3.11 (blender.org's 3.4: 3.10)."""
    monkeypatch.setenv("BLENDER_USER_SCRIPTS", str(tmp_path / "scripts"))
    info = blender_find.probe(shutil.which("blender"))
    assert info.release >= (3, 3) and info.python[0] == 3 and info.python[1] >= 10
    assert info.scripts == str(tmp_path / "scripts")  # Blender's own answer, honouring its variable
    if info.release < (4, 2):
        assert info.extensions == ""
        assert blender_find.BlenderInfo.python_version.fget(info) == "%d.%d" % info.python[:2]


@pytest.mark.skipif(sys.platform != "linux" or not _pypi_reachable(), reason="needs Linux and PyPI")
def test_dependencies_follow_the_python_the_blender_said_it_runs(tmp_path):
    """A 3.4 build running Python 3.12 (not the table's 3.10): pydantic_core is the cp312 build."""
    exe = fake_blender(tmp_path / "b", (3, 4, 1), (3, 12, 1))
    inst.install(blender=str(exe))
    modules = tmp_path / "b" / "user" / "scripts" / "addons" / "modules"
    assert list((modules / "pydantic_core").glob("_pydantic_core.cpython-312-*.so"))
    assert not list((modules / "pydantic_core").glob("_pydantic_core.cpython-310-*.so"))
