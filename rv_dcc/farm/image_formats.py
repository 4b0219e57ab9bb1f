"""The image format a task's frames are written in, and small writers for the generated frames.

``frame_format(task_json, layer)`` reads the format the scene asked for from task.json's
``scene_info_render`` (spec/task_files.md §3: Maya ``common.image_format`` per layer, 3ds Max
``common.output_file_type`` or the extension of ``output_file``, Cinema 4D
``common.regular_image_format``, Blender ``common.Render_Format``) and returns the extension
the farm writes: ``exr``, ``png``, ``tif``, ``tga``, ``bmp`` — or ``png`` when the scene names
none (Houdini's ROP entries carry no format) or one this farm cannot write without a library
(JPEG, DPX, HDR, ...): the file is then a real PNG named ``.png``, never another format's name
on PNG bytes.

``encode(extension, width, height, rgb)`` writes 8-bit sRGB pixels (rows top to bottom) in that
container, by hand and without dependencies: OpenEXR 2 scanline files, uncompressed, channels
B, G, R as HALF in linear light (the OpenEXR file layout document, "openexr.com/en/latest/
OpenEXRFileLayout.html"); baseline uncompressed RGB TIFF 6.0; uncompressed true-colour TGA;
24-bit BI_RGB BMP. A real Blender render (``blender_render``) writes the format with bpy itself.
"""
import struct
from typing import Any, Dict, List, Optional

from rv_dcc.farm.png import encode_png

#: extension -> Blender's ``image_settings.file_format`` for it (what a real bpy render writes).
BLENDER_FORMATS = {"exr": "OPEN_EXR", "png": "PNG", "tif": "TIFF", "tga": "TARGA", "bmp": "BMP", "jpg": "JPEG"}
#: extensions the generated frames are written in.
WRITABLE = ("exr", "png", "tif", "tga", "bmp")

_ALIASES = {
    "exr": "exr", "openexr": "exr", "open_exr": "exr", "open_exr_multilayer": "exr", "deepexr": "exr",
    "exr_multilayer": "exr", "png": "png", "tif": "tif", "tiff": "tif", "tga": "tga", "targa": "tga",
    "targa_raw": "tga", "bmp": "bmp", "jpg": "jpg", "jpeg": "jpg",
}


def normalise(name: Any) -> str:
    """A format name as a host writes it (``OPEN_EXR``, ``.exr``, ``Tiff``, ``jpeg``) as an extension."""
    text = str(name or "").strip().lower().lstrip(".").replace(" ", "_")
    return _ALIASES.get(text, text)


def _host_format(data: Dict[str, Any], layer: str) -> str:
    info, render = data.get("task_info", {}), data.get("scene_info_render", {})
    cg_id = str(info.get("cg_id", ""))
    common: Dict[str, Any] = render.get("common", {}) if isinstance(render.get("common"), dict) else {}
    if cg_id == "2000":  # Maya: per layer
        body = render.get(layer.split(",")[0]) if layer else None
        if not isinstance(body, dict):
            body = next((v for v in render.values() if isinstance(v, dict)), {})
        return str((body.get("common") or {}).get("image_format", ""))
    if cg_id == "2001":  # 3ds Max
        named = common.get("output_file_type") or ""
        output = str(common.get("output_file") or "").replace("\\", "/").rsplit("/", 1)[-1]
        return str(named or (output.rsplit(".", 1)[-1] if "." in output else ""))
    if cg_id == "2005":
        return str(common.get("regular_image_format", ""))
    if cg_id == "2007":
        return str(common.get("Render_Format", ""))
    return ""


def scene_format(data: Dict[str, Any], layer: str = "") -> str:
    """The extension the scene asked for (``""`` when it names none), e.g. ``jpg``."""
    return normalise(_host_format(data, layer))


def frame_format(data: Dict[str, Any], layer: str = "", writable: Optional[List[str]] = None) -> str:
    """The extension the farm writes the frames of ``layer`` in (see the module docstring)."""
    wanted = scene_format(data, layer)
    return wanted if wanted in (writable or WRITABLE) else "png"


