"""The Maya host adapter: reads the open Maya scene into a SceneDescription (never changes it).

Owns what Maya reports through maya.cmds: render layers (legacy and Render Setup, each read with
its own overrides in effect, by layers.py), the renderer and its image format / file name
prefix for Arnold, V-Ray, Redshift, RenderMan and Maya's own renderers, resolution, frame range,
cameras, plug-ins with versions (named as the farm catalog names them), the workspace, and the panel settings kept in ``fileInfo``
(stored in the .ma/.mb, readable without rv_dcc). File attributes live in ``scan``.
Imported only inside Maya (or with a fake maya module in tests); pydantic is imported on use.
"""
import codecs
import importlib
import json
import logging
import re
from typing import Any, Dict, List, Optional

from maya import cmds, mel

from rv_dcc.scene.plugins import bundled, farm_name, normalise, plain_version

from . import layers, scan

log = logging.getLogger("rv_dcc.hosts.maya")

SETTINGS_KEY = "rv_dcc_settings"
#: renderer -> the farm catalog's name of its plug-in (rv_dcc.scene.plugins.FARM_NAMES["maya"])
RENDERER_PLUGINS = {"arnold": "mtoa", "vray": "vrayformaya", "redshift": "redshift", "renderman": "renderman"}
#: third-party plug-ins whose presence changes what a render node needs, reported when loaded
#: (normalised names); renderer plug-ins are reported when the scene or a layer renders with them
SCENE_PLUGINS = {"pgyetimaya", "ornatrixmaya", "miarmy", "golaem"}
_FPS = {"game": 15.0, "film": 24.0, "pal": 25.0, "ntsc": 30.0, "show": 48.0, "palf": 50.0, "ntscf": 60.0}


def _get(plug: str, default: Any = None) -> Any:
    try:
        return cmds.getAttr(plug)
    except (ValueError, RuntimeError):  # node or attribute absent (renderer not loaded)
        return default


