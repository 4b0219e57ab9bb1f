"""The Cinema 4D host adapter: reads a document into a SceneDescription (never changes it).

Owns what Cinema 4D reports through ``c4d``: takes (main take and its children, checked state,
the camera and render data each take renders with, inherited from parent takes, outputs with
tokens expanded: render.py) as Layers of kind "take", the render data (frame range by its Frame
Range mode, resolution, output path and format, multi-pass output, render engine and the plug-in
a third-party engine needs),
cameras, every asset ``GetAllAssetsNew`` lists, and the panel settings kept in the document's
own BaseContainer under rv_dcc's id (saved in the .c4d, readable without the plug-in).
Cinema 4D ships no Qt: main_window() is None and the panel runs in its own process (entry.py).
pydantic is imported only by describe_scene().
"""
import json
import logging
import os
import re
from typing import Any, Dict, List, Optional

import c4d
from c4d import documents

from rv_dcc.scene.plugins import farm_name

from . import render
from .ids import PLUGIN_ID
from .render import ENGINE_IDS

log = logging.getLogger("rv_dcc.hosts.c4d")

#: rv_dcc's id for its sub-container in the document data: the plug-in id (ids.py)
SETTINGS_ENTRY = 1
_FORMATS = ("EXR", "PNG", "TIF", "JPG", "PSD", "TGA", "BMP", "HDR", "DPX", "B3D", "MOVIE", "AVI")


def version_string(number: int) -> str:
    """GetC4DVersion() as text: 2024200 -> '2024.2.0', 26107 -> 'R26.107'."""
    if number >= 1000000:
        return f"{number // 1000}.{(number // 100) % 10}.{number % 100}"
    return f"R{number // 1000}.{number % 1000:03d}"


def format_name(format_id: int) -> str:
    """An RDATA_FORMAT / multi-pass format id as a file extension ('' when unknown)."""
    for name in _FORMATS:
        if getattr(c4d, "FILTER_" + name, None) == format_id:
            return {"TIF": "tif", "JPG": "jpg", "MOVIE": "mp4"}.get(name, name.lower())
    return ""


def engine_name(engine_id: int) -> str:
    """RDATA_RENDERENGINE as a name."""
    builtin = {c4d.RDATA_RENDERENGINE_STANDARD: "Standard", c4d.RDATA_RENDERENGINE_PHYSICAL: "Physical",
               c4d.RDATA_RENDERENGINE_PREVIEWHARDWARE: "Viewport"}
    return builtin.get(engine_id) or ENGINE_IDS.get(engine_id) or f"engine {engine_id}"


def _walk(obj: Optional[c4d.BaseObject]) -> List[c4d.BaseObject]:
    found: List[c4d.BaseObject] = []
    stack = [obj] if obj is not None else []
    while stack:  # depth first without recursion: deep hierarchies must not hit the recursion limit
        current = stack.pop()
        found.append(current)
        for child in (current.GetNext(), current.GetDown()):
            if child is not None:
                stack.append(child)
    return found


