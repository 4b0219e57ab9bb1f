"""One rule for the language (rv_dcc.i18n.language), the same for the CLI, the panel and the hosts,
and the catalogs' behaviour at run time: fallbacks, Phrases, an installed copy of the package."""
import copy
import json
import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from rv_dcc import i18n
from rv_dcc.i18n.language import detect, supported

ROOT = Path(__file__).resolve().parents[2]
ENV_NAMES = ("RV_DCC_LANG", "RV_DCC_HOST_LANGUAGE", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")


@pytest.fixture
def clean(monkeypatch):
    """No language in the environment, no explicit choice, no host: restored afterwards."""
    for name in ENV_NAMES:
        monkeypatch.delenv(name, raising=False)
    i18n.set_language(None)
    i18n.set_host_language(None)
    yield monkeypatch
    i18n.set_language(None)
    i18n.set_host_language(None)


@pytest.mark.parametrize("environ, host, expected", [
    ({}, None, "en"),
    ({"LANG": "zh_CN.UTF-8"}, None, "zh_CN"),
    ({"LANG": "C.UTF-8", "LC_MESSAGES": "zh_CN.UTF-8"}, None, "zh_CN"),  # the case of issue 17
    ({"LC_ALL": "en_US.UTF-8", "LANG": "zh_CN.UTF-8"}, None, "en"),      # LC_ALL before LANG
    ({"LANGUAGE": "zh_CN:en", "LC_ALL": "en_US.UTF-8"}, None, "zh_CN"),  # LANGUAGE first, a list
    ({"LANGUAGE": "fr:zh_TW", "LANG": "en_US"}, None, "zh_CN"),          # the first of the list we have
    ({"LC_MESSAGES": "fr_FR.UTF-8", "LANG": "zh_CN.UTF-8"}, None, "en"),  # a language without a catalog
    ({"LANG": "C"}, "zh_HANS", "zh_CN"),                                # C names no language: the host's
    ({"LANG": "POSIX"}, None, "en"),
    ({"LANG": "en_US.UTF-8"}, "zh_CN", "en"),                           # the environment before the host
    ({}, "CHS", "zh_CN"),
    ({"RV_DCC_HOST_LANGUAGE": "zh_CN"}, None, "zh_CN"),                  # a panel a host started
    ({"RV_DCC_LANG": "zh_CN", "LANG": "C"}, None, "zh_CN"),              # the explicit setting first
    ({"RV_DCC_LANG": "en", "LANG": "zh_CN.UTF-8"}, "zh_CN", "en"),
])
def test_the_rule(environ, host, expected):
    assert detect(environ, host) == expected


@pytest.mark.parametrize("name, expected", [("zh_CN.UTF-8", "zh_CN"), ("zh-Hans-CN", "zh_CN"), ("zh_HANT", "zh_CN"),
                                            ("en_GB@euro", "en"), ("C.UTF-8", "C"), ("", None), ("de_DE", None)])
def test_locale_names(name, expected):
    assert supported(name) == expected


def test_panel_and_cli_agree_under_lang_c_and_lc_messages_chinese(clean):
    """Issue 17: with LANG=C.UTF-8 LC_MESSAGES=zh_CN.UTF-8 the panel was English and the CLI Chinese."""
    from rv_dcc.submit import messages
    from rv_dcc.ui import i18n as ui_i18n

    clean.setenv("LANG", "C.UTF-8")
    clean.setenv("LC_MESSAGES", "zh_CN.UTF-8")
    i18n.refresh()  # as a new process would (test_the_same_in_a_fresh_process)
    assert ui_i18n.language() == messages.cli_language() == "zh_CN"
    assert ui_i18n.tr("tab.monitor") == "监控"
    clean.setenv("LC_MESSAGES", "en_US.UTF-8")
    assert messages.cli_language() == ui_i18n.language() == "en"  # the CLI reads the environment afresh


def test_the_same_in_a_fresh_process():
    """Nothing but the environment decides in a new process: the CLI's report and the panel's words."""
    code = ("from rv_dcc.ui.i18n import tr\n"
            "from rv_dcc.submit.report import issue_lines\n"
            "print(tr('tab.submit')); print(issue_lines([])[0])\n")
    env = {k: v for k, v in os.environ.items() if k not in ENV_NAMES}
    env.update(LANG="C.UTF-8", LC_MESSAGES="zh_CN.UTF-8", PYTHONPATH=str(ROOT), PYTHONIOENCODING="utf-8")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True,
                         encoding="utf-8").stdout.splitlines()
    assert out == ["提交", "Checks      全部通过"]


def test_an_explicit_choice_beats_the_environment_until_cleared(clean):
    clean.setenv("LANG", "zh_CN.UTF-8")
    assert i18n.set_language("en") == "en" and i18n.text("tab.monitor") == "Monitor"
    assert i18n.set_language("zh") == "zh_CN"  # any zh* is the Simplified Chinese catalog
    assert i18n.set_language("fr") == "en"     # no French catalog
    assert i18n.set_language("auto") == "zh_CN"  # back to the rule


