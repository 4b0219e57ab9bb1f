"""Every external file the open .blend uses, with the datablock and property that holds it.

Read-only walk over ``bpy.data``: images (UDIM tiles keep ``<UDIM>``, sequences become a ``####``
pattern), linked libraries, Alembic/USD cache files, point caches written to disk, fluid
caches, OpenVDB volumes, fonts, sounds, movie clips and sequencer strips. Packed files are
skipped (they travel inside the .blend). Each entry is a plain dict with the fields of
``rv_dcc.scene.model.AssetRef``, so this module runs inside a bare Blender without pydantic.
"""
import os
import re
from typing import Any, Dict, Iterator, List, Optional

import bpy

#: the last run of digits in a file name's stem: the frame number of an image sequence
_FRAME_DIGITS = re.compile(r"(\d+)(?=\.[^./\\]*$|$)")


def _abspath(path: str, library: Any = None) -> str:
    """Absolute, normalised path; "//" resolves against the library that owns the datablock."""
    return os.path.normpath(bpy.path.abspath(path, library=library))


def _sequence_pattern(path: str) -> str:
    """'//seq/frame.0001.png' -> '//seq/frame.####.png' (one # per digit, padding kept)."""
    head, tail = os.path.split(path)
    tail = _FRAME_DIGITS.sub(lambda m: "#" * len(m.group(1)), tail, count=1)
    return os.path.join(head, tail) if head else tail


def _ref(path: str, node: str, attribute: str, kind: str, library: Any = None) -> Dict[str, Any]:
    return {"path": path, "node": node, "attribute": attribute, "kind": kind,
            "resolved": _abspath(path, library)}


def _file_datablocks(collection: Any, kind: str) -> Iterator[Dict[str, Any]]:
    """Datablocks with a plain ``filepath`` (fonts, sounds, cache files, volumes, clips)."""
    for block in collection:
        path = getattr(block, "filepath", "")
        if not path or path.startswith("<") or getattr(block, "packed_file", None):
            continue  # "<builtin>" font, packed data: nothing to upload
        if getattr(block, "is_sequence", False) or getattr(block, "source", "") == "SEQUENCE":
            path = _sequence_pattern(path)
            kind = "image_sequence" if kind == "other" else kind
        yield _ref(path, block.name, "filepath", kind, block.library)


def _images() -> Iterator[Dict[str, Any]]:
    for image in bpy.data.images:
        if image.source not in {"FILE", "SEQUENCE", "TILED", "MOVIE"} or image.packed_file:
            continue
        path = image.filepath
        if not path:
            continue
        if image.source == "SEQUENCE":
            yield _ref(_sequence_pattern(path), image.name, "filepath", "image_sequence", image.library)
            continue
        if image.source == "TILED" and "<UDIM>" not in path and "<UVTILE>" not in path:
            # older files store one tile's name: turn its 1001-style number into the token
            path = re.sub(r"(?<!\d)1\d{3}(?=\D*$)", "<UDIM>", path, count=1)
        yield _ref(path, image.name, "filepath", "texture", image.library)
        if image.source == "TILED" and "<UDIM>" in path:
            # every tile the image declares, by name: one missing on disk is reported as that tile
            # (the <UDIM> pattern alone only finds the tiles that are there)
            for tile in image.tiles:
                yield _ref(path.replace("<UDIM>", str(tile.number)), image.name, "tiles[%d]" % tile.number,
                           "other", image.library)


def _libraries() -> Iterator[Dict[str, Any]]:
    for library in bpy.data.libraries:
        if library.filepath and not library.packed_file:
            # a library linked by another library is relative to *that* library's folder
            yield _ref(library.filepath, library.name, "filepath", "library", library.parent)


def _blend_stem() -> str:
    return os.path.splitext(bpy.path.basename(bpy.data.filepath))[0]


