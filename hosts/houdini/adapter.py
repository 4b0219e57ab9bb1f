"""The Houdini host adapter: reads the open .hip into a SceneDescription (never changes it).

Owns what Houdini reports through ``hou``: every ROP (Mantra, Karma, USD Render with its Hydra
delegate, Redshift, Arnold, V-Ray, RenderMan, OpenGL, comp renders; geometry, file cache, Alembic,
USD, DOP caches; fetch / wedge / merge chains) wherever it lives (/out, ROP networks,
SOP file caches) as a Layer of kind "rop" with option -1 (render) or 0 (cache), its frame range
(trange + f1/f2/f3), inputs as dependencies, camera and output parameter (tokens kept);
``hou.fileReferences()`` with $HIP/$JOB expanded and frame tokens ($F, $F4, ${F4}) kept as
patterns; the panel settings in the root node's user data (saved in the .hip, readable by plain
Houdini). pydantic is imported only by describe_scene().
"""
import json
import logging
import os
import re
from typing import Any, Dict, List, Optional, Tuple

import hou

from rv_dcc.scene.plugins import farm_name

from . import rops
from .rops import BUILT_IN, CACHE_ROPS, CHAIN_ROPS, PLUGIN_ENV, RENDER_ROPS

log = logging.getLogger("rv_dcc.hosts.houdini")

