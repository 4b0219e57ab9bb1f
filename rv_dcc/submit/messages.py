"""Check messages in the artist's language: an Issue's title and hint from the shared gettext catalogs.

Every Issue (rv_dcc.submit.checks) carries a stable ``message_key`` and ``params``; the English
text is written by the check itself (the reference), the other languages are entries of
rv_dcc/i18n/<language>.po under the key with context ``check title`` / ``check hint``.
``localize`` returns (title, hint) for a language; a key without a translation, or a template
that cannot be filled, falls back to the English text so that nothing is ever lost. Parameter
values stay as they are (node names, paths, versions), except :class:`rv_dcc.i18n.Phrase`
values (a missing file's reason, a path problem, "none"), which are translated with the message.
``{word}`` is this host's name for a render unit (context ``layer word``). The language follows
the one rule of rv_dcc.i18n.language, the same for the CLI, the panel and the hosts. Plain Python.
"""
import logging
from typing import Any, Mapping, Optional, Tuple

from rv_dcc import i18n

log = logging.getLogger("rv_dcc.submit.messages")

EN, ZH_CN = "en", "zh_CN"
TITLE, HINT, LAYER_WORD = "check title", "check hint", "layer word"


def cli_language(environ: Optional[Mapping[str, str]] = None) -> str:
    """The language by the one rule (rv_dcc.i18n.language), the environment read afresh (a report is
    written once per command); ``environ`` replaces os.environ (tests)."""
    if environ is None:
        return i18n.refresh()
    from rv_dcc.i18n.language import detect

    return detect(environ, i18n.host_language())


def layer_word(host: Any, language: str) -> str:
    """What ``host`` calls a render unit, in ``language`` (the ``{word}`` of the templates)."""
    return i18n.lookup(str(host), language, LAYER_WORD) or i18n.lookup("default", language, LAYER_WORD) or "layer"


def translate(key: str, params: Mapping[str, Any], language: str) -> Optional[Tuple[str, str]]:
    """(title, hint) of ``key`` in ``language`` filled with ``params``; None when there is no such text
    (English: the checks' own text). A template out of step with its check raises KeyError/IndexError."""
    if language == EN:
        return None
    title = i18n.lookup(key, language, TITLE)
    if title is None:
        return None
    hint = i18n.lookup(key, language, HINT) or ""
    hint_key = params.get("hint_key")
    if not hint and hint_key:  # "... and N more like that" carries the hint of the first issue
        hint = i18n.lookup(str(hint_key), language, HINT) or ""
    values = {name: i18n.localized(value, language) for name, value in params.items()}
    values["word"] = layer_word(params.get("host"), language)
    return title.format(**values), hint.format(**values)


def localize(issue: Any, language: str) -> Tuple[str, str]:
    """The issue's (title, hint) in ``language`` ('en', 'zh_CN'); English when no translation fits."""
    key = getattr(issue, "message_key", "") or getattr(issue, "code", "")
    try:
        found = translate(key, getattr(issue, "params", {}) or {}, language)
    except (KeyError, IndexError, ValueError, AttributeError) as error:  # a template out of step with its check
        log.warning("message %s cannot be filled in %s: %s", key, language, error)
        found = None
    if found is None or not found[0]:
        return issue.title, issue.hint
    return found[0], found[1] or issue.hint
