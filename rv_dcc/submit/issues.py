"""The Issue every check returns: what is wrong, what to do, where, and how bad.

Shared by the scene checks (rv_dcc.submit.checks), the farm checks (rv_dcc.submit.checks_farm),
the report and the panel. ``blocking`` lists the errors; ``apply_farm_severity`` lets the farm's
explanation of a tips code decide its severity. Pure data: no I/O, nothing imported but the
catalog types and the options.
"""
from dataclasses import dataclass, field, replace
from typing import Any, Callable, Dict, List, Optional

from rv_dcc.submit.catalog import Catalog
from rv_dcc.submit.options import SubmitOptions

ERROR, WARNING, INFO = "error", "warning", "info"
SEVERITIES = (ERROR, WARNING, INFO)
_LAYER_WORDS = {"maya": "render layer", "houdini": "ROP", "cinema4d": "take", "blender": "view layer",
                "3dsmax": "layer"}
_LAYER_PLURALS = {"maya": "Render layers", "houdini": "ROPs", "cinema4d": "Takes", "blender": "View layers",
                  "3dsmax": "Layers"}


@dataclass(frozen=True)
class Issue:
    """One problem (or note) about a submission."""

    code: str                        #: stable identifier, e.g. "assets.missing"
    severity: str                    #: "error" (blocks), "warning" or "info"
    title: str                       #: what is wrong, one line
    hint: str                        #: what to do about it
    node: str = ""                   #: node / layer / attribute it comes from ("" for the scene)
    tips_code: Optional[str] = None  #: the farm's tips code (keys of tips.json)
    detail: str = ""                 #: the tips.json detail (a path, a version) or extra lines
    farm_note: str = ""              #: the farm's explanation of the tips code
    key: str = ""                    #: stable message key (rv_dcc.submit.messages); "" means ``code``
    #: values the message's templates are filled with (node names, paths, versions: never translated)
    params: Dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def message_key(self) -> str:
        """The key of this issue's title and hint in the message catalogs."""
        return self.key or self.code

    def to_dict(self) -> Dict[str, Any]:
        """JSON-ready form (the CLI's --json output)."""
        return {"code": self.code, "severity": self.severity, "title": self.title, "hint": self.hint,
                "node": self.node, "tips_code": self.tips_code, "detail": self.detail, "farm_note": self.farm_note,
                "key": self.message_key, "params": dict(self.params)}


Check = Callable[[Any, SubmitOptions, Catalog, Any], List[Issue]]


def blocking(issues: List[Issue]) -> List[Issue]:
    """The issues that stop a submission (severity "error")."""
    return [issue for issue in issues if issue.severity == ERROR]


def apply_farm_severity(issue: Issue, catalog: Catalog) -> Issue:
    """Let the farm's explanation of a tips code decide its severity (type 1 blocks)."""
    tip = catalog.tip(issue.tips_code)
    if tip is None:
        return issue
    note = ". ".join(part.strip().rstrip(".") for part in (tip.description, tip.solution) if part.strip())
    note = note + "." if note else ""
    return replace(issue, severity=ERROR if tip.blocks else (WARNING if issue.severity == ERROR else issue.severity),
                   farm_note=note)


def layer_word(desc: Any, plural: bool = False) -> str:
    """What this host calls a render unit: render layer, ROP, take, view layer (``plural``: "ROPs" ...)."""
    if plural:
        return _LAYER_PLURALS.get(desc.host, "Layers")
    return _LAYER_WORDS.get(desc.host, "layer")