def _point_caches() -> Iterator[Dict[str, Any]]:
    """Simulation caches baked to disk (particles, cloth, soft body, dynamic paint) and fluids."""
    default_dir = "//blendcache_%s/" % _blend_stem() if bpy.data.filepath else ""
    for obj in bpy.data.objects:
        for modifier in obj.modifiers:
            domain = getattr(modifier, "domain_settings", None)
            if getattr(modifier, "type", "") == "FLUID" and getattr(modifier, "fluid_type", "") == "DOMAIN":
                if domain is not None and domain.cache_directory:
                    yield _ref(domain.cache_directory, obj.name,
                               "modifiers[%r].domain_settings.cache_directory" % modifier.name, "cache", obj.library)
                continue
            cache = getattr(modifier, "point_cache", None)
            if cache is not None:
                yield from _disk_cache(cache, obj, "modifiers[%r].point_cache" % modifier.name, default_dir)
        for system in getattr(obj, "particle_systems", ()):
            yield from _disk_cache(system.point_cache, obj, "particle_systems[%r].point_cache" % system.name,
                                   default_dir)


def _disk_cache(cache: Any, obj: Any, attribute: str, default_dir: str) -> Iterator[Dict[str, Any]]:
    if cache.use_external and cache.filepath:
        yield _ref(cache.filepath, obj.name, attribute + ".filepath", "cache", obj.library)
    elif cache.use_disk_cache and default_dir:
        yield _ref(default_dir, obj.name, attribute, "cache", obj.library)


def _strips() -> Iterator[Dict[str, Any]]:
    """Image, movie and sound strips of every scene's sequencer."""
    for scene in bpy.data.scenes:
        editor = scene.sequence_editor
        if editor is None:
            continue
        # "strips_all" since 4.4, "sequences_all" before; an empty collection is falsy either way
        strips = getattr(editor, "strips_all", None) or getattr(editor, "sequences_all", None) or ()
        for strip in strips:
            node = "%s/%s" % (scene.name, strip.name)
            if strip.type == "IMAGE" and len(strip.elements):
                names = [element.filename for element in strip.elements]
                path = os.path.join(strip.directory, names[0])
                if len(names) > 1:
                    yield _ref(_sequence_pattern(path), node, "directory", "image_sequence", scene.library)
                else:
                    yield _ref(path, node, "directory", "texture", scene.library)
            elif strip.type == "MOVIE" and strip.filepath:
                yield _ref(strip.filepath, node, "filepath", "other", scene.library)


def ocio_config() -> Dict[str, str]:
    """The OCIO config Blender uses: $OCIO when set, else the one Blender ships."""
    env = os.environ.get("OCIO", "")
    if env:
        return {"path": env, "source": "env"}
    folder = bpy.utils.system_resource("DATAFILES", path="colormanagement")
    return {"path": os.path.join(folder, "config.ocio") if folder else "", "source": "builtin"}


def collect_assets() -> List[Dict[str, Any]]:
    """Every external file of the open .blend, deduplicated by (path, node, attribute)."""
    refs: List[Dict[str, Any]] = []
    refs.extend(_images())
    refs.extend(_libraries())
    refs.extend(_file_datablocks(bpy.data.cache_files, "cache"))
    refs.extend(_file_datablocks(bpy.data.volumes, "volume"))
    refs.extend(_file_datablocks(bpy.data.fonts, "font"))
    refs.extend(_file_datablocks(bpy.data.sounds, "sound"))
    refs.extend(_file_datablocks(bpy.data.movieclips, "other"))
    refs.extend(_point_caches())
    refs.extend(_strips())
    ocio = ocio_config()
    if ocio["source"] == "env":
        # a studio config is a real dependency; Blender's own config exists on every farm node
        refs.append({"path": ocio["path"], "node": "OCIO", "attribute": "env", "kind": "ocio",
                     "resolved": os.path.normpath(ocio["path"])})
    seen = set()
    unique: List[Dict[str, Any]] = []
    for ref in refs:
        key = (ref["path"], ref["node"], ref["attribute"])
        if key not in seen:
            seen.add(key)
            unique.append(ref)
    return unique


def find_datablock(name: str) -> Optional[Any]:
    """The object called ``name``, for "select culprit"; None when it is not an object."""
    return bpy.data.objects.get(name)
