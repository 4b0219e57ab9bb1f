"""MAXScript's string-literal rules, to check what 3ds Max reads from rv_dcc's start-up script.

Follows MAXScript Help, "String Literals"
(https://help.autodesk.com/view/MAXDEV/2025/ENU/?guid=GUID-7F17449E-C377-445C-AC15-CD3BA88A975B):
a literal is enclosed in double quotes; the escape sequences are \\" \\n \\r \\t \\* \\? \\\\ \\% and
\\x{hex digits}; "a '\\' character that does not preface one of the specified characters is left as a
single backslash"; line breaks inside a literal stay in the string; a verbatim literal @"..."
(3ds Max 2008+) processes no escape and ends at the next double quote. Comments are "--" to the
end of the line and /* ... */ (MAXScript Help, "Comments").
"""
from typing import List, Tuple

_SIMPLE = {'"': '"', "n": "\n", "r": "\r", "t": "\t", "*": "*", "?": "?", "\\": "\\", "%": "%"}
_HEX = "0123456789abcdefABCDEF"


def _regular(text: str, start: int) -> Tuple[str, int]:
    """Decode the literal whose opening quote is at ``start``; returns (value, index after it)."""
    out: List[str] = []
    i = start + 1
    while True:
        if i >= len(text):
            raise SyntaxError(f"unterminated string literal at {start}")
        c = text[i]
        if c == '"':
            return "".join(out), i + 1
        if c == "\\" and i + 1 < len(text):
            nxt = text[i + 1]
            if nxt in _SIMPLE:
                out.append(_SIMPLE[nxt])
                i += 2
                continue
            if nxt == "x" and i + 2 < len(text) and text[i + 2] in _HEX:
                j = i + 2
                while j < len(text) and text[j] in _HEX:
                    j += 1
                out.append(chr(int(text[i + 2:j], 16)))
                i = j
                continue
            out.append("\\")  # not an escape: the backslash stays
            i += 1
            continue
        out.append(c)
        i += 1


def string_literals(script: str) -> List[str]:
    """Every string literal of ``script`` in order, as MAXScript reads it."""
    found: List[str] = []
    i = 0
    while i < len(script):
        if script.startswith("--", i):
            end = script.find("\n", i)
            i = len(script) if end < 0 else end + 1
        elif script.startswith("/*", i):
            end = script.find("*/", i + 2)
            i = len(script) if end < 0 else end + 2
        elif script.startswith('@"', i):
            end = script.find('"', i + 2)
            if end < 0:
                raise SyntaxError(f"unterminated verbatim string at {i}")
            found.append(script[i + 2:end])
            i = end + 1
        elif script[i] == '"':
            value, i = _regular(script, i)
            found.append(value)
        else:
            i += 1
    return found
