"""What each Maya render layer really renders: its effective settings, output files and AOVs.

Render Setup (Maya 2017+) keeps a layer's overrides in its own override nodes (absolute and
relative overrides applied through applyOverride nodes), legacy layers in ``.adjustments``; in both
cases Maya applies them to the attributes themselves while the layer is the current one. So each
layer is read by making it current (``cmds.editRenderLayerGlobals(currentRenderLayer=...)``, as the
``renderlayer`` context of OpenPype / AYON's maya lib does) and the artist's layer is made current
again afterwards. Output names come from Maya's own token resolution
(``cmds.renderSettings(genericFrameImageName=..., fullPath=True, layer=, camera=,
customTokenString="RenderPass=<aov>")``); AOVs from Arnold aiAOV, Redshift RedshiftAOV and V-Ray
render-element nodes. Read-only apart from the layer switch it undoes.
"""
import contextlib
import logging
from typing import Any, Callable, Dict, Iterator, List

from maya import cmds

log = logging.getLogger("rv_dcc.hosts.maya.layers")

MASTER = "defaultRenderLayer"
#: renderer -> (AOV node type, name attribute or "" for the node name, global switch plug, off value)
AOV_NODES = {
    "arnold": ("aiAOV", "name", "defaultArnoldRenderOptions.aovMode", 0),
    "redshift": ("RedshiftAOV", "name", "redshiftOptions.aovGlobalEnableMode", 0),
    "vray": ("VRayRenderElement", "", "vraySettings.relements_enableall", 0),
}


def get(plug: str, default: Any = None) -> Any:
    """getAttr, or ``default`` when the node or attribute does not exist (renderer not loaded)."""
    try:
        return cmds.getAttr(plug)
    except (ValueError, RuntimeError):
        return default


@contextlib.contextmanager
def current(layer: str) -> Iterator[None]:
    """Make ``layer`` the current render layer for the block, then restore the artist's one."""
    original = str(cmds.editRenderLayerGlobals(query=True, currentRenderLayer=True) or MASTER)
    switch = layer != original
    if switch:
        cmds.editRenderLayerGlobals(currentRenderLayer=layer)
    try:
        yield
    finally:
        if switch:
            cmds.editRenderLayerGlobals(currentRenderLayer=original)


def aovs(renderer: str) -> List[str]:
    """The AOVs / render elements enabled in the current layer for ``renderer``."""
    if renderer not in AOV_NODES:
        return []
    node_type, name_attr, switch, off = AOV_NODES[renderer]
    if get(switch, 1) == off:
        return []
    try:
        nodes = cmds.ls(type=node_type) or []
    except RuntimeError:  # the renderer's plug-in is not loaded
        return []
    names = []
    for node in nodes:
        if get(node + ".enabled", True):
            names.append(str(get(f"{node}.{name_attr}", node) if name_attr else node))
    return names


def image_name(layer: str, camera: str, padding: int, aov: str = "") -> str:
    """Maya's full image path for ``layer`` and ``camera`` with '#' for the frame number."""
    kwargs: Dict[str, Any] = {"genericFrameImageName": "#" * max(1, padding), "fullPath": True,
                              "layer": layer, "camera": camera}
    if aov:
        kwargs["customTokenString"] = f"RenderPass={aov} AOV={aov}"
    names = cmds.renderSettings(**kwargs)
    return str(names[0]) if isinstance(names, list) and names else ""


def frame_spec(start: float, end: float, step: float) -> str:
    """'1-24' or '1-24x2'."""
    spec = f"{int(round(start))}-{int(round(end))}"
    return spec if int(round(step or 1)) <= 1 else f"{spec}x{int(round(step))}"


def read(layer: str, cameras: List[str], output: Callable[[str], Dict[str, str]]) -> Dict[str, Any]:
    """The effective values of ``layer`` (already current): frames, renderer, size, cameras, outputs."""
    renderer = str(get("defaultRenderGlobals.currentRenderer", "") or "")
    padding = int(get("defaultRenderGlobals.extensionPadding", 4) or 4)
    renderable = [cam for cam in cameras if get(cam + ".renderable", False)]
    passes = aovs(renderer)
    # Arnold names its main pass "beauty" where the prefix says <RenderPass> (the beauty render
    # product of ayon_maya/api/lib_renderproducts.py, RenderProductsArnold)
    beauty = "beauty" if renderer == "arnold" else ""
    images = {cam: {"beauty": image_name(layer, cam, padding, beauty),
                    **{aov: image_name(layer, cam, padding, aov) for aov in passes}} for cam in renderable}
    return {"renderer": renderer, "cameras": renderable, "aovs": passes, "images": images,
            "frames": frame_spec(get("defaultRenderGlobals.startFrame", 1), get("defaultRenderGlobals.endFrame", 1),
                                 get("defaultRenderGlobals.byFrameStep", 1)),
            "resolution": {"width": int(get("defaultResolution.width", 1920)),
                           "height": int(get("defaultResolution.height", 1080))},
            "output": output(renderer)}


def evaluate(cameras: List[str], output: Callable[[str], Dict[str, str]]) -> List[Dict[str, Any]]:
    """Every render layer of the scene (not of its references) as Layer fields plus 'images'/'aovs'."""
    with current(MASTER):
        master = read(MASTER, cameras, output)
    layers = []
    for layer in cmds.ls(type="renderLayer") or []:
        if ":" in layer:  # a layer inside a reference is not the scene's own
            continue
        with current(layer):
            values = master if layer == MASTER else read(layer, cameras, output)
        images: Dict[str, Dict[str, str]] = values["images"]
        first = next((names["beauty"] for names in images.values()), "")
        entry: Dict[str, Any] = {"name": layer, "kind": "render_layer", "node_type": "renderLayer",
                                 "renderable": bool(get(layer + ".renderable", True)), "cameras": values["cameras"],
                                 "output": dict(values["output"], path=first or values["output"]["path"]),
                                 "images": values["images"], "aovs": values["aovs"]}
        for key in ("frames", "renderer", "resolution"):
            if values[key] != master[key]:
                entry[key] = values[key]
        layers.append(entry)
    return layers
