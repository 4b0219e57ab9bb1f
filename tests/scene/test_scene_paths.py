"""Path strings: server paths (task_files.md §4), Windows paths handled on any OS, path problems."""
import pytest

from rv_dcc.scene.paths import (MAX_PATH_LENGTH, has_variable, is_relative, is_unc, is_windows_path, path_problem,
                                to_server_path, to_slash)


@pytest.mark.parametrize("local, server", [
    ("D:\\a\\b.jpg", "/D/a/b.jpg"),
    ("\\\\nas\\share\\x", "/nas/share/x"),
    ("/abs/x", "/abs/x"),
    ("d:/proj/tex/wood.jpg", "/D/proj/tex/wood.jpg"),
    ("C:\\proj\\\\tex\\a.exr", "/C/proj/tex/a.exr"),
    ("//nas/share/x", "/nas/share/x"),
    ("E:\\项目\\纹理\\木头.png", "/E/项目/纹理/木头.png"),
    ("/mnt/proj/tex.<UDIM>.exr", "/mnt/proj/tex.<UDIM>.exr"),
])
def test_to_server_path(local, server):
    assert to_server_path(local) == server


@pytest.mark.parametrize("relative", ["tex/a.png", "a.png", "C:a.png", "\\a\\b.png", "$HIP/tex/a.png", ""])
def test_relative_paths_have_no_server_path(relative):
    with pytest.raises(ValueError, match="relative"):
        to_server_path(relative)


def test_to_slash():
    assert to_slash("D:\\a\\b.jpg") == "D:/a/b.jpg"
    assert to_slash("/a/b") == "/a/b"


@pytest.mark.parametrize("path, windows, unc", [
    ("D:\\a", True, False), ("d:/a", True, False), ("\\\\nas\\s\\x", True, True), ("//nas/s/x", False, True),
    ("/abs/x", False, False), ("rel\\x", True, False), ("rel/x", False, False), ("///x", False, False),
])
def test_path_kinds(path, windows, unc):
    assert is_windows_path(path) is windows
    assert is_unc(path) is unc


@pytest.mark.parametrize("path, host, relative", [
    ("D:\\a\\b.jpg", None, False), ("D:\\a\\b.jpg", "linux", False), ("/abs/x", None, False),
    ("/abs/x", "windows", True),  # drive-relative on Windows
    ("/abs/x", "3dsmax", True),  # 3ds Max only runs on Windows
    ("/abs/x", "maya", False), ("tex/a.png", "maya", True), ("//tex/a.png", "blender", True),
    ("//nas/share/a.png", "maya", False), ("\\\\nas\\share\\a", "windows", False), ("C:a.png", None, True),
    ("$HIP/tex/a.png", "houdini", True), ("${JOB}/a.png", None, True), ("%USERPROFILE%\\a.png", None, True),
    ("", None, True),
])
def test_is_relative(path, host, relative):
    assert is_relative(path, host) is relative


def test_variables_versus_tokens():
    assert has_variable("$HIP/a.png") and has_variable("${JOB}/a") and has_variable("%TEMP%\\a")
    assert not has_variable("/a/$F4.png") and not has_variable("$F4.bgeo")


@pytest.mark.parametrize("path, words", [
    ("", "empty"),
    ("tex/a.png", "relative"),
    ("$HIP/a.png", "variable"),
    ("\\\\nas\\share\\a.png", "network share"),
    ("D:\\" + "x" * MAX_PATH_LENGTH, "over the farm's limit of 256"),
    ("D:\\tex\\a\tb.png", "control characters"),
    ("D:\\tex\\what?.png", "?"),
    ("D:\\tex\\a:b.png", ":"),
    ("D:\\tex\\a|b.png", "|"),
])
def test_path_problem_reports(path, words):
    problem = path_problem(path)
    assert problem is not None and words in problem


@pytest.mark.parametrize("path", [
    "D:\\tex\\wood.<UDIM>.exr", "D:\\tex\\wood.####.exr", "/proj/sim.$F4.bgeo", "/proj/what?.png",
    "E:\\项目\\木头.png", "D:\\" + "x" * (MAX_PATH_LENGTH - 3), "/proj/a_<UVTILE>.tif",
])
def test_path_problem_accepts(path):
    assert path_problem(path) is None
