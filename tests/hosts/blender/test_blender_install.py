"""`rv-dcc install blender`: the add-on (3.6-4.1) and the extension (4.2+), their dependencies,
and an uninstall that removes exactly what was installed."""
import importlib.util
import json
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
    assert inst.parse_version("4.2.3") == (4, 2)
    with pytest.raises(InstallError, match="too old"):
        inst.parse_version("2.93")
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
    assert "bl_info" in shim and '"blender": (3, 6, 0)' in shim
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
