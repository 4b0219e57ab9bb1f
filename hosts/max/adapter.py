"""The 3ds Max host adapter: reads the open scene through pymxs into a SceneDescription.

Owns what 3ds Max reports through ``pymxs.runtime``: the renderer (class of
renderers.current), cameras and the one the active view renders, render elements, the output
file, the frame range of the Render Setup time output (single, active segment, range, pick-up
frames), resolution, gamma, the files the Asset Manager tracks (bitmaps, photometric files,
proxies, caches) plus XRef scenes and XRef objects, and the panel settings kept as a custom file
property (saved in the .max, readable without rv_dcc). Read-only apart from store_settings and
save_scene; pydantic is imported only by describe_scene().
"""
import importlib
import json
import logging
import re
from typing import Any, Dict, List, Optional, Tuple

from pymxs import runtime as rt

from rv_dcc.scene.plugins import farm_name

log = logging.getLogger("rv_dcc.hosts.max")

SETTINGS_KEY = "rv_dcc_settings"
#: renderer class-name prefix -> (name shown, short id)
RENDERERS: Tuple[Tuple[str, str, str], ...] = (
    ("V_Ray_GPU", "V-Ray GPU", "vray"), ("V_Ray", "V-Ray", "vray"), ("CoronaRenderer", "Corona", "corona"),
    ("Corona", "Corona", "corona"), ("Arnold", "Arnold", "arnold"), ("Redshift", "Redshift", "redshift"),
    ("Default_Scanline", "Scanline", "scanline"), ("ART_Renderer", "ART", "art"),
    ("Octane", "Octane", "octane"), ("FStorm", "FStorm", "fstorm"),
)
#: AssetUser.GetType() -> asset kind; None = not an input of the render
ASSET_KINDS: Dict[str, Optional[str]] = {
    "bitmap": "texture", "photometric": "texture", "xref": "xref", "sound": "sound", "animation": "cache",
    "container": "reference", "other": "other", "renderoutput": None, "videopost": None, "batchrender": None,
    "prerenderscript": "script", "postrenderscript": "script", "externallink": "other",
}
_PROXY_EXT = (".vrmesh", ".rs", ".cproxy", ".ass", ".vrscene", ".orbx", ".fsproxy")
_CACHE_EXT = (".abc", ".vdb", ".pc2", ".xmesh", ".prt", ".usd", ".f3d", ".fxd")


def _frame(value: Any) -> int:
    """A MAXScript Time (pymxs Time has .frame) or a plain number, as an int frame."""
    return int(round(float(getattr(value, "frame", value))))


def renderer_info(current: Any) -> Dict[str, str]:
    """Display name, short id, class name and (V-Ray) major version of the current renderer."""
    cls = str(rt.classOf(current)) if current is not None else ""
    for prefix, name, short in RENDERERS:
        if cls.startswith(prefix):
            version = re.match(r"V_Ray_(?:GPU_)?(\d+)", cls)  # "V_Ray_6__update_2" -> 6
            major = version.group(1) if version and short == "vray" else ""
            return {"name": f"{name} {major}" if major else name, "id": short, "class": cls, "version": major}
    return {"name": cls.replace("_", " ").strip(), "id": re.sub(r"[^a-z0-9]+", "", cls.lower()), "class": cls,
            "version": ""}


def _asset_kind(type_name: str, path: str) -> Optional[str]:
    kind = ASSET_KINDS.get(type_name.lower(), "other")
    lowered = path.lower()
    if kind == "other" and lowered.endswith(_PROXY_EXT):
        return "proxy"
    if kind in ("other", "cache") and lowered.endswith(_CACHE_EXT):
        return "volume" if lowered.endswith((".vdb", ".f3d", ".fxd")) else "cache"
    if kind == "texture" and re.search(r"#{2,}|<UDIM>|\$F\d*|%0\dd", path, re.IGNORECASE):
        return "image_sequence"
    return kind