def _srgb_to_linear(value: int) -> float:
    c = value / 255.0
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def encode_exr(width: int, height: int, rgb: bytes) -> bytes:
    """An OpenEXR scanline file (no compression, HALF B/G/R, linear) of 8-bit sRGB pixels."""
    def attribute(name: str, kind: str, value: bytes) -> bytes:
        return name.encode() + b"\0" + kind.encode() + b"\0" + struct.pack("<i", len(value)) + value

    channels = b"".join(name + b"\0" + struct.pack("<iB3xii", 1, 0, 1, 1) for name in (b"B", b"G", b"R")) + b"\0"
    window = struct.pack("<iiii", 0, 0, width - 1, height - 1)
    header = (struct.pack("<ii", 20000630, 2)
              + attribute("channels", "chlist", channels)
              + attribute("compression", "compression", b"\0")
              + attribute("dataWindow", "box2i", window)
              + attribute("displayWindow", "box2i", window)
              + attribute("lineOrder", "lineOrder", b"\0")
              + attribute("pixelAspectRatio", "float", struct.pack("<f", 1.0))
              + attribute("screenWindowCenter", "v2f", struct.pack("<ff", 0.0, 0.0))
              + attribute("screenWindowWidth", "float", struct.pack("<f", 1.0))
              + b"\0")
    linear = [struct.pack("<e", _srgb_to_linear(v)) for v in range(256)]
    blocks: List[bytes] = []
    stride = width * 3
    for y in range(height):
        row = rgb[y * stride:(y + 1) * stride]
        data = b"".join(b"".join(linear[row[x * 3 + c]] for x in range(width)) for c in (2, 1, 0))
        blocks.append(struct.pack("<ii", y, len(data)) + data)
    offsets, position = [], len(header) + 8 * height
    for block in blocks:
        offsets.append(position)
        position += len(block)
    return header + struct.pack(f"<{height}Q", *offsets) + b"".join(blocks)


def encode_tiff(width: int, height: int, rgb: bytes) -> bytes:
    """A baseline TIFF 6.0 RGB file, 8 bits per sample, one uncompressed strip."""
    entries = [(256, 4, 1, width), (257, 4, 1, height), (258, 3, 3, None), (259, 3, 1, 1), (262, 3, 1, 2),
               (273, 4, 1, None), (277, 3, 1, 3), (278, 4, 1, height), (279, 4, 1, len(rgb)), (284, 3, 1, 1)]
    ifd_size = 2 + 12 * len(entries) + 4
    bits_at = 8 + ifd_size
    pixels_at = bits_at + 6
    out = bytearray(b"II*\0" + struct.pack("<I", 8) + struct.pack("<H", len(entries)))
    for tag, kind, count, value in entries:
        if tag == 258:
            value = bits_at
        elif tag == 273:
            value = pixels_at
        packed = struct.pack("<HI", value, 0)[:4] if kind == 3 and count == 1 else struct.pack("<I", value)
        out += struct.pack("<HHI", tag, kind, count) + packed
    out += struct.pack("<I", 0) + struct.pack("<HHH", 8, 8, 8)
    return bytes(out) + rgb


def encode_tga(width: int, height: int, rgb: bytes) -> bytes:
    """An uncompressed true-colour TGA (BGR, origin at the top left)."""
    header = struct.pack("<BBBHHBHHHHBB", 0, 0, 2, 0, 0, 0, 0, 0, width, height, 24, 0x20)
    bgr = bytearray(rgb)
    bgr[0::3], bgr[2::3] = rgb[2::3], rgb[0::3]
    return header + bytes(bgr)


def encode_bmp(width: int, height: int, rgb: bytes) -> bytes:
    """A 24-bit BI_RGB BMP (rows bottom to top, each padded to 4 bytes)."""
    stride = width * 3
    pad = b"\0" * ((4 - stride % 4) % 4)
    rows = []
    for y in range(height - 1, -1, -1):
        row = bytearray(rgb[y * stride:(y + 1) * stride])
        row[0::3], row[2::3] = row[2::3], row[0::3]
        rows.append(bytes(row) + pad)
    pixels = b"".join(rows)
    info = struct.pack("<IiiHHIIiiII", 40, width, height, 1, 24, 0, len(pixels), 2835, 2835, 0, 0)
    return b"BM" + struct.pack("<IHHI", 14 + len(info) + len(pixels), 0, 0, 14 + len(info)) + info + pixels


_ENCODERS = {"exr": encode_exr, "png": encode_png, "tif": encode_tiff, "tga": encode_tga, "bmp": encode_bmp}


def encode(extension: str, width: int, height: int, rgb: bytes) -> bytes:
    """``rgb`` (``width*height*3`` bytes, 8-bit sRGB, top row first) in the container of ``extension``."""
    try:
        return _ENCODERS[extension](width, height, rgb)
    except KeyError:
        raise ValueError(f"no writer for {extension!r}; writable: {', '.join(WRITABLE)}") from None
