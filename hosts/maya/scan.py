"""Maya file attributes: which node types hold external files, and how to read them as patterns.

Owns the table of (node type, attribute, asset kind) the Maya adapter reads, the UDIM / frame
sequence handling of ``file`` nodes (uvTilingMode, useFrameExtension, the computed pattern Maya
keeps), references, and ``cmds.file(query=True, list=True)`` as a safety net for attributes the
table does not know. Read-only: it only calls query commands. Returns plain dicts that the
adapter turns into AssetRef models (so this module needs no pydantic).
"""
import logging
import re
from typing import Any, Dict, List, Set, Tuple

from maya import cmds

log = logging.getLogger("rv_dcc.hosts.maya.scan")

#: node type -> (path attribute, asset kind). Renderer node types exist only while their plug-in
#: is loaded; ``cmds.ls(type=...)`` raises for unknown types, which _nodes() tolerates.
FILE_ATTRIBUTES: Tuple[Tuple[str, str, str], ...] = (
    ("file", "fileTextureName", "texture"),
    ("aiImage", "filename", "texture"),
    ("aiStandIn", "dso", "proxy"),
    ("aiVolume", "filename", "volume"),
    ("aiPhotometricLight", "aiFilename", "texture"),
    ("RedshiftNormalMap", "tex0", "texture"),
    ("RedshiftSprite", "tex0", "texture"),
    ("RedshiftDomeLight", "tex0", "texture"),
    ("RedshiftIESLight", "profile", "texture"),
    ("RedshiftProxyMesh", "fileName", "proxy"),
    ("RedshiftVolumeShape", "fileName", "volume"),
    ("VRayMesh", "fileName", "proxy"),
    ("VRayVolumeGrid", "inFile", "volume"),
    ("VRayLightIESShape", "iesFile", "texture"),
    ("PxrTexture", "filename", "texture"),
    ("PxrNormalMap", "filename", "texture"),
    ("PxrDomeLight", "lightColorMap", "texture"),
    ("gpuCache", "cacheFileName", "cache"),
    ("AlembicNode", "abc_File", "cache"),
    ("audio", "filename", "sound"),
    ("imagePlane", "imageName", "texture"),
)

#: file.uvTilingMode values -> the token Maya substitutes (0 means "off").
_TILING_TOKENS = {1: "_u<u>_v<v>", 2: "u<u>_v<v>", 3: "<UDIM>"}
_FRAME_NUMBER = re.compile(r"(\d+)(?=\.[^./\\]+$)")
_COPY_NUMBER = re.compile(r"\{\d+\}$")


def strings(value: Any) -> List[str]:
    """A query's list result as strings (types-maya types some list queries as bool | list)."""
    return [str(v) for v in value] if isinstance(value, (list, tuple)) else []


def _nodes(node_type: str) -> List[str]:
    try:
        return cmds.ls(type=node_type) or []
    except RuntimeError:  # the plug-in that defines the type is not loaded
        return []


def _get(plug: str, default: object = None) -> object:
    try:
        return cmds.getAttr(plug)
    except (ValueError, RuntimeError):  # missing node or attribute
        return default


def _file_node_path(node: str, path: str) -> Tuple[str, str]:
    """(pattern, kind) of a ``file`` node: UDIM tiles and frame sequences keep their tokens."""
    tiling = int(_get(node + ".uvTilingMode", 0) or 0)  # type: ignore[call-overload]
    sequence = bool(_get(node + ".useFrameExtension", False))
    if not tiling and not sequence:
        return path, "texture"
    computed = str(_get(node + ".computedFileTextureNamePattern", "") or "")
    if computed:
        return computed, "image_sequence" if sequence else "texture"
    pattern = path
    if sequence:
        pattern = _FRAME_NUMBER.sub(lambda m: "#" * len(m.group(1)), pattern, count=1)
    if tiling in _TILING_TOKENS and "<" not in pattern:
        pattern = re.sub(r"1\d{3}(?=\.[^./\\]+$)", _TILING_TOKENS[tiling], pattern, count=1)
    return pattern, "image_sequence" if sequence else "texture"


def file_assets(scene_file: str) -> List[Dict[str, object]]:
    """Every external file the scene uses, as AssetRef field dicts (tokens kept)."""
    found: List[Dict[str, object]] = []
    seen: Set[str] = {scene_file} if scene_file else set()
    for node_type, attribute, kind in FILE_ATTRIBUTES:
        for node in _nodes(node_type):
            path = str(_get(f"{node}.{attribute}", "") or "")
            if not path:
                continue
            seen.add(path)
            if node_type == "file":
                path, kind_used = _file_node_path(node, path)
            else:
                kind_used = kind
            found.append({"path": path, "node": node, "attribute": attribute, "kind": kind_used})
    for ref in strings(cmds.file(query=True, reference=True)):
        path = _COPY_NUMBER.sub("", ref)
        seen.add(path)
        seen.add(ref)
        found.append({"path": path, "node": _reference_node(ref), "attribute": "", "kind": "reference"})
    # Safety net: whatever Maya itself lists as a file dependency that the table does not cover.
    for path in strings(cmds.file(query=True, list=True)):
        if path and path not in seen:
            seen.add(path)
            found.append({"path": path, "node": "", "attribute": "", "kind": "other"})
    return found


def _reference_node(ref: str) -> str:
    try:
        return str(cmds.referenceQuery(ref, referenceNode=True))
    except RuntimeError:  # a reference whose file is missing still has a node; be lenient
        return ""
