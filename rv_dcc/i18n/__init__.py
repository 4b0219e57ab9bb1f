"""rv_dcc's words in the artist's language: gettext catalogs shared by the CLI, the panel and the hosts.

The catalogs are gettext files in this package: ``<language>.po`` is the source a translator
edits, ``<language>.mo`` its compiled form, which is what runs (standard-library :mod:`gettext`,
so a host's Python needs nothing extra; ``python -m rv_dcc.i18n.build`` compiles, and a test
fails when a ``.mo`` is out of step with its ``.po``). Messages are identified by stable keys
(``monitor.refresh``, ``count.frames``); ``en.po`` holds the English text like any other
language, so English wording can change without breaking a translation, and a key missing from
a language falls back to English, then to the key itself (a gap is visible, never a crash).

- :func:`text` / :func:`ntext` (plurals, ngettext) fill ``str.format`` placeholders;
- :func:`phrase` makes a :class:`Phrase`: a ``str`` holding the English text (what logs, JSON
  and journals keep) that remembers its key and values, so a message it is put into is shown
  fully translated;
- :func:`N_` marks a key kept in a table and translated later;
- :func:`language` follows the rule of :mod:`rv_dcc.i18n.language` (worked out once, again after :func:`refresh`).

No Qt, nothing heavy: importing this loads only the standard library; a catalog is read on
first use. Thread-safe.
"""
import gettext as _gettext
import logging
import threading
from pathlib import Path
from typing import Any, Dict, List, Mapping, Optional

from rv_dcc.i18n.language import HOST_LANGUAGE_VARIABLE, LANGUAGES, SOURCE_LANGUAGE, detect, supported

__all__ = ["HOST_LANGUAGE_VARIABLE", "LANGUAGES", "SOURCE_LANGUAGE", "Phrase", "N_", "catalog", "has",
           "host_language", "keys", "language", "localized", "lookup", "ntext", "phrase", "refresh", "reload",
           "set_host_language", "set_language", "text"]

log = logging.getLogger("rv_dcc.i18n")

DOMAIN = "rv_dcc"
CATALOG_DIR = Path(__file__).resolve().parent
_lock = threading.Lock()
_catalogs: Dict[str, _gettext.NullTranslations] = {}
_explicit: Optional[str] = None
_host: Optional[str] = None
_detected: Optional[str] = None  # the rule's answer, kept until refresh() (a lookup costs ~1 us, not 20)


def N_(key: str) -> str:
    """Mark ``key`` as a message translated later (a table entry); returns it unchanged."""
    return key


# --- the language ------------------------------------------------------------------------------

def set_language(wanted: Optional[str]) -> str:
    """Choose the language explicitly ('en', 'zh_CN'; any 'zh*' is Simplified Chinese, a language
    without a catalog is English); None, '' or 'auto' go back to the rule. Returns the language now in use."""
    global _explicit
    if wanted in (None, "", "auto"):
        _explicit = None
        refresh()
    else:
        found = supported(wanted)
        _explicit = found if found in LANGUAGES else SOURCE_LANGUAGE
    return language()


def set_host_language(name: Optional[str]) -> None:
    """The host's interface language ('zh_CN', 'zh_HANS', 'CHS', 'en_US'), read once by the host
    adapter on its main thread; used when the environment names no language. None: no host."""
    global _host
    _host = name or None
    refresh()


def host_language() -> Optional[str]:
    """What :func:`set_host_language` was given."""
    return _host


def language() -> str:
    """The language in use: the explicit choice, else the rule (environment, host, English). The
    environment is read at the first call and again after :func:`refresh`."""
    global _detected
    if _explicit:
        return _explicit
    if _detected is None:
        _detected = detect(host=_host)
    return _detected


def refresh() -> str:
    """Apply the rule again (after the environment changed, e.g. in a test); returns the language."""
    global _detected
    _detected = None
    return language()


# --- the catalogs ------------------------------------------------------------------------------

def _load(lang: str) -> _gettext.NullTranslations:
    path = CATALOG_DIR / f"{lang}.mo"
    try:
        with open(path, "rb") as handle:
            return _gettext.GNUTranslations(handle)
    except OSError as error:  # a broken installation: show English (or keys) rather than crash
        log.warning("the %s catalog cannot be read (%s); showing English", lang, error)
        return _gettext.NullTranslations()


def catalog(lang: Optional[str] = None) -> _gettext.NullTranslations:
    """The gettext translations of ``lang`` (default: the language in use), falling back to English."""
    found = _catalogs.get(lang or language())
    if found is not None:
        return found
    lang = lang or language()
    if lang not in LANGUAGES:
        lang = SOURCE_LANGUAGE
    with _lock:
        if SOURCE_LANGUAGE not in _catalogs:
            _catalogs[SOURCE_LANGUAGE] = _load(SOURCE_LANGUAGE)
        if lang not in _catalogs:
            translations = _load(lang)
            translations.add_fallback(_catalogs[SOURCE_LANGUAGE])
            _catalogs[lang] = translations
        return _catalogs[lang]


