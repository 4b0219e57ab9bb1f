"""Houdini node knowledge for the adapter: ROP types, their output and camera parms, path tokens.

Owns the tables that say which node types render (Mantra ifd and baketexture, Karma, USD Render
with any Hydra delegate, Redshift_ROP, Arnold, V-Ray, RenderMan ris, OpenGL, comp), cache
(geometry, filecache, Alembic, USD, DOP, FBX) or drive other ROPs (fetch, wedge, merge), which
parm holds their output and camera, the USD render products of a USD Render ROP, and the helpers
that read parms without evaluating away tokens. Works with Houdini 19.5 (only ``hou.Node``) and
20+ (``hou.OpNode``, https://www.sidefx.com/docs/houdini/hom/hou/OpNode.html): no hou class is
named at import time. Read-only queries only.
"""
import importlib
import re
from typing import Any, Dict, List, Optional, Tuple

import hou

#: ROP type (namespace and version stripped) -> (output parm candidates, camera parm, renderer name)
RENDER_ROPS: Dict[str, Tuple[Tuple[str, ...], str, str]] = {
    "ifd": (("vm_picture",), "camera", "Mantra"),
    "baketexture": (("vm_uvoutputpicture1",), "", "Mantra"),
    "karma": (("picture",), "camera", "Karma"),
    # USD Render ROPs run the Hydra delegate in their "renderer" parm (delegate()); an empty
    # "outputimage" means the USD RenderProduct's productName decides (products())
    "usdrender": (("outputimage",), "override_camera", ""),
    "usdrender_rop": (("outputimage",), "override_camera", ""),
    "Redshift_ROP": (("RS_outputFileNamePrefix",), "RS_renderCamera", "Redshift"),
    "arnold": (("ar_picture",), "camera", "Arnold"),
    "vray_renderer": (("SettingsOutput_img_file_path",), "render_camera", "V-Ray"),
    "ris": (("ri_display_0", "ri_display_0_name"), "camera", "RenderMan"),
    "opengl": (("picture",), "camera", "OpenGL"),
    "comp": (("copoutput",), "", "Composite"),
}
#: cache ROP / SOP type -> output parm candidates (the first that exists is used)
CACHE_ROPS: Dict[str, Tuple[str, ...]] = {
    "geometry": ("sopoutput",), "rop_geometry": ("sopoutput",), "filecache": ("file", "sopoutput"),
    "alembic": ("filename",), "rop_alembic": ("filename",), "usd": ("lopoutput",), "usd_rop": ("lopoutput",),
    "dop": ("dopoutput",), "rop_dop": ("dopoutput",), "fbx": ("sopoutput",), "rop_fbx": ("sopoutput",),
}
#: ROPs that run other ROPs -> the parm naming the ROP they run ("" = their inputs only): fetch's
#: "source"; wedge's "driver" (deadline-cloud-for-houdini submitter.py _get_wedge_render_node)
CHAIN_ROPS: Dict[str, str] = {"fetch": "source", "wedge": "driver", "merge": ""}
#: Hydra delegate (USD Render ROP "renderer" parm, husk --renderer) -> renderer name
DELEGATES = {"BRAY_HdKarma": "Karma", "BRAY_HdKarmaXPU": "Karma XPU", "HdRedshiftRendererPlugin": "Redshift",
             "HdArnoldRendererPlugin": "Arnold", "HdPrmanLoaderRendererPlugin": "RenderMan",
             "HdPrmanXpuLoaderRendererPlugin": "RenderMan XPU", "HdVRayRendererPlugin": "V-Ray",
             "HdStormRendererPlugin": "Storm"}
#: renderer -> (plug-in name for rv_dcc.scene.plugins, environment variable studio launchers set)
PLUGIN_ENV = {"Redshift": ("redshift", "REDSHIFT_VERSION"), "Arnold": ("htoa", "HTOA_VERSION"),
              "V-Ray": ("vfh", "VRAY_VERSION"), "RenderMan": ("rfh", "RFHTREE_VERSION"),
              "RenderMan XPU": ("rfh", "RFHTREE_VERSION")}
#: plug-in -> the Python module it loads into Houdini whose __version__ is the plug-in's version: HtoA
#: stamps its .ass files with htoa.__version__ (HtoA soho code: 'HtoA %s' % htoa.__version__) and
#: Google's zync-houdini submitter reads it the same way
PLUGIN_MODULES = {"htoa": "htoa"}
#: renderers that ship with Houdini (their version is Houdini's)
BUILT_IN = ("Mantra", "Karma", "Karma XPU", "OpenGL", "Composite", "Storm")

# $F, $F4, ${F4}, $FF, ${FF}: not $FSTART, $FEND, $FPS (hou.text.expandString expands those)
_FRAME_TOKEN = re.compile(r"\$\{F\d*\}|\$\{FF\}|\$FF(?![A-Za-z0-9_])|\$F\d*(?![A-Za-z_])")
_CACHE_EXT = (".bgeo", ".bgeo.sc", ".bgeo.gz", ".geo", ".abc", ".usd", ".usda", ".usdc", ".usdz", ".sim")
_IMAGE_EXT = (".exr", ".png", ".jpg", ".jpeg", ".tif", ".tiff", ".tx", ".rat", ".hdr", ".tga", ".pic")


