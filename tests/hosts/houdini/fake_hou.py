"""A fake ``hou`` module for the Houdini adapter tests, gated by the types-houdini stub.

``HipScene`` builds a node tree (``add(path, type, parms, ...)``); ``install(scene, monkeypatch)``
puts the fake in sys.modules. Module functions go through stubs/stubfake.FakeModule and every
fake class is declared with stubfake.gated(<hou class>): a method types-houdini does not declare
on that class (or its bases) cannot exist on the fake, and calls with undeclared keywords raise
TypeError. Behaviour mimics Houdini where the adapter depends on it: unexpandedString() raises
OperationFailed on non-string parms, $F tokens expand per frame, fileReferences() returns
(Parm or None, raw string) pairs including ROP outputs.
"""
import importlib.util
import re
import sys
import sysconfig
import types
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

ROOT = Path(__file__).resolve().parents[3]


def _stubfake():
    if "rv_dcc_stubfake" not in sys.modules:
        spec = importlib.util.spec_from_file_location("rv_dcc_stubfake", ROOT / "stubs" / "stubfake.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules["rv_dcc_stubfake"] = module
        spec.loader.exec_module(module)
    return sys.modules["rv_dcc_stubfake"]


stubfake = _stubfake()
#: the Houdini version a HipScene emulates; tests/hosts/houdini/conftest.py runs every test with
#: 19.5 and with 20.5 (the versions the installer supports that differ in the hou API)
DEFAULT_VERSION = "20.5.370"
HOU_STUB = stubfake.Stub(Path(sysconfig.get_paths()["purelib"]) / "hou-stubs" / "__init__.pyi", "hou")
gated = stubfake.gated


class Error(Exception):
    """hou.Error"""


class OperationFailed(Error):
    """hou.OperationFailed"""


@gated(HOU_STUB, "OpNodeType")
class OpNodeType:
    def __init__(self, name: str) -> None:
        self._name = name

    def name(self) -> str:
        return self._name


class Expr:
    """A parm driven by an expression: unexpandedString() fails, evalAsString() gives ``value``."""

    def __init__(self, expression: str, value: str) -> None:
        self.expression, self.value = expression, value


@gated(HOU_STUB, "Parm")
class Parm:
    def __init__(self, node: "OpNode", name: str, value: Any) -> None:
        self._node, self._name, self._value = node, name, value

    def name(self) -> str:
        return self._name

    def node(self) -> "OpNode":
        return self._node

    def unexpandedString(self) -> str:
        if not isinstance(self._value, str):
            raise OperationFailed("not a string parameter")
        return self._value

    def evalAsString(self) -> str:
        value = self._value.value if isinstance(self._value, Expr) else str(self._value)
        return self._node._scene.expand(value)

    def evalAsInt(self) -> int:
        return int(self._value)

    def evalAsFloat(self) -> float:
        return float(self._value)


class Node:
    """hou.Node: since Houdini 20 the base of hou.OpNode (and of APEX nodes); in 19.5 *the* node
    class, with the methods 20 moved to hou.OpNode (https://www.sidefx.com/docs/houdini/hom/hou/OpNode.html).
    install() serves this fake's OpNode as hou.Node for a 19.5 session and hides hou.OpNode."""


@gated(HOU_STUB, "OpNode")
class OpNode(Node):
    def __init__(self, scene: "HipScene", path: str, type_name: str, parms: Dict[str, Any]) -> None:
        self._scene, self._path, self._type = scene, path, OpNodeType(type_name)
        self._parms = {name: Parm(self, name, value) for name, value in parms.items()}
        self._inputs: List[Optional[OpNode]] = []
        self._user: Dict[str, str] = {}
        self._selected = False

    def path(self) -> str:
        return self._path

    def name(self) -> str:
        return self._path.rsplit("/", 1)[-1]

    def type(self) -> OpNodeType:
        return self._type

    def parm(self, parm_path: str) -> Optional[Parm]:
        return self._parms.get(parm_path)

    def inputs(self) -> Tuple[Optional["OpNode"], ...]:
        return tuple(self._inputs)

    def allSubChildren(self, top_down: bool = True, recurse_in_locked_nodes: bool = True,
                       sync_delayed_definition: bool = False) -> Tuple["OpNode", ...]:
        prefix = self._path.rstrip("/") + "/"
        return tuple(n for p, n in self._scene.nodes.items() if p.startswith(prefix) and p != self._path)

    def userData(self, name: str) -> Optional[str]:
        return self._user.get(name)

    def setUserData(self, name: str, value: str) -> None:
        self._user[name] = value

    def setSelected(self, on: bool, clear_all_selected: bool = False, show_asset_if_selected: bool = False) -> None:
        if clear_all_selected:
            for node in self._scene.nodes.values():
                node._selected = False
        self._selected = on

    def isSelected(self) -> bool:
        return self._selected


@gated(HOU_STUB, "RopNode")
class RopNode(OpNode):
    _bypass = False

    def isBypassed(self) -> bool:
        return self._bypass


@gated(HOU_STUB, "SopNode")
class SopNode(OpNode):
    _bypass = False

    def isBypassed(self) -> bool:
        return self._bypass


@gated(HOU_STUB, "LopNode")
class LopNode(OpNode):
    _bypass = False
    _stage: Any = None

    def isBypassed(self) -> bool:
        return self._bypass

    def stage(self, output_index: int = 0, apply_viewport_overrides: bool = False, ignore_errors: bool = False,
              use_last_cook_context_options: bool = False, apply_post_layers: bool = True, frame: Any = None,
              context_options: Any = None) -> Any:
        return self._stage


class UsdAttribute:
    """pxr.Usd.Attribute: Get() returns the value (https://openusd.org/release/api/class_usd_attribute.html)."""

    def __init__(self, value: Any) -> None:
        self._value = value

    def Get(self, time: Any = None) -> Any:  # noqa: N802 - USD's name
        return self._value


class UsdRelationship:
    """pxr.Usd.Relationship: GetTargets() lists target paths (https://openusd.org/release/api/class_usd_relationship.html)."""

    def __init__(self, targets: List[str]) -> None:
        self._targets = targets

    def GetTargets(self) -> List[str]:  # noqa: N802
        return list(self._targets)


class UsdPrim:
    """pxr.Usd.Prim: an invalid prim is falsy and IsValid() is False (https://openusd.org/release/api/class_usd_prim.html)."""

    def __init__(self, type_name: str = "", attributes: Optional[Dict[str, Any]] = None,
                 relationships: Optional[Dict[str, List[str]]] = None, valid: bool = True) -> None:
        self._type, self._attrs, self._rels, self._valid = type_name, attributes or {}, relationships or {}, valid

    def __bool__(self) -> bool:
        return self._valid

    def IsValid(self) -> bool:  # noqa: N802
        return self._valid

    def GetTypeName(self) -> str:  # noqa: N802
        return self._type

    def GetAttribute(self, name: str) -> UsdAttribute:  # noqa: N802
        return UsdAttribute(self._attrs.get(name))

    def GetRelationship(self, name: str) -> Optional[UsdRelationship]:  # noqa: N802
        return UsdRelationship(self._rels[name]) if name in self._rels else None


class UsdStage:
    """pxr.Usd.Stage: GetPrimAtPath (an invalid prim when there is none) and Traverse
    (https://openusd.org/release/api/class_usd_stage.html)."""

    def __init__(self, prims: Dict[str, UsdPrim]) -> None:
        self._prims = prims

    def GetPrimAtPath(self, path: str) -> UsdPrim:  # noqa: N802
        return self._prims.get(str(path), UsdPrim(valid=False))

    def Traverse(self) -> List[UsdPrim]:  # noqa: N802
        return list(self._prims.values())


class HipScene:
    """A fake Houdini session: nodes by path, file references, variables."""

    def __init__(self, hip: str = "/proj/shot.hip") -> None:
        self.nodes: Dict[str, OpNode] = {}
        self.variables = {"HIP": hip.rsplit("/", 1)[0], "HIPNAME": hip.rsplit("/", 1)[-1].rsplit(".", 1)[0],
                          "JOB": "/proj", "FSTART": "1", "FEND": "240"}
        self.hip = hip
        self.unsaved = False
        self.saves = 0
        self.frame = 12.0
        self.version = DEFAULT_VERSION
        self.env: Dict[str, str] = {"JOB": "/proj"}
        self.refs: List[Tuple[Optional[Parm], str]] = []
        for path in ("/", "/obj", "/out", "/stage"):
            self.add(path, "root" if path == "/" else "mgr")

    def add(self, path: str, type_name: str, cls: type = OpNode, inputs: Tuple[str, ...] = (),
            bypass: bool = False, **parms: Any) -> OpNode:
        node = cls(self, path, type_name, parms)
        node._inputs = [self.nodes.get(p) for p in inputs]
        if bypass:
            node._bypass = True  # type: ignore[attr-defined]
        self.nodes[path] = node
        return node

    def ref(self, node_path: Optional[str], parm_name: str, raw: Optional[str] = None) -> None:
        """A file reference as hou.fileReferences() reports it."""
        if node_path is None:
            self.refs.append((None, raw or ""))
            return
        parm = self.nodes[node_path].parm(parm_name)
        self.refs.append((parm, raw if raw is not None else parm.unexpandedString()))

    def expand(self, text: str, frame: Optional[float] = None) -> str:
        frame = self.frame if frame is None else frame

        def sub(match: "re.Match[str]") -> str:
            name = match.group(1) or match.group(2)
            found = re.fullmatch(r"F(\d*)", name)
            if found:
                return str(int(frame)).zfill(int(found.group(1) or 0))
            return self.variables.get(name, "")
        return re.sub(r"\$\{(\w+)\}|\$(\w+)", sub, text)


def install(scene: HipScene, monkeypatch: Any) -> Any:
    """Put the gated fake hou in sys.modules and forget imported adapter modules."""

    @gated(HOU_STUB, "hipFile")
    class hipFile:  # noqa: N801 - the real name
        @staticmethod
        def path() -> str:
            return scene.hip

        @staticmethod
        def hasUnsavedChanges() -> bool:
            return scene.unsaved

        @staticmethod
        def save(file_name: Optional[str] = None, save_to_recent_files: bool = True) -> None:
            scene.saves += 1

    @gated(HOU_STUB, "text")
    class text:  # noqa: N801
        @staticmethod
        def expandString(str: str, expand_tilde: bool = True) -> str:  # noqa: A002 - stub's name
            return scene.expand(str)

    @gated(HOU_STUB, "qt")
    class qt:  # noqa: N801
        @staticmethod
        def mainWindow() -> Any:
            raise Error("no UI in hython")

    impl = types.SimpleNamespace(
        node=lambda path: scene.nodes.get(path),
        fileReferences=lambda project_dir_variable="HIP", include_all_refs=True: list(scene.refs),
        applicationVersionString=lambda: scene.version,
        fps=lambda: 24.0,
        frame=lambda full_precision=False: scene.frame,
        getenv=lambda name, default_value=None: scene.env.get(name, default_value),
        hipFile=hipFile, text=text, qt=qt,
    )
    extra = {"Node": Node, "OpNode": OpNode, "RopNode": RopNode, "SopNode": SopNode, "LopNode": LopNode,
             "Parm": Parm, "OperationFailed": OperationFailed, "Error": Error}
    assert all(HOU_STUB.has(name) for name in extra), "every fake class stands for a real hou class"
    absent: Tuple[str, ...] = ()
    if tuple(int(n) for n in scene.version.split(".")[:2]) < (20, 0):
        # Houdini 19.5: hou.Node is the node class (what the fake's OpNode models); hou.OpNode,
        # hou.OpNodeType and the other Op* classes arrived with Houdini 20
        extra["Node"] = OpNode
        absent = tuple(n for n in ("OpNode", "OpNodeType", "OpNodeTypeCategory", "OpNodeConnection",
                                   "OpNetworkBox", "OpNetworkDot", "OpIndirectInput", "OpSubnetIndirectInput"))
    hou = stubfake.FakeModule(HOU_STUB, impl, extra, absent=absent)
    monkeypatch.setitem(sys.modules, "hou", hou)
    for name in [n for n in sys.modules if n == "rv_dcc_hosts.houdini" or n.startswith("rv_dcc_hosts.houdini.")]:
        monkeypatch.delitem(sys.modules, name)
    return hou