class MayaAdapter:
    """HostAdapter for Maya (rv_dcc.scene.adapter.HostAdapter)."""

    name = "maya"

    def app_version(self) -> str:
        """Maya's version, e.g. '2024.2' (falls back to the major version)."""
        full = str(cmds.about(installedVersion=True) or "")
        match = re.search(r"(\d{4}(?:\.\d+)*)", full)
        return match.group(1) if match else str(cmds.about(version=True))

    def ui_language(self) -> str:
        """Maya's interface language: 'en_US', 'ja_JP' or 'zh_CN' (``about -uiLanguage``; Maya picks it
        from the system or MAYA_UI_LANGUAGE, Maya docs "Run Maya in English in a Japanese or
        Simplified Chinese environment")."""
        return str(cmds.about(uiLanguage=True) or "")

    def render_setup(self) -> bool:
        """True when the scene uses Render Setup rather than legacy render layers."""
        # The MEL procedure reads the renderSetupEnable option var (types-maya cannot express
        # "optionVar -q name", whose -q flag takes the variable name).
        return bool(mel.eval("mayaHasRenderSetup()"))

    def renderer(self) -> str:
        """The current renderer name (arnold, vray, redshift, renderman, mayaSoftware...)."""
        return str(_get("defaultRenderGlobals.currentRenderer", "") or "")

    def output(self, renderer: str) -> Dict[str, str]:
        """Output folder, file name prefix and image format for the renderer."""
        prefix = str(_get("defaultRenderGlobals.imageFilePrefix", "") or "")
        fmt = str(_get("defaultRenderGlobals.imfPluginKey", "") or "")
        if renderer == "arnold":
            fmt = str(_get("defaultArnoldDriver.ai_translator", fmt) or fmt)
        elif renderer == "vray":
            prefix = str(_get("vraySettings.fileNamePrefix", prefix) or prefix)
            fmt = str(_get("vraySettings.imageFormatStr", fmt) or fmt)
        elif renderer == "redshift":
            try:  # the enum label carries the extension, e.g. "OpenEXR (.exr)"
                label = str(cmds.getAttr("redshiftOptions.imageFormat", asString=True))
                found = re.search(r"\.(\w+)\)?\s*$", label)
                fmt = found.group(1) if found else label
            except (ValueError, RuntimeError):
                pass
        elif renderer == "renderman":
            prefix = str(_get("rmanGlobals.imageFileFormat", prefix) or prefix)
            display = cmds.listConnections("rmanDefaultDisplay.displayType") or []
            if display:
                fmt = {"d_openexr": "exr", "d_tiff": "tif", "d_png": "png"}.get(str(cmds.nodeType(display[0])), fmt)
        images = str(cmds.workspace(fileRuleEntry="images") or "images")
        return {"path": str(cmds.workspace(expandName=images) or images), "prefix": prefix, "format": fmt}

    def cameras(self) -> List[Dict[str, Any]]:
        """Camera shapes with their renderable flag."""
        return [{"name": cam, "renderable": bool(_get(cam + ".renderable", False))}
                for cam in cmds.ls(type="camera") or []]

    def layers(self, cameras: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
        """Render layers with their effective frames, renderer, size, cameras and outputs (layers.py)."""
        return layers.evaluate([c["name"] for c in cameras], self.output)

    def plugins(self, renderers: List[str]) -> List[Dict[str, str]]:
        """Plug-ins the farm must provide, named as its catalog names them (rv_dcc.scene.plugins), with
        versions: those the scene uses (pluginInfo -pluginsInUse), the plug-ins of the renderers the
        scene and its layers render with, and the third-party scene plug-ins loaded; never one that
        ships with Maya."""
        loaded = scan.strings(cmds.pluginInfo(query=True, listPlugins=True))
        in_use = set(scan.strings(cmds.pluginInfo(query=True, pluginsInUse=True)))
        needed = {RENDERER_PLUGINS[r] for r in renderers if r in RENDERER_PLUGINS}
        found = []
        for name in sorted(loaded, key=str.lower):
            farm = farm_name("maya", name)
            if bundled("maya", name) or not (name in in_use or farm in needed or normalise(name) in SCENE_PLUGINS):
                continue
            version = plain_version(str(cmds.pluginInfo(name, query=True, version=True) or ""))
            found.append({"name": farm, "version": version})
        return found

    def fps(self) -> float:
        """Scene frame rate from the time unit ('film', 'pal', '23.976fps'...)."""
        unit = str(cmds.currentUnit(query=True, time=True) or "film")
        if unit in _FPS:
            return _FPS[unit]
        match = re.match(r"([\d.]+)fps$", unit)
        return float(match.group(1)) if match else 24.0

    def describe_scene(self) -> "Any":
        """Read the open scene (main thread, read-only) into a SceneDescription."""
        from rv_dcc.scene.model import SceneDescription

        return SceneDescription.model_validate(self.describe_dict())

    def describe_dict(self) -> Dict[str, Any]:
        """The description as plain JSON-ready data (the batch runner needs no pydantic)."""
        with layers.current(layers.MASTER):  # the scene's own values, whichever layer the artist is in
            data = self._describe()
        found = data["layers"]
        data["settings"]["images"] = {layer["name"]: layer.pop("images") for layer in found}
        data["settings"]["aovs"] = {layer["name"]: layer.pop("aovs") for layer in found}
        return data

    def _describe(self) -> Dict[str, Any]:
        renderer = self.renderer()
        scene_file = str(cmds.file(query=True, sceneName=True) or "")
        cameras = self.cameras()
        animation = bool(_get("defaultRenderGlobals.animation", True))
        if animation:
            start = _get("defaultRenderGlobals.startFrame", 1.0)
            end = _get("defaultRenderGlobals.endFrame", start)
            step = _get("defaultRenderGlobals.byFrameStep", 1.0) or 1.0
        else:
            start = end = float(_get("time1.outTime", 1.0))  # the current frame
            step = 1.0
        layers_found = self.layers(cameras)
        plugins = self.plugins([renderer] + [layer.get("renderer", "") for layer in layers_found])
        version = next((p["version"] for p in plugins if p["name"] == RENDERER_PLUGINS.get(renderer)), "")
        render_setup = self.render_setup()
        data: Dict[str, Any] = {
            "host": "maya", "host_version": self.app_version(), "scene_file": scene_file,
            "scene_saved": not bool(cmds.file(query=True, modified=True)),
            "project_dir": str(cmds.workspace(query=True, rootDirectory=True) or ""),
            "renderer": renderer, "renderer_version": version, "plugins": plugins,
            "frame_start": int(round(start)), "frame_end": int(round(end)),
            "frame_step": max(1, int(round(step))), "fps": self.fps(),
            "resolution": {"width": int(_get("defaultResolution.width", 1920)),
                           "height": int(_get("defaultResolution.height", 1080))},
            "output": self.output(renderer), "cameras": cameras, "layers": layers_found,
            "assets": scan.file_assets(scene_file), "render_layer_type": "1" if render_setup else "0",
            "settings": {"animation": animation,
                         "renumber_frames": bool(_get("defaultRenderGlobals.modifyExtension", False)),
                         "frame_padding": int(_get("defaultRenderGlobals.extensionPadding", 4) or 4)},
        }
        return data

    def save_scene(self) -> None:
        """Save the open scene in place (only when the artist asks)."""
        cmds.file(save=True)

    def main_window(self) -> Optional[Any]:
        """Maya's main window as a QWidget (Qt is imported here, never at start-up)."""
        omui = importlib.import_module("maya.OpenMayaUI")  # stubs leave OpenMayaUI empty
        pointer = omui.MQtUtil.mainWindow()
        if pointer is None:  # batch mode
            return None
        from qtpy import API_NAME, QtWidgets

        if API_NAME.startswith("PySide"):
            shiboken = importlib.import_module("shiboken6" if API_NAME == "PySide6" else "shiboken2")
            return shiboken.wrapInstance(int(pointer), QtWidgets.QWidget)
        sip = importlib.import_module("sip")
        return sip.wrapinstance(int(pointer), QtWidgets.QWidget)

    def load_settings(self) -> Dict[str, Any]:
        """Panel settings kept in the scene's fileInfo; {} when there are none."""
        # types-maya only declares fileInfo queries paired with -referenceNode/-remove; Maya also
        # accepts "fileInfo <key> -q", which returns the value as a one-item list.
        values = cmds.fileInfo(SETTINGS_KEY, query=True)  # type: ignore[call-overload]
        if not values:
            return {}
        raw = str(values[0])
        for text in (raw, codecs.decode(raw, "unicode_escape")):  # Maya may return it escaped
            try:
                loaded = json.loads(text)
                return loaded if isinstance(loaded, dict) else {}
            except ValueError:
                continue
        log.warning("rv_dcc settings in fileInfo are not JSON; ignoring them")
        return {}

    def store_settings(self, settings: Dict[str, Any]) -> None:
        """Store the panel settings in fileInfo (saved with the scene, read by plain Maya)."""
        cmds.fileInfo(SETTINGS_KEY, json.dumps(settings, sort_keys=True))

    def select(self, node: str) -> bool:
        """Select the node a check points at; False when it does not exist."""
        if not node or not cmds.objExists(node):
            return False
        cmds.select(node, replace=True)
        return True
