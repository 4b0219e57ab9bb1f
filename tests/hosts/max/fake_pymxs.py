"""A fake ``pymxs`` for the 3ds Max adapter tests, gated by stubs/pymxs/__init__.pyi.

The stub was written from Autodesk's MAXScript / pymxs documentation (pages cited in it). Every
fake class is declared with stubfake.gated(<stub class>): methods and attributes the stub does
not declare cannot exist on the fake, and calls with undeclared keywords raise TypeError. So the
adapter is tested against exactly the documented surface, nothing the fake happens to allow.
``MaxScene`` holds the state; ``install(scene, monkeypatch)`` puts ``pymxs`` in sys.modules.
"""
import importlib.util
import sys
import types
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Tuple

ROOT = Path(__file__).resolve().parents[3]


def _stubfake():
    if "rv_dcc_stubfake" not in sys.modules:
        spec = importlib.util.spec_from_file_location("rv_dcc_stubfake", ROOT / "stubs" / "stubfake.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules["rv_dcc_stubfake"] = module
        spec.loader.exec_module(module)
    return sys.modules["rv_dcc_stubfake"]


stubfake = _stubfake()
STUB = stubfake.Stub(ROOT / "stubs" / "pymxs" / "__init__.pyi", "pymxs")
gated = stubfake.gated


@gated(STUB, "Name")
class Name:
    def __init__(self, name: str) -> None:
        self._name = name

    def __str__(self) -> str:
        return self._name

    def __eq__(self, other: object) -> bool:
        return str(other).lower() == self._name.lower()

    def __hash__(self) -> int:
        return hash(self._name.lower())


@gated(STUB, "Time")
class Time:
    def __init__(self, frame: float) -> None:
        self.frame = float(frame)
        self.ticks = int(frame * 160)


@gated(STUB, "Interval")
class Interval:
    def __init__(self, start: float, end: float) -> None:
        self.start, self.end = Time(start), Time(end)


@gated(STUB, "MaxObject")
class MaxObject:
    def __init__(self, name: str, cls: str) -> None:
        self.name, self._cls = name, cls


class MaxClass:
    """What classOf returns: prints as the class name."""

    def __init__(self, name: str) -> None:
        self._name = name

    def __str__(self) -> str:
        return self._name


@gated(STUB, "RenderElement")
class RenderElement:
    def __init__(self, name: str, enabled: bool = True) -> None:
        self.elementName, self.enabled = name, enabled


@gated(STUB, "RenderElementMgr")
class RenderElementMgr:
    def __init__(self, elements: List[Tuple[str, str]], active: bool) -> None:
        self._elements, self._active = elements, active

    def NumRenderElements(self) -> int:
        return len(self._elements)

    def GetRenderElement(self, index: int) -> RenderElement:
        return RenderElement(self._elements[index][0])

    def GetElementsActive(self) -> bool:
        return self._active

    def GetRenderElementFilename(self, index: int) -> str:
        return self._elements[index][1]


@gated(STUB, "MaxOps")
class MaxOps:
    def __init__(self, manager: RenderElementMgr) -> None:
        self._manager = manager
        self.mxsCmdLineArgs: Dict[Any, str] = {}

    def GetCurRenderElementMgr(self) -> RenderElementMgr:
        return self._manager


@gated(STUB, "AssetUser")
class AssetUser:
    def __init__(self, path: str, kind: str) -> None:
        self._path, self._kind = path, kind

    def GetFileName(self) -> str:
        return self._path

    def GetFullFilePath(self) -> str:
        return self._path

    def GetType(self) -> Name:
        return Name(self._kind)


@gated(STUB, "AssetManagerInterface")
class AssetManagerInterface:
    def __init__(self, assets: List[Tuple[str, str]]) -> None:
        self._assets = [AssetUser(p, k) for p, k in assets]

    def GetNumAssets(self) -> int:
        return len(self._assets)

    def GetAssetByIndex(self, index: int) -> AssetUser:
        if index < 1:
            raise IndexError("AssetManager indices start at 1")
        return self._assets[index - 1]


@gated(STUB, "XRefScene")
class XRefScene:
    def __init__(self, filename: str) -> None:
        self.filename, self.disabled = filename, False


@gated(STUB, "XRefsInterface")
class XRefsInterface:
    def __init__(self, files: List[str]) -> None:
        self._files = files

    def getXRefFileCount(self) -> int:
        return len(self._files)

    def getXRefFile(self, index: int) -> XRefScene:
        return XRefScene(self._files[index - 1])


@gated(STUB, "XRefRecord")
class XRefRecord:
    def __init__(self, path: str) -> None:
        self.srcFileName = path


@gated(STUB, "ObjXRefMgrInterface")
class ObjXRefMgrInterface:
    def __init__(self, files: List[str]) -> None:
        self._files = files
        self.recordCount = len(files)

    def GetRecord(self, index: int) -> XRefRecord:
        return XRefRecord(self._files[index - 1])


@gated(STUB, "FilePropertiesInterface")
class FilePropertiesInterface:
    def __init__(self) -> None:
        self._custom: List[Tuple[str, Any]] = []

    def findProperty(self, category: Name, name: str) -> int:
        assert str(category) == "custom"
        names = [n for n, _ in self._custom]
        return names.index(name) + 1 if name in names else 0

    def getPropertyValue(self, category: Name, index: int) -> Any:
        return self._custom[index - 1][1]

    def addProperty(self, category: Name, name: str, value: Any) -> None:
        index = self.findProperty(category, name)
        if index:
            self._custom[index - 1] = (name, value)
        else:
            self._custom.append((name, value))


@gated(STUB, "RenderersInterface")
class RenderersInterface:
    def __init__(self, current: Any) -> None:
        self.current = current


@gated(STUB, "DisplayGammaInterface")
class DisplayGammaInterface:
    def __init__(self, mode: str, gamma: float) -> None:
        self.colorCorrectionMode, self.gamma = Name(mode), gamma
        self.fileInGamma = self.fileOutGamma = gamma


@gated(STUB, "PathConfigInterface")
class PathConfigInterface:
    def __init__(self, folder: str) -> None:
        self._folder = folder

    def getCurrentProjectFolder(self) -> str:
        return self._folder


@gated(STUB, "ViewportInterface")
class ViewportInterface:
    def __init__(self, camera: Optional[MaxObject]) -> None:
        self._camera = camera

    def getCamera(self) -> Optional[MaxObject]:
        return self._camera


class MaxScene:
    """Plain settings a test changes before install()."""

    def __init__(self) -> None:
        self.renderer_class = "V_Ray_6__update_2"
        self.output = "D:\\renders\\shot\\beauty.exr"
        self.save_file = True
        self.time_type = 3
        self.rend_range = (0, 100)
        self.nth = 1
        self.pickup = ""
        self.animation_range = (0, 120)
        self.current = 15
        self.size = (1920, 1080)
        self.cameras: List[Tuple[str, str]] = [("Camera001", "Physical"), ("Camera001.Target", "Targetobject"),
                                                ("CamSide", "Freecamera")]
        self.view_camera: Optional[str] = "Camera001"
        self.elements: List[Tuple[str, str]] = []
        self.elements_active = True
        self.assets: List[Tuple[str, str]] = []
        self.xref_scenes: List[str] = []
        self.xref_objects: List[str] = []
        self.gamma = ("gamma", 2.2)
        self.version: Sequence[Any] = (27000, 52, 0, 27, 2, 0, 0, 2025)
        self.path, self.file = "D:\\proj\\scenes\\", "shot.max"
        self.dirty = False
        self.project = "D:\\proj"
        self.nodes = ["Teapot001"]


def install(scene: MaxScene, monkeypatch: Any) -> Any:
    """Build the gated runtime from ``scene`` and put ``pymxs`` in sys.modules."""
    objects = {name: MaxObject(name, cls) for name, cls in scene.cameras}
    objects.update({name: MaxObject(name, "Editable_Poly") for name in scene.nodes})

    @gated(STUB, "Runtime")
    class Runtime:
        def __init__(self) -> None:
            self.renderers = RenderersInterface(MaxClass(scene.renderer_class))
            self.rendOutputFilename, self.rendSaveFile = scene.output, scene.save_file
            self.rendTimeType, self.rendNThFrame, self.rendPickupFrames = scene.time_type, scene.nth, scene.pickup
            self.rendStart, self.rendEnd = Time(scene.rend_range[0]), Time(scene.rend_range[1])
            self.renderWidth, self.renderHeight = scene.size
            self.animationRange = Interval(*scene.animation_range)
            self.currentTime, self.frameRate = Time(scene.current), 25
            self.cameras = [objects[name] for name, _ in scene.cameras]
            self.maxOps = MaxOps(RenderElementMgr(scene.elements, scene.elements_active))
            self.AssetManager = AssetManagerInterface(scene.assets)
            self.xrefs = XRefsInterface(scene.xref_scenes)
            self.objXRefMgr = ObjXRefMgrInterface(scene.xref_objects)
            self.fileProperties = FilePropertiesInterface()
            self.IDisplayGamma = DisplayGammaInterface(*scene.gamma)
            self.pathConfig = PathConfigInterface(scene.project)
            self.viewport = ViewportInterface(objects.get(scene.view_camera or ""))
            self.maxFilePath, self.maxFileName = scene.path, scene.file
            self._selected: List[Any] = []
            self._saved: List[str] = []

        def Name(self, name: str) -> Name:
            return Name(name)

        def classOf(self, obj: Any) -> Any:
            return obj if isinstance(obj, MaxClass) else MaxClass(obj._cls)

        def maxVersion(self) -> Sequence[Any]:
            return scene.version

        def getSaveRequired(self) -> bool:
            return scene.dirty

        def saveMaxFile(self, fileName: str, quiet: bool = False) -> bool:
            self._saved.append(fileName)
            return True

        def loadMaxFile(self, fileName: str, quiet: bool = False, useFileUnits: bool = False) -> bool:
            return fileName.lower().endswith(scene.file.lower()) if scene.file else False

        def getNodeByName(self, name: str) -> Optional[MaxObject]:
            return objects.get(name)

        def select(self, obj: Any) -> None:
            self._selected = [obj]

    runtime = Runtime()
    pymxs = stubfake.FakeModule(STUB, types.SimpleNamespace(runtime=runtime))
    monkeypatch.setitem(sys.modules, "pymxs", pymxs)
    for name in [n for n in sys.modules if n == "rv_dcc_hosts.max" or n.startswith("rv_dcc_hosts.max.")]:
        monkeypatch.delitem(sys.modules, name)
    return runtime
