"""Which language rv_dcc speaks: one rule for the CLI, the panel and the hosts.

In order, the first that names a language decides:

1. an explicit choice: :func:`rv_dcc.i18n.set_language` (``rv-dcc panel --lang``), else the
   ``RV_DCC_LANG`` variable;
2. the environment, in gettext's order: ``LANGUAGE`` (a ``:`` list), ``LC_ALL``,
   ``LC_MESSAGES``, ``LANG``. As in gettext the first variable that is set decides; ``C`` and
   ``POSIX`` name no language, so they pass on to the next step;
3. the host's interface language, where the host has one (Maya's ``about -uiLanguage``,
   Blender's ``bpy.app.translations.locale``, Qt's system locale for the standalone panel), given
   by :func:`rv_dcc.i18n.set_host_language`, or ``RV_DCC_HOST_LANGUAGE`` in a panel process
   that a host started;
4. English.

A language rv_dcc has no catalog for (``fr_FR``) means English; every ``zh*`` means Simplified
Chinese (the only Chinese catalog). Plain Python, no imports beyond the standard library.
"""
import os
import re
from typing import Mapping, Optional, Sequence

#: the catalogs that exist (rv_dcc/i18n/<language>.mo); English is the source language
LANGUAGES: Sequence[str] = ("en", "zh_CN")
SOURCE_LANGUAGE = "en"
#: gettext's order (GNU gettext manual, "Locale Environment Variables")
ENV_ORDER = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")
#: the host's interface language handed to a panel started in its own process (Blender's)
HOST_LANGUAGE_VARIABLE = "RV_DCC_HOST_LANGUAGE"
_NO_LANGUAGE = ("c", "posix")


def supported(name: Optional[str]) -> Optional[str]:
    """The catalog for a locale or language name ('zh_CN.UTF-8', 'zh-Hans', 'en_US', 'CHS'):
    'zh_CN' or 'en'; 'C' for C/POSIX (no language); None for a language without a catalog."""
    text = re.split(r"[.@]", (name or "").strip())[0].replace("-", "_")
    lowered = text.lower()
    if not lowered:
        return None
    if lowered in _NO_LANGUAGE:
        return "C"
    if lowered.startswith("zh") or lowered in ("chs", "cht", "chinese") or lowered.startswith("chinese"):
        return "zh_CN"
    if lowered == "en" or lowered.startswith("en_") or lowered in ("enu", "english") or lowered.startswith("english"):
        return "en"
    return None


def from_environment(environ: Optional[Mapping[str, str]] = None) -> Optional[str]:
    """The language the environment asks for ('en', 'zh_CN'), or None when it names none."""
    env = os.environ if environ is None else environ
    for name in ENV_ORDER:
        value = env.get(name) or ""
        if not value:
            continue
        found = [supported(item) for item in value.split(":") if item]
        languages = [lang for lang in found if lang not in (None, "C")]
        if languages:
            return languages[0]
        if all(lang == "C" for lang in found):
            continue  # C / POSIX: no language chosen, ask the next variable
        return SOURCE_LANGUAGE  # a language we have no catalog for
    return None


def detect(environ: Optional[Mapping[str, str]] = None, host: Optional[str] = None) -> str:
    """The language by the rule above, without an explicit :func:`set_language` choice."""
    env = os.environ if environ is None else environ
    explicit = supported(env.get("RV_DCC_LANG"))
    if explicit and explicit != "C":
        return explicit
    if explicit == "C":
        return SOURCE_LANGUAGE
    found = from_environment(env)
    if found:
        return found
    host_language = supported(host or env.get(HOST_LANGUAGE_VARIABLE))
    if host_language and host_language != "C":
        return host_language
    return SOURCE_LANGUAGE
