"""Compile the catalogs: ``python -m rv_dcc.i18n.build`` turns every ``<language>.po`` beside this
module into ``<language>.mo`` (what rv_dcc reads at run time); ``--check`` only says which ``.mo``
are out of step with their ``.po`` (exit 1); ``--merge-dicts FILE`` moves the entries of a
dict module of the old layer (``EN`` / ``ZH_CN`` of rv_dcc/ui/i18n_text.py, ``MESSAGES`` /
``LAYER_WORDS`` of rv_dcc/submit/messages_zh.py, as a branch from before the catalogs may still
add to) into the .po files, then compiles. Uses Babel (a development dependency: ``pip install
-e '.[dev]'``); nothing at run time needs it. See docs/I18N.md.
"""
import argparse
import io
import runpy
import sys
from pathlib import Path
from typing import Any, Dict, List, Optional

from rv_dcc.fsutil import atomic_write
from rv_dcc.i18n import CATALOG_DIR


def sources(folder: Path = CATALOG_DIR) -> List[Path]:
    """The .po files, by language."""
    return sorted(folder.glob("*.po"))


def compiled(po: Path) -> bytes:
    """The .mo bytes of ``po`` (fuzzy entries left out, as msgfmt does); a syntax error raises."""
    try:
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po
    except ImportError as error:  # pragma: no cover - the dev extra brings Babel
        raise ImportError("compiling the catalogs needs Babel: pip install -e '.[dev]'") from error
    with open(po, "rb") as handle:
        catalog = read_po(handle, locale=po.stem, abort_invalid=True)
    out = io.BytesIO()
    write_mo(out, catalog, use_fuzzy=False)
    return out.getvalue()


def stale(folder: Path = CATALOG_DIR) -> List[Path]:
    """The .mo files that are missing or differ from what their .po compiles to."""
    out = []
    for po in sources(folder):
        mo = po.with_suffix(".mo")
        if not mo.is_file() or mo.read_bytes() != compiled(po):
            out.append(mo)
    return out


def _read(po: Path) -> Any:
    from babel.messages.pofile import read_po

    with open(po, "rb") as handle:
        return read_po(handle, locale=po.stem, abort_invalid=True)


def _write(po: Path, catalog: Any) -> None:
    from babel.messages.pofile import write_po

    out = io.BytesIO()  # the layout the catalogs are kept in: entries in the order added
    write_po(out, catalog, width=120, sort_output=False, include_previous=False, include_lineno=False)
    atomic_write(po, out.getvalue())


def merge_dicts(module: Path, folder: Path = CATALOG_DIR) -> List[str]:
    """Add the entries of an old dict module that the catalogs lack; returns the keys added.
    ``count.NOUN.one`` / ``.other`` pairs become one plural entry ``count.NOUN``."""
    values: Dict[str, Any] = runpy.run_path(str(module))
    english, chinese = _read(folder / "en.po"), _read(folder / "zh_CN.po")
    en_dict: Dict[str, str] = values.get("EN", {})
    zh_dict: Dict[str, str] = values.get("ZH_CN", {})
    added: List[str] = []
    for key, text in en_dict.items():
        base, _dot, form = key.rpartition(".")
        if form in ("one", "other") and base.startswith("count."):
            if base not in english and form == "one":
                english.add((base, base), (text, en_dict.get(base + ".other", text)))
                chinese.add((base, base), (zh_dict.get(base + ".other") or zh_dict.get(key) or "",))
                added.append(base)
            continue
        if key not in english:
            english.add(key, text)
            chinese.add(key, zh_dict.get(key, ""))  # no Chinese yet: the tests say so
            added.append(key)
    for key, (title, hint) in values.get("MESSAGES", {}).items():
        if chinese.get(key, context="check title") is None:
            chinese.add(key, title, context="check title")
            if hint:
                chinese.add(key, hint, context="check hint")
            added.append(key)
    for host, word in values.get("LAYER_WORDS", {}).items():
        if chinese.get(host, context="layer word") is None:
            chinese.add(host, word, context="layer word")
            added.append(host)
    if values.get("PHRASES"):
        print("PHRASES (regular expressions) cannot be moved: make each a phrase(key, **values) at its source")
    _write(folder / "en.po", english)
    _write(folder / "zh_CN.po", chinese)
    return added


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m rv_dcc.i18n.build", description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="only report .mo files out of step (exit 1)")
    parser.add_argument("--merge-dicts", metavar="FILE", type=Path,
                        help="first add the entries of an old i18n_text.py / messages_zh.py the catalogs lack")
    args = parser.parse_args(argv)
    if args.merge_dicts:
        for key in merge_dicts(args.merge_dicts):
            print(f"added {key}")
    if args.check:
        out = stale()
        for mo in out:
            print(f"{mo.name} is out of step with {mo.with_suffix('.po').name}: run python -m rv_dcc.i18n.build")
        return 1 if out else 0
    for po in sources():
        atomic_write(po.with_suffix(".mo"), compiled(po))
        print(f"compiled {po.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
