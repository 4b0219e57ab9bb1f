"""The 3ds Max start-up script filled with real Windows install paths, read with MAXScript's rules.

A path reaches 3ds Max through a MAXScript string literal. In a regular literal "\\r", "\\t",
"\\n" ... are escapes (maxscript.py follows MAXScript Help, "String Literals"), so the default
folder ...\\scripts\\rv_dcc\\2025\\site-packages would arrive with a carriage return in it. These
tests fill the template the way ``rv-dcc install max`` does and decode every literal as 3ds Max
would: the folder must arrive byte for byte, and every python.Execute string must be valid Python.
"""
import ast
from pathlib import Path

import pytest

from maxscript import string_literals
from rv_dcc.install import InstallError
from rv_dcc.install import max as max_install

TEMPLATE = Path(__file__).resolve().parents[3] / "resources" / "max" / "rv_dcc_startup.ms"

WINDOWS_PATHS = [
    # the default: %LOCALAPPDATA%\Autodesk\3dsMax\<year> - 64bit\ENU\scripts\rv_dcc\<year>\site-packages
    r"C:\Users\rita\AppData\Local\Autodesk\3dsMax\2025 - 64bit\ENU\scripts\rv_dcc\2025\site-packages",
    r"D:\tools\new\x64\rv_dcc\2024\site-packages",  # \t \n \x6 \r: four escapes in a regular literal
    r"C:\Users\O'Brien\Documents\rv 100%\rv_dcc\2026\site-packages",  # quote and percent
    r"\\studio-nas\pipeline\3dsmax\?\*\rv_dcc\2023\site-packages",  # UNC, \? and \* escapes
]


def _filled(site_dir: str) -> str:
    return TEMPLATE.read_text(encoding="utf-8").replace("@SITE_DIR@", max_install.verbatim_path(site_dir))


def test_the_regular_literal_rules_are_modelled():
    # the documented examples: \" \n and the "scene_path" example; a lone \d stays a backslash
    assert string_literals(r'print "foo \"foo\" line: \n"') == ['foo "foo" line: \n']
    assert string_literals(r'x = "g:\\3dsmax25\\scenes"') == ["g:\\3dsmax25\\scenes"]
    assert string_literals('s = "Copyright \\xa9 1997"') == ["Copyright \u00a9 1997"]
    assert string_literals(r'"C:\rv_dcc\2025\tools"') == ["C:\rv_dcc\\2025\tools"], "what the old script got"
    assert string_literals(r'x = @"C:\rv_dcc\2025\tools" -- "not a literal"') == [r"C:\rv_dcc\2025\tools"]


@pytest.mark.parametrize("site_dir", WINDOWS_PATHS)
def test_the_install_folder_arrives_exactly(site_dir):
    literals = string_literals(_filled(site_dir))
    assert site_dir in literals, "the folder is read back byte for byte"
    assert not any(site_dir in lit and lit != site_dir for lit in literals), "no literal embeds the folder"


@pytest.mark.parametrize("site_dir", WINDOWS_PATHS)
def test_every_python_execute_string_is_valid_python(site_dir):
    script = _filled(site_dir)
    python_sources = [lit for lit in string_literals(script) if "import " in lit]
    assert len(python_sources) == 2, "the sys.path setup and the macroscript"
    for source in python_sources:
        ast.parse(source)  # raises SyntaxError as python.Execute would fail
    assert "rv_dcc_site_dir" in python_sources[0], "Python reads the folder from the MAXScript global"


def test_a_path_that_no_maxscript_string_can_hold_is_refused():
    with pytest.raises(InstallError, match="--prefix"):
        max_install.verbatim_path('C:\\odd"name\\site-packages')
    with pytest.raises(InstallError):
        max_install.verbatim_path("C:\\new\nline")


def test_2025_menu_is_rebuilt_after_registering_and_legacy_menu_kept():
    script = _filled(WINDOWS_PATHS[0])
    modern, legacy = script.split("if (maxVersion())[1] >= 27000 then", 1)[1].split("\nelse\n", 1)
    register = modern.index("callbacks.addScript #cuiRegisterMenus rv_dcc_register_menu")
    reload = modern.index("LoadConfiguration (cuiMenuMgr.GetCurrentConfiguration())")
    assert register < reload, "the callback exists before the menus are built again"
    assert "maxOps.GetICuiMenuMgr()" in modern
    assert "menuMan.createActionItem \"RvDccOpenPanel\" \"rv_dcc\"" in legacy and "menuMan.updateMenuBar()" in legacy
