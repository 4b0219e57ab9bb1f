"""Houdini node knowledge for the adapter: ROP types, their output and camera parms, path tokens.

Owns the tables that say which node types render (Mantra ifd, Karma, Redshift_ROP, Arnold, V-Ray,
OpenGL) or cache (geometry, filecache, Alembic, USD), which parm holds their output and camera,
and the helpers that read parms without evaluating away tokens. Read-only queries only.
"""
import re
from typing import Dict, List, Optional, Tuple

import hou

#: ROP type (namespace and version stripped) -> (output parm, camera parm, renderer name)
RENDER_ROPS: Dict[str, Tuple[str, str, str]] = {
    "ifd": ("vm_picture", "camera", "Mantra"),
    "karma": ("picture", "camera", "Karma"),
    "usdrender": ("outputimage", "override_camera", "Karma"),
    "usdrender_rop": ("outputimage", "override_camera", "Karma"),
    "Redshift_ROP": ("RS_outputFileNamePrefix", "RS_renderCamera", "Redshift"),
    "arnold": ("ar_picture", "camera", "Arnold"),
    "vray_renderer": ("SettingsOutput_img_file_path", "render_camera", "V-Ray"),
    "opengl": ("picture", "camera", "OpenGL"),
}
#: cache ROP / SOP type -> output parm candidates (the first that exists is used)
CACHE_ROPS: Dict[str, Tuple[str, ...]] = {
    "geometry": ("sopoutput",), "rop_geometry": ("sopoutput",), "filecache": ("file", "sopoutput"),
    "alembic": ("filename",), "rop_alembic": ("filename",), "usd": ("lopoutput",), "usd_rop": ("lopoutput",),
}
PLUGIN_ENV = {"Redshift": ("redshift", "REDSHIFT_VERSION"), "Arnold": ("htoa", "HTOA_VERSION"),
              "V-Ray": ("vray", "VRAY_VERSION")}
_FRAME_TOKEN = re.compile(r"\$\{?F\d*\}?|\$\{?FF\}?")
_CACHE_EXT = (".bgeo", ".bgeo.sc", ".bgeo.gz", ".geo", ".abc", ".usd", ".usda", ".usdc", ".usdz", ".sim")
_IMAGE_EXT = (".exr", ".png", ".jpg", ".jpeg", ".tif", ".tiff", ".tx", ".rat", ".hdr", ".tga", ".pic")


def base_type(node: hou.OpNode) -> str:
    return node.type().name().split("::")[0]


def parm(node: hou.OpNode, name: str) -> Optional[hou.Parm]:
    return node.parm(name)


def raw(parm: hou.Parm) -> str:
    """The parameter as written (tokens kept); its value when it holds an expression."""
    try:
        return parm.unexpandedString()
    except hou.OperationFailed:  # not a plain string (expression, numeric)
        return parm.evalAsString()


def bypassed(node: hou.OpNode) -> bool:
    if isinstance(node, (hou.RopNode, hou.SopNode, hou.LopNode)):
        return node.isBypassed()
    return False


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
