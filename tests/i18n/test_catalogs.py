"""The catalogs against the code: every key the code uses is in the catalog, every key has a Chinese
text with the same placeholders, the compiled .mo are those of the .po, and no visible literal
bypasses the catalog.

The code is read, not run: an AST walk finds the keys given as literals to the catalog's
functions (tr, trn, text, ntext, phrase, N_, count) and the key-shaped string constants of the
panel and the hosts (table entries such as ACTIONS' labels), then compares them with en.po.
"""
import ast
import re
import string
from pathlib import Path
from typing import Dict, Iterator, List, Set, Tuple

import pytest

babel_pofile = pytest.importorskip("babel.messages.pofile")

from rv_dcc import i18n  # noqa: E402
from rv_dcc.i18n import build  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
SOURCES = [p for top in ("rv_dcc", "hosts") for p in sorted((ROOT / top).rglob("*.py"))]
#: functions whose first argument is a catalog key
KEY_FUNCTIONS = {"tr", "trn", "text", "ntext", "phrase", "N_"}
#: key families built at run time from a code (tr(f"task_status.{code}")); each is checked as a whole
DYNAMIC_FAMILIES = ("task_status.", "frame_status.", "count.", "submit.severity.", "stage.", "priority.", "fix.focus.",
                    "monitor.rate.")


def _read(name: str):
    with open(i18n.CATALOG_DIR / name, "rb") as handle:
        return babel_pofile.read_po(handle, locale=name[:-3])


@pytest.fixture(scope="module")
def english():
    return {m.id if isinstance(m.id, str) else m.id[0]: m for m in _read("en.po") if m.id and not m.context}


@pytest.fixture(scope="module")
def chinese():
    return {(m.context, m.id if isinstance(m.id, str) else m.id[0]): m for m in _read("zh_CN.po") if m.id}


#: names common enough to mean something else where the catalog's are not imported
_AMBIGUOUS = {"text", "ntext"}


def _calls() -> Iterator[Tuple[Path, ast.Call, str]]:
    for path in SOURCES:
        source = path.read_text(encoding="utf-8")
        imported = set(re.findall(r"\b(\w+)\b", " ".join(re.findall(r"from rv_dcc\.i18n import ([^\n]*)", source))))
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.Call):
                if isinstance(node.func, ast.Attribute):
                    name = node.func.attr
                    owner = getattr(node.func.value, "id", "")
                    if name in _AMBIGUOUS and owner not in ("i18n", "_catalogs"):
                        name = ""
                else:
                    name = getattr(node.func, "id", "")
                    if name in _AMBIGUOUS and name not in imported:
                        name = ""
                yield path, node, name


def used_keys() -> Dict[str, str]:
    """key -> where: literal keys given to the catalog's functions, and count(NOUN, n)'s count.NOUN."""
    found: Dict[str, str] = {}
    for path, node, name in _calls():
        if not node.args or not isinstance(node.args[0], ast.Constant) or not isinstance(node.args[0].value, str):
            continue
        where = f"{path.relative_to(ROOT)}:{node.lineno}"
        if name in KEY_FUNCTIONS:
            found[node.args[0].value] = where
        elif name == "count":
            found["count." + node.args[0].value] = where
    return found


def key_shaped_constants(namespaces: Set[str]) -> Dict[str, str]:
    """String constants in rv_dcc/ui and hosts shaped like a key of a namespace the catalog has."""
    shape = re.compile(r"^([a-z_]+)\.[a-z0-9_.]*[a-z0-9_]$")
    found: Dict[str, str] = {}
    for path in SOURCES:
        if "ui" not in path.parts and "hosts" not in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                match = shape.match(node.value)
                if match and match.group(1) in namespaces:
                    found[node.value] = f"{path.relative_to(ROOT)}:{node.lineno}"
    return found


def test_the_compiled_catalogs_are_those_of_the_sources() -> None:
    assert build.sources(), "no .po in rv_dcc/i18n"
    assert build.stale() == [], "run: python -m rv_dcc.i18n.build"


def test_every_key_the_code_uses_is_in_the_catalog(english) -> None:
    used = used_keys()
    assert len(used) > 150  # the walk really found the call sites
    missing = sorted(f"{key}  ({where})" for key, where in used.items() if key not in english)
    assert missing == [], "add these to rv_dcc/i18n/en.po and zh_CN.po (docs/I18N.md)"


def test_every_key_in_a_table_is_in_the_catalog(english) -> None:
    namespaces = {key.split(".")[0] for key in english}
    shaped = key_shaped_constants(namespaces)
    assert "action.priority" in shaped and "err.timeout" in shaped  # tables of the monitor and error text
    missing = sorted(f"{key}  ({where})" for key, where in shaped.items()
                     if key not in english and not key.startswith(DYNAMIC_FAMILIES))
    assert missing == []


def test_every_catalog_key_is_used(english) -> None:
    """No stale entries: each key is named somewhere in the code or belongs to a family built at run time."""
    named: Set[str] = set()
    for path in SOURCES:
        named.update(re.findall(r"[\"']([a-z_]+\.[a-z0-9_.]+)[\"']", path.read_text(encoding="utf-8")))
    named.update(used_keys())
    stale = sorted(key for key in english if key not in named and not key.startswith(DYNAMIC_FAMILIES))
    assert stale == []


def _fields(text: str) -> Set[str]:
    return {name.split("!")[0].split(".")[0].split("[")[0] for _l, name, _f, _c in string.Formatter().parse(text)
            if name is not None}


