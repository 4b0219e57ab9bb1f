"""``rv-dcc install maya|max|houdini|c4d`` with --prefix in tmp_path: files, Python versions, uninstall.

pip is replaced by a recorder (no network in the unit suite): the test checks the exact command
built for the host's Python, and that every file written is removed again by --uninstall.
"""
import json
import sys
from pathlib import Path

import pytest

from rv_dcc.install import InstallError, installer


class Recorder:
    def __init__(self):
        self.calls = []

    def __call__(self, argv, **kwargs):
        self.calls.append(argv)
        target = Path(argv[argv.index("--target") + 1])
        (target / "pydantic").mkdir(parents=True, exist_ok=True)  # what pip would have put there
        return type("Done", (), {"returncode": 0, "stdout": b""})()


def _tree(root: Path):
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if "__pycache__" not in p.parts)


@pytest.mark.parametrize("dcc, version, python", [("maya", "2024", "3.10"), ("maya", "2025.3", "3.11"),
                                                    ("houdini", "20.5.370", "3.11"), ("houdini", "19.5", "3.9"),
                                                    ("max", "2023", "3.9"), ("c4d", "2024", "3.11"),
                                                    ("c4d", "2023.2", "3.10")])
def test_pip_targets_the_hosts_python(tmp_path, dcc, version, python):
    pip = Recorder()
    installer(dcc).install(version, str(tmp_path), runner=pip)
    argv = pip.calls[0]
    assert argv[argv.index("--python-version") + 1] == python
    assert "--only-binary=:all:" in argv and "--platform" in argv
    assert ("qtpy>=2.3" in argv) == (dcc != "c4d"), "Cinema 4D's panel runs outside, without Qt"


def test_maya_module(tmp_path):
    written = installer("maya").install("2025", str(tmp_path), runner=Recorder())
    mod = (tmp_path / "modules" / "rv_dcc_2025.mod").read_text()
    payload = tmp_path / "modules" / "rv_dcc" / "2025"
    assert mod.splitlines()[0] == f"+ MAYAVERSION:2025 rv_dcc 0.1.0 {payload}"
    assert "PYTHONPATH+:=site-packages" in mod
    assert (payload / "scripts" / "userSetup.py").is_file()
    site = payload / "site-packages"
    assert (site / "rv_dcc" / "__init__.py").is_file() and (site / "rv_dcc_hosts" / "maya" / "entry.py").is_file()
    assert not (site / "rv_dcc_hosts" / "houdini").exists(), "only this host's adapter is installed"
    assert str(tmp_path / "modules" / "rv_dcc_2025.mod") in written
    removed = installer("maya").install("2025", str(tmp_path), uninstall=True)
    assert set(removed) == set(written)
    assert _tree(tmp_path) == ["modules"]


def test_houdini_package(tmp_path):
    written = installer("houdini").install("20.5", str(tmp_path), runner=Recorder())
    package = json.loads((tmp_path / "packages" / "rv_dcc.json").read_text())
    payload = (tmp_path / "rv_dcc" / "20.5").as_posix()
    assert package["path"] == payload
    assert {"PYTHONPATH": {"value": payload + "/site-packages", "method": "prepend"}} in package["env"]
    shelf = (tmp_path / "rv_dcc" / "20.5" / "toolbar" / "rv_dcc.shelf").read_text()
    assert "rv_dcc_hosts.houdini import entry" in shelf
    installer("houdini").install("20.5", str(tmp_path), uninstall=True)
    assert _tree(tmp_path) == ["packages"]
    assert written


def test_max_startup_script(tmp_path):
    installer("max").install("2025", str(tmp_path), runner=Recorder())
    script = (tmp_path / "startup" / "rv_dcc_startup.ms").read_text()
    assert str(tmp_path / "rv_dcc" / "2025" / "site-packages") in script
    assert "#cuiRegisterMenus" in script and "menuMan" in script and "macroScript RvDccOpenPanel" in script
    installer("max").install("2025", str(tmp_path), uninstall=True)
    assert _tree(tmp_path) == ["startup"]


def test_c4d_plugin_folder(tmp_path):
    installer("c4d").install("2025", str(tmp_path), deps=False)
    plugin = tmp_path / "rv_dcc"
    assert (plugin / "rv_dcc.pyp").is_file()
    assert (plugin / "panel_python.txt").read_text().strip() == sys.executable, "the panel's Python"
    assert (plugin / "site-packages" / "rv_dcc_hosts" / "c4d" / "adapter.py").is_file()
    installer("c4d").install("2025", str(tmp_path), uninstall=True)
    assert _tree(tmp_path) == []