class MaxAdapter:
    """HostAdapter for 3ds Max (rv_dcc.scene.adapter.HostAdapter)."""

    name = "3dsmax"

    def app_version(self) -> str:
        """The 3ds Max year, e.g. '2025' (maxVersion()[0] is 27000 for 2025)."""
        release = int(rt.maxVersion()[0])
        return str(1998 + release // 1000) if release >= 12000 else str(release)

    def frames(self) -> Tuple[int, int, int, str]:
        """(start, end, step, pick-up frame spec or '') of the Render Setup time output."""
        kind = int(rt.rendTimeType)
        if kind == 1:  # single: the current frame
            frame = _frame(rt.currentTime)
            return frame, frame, 1, ""
        if kind == 2:  # active time segment
            return _frame(rt.animationRange.start), _frame(rt.animationRange.end), max(1, int(rt.rendNThFrame)), ""
        if kind == 4:  # pick-up frames, e.g. "1,3,5-12"
            spec = str(rt.rendPickupFrames).strip()
            numbers = [int(n) for n in re.findall(r"\d+", spec)] or [_frame(rt.currentTime)]
            return min(numbers), max(numbers), 1, spec
        return _frame(rt.rendStart), _frame(rt.rendEnd), max(1, int(rt.rendNThFrame)), ""

    def cameras(self) -> List[Dict[str, Any]]:
        """Scene cameras (targets skipped); renderable = the camera of the active view."""
        view = rt.viewport.getCamera()
        active = view.name if view is not None else ""
        return [{"name": cam.name, "renderable": cam.name == active}
                for cam in rt.cameras if str(rt.classOf(cam)) != "Targetobject"]

    def elements(self) -> Dict[str, Any]:
        """Render elements: names, output files and whether they are written."""
        manager = rt.maxOps.GetCurRenderElementMgr()
        count = manager.NumRenderElements()
        names = [str(manager.GetRenderElement(i).elementName) for i in range(count)]
        files = [str(manager.GetRenderElementFilename(i) or "") for i in range(count)]
        return {"elements": names, "element_files": files, "elements_active": bool(manager.GetElementsActive())}

    def assets(self) -> List[Dict[str, Any]]:
        """Files the Asset Manager tracks, plus XRef scenes and objects, in scene order."""
        found: List[Dict[str, Any]] = []
        seen = set()

        def add(path: str, kind: Optional[str], node: str = "") -> None:
            if path and kind and path.lower() not in seen:
                seen.add(path.lower())
                found.append({"path": path, "node": node, "attribute": "", "kind": kind})

        manager = rt.AssetManager
        for index in range(1, manager.GetNumAssets() + 1):  # AssetManager indices are 1-based
            asset = manager.GetAssetByIndex(index)
            path = str(asset.GetFileName() or "")
            add(path, _asset_kind(str(asset.GetType()), path))
        for index in range(1, rt.xrefs.getXRefFileCount() + 1):
            add(str(rt.xrefs.getXRefFile(index).filename or ""), "xref", "XRef scene")
        for index in range(1, int(rt.objXRefMgr.recordCount) + 1):
            add(str(rt.objXRefMgr.GetRecord(index).srcFileName or ""), "xref", "XRef object")
        return found

    def describe_dict(self) -> Dict[str, Any]:
        """The description as plain JSON-ready data (the batch runner needs no pydantic)."""
        renderer = renderer_info(rt.renderers.current)
        start, end, step, pickup = self.frames()
        output = str(rt.rendOutputFilename or "")
        ext = re.search(r"\.([A-Za-z0-9]+)$", output)
        gamma = rt.IDisplayGamma
        settings: Dict[str, Any] = {
            "renderer_id": renderer["id"], "renderer_class": renderer["class"], "save_file": bool(rt.rendSaveFile),
            "time_type": int(rt.rendTimeType), "animation_range": [_frame(rt.animationRange.start),
                                                                   _frame(rt.animationRange.end)],
            "gamma": f"{float(gamma.gamma):g}" if str(gamma.colorCorrectionMode).lower() == "gamma" else "1.0",
            **self.elements(),
        }
        if pickup:
            settings["pickup_frames"] = pickup
        return {
            "host": "3dsmax", "host_version": self.app_version(),
            "scene_file": str(rt.maxFilePath or "") + str(rt.maxFileName or ""),
            "scene_saved": not bool(rt.getSaveRequired()),
            "project_dir": str(rt.pathConfig.getCurrentProjectFolder() or ""),
            # the major version the renderer's class names (V-Ray 6): the farm picks its nearest build
            "renderer": renderer["name"], "renderer_version": renderer["version"],
            "plugins": ([{"name": farm_name("3dsmax", renderer["id"]), "version": renderer["version"]}]
                        if renderer["id"] not in ("scanline", "art", "") else []),
            "frame_start": start, "frame_end": end, "frame_step": step, "fps": float(rt.frameRate or 30),
            "resolution": {"width": int(rt.renderWidth), "height": int(rt.renderHeight)},
            "output": {"path": output, "prefix": "", "format": ext.group(1).lower() if ext else ""},
            "cameras": self.cameras(), "layers": [], "assets": self.assets(), "settings": settings,
        }

    def describe_scene(self) -> Any:
        """Read the open scene (main thread, read-only) into a SceneDescription."""
        from rv_dcc.scene.model import SceneDescription

        return SceneDescription.model_validate(self.describe_dict())

    def save_scene(self) -> None:
        """Save the scene in place (only when the artist asks)."""
        rt.saveMaxFile(str(rt.maxFilePath) + str(rt.maxFileName), quiet=True)

    def main_window(self) -> Optional[Any]:
        """The 3ds Max main window: qtmax (2021+), else MaxPlus (2017-2020); None in batch."""
        for module_name in ("qtmax", "MaxPlus"):
            try:
                module = importlib.import_module(module_name)
            except ImportError:
                continue
            return module.GetQMaxMainWindow()
        return None

    def load_settings(self) -> Dict[str, Any]:
        """Panel settings kept as a custom file property; {} when there are none."""
        custom = rt.Name("custom")
        index = rt.fileProperties.findProperty(custom, SETTINGS_KEY)
        if not index:  # 0 = not found
            return {}
        try:
            loaded = json.loads(str(rt.fileProperties.getPropertyValue(custom, index)))
        except ValueError:
            log.warning("rv_dcc file property is not JSON; ignoring it")
            return {}
        return loaded if isinstance(loaded, dict) else {}

    def store_settings(self, settings: Dict[str, Any]) -> None:
        """Store the panel settings as a custom file property (File > Properties > Custom)."""
        rt.fileProperties.addProperty(rt.Name("custom"), SETTINGS_KEY, json.dumps(settings, sort_keys=True))

    def select(self, node: str) -> bool:
        """Select the object a check points at; False when there is no such object."""
        found = rt.getNodeByName(node) if node else None
        if found is None:
            return False
        rt.select(found)
        return True
