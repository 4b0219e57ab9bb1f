"""A fake ``c4d`` for the Cinema 4D adapter tests, gated by stubs/c4d (written from Maxon's docs).

Every fake class is declared with stubfake.gated(<stub class>) and the c4d / c4d.documents
functions go through stubfake.FakeModule: what the stubs do not declare does not exist here,
and calls with undeclared keywords raise TypeError (GetAllAssetsNew's keywords included).
``C4DScene`` builds a document; ``install(scene, monkeypatch)`` puts the modules in sys.modules.
"""
import importlib.util
import re
import sys
import types
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Tuple

ROOT = Path(__file__).resolve().parents[3]


def _stubfake():
    if "rv_dcc_stubfake" not in sys.modules:
        spec = importlib.util.spec_from_file_location("rv_dcc_stubfake", ROOT / "stubs" / "stubfake.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules["rv_dcc_stubfake"] = module
        spec.loader.exec_module(module)
    return sys.modules["rv_dcc_stubfake"]


stubfake = _stubfake()
STUBS = ROOT / "stubs" / "c4d"
C4D_STUB = stubfake.Stub(STUBS / "__init__.pyi", "c4d")
TAKE_STUB = stubfake.Stub(STUBS / "modules" / "takesystem.pyi", "c4d.modules.takesystem", also=[C4D_STUB])
TOKEN_STUB = stubfake.Stub(STUBS / "modules" / "tokensystem.pyi", "c4d.modules.tokensystem")
DOCS_STUB = stubfake.Stub(STUBS / "documents.pyi", "c4d.documents", also=[C4D_STUB, TAKE_STUB])
gated = stubfake.gated

#: constant values (Ocamera and the engine ids are the SDK's; the others only need to be distinct)
CONSTANTS: Dict[str, int] = {"Ocamera": 5103, "RDATA_RENDERENGINE_STANDARD": 0, "RDATA_RENDERENGINE_PHYSICAL": 1023342,
                             "RDATA_RENDERENGINE_PREVIEWHARDWARE": 300001061, "GETALLASSETSRESULT_FAILED": 0,
                             "GETALLASSETSRESULT_OK": 1, "GETALLASSETSRESULT_MISSING": 2, "SELECTION_NEW": 0}
for _index, _name in enumerate(sorted(n for n in C4D_STUB._names if n.isupper() or n.startswith(("RDATA_", "FILTER_",
                                                                                                  "ASSETDATA_")))):
    CONSTANTS.setdefault(_name, 2000 + _index if not _name.startswith("ASSETDATA_FLAG") else 1 << (_index % 20))


@gated(C4D_STUB, "BaseTime")
class BaseTime:
    def __init__(self, frame: int) -> None:
        self._frame = frame

    def GetFrame(self, fps: int) -> int:
        return self._frame

    def Get(self) -> float:
        return self._frame / 25.0


@gated(C4D_STUB, "BaseContainer")
class BaseContainer:
    def __init__(self, n: Any = None) -> None:
        self._data: Dict[int, Any] = {}

    def GetString(self, id: int, preset: str = "") -> str:  # noqa: A002 - the SDK's name
        return self._data.get(id, preset)

    def SetString(self, id: int, s: str) -> None:  # noqa: A002
        self._data[id] = s

    def GetContainer(self, id: int) -> "BaseContainer":  # noqa: A002
        return self._data.get(id) or BaseContainer()

    def SetContainer(self, id: int, n: "BaseContainer") -> None:  # noqa: A002
        self._data[id] = n


@gated(C4D_STUB, "BaseObject")
class BaseObject:
    def __init__(self, name: str, type_id: int, children: Tuple["BaseObject", ...] = ()) -> None:
        self._name, self._type, self._children = name, type_id, list(children)
        self._next: Optional[BaseObject] = None
        for left, right in zip(self._children, self._children[1:]):
            left._next = right

    def GetName(self) -> str:
        return self._name

    def GetType(self) -> int:
        return self._type

    def GetDown(self) -> Optional["BaseObject"]:
        return self._children[0] if self._children else None

    def GetNext(self) -> Optional["BaseObject"]:
        return self._next


@gated(C4D_STUB, "BaseDraw")
class BaseDraw:
    def __init__(self, camera: Optional[BaseObject]) -> None:
        self._camera = camera

    def GetSceneCamera(self, doc: Any) -> Optional[BaseObject]:
        return self._camera


@gated(DOCS_STUB, "RenderData")
class RenderData:
    def __init__(self, values: Dict[str, Any]) -> None:
        self._values = {CONSTANTS[k]: v for k, v in values.items()}

    def __getitem__(self, key: int) -> Any:
        return self._values[key]

    def GetName(self) -> str:
        return self._name

    def GetDataInstance(self) -> BaseContainer:
        return BaseContainer()

    _name = "My Render Setting"


def render_data(start: int = 0, end: int = 90, step: int = 1, size: Tuple[int, int] = (1920, 1080),
                path: str = "./render/shot", fmt: str = "FILTER_EXR", engine: Any = "RDATA_RENDERENGINE_STANDARD",
                multipass: bool = False, sequence: str = "MANUAL", name: str = "My Render Setting") -> RenderData:
    """A RenderData with the values the adapter reads (sequence: MANUAL, CURRENTFRAME, ALLFRAMES, PREVIEWRANGE)."""
    rd = RenderData({"RDATA_FRAMESEQUENCE": CONSTANTS["RDATA_FRAMESEQUENCE_" + sequence],
        "RDATA_FRAMEFROM": BaseTime(start), "RDATA_FRAMETO": BaseTime(end), "RDATA_FRAMESTEP": step,
        "RDATA_XRES": float(size[0]), "RDATA_YRES": float(size[1]), "RDATA_PATH": path,
        "RDATA_FORMAT": CONSTANTS[fmt], "RDATA_SAVEIMAGE": True,
        "RDATA_RENDERENGINE": CONSTANTS[engine] if isinstance(engine, str) else engine,
        "RDATA_MULTIPASS_ENABLE": multipass, "RDATA_MULTIPASS_SAVEIMAGE": multipass,
        "RDATA_MULTIPASS_FILENAME": "./render/passes" if multipass else "",
        "RDATA_MULTIPASS_SAVEFORMAT": CONSTANTS["FILTER_EXR"],
    })
    rd._name = name
    return rd


@gated(TAKE_STUB, "BaseTake")
class BaseTake:
    def __init__(self, name: str, checked: bool = True, camera: Optional[BaseObject] = None,
                 rd: Optional[RenderData] = None, children: Tuple["BaseTake", ...] = (), main: bool = False) -> None:
        self._name, self._checked, self._camera, self._rd, self._main = name, checked, camera, rd, main
        self._children = list(children)
        self._next: Optional[BaseTake] = None
        self._parent: Optional[BaseTake] = None
        self._doc_rd: Optional[RenderData] = None  # the document's active render data (set by install)
        for left, right in zip(self._children, self._children[1:]):
            left._next = right
        for child in self._children:
            child._parent = self

    def GetName(self) -> str:
        return self._name

    def GetDown(self) -> Optional["BaseTake"]:
        return self._children[0] if self._children else None

    def GetNext(self) -> Optional["BaseTake"]:
        return self._next

    def IsChecked(self) -> bool:
        return self._checked

    def IsMain(self) -> bool:
        return self._main

    def GetCamera(self, takeData: Any) -> Optional[BaseObject]:
        return self._camera

    def GetEffectiveCamera(self, takeData: Any) -> Optional[Tuple[BaseObject, "BaseTake"]]:
        # "Gets the camera used by the Take even if it comes from a parent Take" (BaseTake,
        # Cinema 4D Python SDK); a tuple (camera, take that sets it), as
        # deadline-cloud-for-cinema-4d unpacks it; None when no take up to Main sets one
        take: Optional[BaseTake] = self
        while take is not None:
            if take._camera is not None:
                return take._camera, take
            take = take._parent
        return None

    def GetEffectiveRenderData(self, takeData: Any) -> Optional[Tuple[Any, "BaseTake"]]:
        # "Gets the render data used by the Take even if it comes from a parent Take"; the Main
        # take renders with the document's active render data
        take: Optional[BaseTake] = self
        while take is not None:
            if take._rd is not None:
                return take._rd, take
            if take._main and take._doc_rd is not None:
                return take._doc_rd, take
            take = take._parent
        return None


@gated(TAKE_STUB, "TakeData")
class TakeData:
    def __init__(self, main: BaseTake) -> None:
        self._main = main

    def GetMainTake(self) -> BaseTake:
        return self._main

    def GetCurrentTake(self) -> BaseTake:
        return self._main


@gated(DOCS_STUB, "BaseDocument")
class BaseDocument:
    def __init__(self, scene: "C4DScene") -> None:
        self._s = scene
        self._container = BaseContainer()
        self._active: Optional[BaseObject] = None

    def GetDocumentPath(self) -> str:
        return self._s.folder

    def GetDocumentName(self) -> str:
        return self._s.name

    def GetChanged(self) -> bool:
        return self._s.changed

    def GetFps(self) -> int:
        return self._s.fps

    def GetTime(self) -> BaseTime:
        return BaseTime(self._s.time)

    def GetMinTime(self) -> BaseTime:
        return BaseTime(self._s.document_range[0])

    def GetMaxTime(self) -> BaseTime:
        return BaseTime(self._s.document_range[1])

    def GetLoopMinTime(self) -> BaseTime:
        return BaseTime(self._s.preview_range[0])

    def GetLoopMaxTime(self) -> BaseTime:
        return BaseTime(self._s.preview_range[1])

    def GetActiveRenderData(self) -> RenderData:
        return self._s.rd

    def GetFirstObject(self) -> Optional[BaseObject]:
        return self._s.objects[0] if self._s.objects else None

    def GetTakeData(self) -> Optional[TakeData]:
        return TakeData(self._s.main_take) if self._s.main_take is not None else None

    def GetRenderBaseDraw(self) -> Optional[BaseDraw]:
        return BaseDraw(self._s.scene_camera)

    def SearchObject(self, str: str) -> Optional[BaseObject]:  # noqa: A002
        stack = list(self._s.objects)
        while stack:
            obj = stack.pop()
            if obj.GetName() == str:
                return obj
            stack.extend(obj._children)
        return None

    def SetActiveObject(self, op: Optional[BaseObject], mode: int = 0) -> None:
        self._active = op

    def GetDataInstance(self) -> BaseContainer:
        return self._container

    def GetName(self) -> str:
        return self._s.name


class C4DScene:
    """The document a test builds."""

    def __init__(self) -> None:
        self.folder, self.name = "/proj/c4d", "shot.c4d"
        self.changed = False
        self.fps = 25
        self.rd = render_data()
        self.objects: List[BaseObject] = []
        self.scene_camera: Optional[BaseObject] = None
        self.main_take: Optional[BaseTake] = BaseTake("Main", main=True)
        self.assets: List[Dict[str, Any]] = []
        self.asset_result = "GETALLASSETSRESULT_OK"
        self.version = 2024200
        self.time = 12  # the current frame
        self.document_range = (0, 150)  # Project Settings min / max time
        self.preview_range = (20, 60)  # the timeline's preview range
        self.saved: List[str] = []
        self.events = 0


def convert_tokens(scene: C4DScene, path: str, data: Dict[str, Any]) -> str:
    """tokensystem.FilenameConvertTokens: the tokens of Cinema 4D Help, "Variable Path and File Names
    (Tokens)" (https://help.maxon.net/c4d/s26/en-us/Content/html/54506.html): $prj project file name,
    $camera current camera name, $take current take name, $rs render setting name, $res resolution
    (width x height), $fps, $frame; an unknown token stays as written."""
    take = data.get("_take")
    rd = data["_rData"]
    found = take.GetEffectiveCamera(None) if take is not None else None
    camera = found[0] if found else scene.scene_camera
    values = {"prj": scene.name.rsplit(".", 1)[0], "take": take.GetName() if take is not None else "Main",
              "camera": camera.GetName() if camera is not None else "", "rs": rd.GetName(),
              "res": f"{int(rd._values[CONSTANTS['RDATA_XRES']])}x{int(rd._values[CONSTANTS['RDATA_YRES']])}",
              "fps": str(scene.fps), "frame": str(data.get("_frame", 0))}
    return re.sub(r"\$([a-z]+)", lambda m: values.get(m.group(1), m.group(0)), path)


def install(scene: C4DScene, monkeypatch: Any) -> Any:
    """Put the gated fake c4d modules in sys.modules; returns the active document."""
    doc = BaseDocument(scene)

    def get_all_assets_new(doc_: Any, allowDialogs: bool, lastPath: str, flags: int = 0,
                           assetList: Optional[List[Dict[str, Any]]] = None,
                           isCancelled: Optional[Callable[[], bool]] = None) -> int:
        if assetList is not None:
            assetList.extend(dict(a) for a in scene.assets)
        return CONSTANTS[scene.asset_result]

    def save_document(doc_: Any, name: str, saveflags: int, format: int) -> bool:  # noqa: A002
        scene.saved.append(name)
        return True

    def event_add(flags: int = 0) -> None:
        scene.events += 1

    documents = stubfake.FakeModule(DOCS_STUB, types.SimpleNamespace(
        GetActiveDocument=lambda: doc, GetAllAssetsNew=get_all_assets_new, SaveDocument=save_document,
        LoadDocument=lambda name, loadflags, thread=None: doc if name.endswith(scene.name) else None,
        SetActiveDocument=lambda d: None, InsertBaseDocument=lambda d: None,
        BaseDocument=BaseDocument, RenderData=RenderData))
    takesystem = stubfake.FakeModule(TAKE_STUB, types.SimpleNamespace(BaseTake=BaseTake, TakeData=TakeData))
    tokensystem = stubfake.FakeModule(TOKEN_STUB, types.SimpleNamespace(
        FilenameConvertTokens=lambda path, rpData: convert_tokens(scene, path, rpData)))
    modules = types.ModuleType("c4d.modules")
    modules.takesystem, modules.tokensystem = takesystem, tokensystem  # type: ignore[attr-defined]
    take = scene.main_take
    if take is not None:
        take._doc_rd = scene.rd
    impl = types.SimpleNamespace(GetC4DVersion=lambda: scene.version, EventAdd=event_add, BaseContainer=BaseContainer,
                                 BaseObject=BaseObject, BaseTime=BaseTime, BaseDraw=BaseDraw, **CONSTANTS)
    c4d = stubfake.FakeModule(C4D_STUB, impl, {"documents": documents, "modules": modules})
    for name, module in (("c4d", c4d), ("c4d.documents", documents), ("c4d.modules", modules),
                         ("c4d.modules.takesystem", takesystem), ("c4d.modules.tokensystem", tokensystem)):
        monkeypatch.setitem(sys.modules, name, module)
    for name in [n for n in sys.modules if n == "rv_dcc_hosts.c4d" or n.startswith("rv_dcc_hosts.c4d.")]:
        monkeypatch.delitem(sys.modules, name)
    return doc