def test_every_english_key_has_a_chinese_text_with_the_same_placeholders(english, chinese) -> None:
    problems: List[str] = []
    for key, message in english.items():
        found = chinese.get((None, key))
        texts = [found.string] if found is not None and isinstance(found.string, str) else list(
            getattr(found, "string", None) or [])
        if found is None or not all(texts) or found.fuzzy:
            problems.append(f"{key}: no Chinese text")
            continue
        if found.pluralizable != message.pluralizable:
            problems.append(f"{key}: plural in one language only")
            continue
        wanted = set().union(*(_fields(t) for t in (message.string if message.pluralizable else [message.string])))
        for text in texts:
            if _fields(text) - wanted:
                problems.append(f"{key}: {text!r} has placeholders English does not give ({sorted(wanted)})")
    assert problems == []
    extra = sorted(key for (context, key) in chinese if context is None and key not in english)
    assert extra == []  # a Chinese entry without its English is stale


def test_plural_forms_follow_each_language() -> None:
    assert i18n.text("count.frames", "en", n=1) == "1 frame"
    assert i18n.text("count.frames", "en", n=2) == "2 frames"
    assert i18n.text("count.frames", "zh_CN", n=2) == "2 帧"
    assert i18n.text("confirm.abandon", "en", n=1).startswith("Abandon 1 task?")
    assert i18n.text("confirm.abandon", "en", n=3).startswith("Abandon 3 tasks?")
    assert i18n.ntext("report.count.warning", 2, "zh_CN") == "2 个警告"


VISIBLE_SETTERS = {"setText", "setWindowTitle", "setToolTip", "setPlaceholderText", "addItem", "addAction",
                   "setLabelText", "setTitle", "addTab", "setTabText", "setItemText", "setOkButtonText",
                   "setCancelButtonText", "showMessage", "setStatusTip", "QLabel", "QPushButton", "QCheckBox",
                   "QGroupBox", "QAction", "QToolButton", "QRadioButton"}
#: names that are the same in every language
PROPER_NOUNS = {"Windows", "Linux", "rv_dcc"}


def _visible_literals(node: ast.Call, name: str) -> List[ast.AST]:
    if name in VISIBLE_SETTERS:
        return list(node.args[:1])
    if name in ("label", "button"):  # rv_dcc.ui.widgets.label(text, role) / button(text, role); bpy's label(text=)
        return list(node.args[:1]) + [k.value for k in node.keywords if k.arg == "text"]
    if name == "report":  # bpy Operator.report(type, message)
        return list(node.args[1:2])
    if name == "progress":  # bpy UILayout.progress(text=)
        return [k.value for k in node.keywords if k.arg == "text"]
    return []


def _literals(node: ast.AST) -> Iterator[str]:
    """The string constants of an expression, not looking into calls (tr("key") is the catalog's),
    comparisons (``where == "keyring"``) or subscripts (``task["name"]``)."""
    if isinstance(node, (ast.Call, ast.Compare, ast.Subscript)):
        return
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        yield node.value
    for child in ast.iter_child_nodes(node):
        yield from _literals(child)


def test_no_visible_literal_bypasses_the_catalog() -> None:
    """Words put straight into a widget, a Blender label or a Blender report (markup and proper
    nouns aside) are a string the catalog does not know."""
    words = re.compile(r"[A-Za-z]{2,}")
    offenders: List[str] = []
    for path, node, name in _calls():
        if "ui" not in path.parts and "hosts" not in path.parts:
            continue
        for arg in _visible_literals(node, name):
            for value in _literals(arg):
                bare = re.sub(r"<[^>]*(>|$)|^[^<>]*>|&[a-z]+;", "", value)  # markup, also a tag cut by a placeholder
                if words.search(bare) and bare.strip() not in PROPER_NOUNS:
                    offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}: {value!r}")
    assert offenders == []


def test_entries_of_a_branch_from_before_the_catalogs_move_in(tmp_path) -> None:
    """A branch that still adds to the old dicts (rv_dcc/ui/i18n_text.py, rv_dcc/submit/messages_zh.py)
    merges by moving its new entries: python -m rv_dcc.i18n.build --merge-dicts FILE."""
    import shutil

    for po in build.sources():
        shutil.copy(po, tmp_path / po.name)
    old = tmp_path / "i18n_text.py"
    old.write_text('EN = {"tab.submit": "Submit", "example.balance": "Balance {amount}",\n'
                   '      "count.credits.one": "{n} credit", "count.credits.other": "{n} credits"}\n'
                   'ZH_CN = {"tab.submit": "提交", "example.balance": "余额 {amount}", "count.credits.other": "{n} 点"}\n'
                   'MESSAGES = {"scene.missing": ("x", "y"), "money.low": ("余额不足", "请充值。")}\n', encoding="utf-8")
    assert sorted(build.merge_dicts(old, tmp_path)) == ["count.credits", "example.balance", "money.low"]
    for po in build.sources(tmp_path):
        po.with_suffix(".mo").write_bytes(build.compiled(po))
    import gettext

    with open(tmp_path / "zh_CN.mo", "rb") as handle:
        zh = gettext.GNUTranslations(handle)
    with open(tmp_path / "en.mo", "rb") as handle:
        en = gettext.GNUTranslations(handle)
    assert zh.gettext("example.balance") == "余额 {amount}" and en.gettext("example.balance") == "Balance {amount}"
    assert en.ngettext("count.credits", "count.credits", 2) == "{n} credits"
    assert zh.ngettext("count.credits", "count.credits", 2) == "{n} 点"
    assert zh.pgettext("check title", "money.low") == "余额不足"
    assert zh.pgettext("check title", "scene.missing") == "场景文件不存在：{path}"  # existing entries stay
    assert build.merge_dicts(old, tmp_path) == []  # twice is harmless
