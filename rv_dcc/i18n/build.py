"""Compile the catalogs: ``python -m rv_dcc.i18n.build`` turns every ``<language>.po`` beside this
module into ``<language>.mo`` (what rv_dcc reads at run time); ``--check`` only says which ``.mo``
are out of step with their ``.po`` (exit 1). Uses Babel (a development dependency: ``pip install
-e '.[dev]'``); nothing at run time needs it. See docs/I18N.md.
"""
import argparse
import io
import sys
from pathlib import Path
from typing import List, Optional

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
        raise SystemExit("compiling the catalogs needs Babel: pip install -e '.[dev]'") from error
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


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m rv_dcc.i18n.build", description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="only report .mo files out of step (exit 1)")
    args = parser.parse_args(argv)
    if args.check:
        out = stale()
        for mo in out:
            print(f"{mo.name} is out of step with {mo.with_suffix('.po').name}: run python -m rv_dcc.i18n.build")
        return 1 if out else 0
    for po in sources():
        po.with_suffix(".mo").write_bytes(compiled(po))
        print(f"compiled {po.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
