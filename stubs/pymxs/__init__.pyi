# Typing stub for the parts of 3ds Max's pymxs the rv_dcc adapter uses, written from Autodesk's
# documentation (pymxs exposes MAXScript's globals on ``pymxs.runtime``):
#   pymxs overview / runtime, Time .frame, Interval .start/.end:
#     https://help.autodesk.com/cloudhelp/2024/ENU/MAXDEV-Python/files/using_pymxs/MAXDEV_Python_using_pymxs_pymxs_animation_html.html
#   Render Scene globals (rendOutputFilename, rendSaveFile, rendTimeType, rendStart, rendEnd,
#   rendNThFrame, rendPickupFrames, renderWidth, renderHeight, renderers.current):
#     MAXScript Help, "Render Scene Dialog" system globals (page not fetched here; names checked
#     against the MaxPlus RenderSettings page https://help.autodesk.com/cloudhelp/2015/ENU/Max-Python-API/files/GUID-467B01D1-3A95-4B90-BA8D-FC00D3D26721.htm)
#   RenderElementMgr (NumRenderElements, GetRenderElement, GetElementsActive, GetRenderElementFilename):
#     https://help.autodesk.com/cloudhelp/2016/ENU/MAXScript-Help/files/GUID-E8F75D47-B998-4800-A3A5-610E22913CFC.htm
#   AssetManager / AssetUser (GetNumAssets, GetAssetByIndex 1-based, GetFileName, GetType):
#     https://help.autodesk.com/cloudhelp/2018/ENU/MAXScript-Help/files/GUID-E3237B13-8069-4177-8544-9000A98B1C15.htm
#     https://help.autodesk.com/cloudhelp/2018/ENU/MAXScript-Help/files/GUID-596D54E9-F660-4C1F-8118-628BDCBC115A.htm
#   xrefs.getXRefFileCount / getXRefFile, objXRefMgr.recordCount / GetRecord (.srcFileName):
#     MAXScript Help "XRef Scenes" and "Interface: objXRefMgr"
#   fileProperties (findProperty, getPropertyValue, addProperty with #custom):
#     MAXScript Help "File Properties - fileProperties Interface"
#   maxVersion, getSaveRequired, saveMaxFile, maxFilePath, maxFileName, pathConfig, IDisplayGamma,
#   viewport.getCamera, getNodeByName, select, classOf: MAXScript Help, "3ds Max System Globals".
#   Menus (2025+ CuiMenuMgr via #cuiRegisterMenus, legacy menuMan):
#     https://help.autodesk.com/view/MAXDEV/2025/ENU/?guid=GUID-CD24EF69-64EE-4350-8FEC-23F3F959B0BE
#     https://help.autodesk.com/view/MAXDEV/2025/ENU/?guid=GUID-AA3B57E5-3406-4364-A1F6-68CBC812900B
# Only what the adapter reads is declared; the test fake (tests/hosts/max/fake_pymxs.py) is built
# from this file, so an attribute missing here is missing in the tests too.
from typing import Any, Optional, Sequence

class Name:
    def __init__(self, name: str) -> None: ...

class Time:
    frame: float
    ticks: int

class Interval:
    start: Time
    end: Time

class MaxObject:
    name: str

class RenderElement:
    elementName: str
    enabled: bool

class RenderElementMgr:
    def NumRenderElements(self) -> int: ...
    def GetRenderElement(self, index: int) -> RenderElement: ...
    def GetElementsActive(self) -> bool: ...
    def GetRenderElementFilename(self, index: int) -> str: ...

class MaxOps:
    mxsCmdLineArgs: Any
    def GetCurRenderElementMgr(self) -> RenderElementMgr: ...

class AssetUser:
    def GetFileName(self) -> str: ...
    def GetFullFilePath(self) -> str: ...
    def GetType(self) -> Name: ...

class AssetManagerInterface:
    def GetNumAssets(self) -> int: ...
    def GetAssetByIndex(self, index: int) -> AssetUser: ...

class XRefScene:
    filename: str
    disabled: bool

class XRefsInterface:
    def getXRefFileCount(self) -> int: ...
    def getXRefFile(self, index: int) -> XRefScene: ...

class XRefRecord:
    srcFileName: str

class ObjXRefMgrInterface:
    recordCount: int
    def GetRecord(self, index: int) -> XRefRecord: ...

class FilePropertiesInterface:
    def findProperty(self, category: Name, name: str) -> int: ...
    def getPropertyValue(self, category: Name, index: int) -> Any: ...
    def addProperty(self, category: Name, name: str, value: Any) -> None: ...

class RenderersInterface:
    current: Any

class DisplayGammaInterface:
    colorCorrectionMode: Name
    gamma: float
    fileInGamma: float
    fileOutGamma: float

class PathConfigInterface:
    def getCurrentProjectFolder(self) -> str: ...

class ViewportInterface:
    def getCamera(self) -> Optional[MaxObject]: ...

class Runtime:
    renderers: RenderersInterface
    rendOutputFilename: str
    rendSaveFile: bool
    rendTimeType: int
    rendStart: Time
    rendEnd: Time
    rendNThFrame: int
    rendPickupFrames: str
    renderWidth: int
    renderHeight: int
    animationRange: Interval
    currentTime: Time
    frameRate: int
    cameras: Sequence[MaxObject]
    maxOps: MaxOps
    AssetManager: AssetManagerInterface
    xrefs: XRefsInterface
    objXRefMgr: ObjXRefMgrInterface
    fileProperties: FilePropertiesInterface
    IDisplayGamma: DisplayGammaInterface
    pathConfig: PathConfigInterface
    viewport: ViewportInterface
    maxFilePath: str
    maxFileName: str
    def Name(self, name: str) -> Name: ...
    def classOf(self, obj: Any) -> Any: ...
    def maxVersion(self) -> Sequence[Any]: ...
    def getSaveRequired(self) -> bool: ...
    def saveMaxFile(self, fileName: str, quiet: bool = ...) -> bool: ...
    def loadMaxFile(self, fileName: str, quiet: bool = ..., useFileUnits: bool = ...) -> bool: ...
    def getNodeByName(self, name: str) -> Optional[MaxObject]: ...
    def select(self, obj: Any) -> None: ...

runtime: Runtime
