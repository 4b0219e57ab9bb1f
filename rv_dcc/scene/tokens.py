"""The file-name tokens rv_dcc understands, and matching one path component against them.

This module owns the token grammar used by :mod:`rv_dcc.scene.assets` (to find the files a
pattern stands for) and :mod:`rv_dcc.scene.paths` (to ignore tokens when checking characters).
Pure standard library.

Frame tokens (bind the frame number; a negative frame is written with its sign, "-001"):

==========================  ======================================================  ===========
token                       meaning                                                  padding
==========================  ======================================================  ===========
``#``, ``####``             Maya / Max / Blender / Nuke: one ``#`` per digit         exact: N = count
``%d``, ``%04d``            printf style (Nuke, Maya, Houdini outputs)               none / exact N
``$F``, ``$F4``, ``${F4}``  Houdini ``$F`` (unpadded) and ``$FN`` (padded to N)      none / exact N
``<f>``, ``<f4>``           Maya file node pattern; ``<f>`` matches any padding      any / exact N
``<frame>``, ``<frameNum>`` V-Ray / Arnold frame tag                                 any
==========================  ======================================================  ===========

"Exact N" means the digits are the frame number formatted with ``%0Nd`` (so frame 12345 still
matches ``####``); "none" means no leading zeros; "any" accepts any zero padding.

UV-tile tokens (bind the tile's 0-based column ``u`` and row ``v``; UDIM = 1001 + u + 10 v):

=============================================  ================================================
token                                          matches
=============================================  ================================================
``<UDIM>`` (any case), ``%(UDIM)d``            Mari UDIM number, 1001 and up
``<UVTILE>``, ``<tile>``                        Mudbox ``u1_v1`` (1-based); V-Ray writes it with
                                               a leading underscore, so ``_u1_v1`` also matches
``<uvtile>`` (all lower case)                  ZBrush ``u0_v0`` (0-based; V-Ray convention)
``%(UVTILE)d``                                 Houdini ``u1_v1`` (1-based)
``<U>`` / ``<V>``                              1-based column / row number (V-Ray: upper case 1-based)
``<u>`` / ``<v>``                              0-based column / row number (so ``_u<u>_v<v>`` is ZBrush)
``$U`` / ``$V``, ``$2U``                       V-Ray 1-based column / row, optional width digit
``$u`` / ``$v``                                V-Ray 0-based column / row
``%(U)d`` / ``%(V)d``, ``%(U)02d``             Houdini 1-based column / row, optional zero padding
=============================================  ================================================

When the same quantity appears twice in one path (a frame in the folder and the file name),
both must agree. ``$F`` / ``$U`` / ``$V`` followed by a letter are other variables ($FPS, $USER)
and are not tokens. Not supported: Houdini ``$FF`` (float frames), ``$T``, Cinema 4D ``$frame``.

Speed: a scan matches every name of a folder against a pattern, so :class:`ComponentMatcher`
also compiles, when it can, ONE regex (:attr:`ComponentMatcher.exact`) that encodes the padding
and range rules above, so that filtering a folder is a C-level ``filter(exact.fullmatch, names)``
with no Python code per name (for ASCII names; tests hold it equal to :meth:`~ComponentMatcher.match`).
"""
import re
from typing import Callable, Dict, List, Optional, Tuple

_TOKEN_RE = re.compile(
    r"(?P<hash>\#+)"
    r"|%(?:0(?P<printf_pad>\d+))?d"
    r"|\$\{F(?P<hbrace_pad>\d?)\}"
    r"|\$F(?P<hvar_pad>\d?)(?![A-Za-z])"
    r"|<[fF](?P<maya_pad>\d?)>"
    r"|<(?i:frame|framenum)>"
    r"|(?P<udim><(?i:udim)>|%\(UDIM\)d)"
    r"|<(?P<uvtile>UVTILE|uvtile|(?i:uvtile)|(?i:tile))>"
    r"|%\(UVTILE\)(?:0(?P<huvtile_pad>\d+))?d"
    r"|<(?P<angle_uv>[UuVv])>"
    r"|\$(?P<vray_pad>\d?)(?P<vray_uv>[UuVv])(?![A-Za-z])"
    r"|%\((?P<hou_uv>[UV])\)(?:0(?P<hou_pad>\d+))?d"
)

#: A token found in a path component: (kind, pad, base, optional_underscore)
#: kind is "frame", "udim", "uvtile", "u" or "v"; pad None = any padding, 0 = no leading zeros,
#: N = formatted %0Nd; base is 0 or 1 (first tile number) for tile coordinates.
Token = Tuple[str, Optional[int], int, bool]


def has_tokens(text: str) -> bool:
    """True when ``text`` contains any frame or UV-tile token."""
    return _TOKEN_RE.search(text) is not None


def strip_tokens(text: str) -> str:
    """``text`` with every token removed (used to check a pattern's other characters)."""
    return _TOKEN_RE.sub("", text)


