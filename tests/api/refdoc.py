"""The API reference's Python examples and their example replies (tests/data/reference_examples.json)."""
import json
import re
from pathlib import Path
from typing import Any, List, NamedTuple, Optional

#: the reference's example calls and replies, as the project's own test data
DATA = Path(__file__).resolve().parents[1] / "data" / "reference_examples.json"


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
    data = json.loads(DATA.read_text(encoding="utf-8"))
    return [Example(item["code"], item["namespace"], item["method"], item["reply"]) for item in data["examples"]]