def test_the_host_language_counts_only_without_one_in_the_environment(clean):
    i18n.set_host_language("zh_HANS")  # Blender's name for Simplified Chinese (bpy.app.translations.locale)
    assert i18n.language() == "zh_CN"
    clean.setenv("LANG", "en_US.UTF-8")
    assert i18n.language() == "zh_CN"  # the rule's answer is kept (a lookup must be cheap) ...
    assert i18n.refresh() == "en" and i18n.language() == "en"  # ... until asked again


def test_status_texts_and_counts_through_the_panel_wrappers(clean):
    from rv_dcc.ui import i18n as ui_i18n

    ui_i18n.set_language("zh_CN")
    assert ui_i18n.task_status_text(5) == "渲染中" and ui_i18n.task_status_text(999) == "状态 999"
    assert ui_i18n.count("machines", 3) == "3 台机器"
    ui_i18n.set_language("en")
    assert ui_i18n.count("machines", 1) == "1 machine" and ui_i18n.frame_status_text(4) == "Done"
    assert ui_i18n.tr("confirm.stop", n=2).startswith("Stop 2 tasks?")  # tr with n picks the plural form


def test_a_phrase_is_english_text_that_translates_later():
    reason = i18n.phrase("asset.no_match", pattern="wood.<UDIM>.exr", folder="/tex")
    assert reason == "no file matches 'wood.<UDIM>.exr' in /tex"
    assert json.loads(json.dumps({"reason": reason})) == {"reason": str(reason)}  # journals and --json keep English
    for copied in (pickle.loads(pickle.dumps(reason)), copy.deepcopy(reason)):
        assert isinstance(copied, i18n.Phrase) and copied == reason and copied.key == "asset.no_match"
    assert reason.localized("zh_CN") == "在 /tex 中没有与 'wood.<UDIM>.exr' 匹配的文件"
    # a Phrase inside another message is translated with it
    assert i18n.text("banner.action_failed", "zh_CN", action="下载", error=reason).endswith(
        "在 /tex 中没有与 'wood.<UDIM>.exr' 匹配的文件")


def test_missing_keys_and_broken_templates_fall_back(tmp_path, monkeypatch):
    pytest.importorskip("babel")  # compiles the test's own catalogs
    from rv_dcc.i18n import build

    header = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=utf-8\\n"\n"Plural-Forms: {}\\n"\n\n'
    (tmp_path / "en.po").write_text(header.format("nplurals=2; plural=(n != 1);")
                                    + 'msgid "a"\nmsgstr "A {x}"\n\nmsgid "b"\nmsgstr "B"\n', encoding="utf-8")
    (tmp_path / "zh_CN.po").write_text(header.format("nplurals=1; plural=0;")
                                       + 'msgid "a"\nmsgstr "甲 {y}"\n', encoding="utf-8")
    for po in build.sources(tmp_path):
        po.with_suffix(".mo").write_bytes(build.compiled(po))
    monkeypatch.setattr(i18n, "CATALOG_DIR", tmp_path)
    i18n.reload()
    try:
        assert i18n.text("b", "zh_CN") == "B"              # no Chinese: English
        assert i18n.text("a", "zh_CN", x=1) == "A 1"       # a Chinese template out of step: English
        assert i18n.text("c", "zh_CN") == "c"              # unknown everywhere: the key, never a crash
        assert i18n.lookup("b", "zh_CN") is None and i18n.lookup("a", "zh_CN") == "甲 {y}"
    finally:
        monkeypatch.undo()
        i18n.reload()
    assert i18n.text("tab.submit", "zh_CN") == "提交"


def test_the_catalog_module_needs_only_the_standard_library():
    """Hosts run it in their own Python (mayapy, hython, Blender): no third-party import at run time."""
    import ast

    for name in ("__init__.py", "language.py"):
        tree = ast.parse((ROOT / "rv_dcc" / "i18n" / name).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                assert node.module.split(".")[0] in ("typing", "pathlib", "rv_dcc") and (
                    not node.module.startswith("rv_dcc") or node.module.startswith("rv_dcc.i18n")), node.module
            elif isinstance(node, ast.Import):
                assert all(a.name in ("gettext", "logging", "threading", "os", "re") for a in node.names)


def test_the_catalogs_travel_with_a_host_install(tmp_path):
    """rv-dcc install copies the package into a host's folder (Maya, Max, Houdini, C4D) or packs it
    for Blender: the compiled catalogs go along and work from there with nothing else on the path."""
    from rv_dcc.install import _hostpkg
    from rv_dcc.install.blender import _package_files, _source_dirs

    site = tmp_path / "site"
    _hostpkg.copy_packages("maya", site)
    assert (site / "rv_dcc" / "i18n" / "zh_CN.mo").is_file()
    code = ("import sys; sys.path.insert(0, sys.argv[1]); from rv_dcc import i18n; "
            "print(i18n.text('tab.monitor', 'zh_CN'), i18n.__file__.startswith(sys.argv[1]))")
    out = subprocess.run([sys.executable, "-I", "-c", code, str(site)], capture_output=True, text=True,
                         check=True, encoding="utf-8").stdout.split()
    assert out == ["监控", "True"]
    core, hosts, _resources = _source_dirs()
    packed = {arc for _path, arc in _package_files(core, hosts)}
    assert {"rv_dcc/i18n/en.mo", "rv_dcc/i18n/zh_CN.mo"} <= packed
