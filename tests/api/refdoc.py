"""Read the Python examples and the example replies out of spec/api_reference.md."""
import json
import re
from pathlib import Path
from typing import Any, List, NamedTuple, Optional

SPEC = Path(__file__).resolve().parents[2] / ".." / "shared" / "spec" / "api_reference.md"
if not SPEC.exists():  # the checkout's own copy, if the lead vendors the specs
    SPEC = Path(__file__).resolve().parents[2] / "spec" / "api_reference.md"

_FENCE = re.compile(r"^```([A-Za-z]*)\s*\n(.*?)^```", re.S | re.M)
_CALL = re.compile(r"\bapi\.(\w+)\.(\w+)\(")


class Example(NamedTuple):
    code: str
    namespace: Optional[str]
    method: Optional[str]
    reply_text: Optional[str]


def loose_json(text: str) -> Any:
    """JSON, tolerating the reference's unquoted keys (getBid's ``userId:"119776"``)."""
    try:
        return json.loads(text)
    except ValueError:
        return json.loads(re.sub(r'(?m)(^|[{,]\s*)([A-Za-z_]\w*)\s*:', r'\1"\2":', text))


def examples() -> List[Example]:
    """Every example call in document order, each with the reply block that follows it."""
    blocks = [(m.group(1), m.group(2)) for m in _FENCE.finditer(SPEC.read_text(encoding="utf-8"))]
    found: List[Example] = []
    for index, (_lang, text) in enumerate(blocks):
        call = _CALL.search(text)
        if not call and "RayvisionAPI(" not in text:
            continue
        reply = None
        for _lang2, later in blocks[index + 1:]:
            if _CALL.search(later) or "RayvisionAPI(" in later:
                break
            if later.lstrip().startswith(("{", "[")):
                reply = later
                break
        found.append(Example(text, call.group(1) if call else None, call.group(2) if call else None, reply))
    return found