def node_class() -> Any:
    """hou.OpNode (Houdini 20+), else hou.Node (19.5: hou.OpNode does not exist there)."""
    return getattr(hou, "OpNode", None) or hou.Node


def base_type(node: "hou.OpNode") -> str:
    return node.type().name().split("::")[0]


def parm(node: "hou.OpNode", name: str) -> Optional["hou.Parm"]:
    return node.parm(name) if name else None


def first_parm(node: "hou.OpNode", names: Tuple[str, ...]) -> Optional["hou.Parm"]:
    return next((p for p in (parm(node, n) for n in names) if p is not None), None)


def raw(parm: "hou.Parm") -> str:
    """The parameter as written (tokens kept); its value when it holds an expression."""
    try:
        return parm.unexpandedString()
    except hou.OperationFailed:  # not a plain string (expression, numeric)
        return parm.evalAsString()


def bypassed(node: "hou.OpNode") -> bool:
    if isinstance(node, (hou.RopNode, hou.SopNode, hou.LopNode)):
        return node.isBypassed()
    return False


def delegate(node: "hou.OpNode") -> str:
    """The renderer a USD Render ROP runs, from its Hydra delegate ("renderer" parm)."""
    found = parm(node, "renderer")
    token = found.evalAsString() if found is not None else "BRAY_HdKarma"
    return DELEGATES.get(token, token)


def renderer(node: "hou.OpNode", rop_type: str) -> str:
    """The renderer a render ROP runs: a USD Render ROP's delegate, Karma's engine ("engine" parm:
    cpu / xpu, as scripts that drive the Karma ROP set it), else the table's name."""
    name = RENDER_ROPS[rop_type][2]
    if not name:
        return delegate(node)
    engine = parm(node, "engine") if rop_type == "karma" else None
    return "Karma XPU" if engine is not None and engine.evalAsString().lower() == "xpu" else name


def products(node: "hou.OpNode") -> List[str]:
    """productName of the USD RenderProducts a USD Render ROP renders (its render settings' products,
    else every RenderProduct on the stage); [] when there is no stage to read."""
    lop_path = parm(node, "loppath")
    lop = hou.node(lop_path.evalAsString()) if lop_path is not None else (node.inputs() or (None,))[0]
    if not isinstance(lop, hou.LopNode):
        return []
    stage = lop.stage()
    settings_parm = parm(node, "rendersettings")
    settings = stage.GetPrimAtPath(settings_parm.evalAsString() if settings_parm is not None else "/Render/rendersettings")
    if settings and settings.IsValid() and settings.GetRelationship("products"):
        prims = [stage.GetPrimAtPath(target) for target in settings.GetRelationship("products").GetTargets()]
    else:
        prims = [prim for prim in stage.Traverse() if prim.GetTypeName() == "RenderProduct"]
    names = [prim.GetAttribute("productName").Get() for prim in prims if prim and prim.IsValid()]
    return [str(name) for name in names if name]


def plugin_version(plugin: str, variable: str) -> str:
    """The version of a loaded renderer plug-in, from the plug-in itself when it says, else from the
    variable a studio launcher may set ("" when neither knows)."""
    module_name = PLUGIN_MODULES.get(plugin)
    if module_name:
        try:
            version = str(getattr(importlib.import_module(module_name), "__version__", "") or "")
        except ImportError:  # not loaded in this session
            version = ""
        if version:
            return version
    return hou.getenv(variable) or ""


def chained(node: "hou.OpNode") -> List[str]:
    """The ROPs a fetch / wedge / merge ROP runs (its parm target, then its inputs)."""
    target = parm(node, CHAIN_ROPS.get(base_type(node), ""))
    found = [hou.node(target.evalAsString())] if target is not None and target.evalAsString() else []
    return [n.path() for n in found if n is not None]


def expand_keeping_frames(path: str) -> str:
    """Expand $HIP, $JOB and other variables but keep frame tokens as patterns ($F4 stays)."""
    tokens: List[str] = []

    def hide(match: "re.Match[str]") -> str:
        tokens.append(match.group(0))
        return f"@@RVF{len(tokens) - 1}@@"

    expanded = hou.text.expandString(_FRAME_TOKEN.sub(hide, path))
    return re.sub(r"@@RVF(\d+)@@", lambda m: tokens[int(m.group(1))], expanded)


def kind(path: str) -> str:
    lowered = path.lower()
    if lowered.endswith(".vdb"):
        return "volume"
    if lowered.endswith((".hda", ".otl", ".hdanc", ".hdalc")):
        return "library"
    if lowered.endswith(_CACHE_EXT):
        return "cache"
    if lowered.endswith(_IMAGE_EXT):
        return "image_sequence" if _FRAME_TOKEN.search(path) else "texture"
    return "other"
