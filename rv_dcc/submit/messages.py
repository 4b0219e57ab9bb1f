"""Check messages in the artist's language: an Issue's title and hint in English or Simplified Chinese.

Every Issue (rv_dcc.submit.checks) carries a stable ``message_key`` and ``params``; the English
text is written by the check itself, the Chinese comes from rv_dcc.submit.messages_zh. ``localize``
returns (title, hint) for a language; a key without a translation, or a template that cannot be
filled, falls back to the English text so that nothing is ever lost. Parameter values stay as
they are (node names, paths, versions), except a few known English phrases the checks pass
through (a missing file's reason, a path problem, "none"), which are translated. The CLI picks
the language from the environment (``cli_language``); the panel passes its own. Plain Python.
"""
import logging
import os
import re
from typing import Any, Dict, Mapping, Optional, Tuple

from rv_dcc.submit import messages_zh

log = logging.getLogger("rv_dcc.submit.messages")

EN, ZH_CN = "en", "zh_CN"


def cli_language(environ: Optional[Mapping[str, str]] = None) -> str:
    """'zh_CN' when RV_DCC_LANG, else the first of LC_ALL / LC_MESSAGES / LANG that is set, starts with zh."""
    env = os.environ if environ is None else environ
    wanted = env.get("RV_DCC_LANG") or next((env[name] for name in ("LC_ALL", "LC_MESSAGES", "LANG")
                                             if env.get(name)), "")
    return ZH_CN if wanted.lower().startswith("zh") else EN


def phrase_zh(value: Any) -> Any:
    """A parameter value with a known English phrase translated (other values unchanged)."""
    if not isinstance(value, str):
        return value
    for pattern, replacement in messages_zh.PHRASES:
        if re.match(pattern, value, flags=re.DOTALL):
            return re.sub(pattern, replacement, value, count=1, flags=re.DOTALL)
    return value


def _zh_params(params: Mapping[str, Any]) -> Dict[str, Any]:
    values = {name: phrase_zh(value) for name, value in params.items()}
    values["word"] = messages_zh.LAYER_WORDS.get(str(params.get("host")), "层")
    return values


def translate(key: str, params: Mapping[str, Any], language: str) -> Optional[Tuple[str, str]]:
    """(title, hint) of ``key`` in ``language`` filled with ``params``; None when there is no such text."""
    if language != ZH_CN:
        return None
    entry = messages_zh.MESSAGES.get(key)
    if entry is None:
        return None
    values = _zh_params(params)
    title, hint = entry
    hint_key = params.get("hint_key")
    if not hint and hint_key:  # "... and N more like that" carries the hint of the first issue
        hint = messages_zh.MESSAGES.get(str(hint_key), ("", ""))[1]
    return title.format(**values), hint.format(**values)


def localize(issue: Any, language: str) -> Tuple[str, str]:
    """The issue's (title, hint) in ``language`` ('en', 'zh_CN'); English when no translation fits."""
    key = getattr(issue, "message_key", "") or getattr(issue, "code", "")
    try:
        found = translate(key, getattr(issue, "params", {}) or {}, language)
    except (KeyError, IndexError, ValueError) as error:  # a template out of step with its check
        log.warning("message %s cannot be filled in %s: %s", key, language, error)
        found = None
    if found is None or not found[0]:
        return issue.title, issue.hint
    return found[0], found[1] or issue.hint