def _classify(m: "re.Match[str]") -> Token:
    """Turn one regex match into a :data:`Token`."""
    g = m.groupdict()
    if g["hash"] is not None:
        return ("frame", len(g["hash"]), 0, False)
    text = m.group(0)
    if text.startswith("%") and text.endswith("d") and text[1] in "0d":
        return ("frame", int(g["printf_pad"]) if g["printf_pad"] else 0, 0, False)
    for key in ("hbrace_pad", "hvar_pad"):
        if g[key] is not None:
            return ("frame", int(g[key]) if g[key] else 0, 0, False)
    if g["maya_pad"] is not None:
        return ("frame", int(g["maya_pad"]) if g["maya_pad"] else None, 0, False)
    if g["udim"] is not None:
        return ("udim", None, 0, False)
    if g["uvtile"] is not None:
        zero_based = g["uvtile"] == "uvtile"
        return ("uvtile", None, 0 if zero_based else 1, True)
    if text.startswith("%(UVTILE)"):
        return ("uvtile", int(g["huvtile_pad"]) if g["huvtile_pad"] else None, 1, False)
    if g["angle_uv"] is not None:
        letter = g["angle_uv"]
        return (letter.lower(), None, 1 if letter.isupper() else 0, False)
    if g["vray_uv"] is not None:
        letter = g["vray_uv"]
        return (letter.lower(), int(g["vray_pad"]) if g["vray_pad"] else None, 1 if letter.isupper() else 0, False)
    if g["hou_uv"] is not None:
        return (g["hou_uv"].lower(), int(g["hou_pad"]) if g["hou_pad"] else None, 1, False)
    # <frame> / <frameNum>
    return ("frame", None, 0, False)


def _padded_ok(digits: str, pad: Optional[int]) -> bool:
    """Whether ``digits`` is a number written with padding ``pad`` (see :data:`Token`)."""
    if pad is None:
        return True
    return digits == "%0*d" % (pad or 1, int(digits))


def _number_re(pad: Optional[int], positive: bool = False) -> str:
    """ASCII regex for the digits ``_padded_ok(digits, pad)`` accepts; ``positive``: value >= 1."""
    if pad is None:
        return "0*[1-9][0-9]*" if positive else "[0-9]+"
    width = pad or 1  # "%00d" pads like "%01d": no leading zeros
    # Exactly ``width`` digits (the number padded with zeros), or more with no leading zero.
    short = "(?=[0-9]{{0,{}}}[1-9])".format(width - 1) if positive else ""
    return "(?:{}[0-9]{{{}}}|[1-9][0-9]{{{},}})".format(short, width, width)


def _valid_re(kind: str, pad: Optional[int], base: int, underscore: bool) -> str:
    """ASCII regex matching exactly the text one token accepts (its binder returns bindings)."""
    if kind == "frame":
        if pad is None:
            return "-?[0-9]+"
        # "%04d" % -5 == "-005": the sign counts in the width, and -0 is not a frame.
        return "(?:{}|-{})".format(_number_re(pad), _number_re(max((pad or 1) - 1, 1), positive=True))
    if kind == "udim":  # 1001 and up, no leading zero
        return "(?:100[1-9]|10[1-9][0-9]|1[1-9][0-9]{2}|[2-9][0-9]{3}|[1-9][0-9]{4,})"
    number = _number_re(pad, positive=base == 1)
    if kind == "uvtile":
        return ("_?" if underscore else "") + "u" + number + "_v" + number
    return number  # "u" or "v"


