"""Check messages in Simplified Chinese: every key translated, every template filled with real parameters.

The translations are entries of rv_dcc/i18n/zh_CN.po with context "check title" / "check hint".

The real parameters come from the checks themselves: the whole of test_submit_checks.py is run
once in-process while every issue the checks produce is recorded (run_checks passes each through
checks.apply_farm_severity, which is wrapped), then each recorded issue is localized.
"""
import ast
import re
from pathlib import Path
from typing import Any, Dict, List, Set

import pytest

from rv_dcc.submit import checks as checks_mod
from rv_dcc import i18n
from rv_dcc.submit import messages
from rv_dcc.submit.checks import Issue
from rv_dcc.submit.options import SubmitOptions
from rv_dcc.submit.report import issue_lines

from submit_helpers import catalog_for, make_desc, synthetic_scan

HERE = Path(__file__).resolve().parent
SOURCES = [Path(checks_mod.__file__), Path(checks_mod.__file__).with_name("checks_farm.py")]
CJK = re.compile(r"[\u4e00-\u9fff]")


def _strings(node: ast.AST) -> List[str]:
    """String constants of an expression in source order."""
    found = [n for n in ast.walk(node) if isinstance(n, ast.Constant) and isinstance(n.value, str)]
    return [n.value for n in sorted(found, key=lambda n: (n.lineno, n.col_offset))]


#: key prefixes completed with the host name, and the hosts that get their own message.
HOST_KEYS = {"output.none.": checks_mod._OUTPUT_HINTS, "output.overlap.": checks_mod._OVERLAP_HINTS}


def _possible_keys(call: ast.Call) -> Set[str]:
    """Every message key an Issue(...) call can produce: its key= expression's variants, else its code."""
    key = next((kw.value for kw in call.keywords if kw.arg == "key"), None)
    if key is None:
        code = call.args[0]
        return {code.value} if isinstance(code, ast.Constant) else set()
    parts = _strings(key)
    # key expressions are literal, or a base plus optional suffixes ("a" + (".b" if x else "") + ...)
    bases = [p for p in parts if p and not p.startswith(".") and "." in p]
    suffixes = [p for p in parts if p.startswith(".")]
    for prefix, hosts in HOST_KEYS.items():
        if prefix in bases:
            bases = [b for b in bases if b != prefix] + [prefix + host for host in hosts]
    found = set(bases)
    for base in bases:
        current = {base}
        for suffix in suffixes:
            current |= {c + suffix for c in current}
        found |= current
    return found


def source_keys() -> Dict[str, Set[str]]:
    """code -> the message keys its Issue(...) calls may carry, read from the checks' source."""
    keys: Dict[str, Set[str]] = {}
    for path in SOURCES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") in ("Issue", "_spec_issue") and node.args:
                code = node.args[0].value if isinstance(node.args[0], ast.Constant) else "?"
                keys.setdefault(code, set()).update(_possible_keys(node))
    return keys


@pytest.fixture(scope="module")
def recorded() -> List[Issue]:
    """Every issue the checks produce while test_submit_checks.py runs."""
    seen: List[Issue] = []
    original = checks_mod.apply_farm_severity

    def recording(issue: Issue, catalog: Any) -> Issue:
        result = original(issue, catalog)
        if issue.title != "t":  # test_submit_checks' own hand-made issues ("t", "h") are not the checks'
            seen.append(result)
        return result

    class Recorder:
        def pytest_sessionstart(self, session: Any) -> None:
            checks_mod.apply_farm_severity = recording

        def pytest_sessionfinish(self, session: Any) -> None:
            checks_mod.apply_farm_severity = original

    code = pytest.main([str(HERE / "test_submit_checks.py"), "-q", "-p", "no:cacheprovider", "-p", "no:randomly"],
                       plugins=[Recorder()])
    checks_mod.apply_farm_severity = original
    assert code == 0
    # A few the one-by-one tests do not reach through run_checks.
    desc = make_desc("maya", frame_start=1, frame_end=400)
    seen.extend(checks_mod.run_checks(desc, SubmitOptions(), catalog_for("maya"), synthetic_scan(desc)))
    return seen


def test_every_key_in_the_checks_has_a_chinese_entry() -> None:
    keys = source_keys()
    assert len(keys) >= 35  # the AST walk really found the checks
    all_keys = set().union(*keys.values())
    missing = sorted(k for k in all_keys if i18n.lookup(k, messages.ZH_CN, messages.TITLE) is None)
    assert missing == []
    unused = sorted(set(_catalog_check_keys()) - all_keys)
    assert unused == []  # no stale entries either


