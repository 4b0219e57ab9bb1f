# Typing stub for the parts of Cinema 4D's ``c4d`` module the rv_dcc adapter uses, written from
# Maxon's Python SDK documentation:
#   c4d.documents (GetActiveDocument, LoadDocument, SaveDocument, GetAllAssetsNew):
#     https://developers.maxon.net/docs/py/2026_2_0/modules/c4d.documents/index.html
#     https://developers.maxon.net/docs/Cinema4DPythonSDK/modules/c4d.documents/index.html
#   GetAllAssetsNew result codes and flags:
#     https://developers.maxon.net/docs/Cinema4DPythonSDK/consts/GETALLASSETSRESULT.html
#     https://developers.maxon.net/docs/py/2026_1_0/consts/ASSETDATA_FLAG.html
#   BaseDocument, RenderData (RDATA_* ids), BaseTime, BaseContainer, BaseObject, TakeData /
#   BaseTake, BaseDraw.GetSceneCamera, GetC4DVersion: the Cinema 4D Python SDK class pages
#   (c4d.documents.BaseDocument, c4d.documents.RenderData, c4d.BaseTime, c4d.BaseContainer,
#   c4d.BaseObject, c4d.modules.takesystem.TakeData / BaseTake, c4d.BaseDraw).
#   BaseTake.GetEffectiveCamera ("Gets the camera used by the Take even if it comes from a parent
#   Take"), BaseDocument.GetTime/GetMinTime/GetMaxTime/GetLoopMinTime/GetLoopMaxTime, and
#   c4d.modules.tokensystem.FilenameConvertTokens(path, rpData) with the RenderPathData keys _doc,
#   _rData, _rBc, _take, _frame: https://developers.maxon.net/docs/Cinema4DPythonSDK/modules/c4d.modules/tokensystem/index.html
#   (used this way by deadline-cloud-for-cinema-4d, src/deadline/cinema4d_submitter/scene.py).
#   Python version per release (2024.0 moved to Python 3.11.4 from 3.10.8):
#     https://developers.maxon.net/docs/py/2024_0_0/misc/whatisnew.html
# Only what the adapter reads is declared. Constant values are the SDK's where the adapter
# depends on them (Ocamera, RDATA_*); the fake (tests/hosts/c4d/fake_c4d.py) is built from this
# file, so anything missing here is missing in the tests too.
from typing import Any, Optional, Tuple, Union

from . import documents as documents
from . import modules as modules
from . import plugins as plugins

Ocamera: int
RDATA_FRAMEFROM: int
RDATA_FRAMETO: int
RDATA_FRAMESTEP: int
RDATA_XRES: int
RDATA_YRES: int
RDATA_PATH: int
RDATA_FORMAT: int
RDATA_SAVEIMAGE: int
RDATA_MULTIPASS_SAVEIMAGE: int
RDATA_MULTIPASS_FILENAME: int
RDATA_MULTIPASS_SAVEFORMAT: int
RDATA_MULTIPASS_ENABLE: int
RDATA_RENDERENGINE: int
RDATA_RENDERENGINE_STANDARD: int
RDATA_RENDERENGINE_PHYSICAL: int
RDATA_RENDERENGINE_PREVIEWHARDWARE: int
# Render Settings > Output > Frame Range (drendersettings description, RDATA_FRAMESEQUENCE):
# manual (From/To), current frame, all frames (document range), preview range
RDATA_FRAMESEQUENCE: int
RDATA_FRAMESEQUENCE_MANUAL: int
RDATA_FRAMESEQUENCE_CURRENTFRAME: int
RDATA_FRAMESEQUENCE_ALLFRAMES: int
RDATA_FRAMESEQUENCE_PREVIEWRANGE: int
ASSETDATA_FLAG_NONE: int
ASSETDATA_FLAG_NODOCUMENT: int
ASSETDATA_FLAG_WITHCACHES: int
ASSETDATA_FLAG_MULTIPLEUSE: int
GETALLASSETSRESULT_FAILED: int
GETALLASSETSRESULT_OK: int
GETALLASSETSRESULT_MISSING: int
SCENEFILTER_OBJECTS: int
SCENEFILTER_MATERIALS: int
SCENEFILTER_NONE: int
SAVEDOCUMENTFLAGS_NONE: int
FORMAT_C4DEXPORT: int
SELECTION_NEW: int
FILTER_EXR: int
FILTER_PNG: int
FILTER_TIF: int
FILTER_JPG: int
FILTER_PSD: int
FILTER_TGA: int
FILTER_BMP: int
FILTER_HDR: int
FILTER_DPX: int
FILTER_B3D: int
FILTER_MOVIE: int
FILTER_AVI: int

def GetC4DVersion() -> int: ...
def EventAdd(flags: int = ...) -> None: ...

class BaseTime:
    def __init__(self, z: float = ..., n: float = ...) -> None: ...
    def GetFrame(self, fps: int) -> int: ...
    def Get(self) -> float: ...

class BaseContainer:
    def __init__(self, n: Union[int, "BaseContainer", None] = ...) -> None: ...
    def GetString(self, id: int, preset: str = ...) -> str: ...
    def SetString(self, id: int, s: str) -> None: ...
    def GetContainer(self, id: int) -> "BaseContainer": ...
    def SetContainer(self, id: int, n: "BaseContainer") -> None: ...

class BaseList2D:
    def GetName(self) -> str: ...
    def GetType(self) -> int: ...
    def GetDataInstance(self) -> BaseContainer: ...
    def __getitem__(self, key: int) -> Any: ...

class BaseObject(BaseList2D):
    def GetDown(self) -> Optional["BaseObject"]: ...
    def GetNext(self) -> Optional["BaseObject"]: ...

class BaseDraw(BaseList2D):
    def GetSceneCamera(self, doc: "documents.BaseDocument") -> Optional[BaseObject]: ...