class ComponentMatcher:
    """Matches file or folder names against one path component holding tokens.

    ``match(name)`` returns the bindings (``{"frame": 12}``, ``{"u": 0, "v": 1}``) or None.
    ``exact``, when not None, is a compiled regex whose ``fullmatch(name)`` succeeds exactly when
    ``match(name)`` is not None, for ASCII names: it is None when a quantity (frame, u or v) is
    bound twice in the component, since agreement between two tokens is not a regex's job.
    """

    def __init__(self, component: str, flags: int = 0) -> None:
        self.component = component
        parts: List[str] = []
        exact: List[str] = []
        bound_twice = False
        seen: Dict[str, int] = {}
        # The same pattern as pieces, for the slow path: (literal text, None) or (token regex, binder).
        self._pieces: List[Tuple[object, Optional[Callable[[List[str]], Optional[Dict[str, int]]]]]] = []
        self._checks: List[Tuple[List[int], Callable[[List[str]], Optional[Dict[str, int]]]]] = []
        group = 0
        pos = 0
        for m in _TOKEN_RE.finditer(component):
            parts.append(re.escape(component[pos:m.start()]))
            exact.append(parts[-1])
            self._pieces.append((component[pos:m.start()], None))
            pos = m.end()
            kind, pad, base, underscore = _classify(m)
            for quantity in (("u", "v") if kind in ("udim", "uvtile") else (kind,)):
                seen[quantity] = seen.get(quantity, 0) + 1
                bound_twice = bound_twice or seen[quantity] > 1
            exact.append(_valid_re(kind, pad, base, underscore))
            if kind == "uvtile":
                fragment = ("_?" if underscore else "") + r"u(\d+)_v(\d+)"
                idx = [group + 1, group + 2]
                group += 2
            else:
                fragment = r"(-?\d+)" if kind == "frame" else r"(\d+)"
                idx = [group + 1]
                group += 1
            parts.append(fragment)
            binder = _binder(kind, pad, base)
            self._checks.append((idx, binder))
            self._pieces.append((re.compile(fragment + r"\Z", flags), binder))
        parts.append(re.escape(component[pos:]))
        exact.append(parts[-1])
        self._pieces.append((component[pos:], None))
        self._flags = flags
        self.token_count = len(self._checks)
        self._regex = re.compile("".join(parts) + r"\Z", flags)
        self.exact: "Optional[re.Pattern[str]]" = None if bound_twice else _compiled("".join(exact), flags)

    def match(self, name: str) -> Optional[Dict[str, int]]:
        """Bindings for ``name``, or None when it does not fit the pattern."""
        m = self._regex.match(name)
        if m is None:
            return None  # no way to split the name fits the pattern's shape
        if len(self._checks) == 1:  # the usual case: one token in the name
            idx, binder = self._checks[0]
            values = binder(list(m.group(*idx)) if len(idx) > 1 else [m.group(idx[0])])
            return values if values is not None else self._search(name, 0, 0, {})
        bound: Dict[str, int] = {}
        for idx, binder in self._checks:
            values = binder([m.group(i) for i in idx])
            if values is None or _merge(bound, values) is None:
                # The regex's split is invalid ("110" for $U$V read as 11,0), but another
                # split may be valid (1,10): try them all. Rare, and names are short.
                return self._search(name, 0, 0, {})
        return bound

    def _search(self, name: str, pos: int, piece: int, bound: Dict[str, int]) -> Optional[Dict[str, int]]:
        """Backtracking match trying every split of adjacent numbers."""
        if piece == len(self._pieces):
            return bound if pos == len(name) else None
        what, binder = self._pieces[piece]
        if binder is None:
            text = str(what)
            same = (name[pos:pos + len(text)].lower() == text.lower() if self._flags & re.IGNORECASE
                    else name.startswith(text, pos))
            return self._search(name, pos + len(text), piece + 1, bound) if same else None
        regex = what  # type: ignore[assignment]
        for end in range(len(name), pos, -1):
            m = regex.match(name[pos:end])  # type: ignore[attr-defined]
            if m is None:
                continue
            values = binder(list(m.groups()))
            merged = None if values is None else _merge(dict(bound), values)
            if merged is not None:
                got = self._search(name, end, piece + 1, merged)
                if got is not None:
                    return got
        return None


_COMPILED: Dict[Tuple[str, int], "re.Pattern[str]"] = {}


def _compiled(pattern: str, flags: int) -> "re.Pattern[str]":
    """``re.compile`` kept for the process: references of one shape share one compiled regex
    (re's own cache holds only 512 and is shared with everything else)."""
    got = _COMPILED.get((pattern, flags))
    if got is None:
        if len(_COMPILED) >= 4096:  # bound the memory of a long session; recompiling is cheap
            _COMPILED.clear()
        got = _COMPILED[(pattern, flags)] = re.compile(pattern, flags)
    return got


def _merge(bound: Dict[str, int], values: Dict[str, int]) -> Optional[Dict[str, int]]:
    """``bound`` updated with ``values`` in place, or None when they disagree."""
    for key, value in values.items():
        if bound.setdefault(key, value) != value:
            return None
    return bound


def _binder(kind: str, pad: Optional[int], base: int) -> Callable[[List[str]], Optional[Dict[str, int]]]:
    """A function turning the digits a token matched into bindings, or None when invalid."""
    def bind(texts: List[str]) -> Optional[Dict[str, int]]:
        if kind == "frame":
            return {"frame": int(texts[0])} if _padded_ok(texts[0], pad) else None
        if kind == "udim":
            n = int(texts[0])
            if n < 1001 or len(texts[0]) != len(str(n)):
                return None
            return {"u": (n - 1001) % 10, "v": (n - 1001) // 10}
        if kind == "uvtile":
            if not (_padded_ok(texts[0], pad) and _padded_ok(texts[1], pad)):
                return None
            u, v = int(texts[0]) - base, int(texts[1]) - base
            return {"u": u, "v": v} if u >= 0 and v >= 0 else None
        value = int(texts[0]) - base  # "u" or "v"
        if not _padded_ok(texts[0], pad) or value < 0:
            return None
        return {kind: value}
    return bind