def reload() -> None:
    """Forget the catalogs read so far: the next lookup reads the .mo files again (after
    ``python -m rv_dcc.i18n.build`` in a running session, or in tests)."""
    with _lock:
        _catalogs.clear()


def lookup(key: str, lang: Optional[str] = None, context: Optional[str] = None) -> Optional[str]:
    """The text of ``key`` (in ``context``) in ``lang`` itself, English not consulted; None when missing."""
    lang = lang or language()
    source = _load_only(lang)
    found = source.pgettext(context, key) if context else source.gettext(key)
    return None if found == key else found


def _load_only(lang: str) -> _gettext.NullTranslations:
    with _lock:
        name = f"only:{lang}"
        if name not in _catalogs:
            _catalogs[name] = _load(lang) if lang in LANGUAGES else _gettext.NullTranslations()
        return _catalogs[name]


def keys(prefix: str = "", context: Optional[str] = None, lang: str = SOURCE_LANGUAGE) -> List[str]:
    """The keys (singular entries, in ``context``) of the ``lang`` catalog that start with ``prefix``."""
    messages = getattr(_load_only(lang), "_catalog", {})  # GNUTranslations' parsed .mo
    found = []
    for entry in messages:
        if not isinstance(entry, str) or not entry:
            continue
        ctx, _sep, key = entry.rpartition("\x04")  # gettext stores "context\x04key"
        if (ctx or None) == context and key.startswith(prefix):
            found.append(key)
    return sorted(found)


def has(key: str, lang: Optional[str] = None) -> bool:
    """True when ``key`` has a text in ``lang`` or in English."""
    return catalog(lang).gettext(key) != key


# --- filling in --------------------------------------------------------------------------------

class Phrase(str):
    """A phrase made by :func:`phrase`: its ``str`` value is the English text (for logs, JSON,
    journals), and it keeps its ``key`` and ``values`` so that it can be shown in any language."""

    key: str
    values: Mapping[str, Any]

    def __new__(cls, key: str, values: Mapping[str, Any]) -> "Phrase":
        made = super().__new__(cls, _fill(catalog(SOURCE_LANGUAGE).gettext(key), values, key, SOURCE_LANGUAGE))
        made.key = key
        made.values = dict(values)
        return made

    def localized(self, lang: Optional[str] = None) -> str:
        """This phrase in ``lang`` (default: the language in use)."""
        return text(self.key, lang, **self.values)

    def __reduce__(self) -> Any:  # pickles (and copies) as a Phrase, not as its English text
        return (Phrase, (self.key, self.values))


def phrase(key: str, **values: Any) -> Phrase:
    """A :class:`Phrase`: the English text of ``key`` with ``values``, translatable later."""
    return Phrase(key, values)


def localized(value: Any, lang: Optional[str] = None) -> Any:
    """``value`` in ``lang`` when it is a :class:`Phrase`; any other value unchanged."""
    return value.localized(lang) if isinstance(value, Phrase) else value


def _fill(template: str, values: Mapping[str, Any], key: str, lang: str) -> str:
    if not values:
        return template
    shown = {name: localized(value, lang) for name, value in values.items()}
    try:
        return template.format(**shown)
    except (KeyError, IndexError, ValueError, AttributeError) as error:
        log.warning("message %s cannot be filled in %s: %s", key, lang, error)
        if lang != SOURCE_LANGUAGE:
            return _fill(catalog(SOURCE_LANGUAGE).gettext(key), values, key, SOURCE_LANGUAGE)
        return template


def _plural(translations: _gettext.NullTranslations, key: str, n: Any) -> Optional[str]:
    if isinstance(n, bool) or not isinstance(n, int):
        return None
    found = translations.ngettext(key, key, n)
    return None if found == key else found


def text(key: str, lang: Optional[str] = None, **values: Any) -> str:
    """The text of ``key`` in ``lang`` (default: the language in use) with ``values`` filled in
    (a :class:`Phrase` value is translated too). A count ``n`` picks the plural form of a plural
    entry (gettext's ngettext: the catalog's Plural-Forms decide)."""
    lang = lang or language()
    translations = catalog(lang)
    template = _plural(translations, key, values.get("n")) if "n" in values else None
    return _fill(template or translations.gettext(key), values, key, lang)


def ntext(key: str, n: int, lang: Optional[str] = None, **values: Any) -> str:
    """The plural form of ``key`` for ``n``, with ``n`` and ``values`` filled in."""
    return text(key, lang, n=n, **values)
