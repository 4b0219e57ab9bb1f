"""Where rv_dcc's data files are: resources/ of a source checkout, or rv_dcc/resources of a wheel.

One rule for every caller (install files, icons, sample scenes), so an installed package and a
checkout behave the same.
"""
from pathlib import Path
from typing import Optional

_PACKAGE = Path(__file__).resolve().parent


def resource_dir(*parts: str) -> Optional[Path]:
    """The folder ``resources/<parts>`` of this installation, or None when it is not there."""
    for root in (_PACKAGE / "resources", _PACKAGE.parent / "resources"):
        candidate = root.joinpath(*parts)
        if candidate.is_dir():
            return candidate
    return None
