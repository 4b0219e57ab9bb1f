"""The panel's text in English and Simplified Chinese: a small dict-based translation layer.

Every visible string is looked up by key with :func:`tr`; placeholders use ``str.format``.
The language comes from :func:`set_language`, else ``RV_DCC_LANG``, else the system locale
(``zh*`` -> Simplified Chinese, anything else English). A key missing from a language falls
back to English, and a key missing from English shows the key itself, so a gap is visible
rather than a crash. No Qt: controllers use it too.
"""
import locale
import os
from typing import Any, Dict, Optional

from rv_dcc.ui.i18n_text import EN, ZH_CN

LANGUAGES: Dict[str, Dict[str, str]] = {"en": EN, "zh_CN": ZH_CN}
_current: Optional[str] = None


def detect_language() -> str:
    """'zh_CN' when RV_DCC_LANG or the system locale says Chinese, else 'en'."""
    wanted = os.environ.get("RV_DCC_LANG") or ""
    if not wanted:
        try:
            wanted = locale.getlocale()[0] or ""
        except ValueError:  # an unparsable LANG: fall back to English
            wanted = ""
        wanted = wanted or os.environ.get("LC_ALL", "") or os.environ.get("LANG", "")
    return "zh_CN" if wanted.lower().startswith("zh") else "en"


def set_language(language: Optional[str]) -> str:
    """Use ``language`` ('en', 'zh_CN'; None: detect). Returns the language now in use."""
    global _current
    if language in (None, "", "auto"):
        language = detect_language()
    if language not in LANGUAGES:
        language = "zh_CN" if str(language).lower().startswith("zh") else "en"
    _current = language
    return language


def language() -> str:
    """The language in use."""
    return _current or set_language(None)


def tr(key: str, **values: Any) -> str:
    """The text of ``key`` in the current language, with ``values`` filled in."""
    text = LANGUAGES[language()].get(key) or EN.get(key) or key
    if values:
        try:
            return text.format(**values)
        except (KeyError, IndexError, ValueError):
            return text
    return text


def task_status_text(status: Any) -> str:
    """The words for a task status code."""
    return tr(f"task_status.{status}") if f"task_status.{status}" in EN else tr("status.unknown", code=status)


def frame_status_text(status: Any) -> str:
    """The words for a frame status code."""
    return tr(f"frame_status.{status}") if f"frame_status.{status}" in EN else tr("status.unknown", code=status)


def count(noun: str, n: int) -> str:
    """``n`` with its noun in the right number ('1 frame', '2 frames', '2 帧'): keys count.NOUN.one/other."""
    return tr(f"count.{noun}.{'one' if n == 1 else 'other'}", n=n)