class C4DAdapter:
    """HostAdapter for Cinema 4D (rv_dcc.scene.adapter.HostAdapter)."""

    name = "cinema4d"

    def __init__(self, doc: Optional[documents.BaseDocument] = None) -> None:
        self._doc = doc

    @property
    def doc(self) -> documents.BaseDocument:
        """The document described: the one given, else the active one."""
        return self._doc if self._doc is not None else documents.GetActiveDocument()

    def app_version(self) -> str:
        """Cinema 4D's version, e.g. '2024.2.0'."""
        return version_string(c4d.GetC4DVersion())

    def render_data(self, rd: Any, fps: int) -> Dict[str, Any]:
        """The facts of one RenderData: frames (by its Frame Range mode), size, output, engine, multi-pass."""
        path = str(rd[c4d.RDATA_PATH] or "")
        start, end, step = render.frames(self.doc, rd, fps)
        engine = int(rd[c4d.RDATA_RENDERENGINE])
        return {
            "rd": rd, "start": start, "end": end, "step": step,
            "resolution": {"width": int(rd[c4d.RDATA_XRES]), "height": int(rd[c4d.RDATA_YRES])},
            "output": {"path": path, "prefix": "", "format": format_name(rd[c4d.RDATA_FORMAT])},
            "renderer": engine_name(engine), "plugin": render.engine_plugin(engine),
            "save_image": bool(rd[c4d.RDATA_SAVEIMAGE]),
            "multipass_save_enabled": bool(rd[c4d.RDATA_MULTIPASS_ENABLE]) and bool(rd[c4d.RDATA_MULTIPASS_SAVEIMAGE]),
            "multipass_path": str(rd[c4d.RDATA_MULTIPASS_FILENAME] or ""),
            "multipass_format": format_name(rd[c4d.RDATA_MULTIPASS_SAVEFORMAT]),
        }

    def takes(self, base: Dict[str, Any], scene_camera: str, fps: int) -> List[Dict[str, Any]]:
        """Every take (main first) with its checked state, effective camera, render data and outputs."""
        data = self.doc.GetTakeData()
        if data is None:
            return []
        layers = []
        stack = [data.GetMainTake()]
        while stack:
            take = stack.pop(0)
            camera = render.camera(take, data)
            effective = take.GetEffectiveRenderData(data)
            rd = self.render_data(effective[0], fps) if effective else base
            entry: Dict[str, Any] = {"name": take.GetName(), "kind": "take", "node_type": "main" if take.IsMain() else "take",
                                     "renderable": take.IsChecked() or take.IsMain(),
                                     "cameras": [camera.GetName()] if camera is not None else
                                     ([scene_camera] if scene_camera else [])}
            if (rd["start"], rd["end"], rd["step"]) != (base["start"], base["end"], base["step"]):
                entry["frames"] = f"{rd['start']}-{rd['end']}" + (f"x{rd['step']}" if rd["step"] > 1 else "")
            if rd["resolution"] != base["resolution"]:
                entry["resolution"] = rd["resolution"]
            if rd["renderer"] != base["renderer"]:
                entry["renderer"] = rd["renderer"]
            expanded = render.expand(self.doc, rd["rd"], take, rd["output"]["path"], rd["start"])
            entry["output"] = dict(rd["output"], path=expanded or rd["output"]["path"])
            entry["multipass"] = render.expand(self.doc, rd["rd"], take, rd["multipass_path"], rd["start"]) \
                if rd["multipass_save_enabled"] else ""
            entry["plugin"] = rd["plugin"]
            layers.append(entry)
            child = take.GetDown()
            while child is not None:
                stack.append(child)
                child = child.GetNext()
        return layers

    def assets(self) -> List[Dict[str, Any]]:
        """Every asset GetAllAssetsNew reports (missing ones included), without the document."""
        found: List[Dict[str, Any]] = []
        listed: List[Dict[str, Any]] = []
        flags = c4d.ASSETDATA_FLAG_NODOCUMENT | c4d.ASSETDATA_FLAG_WITHCACHES
        result = documents.GetAllAssetsNew(self.doc, False, "", flags=flags, assetList=listed)
        if result == c4d.GETALLASSETSRESULT_FAILED:
            log.warning("GetAllAssetsNew failed; the asset list is empty")
        seen = set()
        for item in listed:
            path = str(item.get("filename") or item.get("assetname") or "")
            owner = item.get("owner")
            node = owner.GetName() if owner is not None else ""
            if not path or (path, node) in seen:
                continue
            seen.add((path, node))
            lowered = path.lower()
            kind = ("font" if lowered.endswith((".ttf", ".otf")) else "cache" if lowered.endswith((".abc", ".vdb", ".c4d"))
                    else "image_sequence" if re.search(r"#{2,}|\$F|<UDIM>", path, re.IGNORECASE) else "texture")
            found.append({"path": path, "node": node, "attribute": str(item.get("paramId", "")), "kind": kind,
                          "resolved": path if item.get("exists") and os.path.isabs(path) else None})
        return found

    def describe_dict(self) -> Dict[str, Any]:
        """The description as plain JSON-ready data (the batch runner needs no pydantic)."""
        doc = self.doc
        fps = doc.GetFps()
        base = self.render_data(doc.GetActiveRenderData(), fps)
        draw = doc.GetRenderBaseDraw()
        scene_cam = draw.GetSceneCamera(doc) if draw is not None else None
        scene_camera = scene_cam.GetName() if scene_cam is not None else ""
        cameras = [{"name": o.GetName(), "renderable": o.GetName() == scene_camera}
                   for o in _walk(doc.GetFirstObject()) if o.GetType() == c4d.Ocamera]
        folder = doc.GetDocumentPath()
        layers = self.takes(base, scene_camera, fps)
        engines = sorted({e for e in [base["plugin"]] + [layer.pop("plugin") for layer in layers] if e})
        outputs = {layer["name"]: {"image": layer["output"]["path"], "multipass": layer.pop("multipass")}
                   for layer in layers}
        return {
            "host": "cinema4d", "host_version": self.app_version(),
            "scene_file": os.path.join(folder, doc.GetDocumentName()) if folder else "",
            "scene_saved": not doc.GetChanged(), "project_dir": folder,
            "renderer": base["renderer"], "renderer_version": "",
            # the farm needs the engine's plug-in (its version is not exposed to Python: the farm picks)
            "plugins": [{"name": farm_name("cinema4d", engine), "version": ""} for engine in engines],
            "frame_start": base["start"], "frame_end": base["end"], "frame_step": base["step"], "fps": float(fps),
            "resolution": base["resolution"], "output": base["output"], "cameras": cameras,
            "layers": layers, "assets": self.assets(),
            "settings": {**{key: base[key] for key in ("save_image", "multipass_save_enabled", "multipass_path",
                                                       "multipass_format")}, "outputs": outputs},
        }

    def describe_scene(self) -> Any:
        """Read the document (main thread, read-only) into a SceneDescription."""
        from rv_dcc.scene.model import SceneDescription

        return SceneDescription.model_validate(self.describe_dict())

    def save_scene(self) -> None:
        """Save the document in place (only when the artist asks)."""
        doc = self.doc
        path = os.path.join(doc.GetDocumentPath(), doc.GetDocumentName())
        documents.SaveDocument(doc, path, c4d.SAVEDOCUMENTFLAGS_NONE, c4d.FORMAT_C4DEXPORT)

    def main_window(self) -> Optional[Any]:
        """None: Cinema 4D has no Qt main window (the panel runs in its own process)."""
        return None

    def load_settings(self) -> Dict[str, Any]:
        """Panel settings stored in the document's container; {} when there are none."""
        raw = self.doc.GetDataInstance().GetContainer(PLUGIN_ID).GetString(SETTINGS_ENTRY, "")
        if not raw:
            return {}
        try:
            loaded = json.loads(raw)
        except ValueError:
            log.warning("rv_dcc settings in the document are not JSON; ignoring them")
            return {}
        return loaded if isinstance(loaded, dict) else {}

    def store_settings(self, settings: Dict[str, Any]) -> None:
        """Store the panel settings as a string in rv_dcc's sub-container of the document data."""
        data = self.doc.GetDataInstance()
        sub = c4d.BaseContainer()
        sub.SetString(SETTINGS_ENTRY, json.dumps(settings, sort_keys=True))
        data.SetContainer(PLUGIN_ID, sub)

    def select(self, node: str) -> bool:
        """Make the named object the active one; False when there is none."""
        found = self.doc.SearchObject(node) if node else None
        if found is None:
            return False
        self.doc.SetActiveObject(found, c4d.SELECTION_NEW)
        c4d.EventAdd()
        return True
