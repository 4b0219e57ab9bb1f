"""A fake ``maya`` package for the Maya adapter tests, gated by the types-maya stubs.

``MayaScene`` holds nodes and attributes; ``install(scene, monkeypatch)`` puts maya, maya.cmds,
maya.mel and maya.standalone in sys.modules. Every cmds / mel function goes through
stubs/stubfake.py: names types-maya does not declare raise AttributeError, keywords it does not
declare raise TypeError. Behaviour mimics Maya where the adapter depends on it: getAttr on a
missing node raises ValueError, ls(type=<unknown type>) raises RuntimeError, fileInfo values come
back escaped.
"""
import importlib.util
import re
import sys
import sysconfig
import types
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

ROOT = Path(__file__).resolve().parents[3]
MAYA_STUBS = Path(sysconfig.get_paths()["purelib"]) / "maya-stubs"


def _stubfake():
    if "rv_dcc_stubfake" not in sys.modules:
        spec = importlib.util.spec_from_file_location("rv_dcc_stubfake", ROOT / "stubs" / "stubfake.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules["rv_dcc_stubfake"] = module
        spec.loader.exec_module(module)
    return sys.modules["rv_dcc_stubfake"]


stubfake = _stubfake()
CMDS_STUB = stubfake.Stub(MAYA_STUBS / "cmds.pyi", "maya.cmds")
MEL_STUB = stubfake.Stub(MAYA_STUBS / "mel.pyi", "maya.mel")
STANDALONE_STUB = stubfake.Stub(MAYA_STUBS / "standalone.pyi", "maya.standalone")

BASE_TYPES = {"file", "camera", "renderLayer", "renderGlobals", "resolution", "audio", "imagePlane",
              "gpuCache", "AlembicNode", "reference", "time"}


class MayaScene:
    """The state of a fake Maya session: nodes, connections, plug-ins, file info."""

    def __init__(self) -> None:
        self.nodes: Dict[str, Dict[str, Any]] = {}
        self.connections: Dict[str, str] = {}  # destination plug -> source plug
        self.types = set(BASE_TYPES)
        self.plugins: Dict[str, str] = {}
        self.plugins_in_use: List[str] = []
        self.references: List[str] = []
        self.reference_nodes: Dict[str, str] = {}
        self.file_list: List[str] = []
        self.file_info: Dict[str, str] = {}
        self.scene_name = ""
        self.modified = False
        self.render_setup = False
        self.installed_version = "Autodesk Maya 2024.2"
        self.ui_language = "en_US"  # about -uiLanguage
        self.time_unit = "film"
        self.workspace_root = "/proj/"
        self.selection: List[str] = []
        self.opened: List[str] = []
        self.saves = 0
        self.add("defaultRenderGlobals", "renderGlobals", currentRenderer="arnold", startFrame=1.0,
                 endFrame=10.0, byFrameStep=1.0, animation=True, imageFilePrefix="<Scene>/<RenderLayer>",
                 imfPluginKey="iff", extensionPadding=4, modifyExtension=False)
        self.add("defaultResolution", "resolution", width=1920, height=1080)
        self.add("time1", "time", outTime=7.0)
        self.add("defaultRenderLayer", "renderLayer", renderable=True)
        self.current_layer = "defaultRenderLayer"
        self.layer_switches: List[str] = []
        #: Render Setup overrides: legacy layer node (rs_<name>) -> [(plug, "abs"|"rel", value, offset)]
        self.rs_overrides: Dict[str, List[Tuple[str, str, Any, Any]]] = {}

    def add(self, node_name: str, node_type: str, **attrs: Any) -> str:
        """Add a node with attributes; returns its name."""
        self.nodes[node_name] = {"__type__": node_type, **attrs}
        return node_name

    def load_plugin(self, name: str, version: str, *types_: str) -> None:
        """Load a plug-in that defines node types."""
        self.plugins[name] = version
        self.types.update(types_)

    def adjust(self, layer: str, plug: str, value: Any) -> None:
        """A legacy render layer adjustment (override) of plug."""
        attrs = self.nodes[layer]
        index = len([k for k in attrs if k.startswith("adjustments[") and k.endswith("].value")])
        attrs[f"adjustments[{index}].value"] = value
        self.connections[f"{layer}.adjustments[{index}].plug"] = plug


    def rs_layer(self, name: str, renderable: bool = True) -> str:
        """A Render Setup layer: Maya keeps a legacy renderLayer node "rs_<name>" for each one
        (ayon_maya/api/lib_rendersetup.py get_rendersetup_layer: "converts names from legacy
        renderLayer node name to render setup name"); its overrides live in override nodes, never
        in the legacy node's .adjustments."""
        self.render_setup = True
        self.rs_overrides.setdefault("rs_" + name, [])
        return self.add("rs_" + name, "renderLayer", renderable=renderable)

    def absolute(self, layer: str, plug: str, value: Any) -> None:
        """An absolute override (absOverride): in the layer the attribute takes ``value``."""
        self.rs_overrides[layer].append((plug, "abs", value, None))

    def relative(self, layer: str, plug: str, multiply: float, offset: float) -> None:
        """A relative override (relOverride): original * multiply + offset (the formula AYON's
        lib_rendersetup.get_attr_in_layer applies to RelOverride's multiply / offset)."""
        self.rs_overrides[layer].append((plug, "rel", multiply, offset))

    def effective(self, plug: str, value: Any) -> Any:
        """``plug``'s value in the current layer: Maya applies a layer's legacy adjustments and its
        Render Setup overrides (through applyOverride nodes) to the attributes themselves when
        the layer is the current one, so getAttr returns the layer's value ("The example ends by
        switching to the render layer, where you will see ... the cube translated", Render Setup
        Python API and commands, https://help.autodesk.com/cloudhelp/2022/ENU/Maya-Rendering/files/GUID-FFC3298A-9803-4EAF-B472-D13247319EB0.htm)."""
        layer = self.current_layer
        if layer == "defaultRenderLayer":
            return value
        attrs = self.nodes[layer]
        for key, adjusted in attrs.items():
            if key.startswith("adjustments[") and key.endswith("].value"):
                if self.connections.get(f"{layer}.{key[:-len('.value')]}.plug") == plug:
                    value = adjusted
        for target, kind, first, second in self.rs_overrides.get(layer, []):
            if target == plug:
                value = first if kind == "abs" else value * first + second
        return value


class Cmds:
    """Implementations of the maya.cmds functions the adapter uses."""

    def __init__(self, scene: MayaScene) -> None:
        self.s = scene

    def ls(self, *args: Any, type: Optional[str] = None, **kw: Any) -> List[str]:
        if type is not None and type not in self.s.types:
            raise RuntimeError(f"Unknown object type: {type}")
        return [n for n, a in self.s.nodes.items() if type is None or a["__type__"] == type]

    def getAttr(self, plug: str, asString: bool = False, multiIndices: bool = False, **kw: Any) -> Any:
        node, _, attr = plug.partition(".")
        if node not in self.s.nodes:
            raise ValueError(f"No object matches name: {plug}")
        attrs = self.s.nodes[node]
        if multiIndices:
            return sorted({int(k[len(attr) + 1:].split("]")[0]) for k in attrs if k.startswith(attr + "[")}) or None
        key = attr + "@label" if asString and attr + "@label" in attrs else attr
        if key not in attrs:
            raise ValueError(f"No object matches name: {plug}")
        return self.s.effective(plug, attrs[key]) if key == attr else attrs[key]

    def editRenderLayerGlobals(self, *args: Any, query: bool = False, currentRenderLayer: Any = None,
                               **kw: Any) -> Any:
        # -currentRenderLayer: query the current layer, or make the named layer current
        # (https://help.autodesk.com/cloudhelp/2024/ENU/Maya-Tech-Docs/CommandsPython/editRenderLayerGlobals.html);
        # an unknown layer is an error, as in Maya.
        if query:
            return self.s.current_layer
        if currentRenderLayer not in self.s.nodes or self.s.nodes[currentRenderLayer]["__type__"] != "renderLayer":
            raise RuntimeError(f"No render layer named {currentRenderLayer}")
        self.s.current_layer = currentRenderLayer
        self.s.layer_switches.append(currentRenderLayer)
        return True

    def renderSettings(self, *args: Any, firstImageName: bool = False, fullPath: bool = False,
                       genericFrameImageName: Optional[str] = None, layer: Optional[str] = None,
                       camera: Optional[str] = None, customTokenString: str = "", **kw: Any) -> List[str]:
        """Maya's image name for ``layer`` / ``camera`` (renderSettings, Maya Commands reference:
        "Basic tokens (Scene, Layer, RenderLayer, Camera, Version, Extension) will be automatically
        expanded. Any other tokens must be specified here [customTokenString]"; -fullPath puts it
        under the project's images folder; -genericFrameImageName puts the given token where the
        frame number goes). <RenderLayer> of the default layer is "masterLayer" and of a Render
        Setup layer its name without "rs_" (lib_rendersetup.get_rendersetup_layer, AYON);
        <Camera> is the camera's transform. Unmatched tokens are removed."""
        if not (firstImageName or genericFrameImageName is not None):
            raise NotImplementedError(kw)
        previous = self.s.current_layer
        if layer:
            self.editRenderLayerGlobals(currentRenderLayer=layer)
        try:
            prefix = str(self.getAttr("defaultRenderGlobals.imageFilePrefix") or "") or "<Scene>"
            padding = int(self.getAttr("defaultRenderGlobals.extensionPadding") or 1)
            ext = str(self.s.nodes.get("defaultArnoldDriver", {}).get("ai_translator") or
                      self.getAttr("defaultRenderGlobals.imfPluginKey"))
            version = str(self.s.nodes["defaultRenderGlobals"].get("renderVersion", ""))
        finally:
            self.s.current_layer = previous
        name = self.s.current_layer if not layer else layer
        tokens = {"Scene": self.s.scene_name.replace("\\", "/").rsplit("/", 1)[-1].rsplit(".", 1)[0] or "untitled",
                  "RenderLayer": "masterLayer" if name == "defaultRenderLayer" else re.sub(r"^rs_", "", name),
                  "Camera": self.s.nodes.get(camera or "", {}).get("__parent__", camera or ""), "Version": version,
                  "Extension": ext}
        tokens["Layer"] = tokens["RenderLayer"]
        tokens.update(pair.split("=", 1) for pair in customTokenString.split() if "=" in pair)
        resolved = re.sub(r"<(\w+)>", lambda m: tokens.get(m.group(1), ""), prefix)
        frame = genericFrameImageName if genericFrameImageName is not None else "1".zfill(padding)
        image = f"{resolved}.{frame}.{ext}"
        return [self.s.workspace_root.rstrip("/") + "/images/" + image if fullPath else image]

    def listConnections(self, plug: str, source: bool = True, plugs: bool = False, **kw: Any) -> List[str]:
        found = self.s.connections.get(plug)
        if found is None:
            return []
        return [found if plugs else found.split(".")[0]]

    def nodeType(self, node: str, **kw: Any) -> str:
        return self.s.nodes[node]["__type__"]

    def workspace(self, *args: Any, query: bool = False, rootDirectory: bool = False,
                  fileRuleEntry: Optional[str] = None, expandName: Optional[str] = None, **kw: Any) -> Any:
        if rootDirectory:
            return self.s.workspace_root
        if fileRuleEntry:
            return {"images": "images"}.get(fileRuleEntry, "")
        if expandName is not None:
            return self.s.workspace_root.rstrip("/") + "/" + expandName
        raise NotImplementedError(kw)

    def about(self, installedVersion: bool = False, version: bool = False, batch: bool = False,
              uiLanguage: bool = False) -> Any:
        # -uiLanguage: "en_US", "ja_JP" or "zh_CN" (the values MAYA_UI_LANGUAGE takes, Maya docs
        # "Run Maya in English in a Japanese or Simplified Chinese environment")
        if uiLanguage:
            return self.s.ui_language
        if installedVersion:
            return self.s.installed_version
        if version:
            return self.s.installed_version.split()[-1].split(".")[0]
        return False

    def listAttr(self, *args: Any, string: Any = None, **kw: Any) -> List[str]:
        # -string: attribute names matching the wildcard pattern (listAttr, Maya Commands reference)
        import fnmatch
        attrs = [k for k in self.s.nodes[args[0]] if not k.startswith("__") and "@" not in k]
        return [a for a in attrs if string is None or fnmatch.fnmatchcase(a, string)]

    def listRelatives(self, *args: Any, parent: bool = False, **kw: Any) -> List[str]:
        # -parent: the transform above a shape ([] at the top)
        if not parent:
            raise NotImplementedError(kw)
        found = self.s.nodes[args[0]].get("__parent__")
        return [found] if found else []

    def file(self, *args: Any, query: bool = False, sceneName: bool = False, modified: bool = False,
             reference: bool = False, list: bool = False, open: bool = False, save: bool = False, **kw: Any) -> Any:
        if open:
            self.s.opened.append(args[0])
            self.s.scene_name = args[0]
            return args[0]
        if save:
            self.s.saves += 1
            return self.s.scene_name
        if sceneName:
            return self.s.scene_name
        if modified:
            return self.s.modified
        if reference:
            return builtins_list(self.s.references)
        if list:
            return builtins_list(self.s.file_list)
        raise NotImplementedError(kw)

    def referenceQuery(self, ref: str, referenceNode: bool = False, **kw: Any) -> str:
        return self.s.reference_nodes[ref]

    def pluginInfo(self, *args: Any, query: bool = False, listPlugins: bool = False,
                   pluginsInUse: bool = False, version: bool = False, **kw: Any) -> Any:
        if listPlugins:
            return sorted(self.s.plugins)
        if pluginsInUse:  # Maya answers name, version pairs
            return [x for name in self.s.plugins_in_use for x in (name, self.s.plugins[name])] or None
        if version:
            return self.s.plugins[args[0]]
        raise NotImplementedError(kw)

    def currentUnit(self, query: bool = False, time: bool = False) -> str:
        return self.s.time_unit

    def fileInfo(self, *args: Any, query: bool = False, **kw: Any) -> List[str]:
        if query:
            value = self.s.file_info.get(args[0])
            return [] if value is None else [value.replace("\\", "\\\\").replace('"', '\\"')]
        self.s.file_info[args[0]] = args[1]
        return []

    def objExists(self, name: str) -> bool:
        return name in self.s.nodes

    def select(self, *names: str, replace: bool = False) -> None:
        self.s.selection = builtins_list(names)


builtins_list = list


class Mel:
    """maya.mel: only the expressions the adapter evaluates."""

    def __init__(self, scene: MayaScene) -> None:
        self.s = scene

    def eval(self, expression: str) -> Any:
        if expression == "mayaHasRenderSetup()":
            return int(self.s.render_setup)
        raise NotImplementedError(expression)


class Standalone:
    """maya.standalone: counts initialize/uninitialize pairs."""

    def __init__(self) -> None:
        self.calls: List[str] = []

    def initialize(self, name: str = "python") -> None:
        self.calls.append("initialize")

    def uninitialize(self) -> None:
        self.calls.append("uninitialize")


def install(scene: MayaScene, monkeypatch: Any) -> types.SimpleNamespace:
    """Put the gated fake maya modules in sys.modules and forget any imported adapter modules."""
    standalone_impl = Standalone()
    cmds = stubfake.FakeModule(CMDS_STUB, Cmds(scene))
    mel = stubfake.FakeModule(MEL_STUB, Mel(scene))
    standalone = stubfake.FakeModule(STANDALONE_STUB, standalone_impl)
    maya = types.ModuleType("maya")
    maya.cmds, maya.mel, maya.standalone = cmds, mel, standalone  # type: ignore[attr-defined]
    for name, module in (("maya", maya), ("maya.cmds", cmds), ("maya.mel", mel), ("maya.standalone", standalone)):
        monkeypatch.setitem(sys.modules, name, module)
    for name in [n for n in sys.modules if n == "rv_dcc_hosts.maya" or n.startswith("rv_dcc_hosts.maya.")]:
        monkeypatch.delitem(sys.modules, name)
    return types.SimpleNamespace(cmds=cmds, mel=mel, standalone=standalone_impl)
