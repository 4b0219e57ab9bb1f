"""What each Maya render layer really renders: its effective settings, output files and AOVs.

Render Setup (Maya 2017+) keeps a layer's overrides in its own override nodes (absolute and
relative overrides applied through applyOverride nodes), legacy layers in ``.adjustments``; in both
cases Maya applies them to the attributes themselves while the layer is the current one. So each
layer is read by making it current (``cmds.editRenderLayerGlobals(currentRenderLayer=...)``, as the
``renderlayer`` context of OpenPype / AYON's maya lib does) and the artist's layer is made current
again afterwards. Output names come from Maya's own token resolution
(``cmds.renderSettings(genericFrameImageName=..., fullPath=True, layer=, camera=,
customTokenString="RenderPass=<aov>")``), except V-Ray's, which follow its own settings
(vray_image_name); AOVs from Arnold aiAOV, Redshift RedshiftAOV and V-Ray render-element nodes. Read-only apart from the layer switch it undoes.
"""
import contextlib
import logging
import re
from typing import Any, Callable, Dict, Iterator, List

from maya import cmds

log = logging.getLogger("rv_dcc.hosts.maya.layers")

MASTER = "defaultRenderLayer"
#: renderer -> (AOV node type, name attribute or "" for the node name, global switch plug or "", off
#: value): Arnold's AOV mode and Redshift's global AOV mode switch every AOV off at 0; V-Ray's
#: elements are read one by one, as AYON's RenderProductsVray does
AOV_NODES = {
    "arnold": ("aiAOV", "name", "defaultArnoldRenderOptions.aovMode", 0),
    "redshift": ("RedshiftAOV", "name", "redshiftOptions.aovGlobalEnableMode", 0),
    "vray": ("VRayRenderElement", "", "", 0),
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
    if switch and get(switch, 1) == off:
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


#: V-Ray names its files from its own settings, not Maya's file name prefix. Its rules, as
#: ayon_maya/api/lib_renderproducts.py (RenderProductsVray) implements them: prefix
#: vraySettings.fileNamePrefix (else <Scene>) with the tokens %s/<Scene>, %l/<Layer>/<RenderLayer>
#: (masterLayer, or the Render Setup name without rs_) and %c/<Camera> (the camera's transform,
#: non-word characters as _); a render element adds vraySettings.fileNameRenderElementSeparator and
#: its name; padding vraySettings.fileNamePadding; extension imageFormatStr ("exr (multichannel)"
#: and "exr (deep)" write .exr, and a multichannel exr holds every element in the one file).
_VRAY_TOKENS = ((re.compile(r"%s|<scene>", re.IGNORECASE), "scene"),
                (re.compile(r"%l|<layer>|<renderlayer>", re.IGNORECASE), "layer"),
                (re.compile(r"%c|<camera>", re.IGNORECASE), "camera"))


def vray_element_name(node: str) -> str:
    """A V-Ray render element's file name part: vray_explicit_name_*, vray_filename_* or vray_name_*."""
    for prefix in ("vray_explicit_name", "vray_filename", "vray_name"):
        attrs = cmds.listAttr(node, string=prefix + "_*") or []
        value = get(f"{node}.{attrs[0]}", "") if attrs else ""
        if value:
            return str(value)
    return node


def vray_image_name(layer: str, camera: str, element: str = "") -> str:
    """V-Ray's full image path for ``layer`` / ``camera`` (and a render element), '#' for the frame."""
    prefix = str(get("vraySettings.fileNamePrefix", "") or "") or "<Scene>"
    scene_file = str(cmds.file(query=True, sceneName=True) or "untitled").replace("\\", "/").rsplit("/", 1)[-1]
    scene = re.sub(r"\.(ma|mb)$", "", scene_file)
    parents = cmds.listRelatives(camera, parent=True) or [camera]
    values = {"scene": scene, "layer": "masterLayer" if layer == MASTER else re.sub(r"^rs_", "", layer),
              "camera": re.sub(r"[^0-9a-zA-Z_]+", "_", str(parents[0]))}
    for pattern, key in _VRAY_TOKENS:
        prefix = pattern.sub(values[key], prefix)
    if element:
        prefix += str(get("vraySettings.fileNameRenderElementSeparator", ".") or ".") + element
    ext = str(get("vraySettings.imageFormatStr", "exr") or "exr").split(" ")[0]
    padding = int(get("vraySettings.fileNamePadding", 4) or 4)
    images = str(cmds.workspace(fileRuleEntry="images") or "images")
    folder = str(cmds.workspace(expandName=images) or images)
    return f"{folder.rstrip('/')}/{prefix}.{'#' * padding}.{ext}"


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
    if renderer == "vray":
        multichannel = str(get("vraySettings.imageFormatStr", "") or "") == "exr (multichannel)"
        names = {node: vray_element_name(node) for node in passes}
        passes = [names[node] for node in passes]
        images = {cam: {"beauty": vray_image_name(layer, cam),
                        **({} if multichannel else {names[n]: vray_image_name(layer, cam, names[n]) for n in names})}
                  for cam in renderable}
        return _values(renderer, renderable, passes, images, output)
    # Arnold names its main pass "beauty" where the prefix says <RenderPass> (the beauty render
    # product of ayon_maya/api/lib_renderproducts.py, RenderProductsArnold)
    beauty = "beauty" if renderer == "arnold" else ""
    images = {cam: {"beauty": image_name(layer, cam, padding, beauty),
                    **{aov: image_name(layer, cam, padding, aov) for aov in passes}} for cam in renderable}
    return _values(renderer, renderable, passes, images, output)


def _values(renderer: str, renderable: List[str], passes: List[str], images: Dict[str, Dict[str, str]],
            output: Callable[[str], Dict[str, str]]) -> Dict[str, Any]:
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