def _catalog_check_keys() -> List[str]:
    """The keys with a "check title" entry in the Chinese catalog."""
    found = i18n.keys(context=messages.TITLE, lang=messages.ZH_CN)
    assert "scene.missing" in found and "app.title" not in found
    return found


def test_every_recorded_issue_formats_in_chinese_with_its_real_parameters(recorded: List[Issue]) -> None:
    keys = {issue.message_key for issue in recorded}
    assert len(keys) >= 40, sorted(keys)  # the run covered most messages
    for issue in recorded:
        found = messages.translate(issue.message_key, issue.params, messages.ZH_CN)  # raises on a bad template
        assert found is not None, issue.message_key
        title, hint = found
        assert CJK.search(title) and CJK.search(hint), (issue.message_key, title, hint)
        assert "{" not in title.replace("{UDIM}", "") and "}" not in hint.replace("<UDIM>", ""), issue.message_key
        for name in ("path", "node", "plugin", "names", "layer", "chosen"):
            value = issue.params.get(name)
            if isinstance(value, str) and value and value in issue.title + issue.hint:
                assert value in title + hint, (issue.message_key, name, value)  # kept untranslated
        assert messages.localize(issue, "en") == (issue.title, issue.hint)  # English is the checks' own text


def test_layer_words_and_phrases_are_chinese(recorded: List[Issue]) -> None:
    issue = next(i for i in recorded if i.message_key == "frames.bad_layer_spec")
    title, _hint = messages.localize(issue, messages.ZH_CN)
    assert messages.layer_word(issue.params["host"], messages.ZH_CN) in title and issue.params["layer"] in title
    assert messages.layer_word(issue.params["host"], messages.ZH_CN) != messages.layer_word("unknown", messages.ZH_CN)
    none = i18n.phrase("value.none")
    assert none == "none" and i18n.localized(none, messages.ZH_CN) == "无"
    folder = i18n.phrase("asset.no_folder", folder="/a/b")
    assert folder == "folder /a/b does not exist" and folder.localized(messages.ZH_CN) == "文件夹 /a/b 不存在"
    assert i18n.localized("D:/tex/wood.jpg", messages.ZH_CN) == "D:/tex/wood.jpg"  # plain values stay


def test_a_template_out_of_step_falls_back_to_english(monkeypatch: pytest.MonkeyPatch) -> None:
    issue = Issue("scene.missing", "error", "The scene file does not exist: /x.ma", "Save again.", params={})
    assert messages.localize(issue, messages.ZH_CN) == (issue.title, issue.hint)  # {path} not given
    unknown = Issue("new.check", "info", "Title", "Hint")
    assert messages.localize(unknown, messages.ZH_CN) == ("Title", "Hint")


def test_cli_language_from_the_environment() -> None:
    assert messages.cli_language({"LANG": "zh_CN.UTF-8"}) == "zh_CN"
    assert messages.cli_language({"LC_ALL": "en_US.UTF-8", "LANG": "zh_CN.UTF-8"}) == "en"
    assert messages.cli_language({"RV_DCC_LANG": "zh_CN", "LANG": "C"}) == "zh_CN"
    assert messages.cli_language({"LANG": "C.UTF-8", "LC_MESSAGES": "zh_CN.UTF-8"}) == "zh_CN"
    assert messages.cli_language({}) == "en"


def test_phrases_from_the_scene_and_catalog_are_translated_inside_their_message(recorded: List[Issue]) -> None:
    """A missing file's reason and a machine's refusal were English phrases matched by regular
    expressions; they are now Phrases (key + values) that the check's template translates whole."""
    with_phrases = [(issue, name, value) for issue in recorded for name, value in issue.params.items()
                    if isinstance(value, i18n.Phrase)]
    assert len({issue.message_key for issue, _n, _v in with_phrases}) >= 3, with_phrases  # reasons, refusals, none
    for issue, name, value in with_phrases:
        assert str(value) in issue.title + issue.hint, (issue.message_key, name)  # English: the check's own text
        title, hint = messages.localize(issue, messages.ZH_CN)
        assert value.localized(messages.ZH_CN) in title + hint, (issue.message_key, name, title, hint)
        if value.localized(messages.ZH_CN) != str(value):
            assert str(value) not in title + hint, (issue.message_key, name, title, hint)