def test_unknown_version_and_uninstall_of_nothing(tmp_path):
    with pytest.raises(InstallError, match="2022"):
        installer("maya").install("2022", str(tmp_path), deps=False)
    assert installer("houdini").install("21", str(tmp_path), uninstall=True) == []


def test_pip_failure_is_explained(tmp_path):
    def failing(argv, **kwargs):
        return type("Done", (), {"returncode": 1, "stdout": b"ERROR: No matching distribution found for pydantic"})()
    with pytest.raises(InstallError, match="No matching distribution") as caught:
        installer("maya").install("2024", str(tmp_path), runner=failing)
    assert "--no-deps" in str(caught.value)


def test_uninstalling_twice_succeeds_and_says_nothing_was_installed(tmp_path, capsys):
    from rv_dcc.cli import main

    prefix = tmp_path / "maya"
    installer("maya").install("2025", str(prefix), deps=False)
    assert main(["install", "maya", "--version", "2025", "--prefix", str(prefix), "--uninstall"]) == 0
    assert "removed " in capsys.readouterr().out
    assert not (prefix / "modules" / "rv_dcc").exists()
    assert main(["install", "maya", "--version", "2025", "--prefix", str(prefix), "--uninstall"]) == 0
    captured = capsys.readouterr()
    assert "nothing of rv_dcc was installed for maya 2025 in %s; nothing removed" % prefix in captured.out, captured
    assert "removed " not in captured.out.replace("nothing removed", "") and captured.err == ""


@pytest.mark.parametrize("dcc, version", [("maya", "2025"), ("max", "2025"), ("houdini", "19.5"), ("c4d", "2025")])
def test_the_panel_icons_are_installed_where_the_installed_rv_dcc_finds_them(tmp_path, dcc, version):
    import subprocess

    written = installer(dcc).install(version, str(tmp_path), deps=False)
    site = next(Path(p) for p in written if p.endswith("site-packages"))
    icons = Path(__file__).resolve().parents[3] / "resources" / "icons"
    expected = sorted(p.name for p in icons.glob("*.svg"))
    assert expected and sorted(p.name for p in (site / "rv_dcc" / "resources" / "icons").glob("*.svg")) == expected
    # the installed copy, run on its own, locates them (rv_dcc.locate is what finds data files)
    proc = subprocess.run([sys.executable, "-I", "-c", "import sys; sys.path.insert(0, sys.argv[1]); "
                           "from rv_dcc.locate import resource_dir; print(resource_dir('icons'))", str(site)],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60, check=True)
    assert proc.stdout.decode().strip() == str(site / "rv_dcc" / "resources" / "icons")


@pytest.mark.parametrize("dcc, where", [("maya", "shelf"), ("max", "Render Farm"), ("houdini", "shelf"),
                                        ("c4d", "Extensions > Render Farm")])
def test_every_host_says_what_the_artist_does_next(dcc, where):
    from rv_dcc.install import next_step

    text = next_step(dcc)
    assert text.startswith("Restart ") and where in text and "--prefix" in text


def test_the_houdini_shelf_joins_the_default_shelf_set(tmp_path):
    import xml.etree.ElementTree as ET

    installer("houdini").install("20.5", str(tmp_path), deps=False)
    doc = ET.parse(tmp_path / "rv_dcc" / "20.5" / "toolbar" / "rv_dcc.shelf").getroot()
    edit = doc.find("shelfSetEdit")
    # Houdini's default shelf set is shelf_set_1 of $HFS/houdini/toolbar/ShelfDefinitions.shelf
    assert edit is not None and edit.get("name") == "shelf_set_1"
    assert edit.get("fileLocation") == "$HFS/houdini/toolbar/ShelfDefinitions.shelf"
    member = edit.find("addMemberToolshelf")
    shelf = doc.find("toolshelf")
    assert member is not None and shelf is not None and member.get("name") == shelf.get("name") == "rv_dcc"


@pytest.mark.parametrize("dcc, version", [("maya", "2025"), ("max", "2025"), ("houdini", "19.5"), ("c4d", "2025")])
def test_rv_dcc_install_prints_the_next_step_for_every_host(tmp_path, capsys, dcc, version):
    from rv_dcc.cli import main
    from rv_dcc.install import next_step

    assert main(["install", dcc, "--version", version, "--prefix", str(tmp_path), "--no-deps"]) == 0
    out = capsys.readouterr().out
    assert next_step(dcc) and out.rstrip().endswith(next_step(dcc).rstrip())