SETTINGS_KEY = "rv_dcc_settings"
class HoudiniAdapter:
    """HostAdapter for Houdini (rv_dcc.scene.adapter.HostAdapter)."""

    name = "houdini"

    def app_version(self) -> str:
        """Houdini's full version, e.g. '20.5.370'."""
        return hou.applicationVersionString()

    def rop_nodes(self) -> List["hou.OpNode"]:
        """Every render, cache or chaining ROP in the scene, in network order."""
        known = set(RENDER_ROPS) | set(CACHE_ROPS) | set(CHAIN_ROPS)
        return [node for node in self._all_nodes() if rops.base_type(node) in known]

    def _all_nodes(self) -> List["hou.OpNode"]:
        root = hou.node("/")
        if root is None:
            return []
        op_node = rops.node_class()  # looked up at run time: Houdini 19.5 has no hou.OpNode
        # locked HDAs are skipped: their insides are the asset's business, not the scene's ROPs
        return [n for n in root.allSubChildren(recurse_in_locked_nodes=False) if isinstance(n, op_node)]

    def _frames(self, node: "hou.OpNode") -> Tuple[int, int, int]:
        trange = rops.parm(node, "trange")
        if trange is None or trange.evalAsInt() == 0:  # "render current frame"
            frame = int(round(hou.frame()))
            return frame, frame, 1
        values = [(rops.parm(node, name) or trange).evalAsFloat() for name in ("f1", "f2", "f3")]
        return int(round(values[0])), int(round(values[1])), max(1, int(round(values[2])))

    def _resolution(self, camera: str) -> Optional[Dict[str, int]]:
        cam = hou.node(camera) if camera else None
        if not isinstance(cam, rops.node_class()):
            return None
        resx, resy = rops.parm(cam, "resx"), rops.parm(cam, "resy")
        if resx is None or resy is None:
            return None
        return {"width": max(1, resx.evalAsInt()), "height": max(1, resy.evalAsInt())}

    def layer(self, node: "hou.OpNode") -> Dict[str, Any]:
        """One ROP as Layer fields."""
        rop_type = rops.base_type(node)
        start, end, step = self._frames(node)
        entry: Dict[str, Any] = {
            "name": node.path(), "kind": "rop", "node_type": node.type().name(),
            "renderable": not rops.bypassed(node), "frames": f"{start}-{end}" + (f"x{step}" if step > 1 else ""),
            "depends_on": [i.path() for i in node.inputs() if i is not None],
        }
        if rop_type in CHAIN_ROPS:  # fetch / wedge / merge: run what they point at, write nothing
            entry["depends_on"] = rops.chained(node) + entry["depends_on"]
            entry["option"] = "-1"
            return entry
        if rop_type in RENDER_ROPS:
            out_names, cam_name, _ = RENDER_ROPS[rop_type]
            cam_parm = rops.parm(node, cam_name)
            camera = cam_parm.evalAsString() if cam_parm is not None else ""
            entry.update(option="-1", renderer=rops.renderer(node, rop_type), cameras=[camera] if camera else [],
                         resolution=self._resolution(camera))
        else:
            entry["option"] = "0"
            out_names = CACHE_ROPS[rop_type]
        out_parm = rops.first_parm(node, out_names)
        path = rops.raw(out_parm) if out_parm is not None else ""
        if not path and rop_type in ("usdrender", "usdrender_rop"):
            path = next(iter(rops.products(node)), "")
        if path:
            ext = re.search(r"\.([A-Za-z0-9]+(?:\.sc|\.gz)?)$", path)
            entry["output"] = {"path": path, "prefix": "", "format": ext.group(1) if ext else ""}
        return entry

    def assets(self, outputs: set) -> List[Dict[str, Any]]:
        """hou.fileReferences() minus the ROP outputs, variables expanded, frame tokens kept."""
        found: List[Dict[str, Any]] = []
        seen = set()
        for parm, raw in hou.fileReferences():
            node = parm.node().path() if parm is not None else ""
            attribute = parm.name() if parm is not None else ""
            if (node, attribute) in outputs or not raw or raw.startswith(("op:", "opdef:", "oplib:", "temp:")):
                continue
            path = rops.expand_keeping_frames(raw)
            if (path, node, attribute) in seen:
                continue
            seen.add((path, node, attribute))
            found.append({"path": path, "node": node, "attribute": attribute, "kind": rops.kind(path)})
        return found

    @staticmethod
    def _resolve_chains(layers: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
        """A fetch / wedge renders what it points at: it takes that ROP's option (render or cache),
        renderer, cameras and resolution (following chains of fetches)."""
        by_name = {layer["name"]: layer for layer in layers}
        for layer in layers:
            target, seen = layer, {layer["name"]}
            while rops.CHAIN_ROPS.get(target["node_type"].split("::")[0]) is not None and target["depends_on"]:
                found = by_name.get(target["depends_on"][0])
                if found is None or found["name"] in seen:
                    break
                target = found
                seen.add(found["name"])
            if target is not layer:
                layer.update({k: target[k] for k in ("option", "renderer", "cameras", "resolution") if k in target})
        return layers

    def describe_dict(self) -> Dict[str, Any]:
        """The description as plain JSON-ready data (the batch runner needs no pydantic)."""
        nodes = self.rop_nodes()
        layers = self._resolve_chains([self.layer(node) for node in nodes])
        outputs = set()
        for node, layer in zip(nodes, layers):
            for parm_name in [*RENDER_ROPS.get(rops.base_type(node), ((),))[0], *CACHE_ROPS.get(rops.base_type(node), ())]:
                outputs.add((node.path(), parm_name))
        renders = [layer for layer in layers if layer["option"] == "-1"]
        active = [layer for layer in renders if layer["renderable"]] or renders
        used = [node for node, layer in zip(nodes, layers) if layer["renderable"]] or nodes
        if used:
            ranges = [self._frames(node) for node in used]
            start, end = min(r[0] for r in ranges), max(r[1] for r in ranges)
        else:
            start = int(float(hou.text.expandString("$FSTART") or 1))
            end = int(float(hou.text.expandString("$FEND") or start))
        renderer = next((layer["renderer"] for layer in active if layer.get("renderer")), "")
        cameras_used = {c for layer in renders for c in layer.get("cameras", [])}
        cameras = [{"name": n.path(), "renderable": n.path() in cameras_used}
                   for n in self._all_nodes() if rops.base_type(n) == "cam"]
        resolution = next((layer["resolution"] for layer in active if layer.get("resolution")), None)
        plugins: List[Dict[str, str]] = []
        for name in sorted({layer.get("renderer", "") for layer in renders} & set(PLUGIN_ENV)):
            plugin, variable = PLUGIN_ENV[name]
            entry = {"name": farm_name("houdini", plugin), "version": rops.plugin_version(plugin, variable)}
            if entry not in plugins:
                plugins.append(entry)
        version = self.app_version()
        wanted = farm_name("houdini", PLUGIN_ENV[renderer][0]) if renderer in PLUGIN_ENV else ""
        renderer_version = next((p["version"] for p in plugins if p["name"] == wanted),
                                version if renderer in BUILT_IN else "")
        return {
            "host": "houdini", "host_version": version, "scene_file": hou.hipFile.path(),
            "scene_saved": not hou.hipFile.hasUnsavedChanges(), "project_dir": hou.getenv("JOB") or "",
            "renderer": renderer, "renderer_version": renderer_version, "plugins": plugins,
            "frame_start": start, "frame_end": end, "frame_step": 1, "fps": hou.fps(),
            "resolution": resolution or {"width": 1920, "height": 1080},
            "output": (active[0].get("output") or {}) if active else {},
            "cameras": cameras, "layers": layers, "assets": self.assets(outputs),
            "settings": {"hip_name": os.path.basename(hou.hipFile.path())},
        }

    def describe_scene(self) -> Any:
        """Read the open scene (main thread, read-only) into a SceneDescription."""
        from rv_dcc.scene.model import SceneDescription

        return SceneDescription.model_validate(self.describe_dict())

    def save_scene(self) -> None:
        """Save the .hip in place (only when the artist asks)."""
        hou.hipFile.save()

    def main_window(self) -> Optional[Any]:
        """Houdini's main window (a QWidget); None without a UI."""
        try:
            return hou.qt.mainWindow()
        except hou.Error:  # hython has no main window
            return None

    def load_settings(self) -> Dict[str, Any]:
        """Panel settings stored as user data on the root node; {} when there are none."""
        root = hou.node("/")
        raw = root.userData(SETTINGS_KEY) if root is not None else None
        if not raw:
            return {}
        try:
            loaded = json.loads(raw)
        except ValueError:
            log.warning("rv_dcc settings on / are not JSON; ignoring them")
            return {}
        return loaded if isinstance(loaded, dict) else {}

    def store_settings(self, settings: Dict[str, Any]) -> None:
        """Store the panel settings as user data on / (saved in the .hip)."""
        root = hou.node("/")
        if root is not None:
            root.setUserData(SETTINGS_KEY, json.dumps(settings, sort_keys=True))

    def select(self, node: str) -> bool:
        """Select the node a check points at; False when it does not exist."""
        found = hou.node(node) if node else None
        if found is None:
            return False
        found.setSelected(True, clear_all_selected=True)
        return True
