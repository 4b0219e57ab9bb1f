"""The panel's words: thin wrappers over the shared gettext catalogs of :mod:`rv_dcc.i18n`.

Every visible string is looked up by key with :func:`tr` (``str.format`` placeholders; a count
``n`` picks the plural form); the language follows the one rule of :mod:`rv_dcc.i18n.language`
(explicit :func:`set_language`, ``RV_DCC_LANG``, then LANGUAGE / LC_ALL / LC_MESSAGES / LANG,
then the host's interface language, then English), the same for the CLI and the hosts. A key
missing from a language falls back to English, then to the key itself. No Qt: controllers use
it too. How to add a string: docs/I18N.md.
"""
from typing import Any, Optional

from rv_dcc import i18n as _catalogs
from rv_dcc.i18n import LANGUAGES, N_  # noqa: F401 - part of this module's interface

__all__ = ["LANGUAGES", "N_", "count", "detect_language", "frame_status_text", "language", "set_language",
           "task_status_text", "tr", "trn"]


def detect_language() -> str:
    """The language the rule gives when nothing was chosen explicitly ('zh_CN' or 'en')."""
    from rv_dcc.i18n.language import detect

    return detect(host=_catalogs.host_language())


def set_language(language: Optional[str]) -> str:
    """Use ``language`` ('en', 'zh_CN'; None or 'auto': the rule). Returns the language now in use."""
    return _catalogs.set_language(language)


def language() -> str:
    """The language in use."""
    return _catalogs.language()


def tr(key: str, **values: Any) -> str:
    """The text of ``key`` in the current language, with ``values`` filled in."""
    return _catalogs.text(key, **values)


def trn(key: str, n: int, **values: Any) -> str:
    """The plural form of ``key`` for ``n`` ('1 task', '2 tasks'), with ``n`` and ``values`` filled in."""
    return _catalogs.ntext(key, n, **values)


def task_status_text(status: Any) -> str:
    """The words for a task status code."""
    key = f"task_status.{status}"
    found = tr(key)
    return found if found != key else tr("status.unknown", code=status)


def frame_status_text(status: Any) -> str:
    """The words for a frame status code."""
    key = f"frame_status.{status}"
    found = tr(key)
    return found if found != key else tr("status.unknown", code=status)


def count(noun: str, n: int) -> str:
    """``n`` with its noun in the right number ('1 frame', '2 frames', '2 帧'): plural key count.NOUN."""
    return trn(f"count.{noun}", n)
