"""A tiny PNG writer/reader and a 5x7 bitmap font, so the farm draws its placeholder frames
without Pillow or Qt.

``label_image(width, height, lines, seed)`` draws a coloured gradient with text lines (task,
layer/camera, frame number) and returns PNG bytes; ``read_png`` decodes 8-bit RGB/RGBA
non-interlaced PNGs (ours and Blender's) into ``(width, height, channels, rows)``.
"""
import struct
import zlib
from typing import List, Tuple

_FONT = {
    "0": (14, 17, 19, 21, 25, 17, 14), "1": (4, 12, 4, 4, 4, 4, 14), "2": (14, 17, 1, 2, 4, 8, 31),
    "3": (31, 2, 4, 2, 1, 17, 14), "4": (2, 6, 10, 18, 31, 2, 2), "5": (31, 16, 30, 1, 1, 17, 14),
    "6": (6, 8, 16, 30, 17, 17, 14), "7": (31, 1, 2, 4, 8, 8, 8), "8": (14, 17, 17, 14, 17, 17, 14),
    "9": (14, 17, 17, 15, 1, 2, 12), "A": (14, 17, 17, 31, 17, 17, 17), "B": (30, 17, 17, 30, 17, 17, 30),
    "C": (14, 17, 16, 16, 16, 17, 14), "D": (28, 18, 17, 17, 17, 18, 28), "E": (31, 16, 16, 30, 16, 16, 31),
    "F": (31, 16, 16, 30, 16, 16, 16), "G": (14, 17, 16, 23, 17, 17, 15), "H": (17, 17, 17, 31, 17, 17, 17),
    "I": (14, 4, 4, 4, 4, 4, 14), "J": (7, 2, 2, 2, 2, 18, 12), "K": (17, 18, 20, 24, 20, 18, 17),
    "L": (16, 16, 16, 16, 16, 16, 31), "M": (17, 27, 21, 21, 17, 17, 17), "N": (17, 17, 25, 21, 19, 17, 17),
    "O": (14, 17, 17, 17, 17, 17, 14), "P": (30, 17, 17, 30, 16, 16, 16), "Q": (14, 17, 17, 17, 21, 18, 13),
    "R": (30, 17, 17, 30, 20, 18, 17), "S": (15, 16, 16, 14, 1, 1, 30), "T": (31, 4, 4, 4, 4, 4, 4),
    "U": (17, 17, 17, 17, 17, 17, 14), "V": (17, 17, 17, 17, 17, 10, 4), "W": (17, 17, 17, 21, 21, 21, 10),
    "X": (17, 17, 10, 4, 10, 17, 17), "Y": (17, 17, 17, 10, 4, 4, 4), "Z": (31, 1, 2, 4, 8, 16, 31),
    " ": (0, 0, 0, 0, 0, 0, 0), "-": (0, 0, 0, 31, 0, 0, 0), "_": (0, 0, 0, 0, 0, 0, 31),
    ":": (0, 12, 12, 0, 12, 12, 0), "/": (0, 1, 2, 4, 8, 16, 0), ".": (0, 0, 0, 0, 0, 12, 12),
    "#": (10, 10, 31, 10, 31, 10, 10), "[": (14, 8, 8, 8, 8, 8, 14), "]": (14, 2, 2, 2, 2, 2, 14),
    "(": (2, 4, 8, 8, 8, 4, 2), ")": (8, 4, 2, 2, 2, 4, 8), ",": (0, 0, 0, 0, 12, 4, 8),
    "=": (0, 0, 31, 0, 31, 0, 0), "?": (14, 17, 1, 2, 4, 0, 4),
}


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def encode_png(width: int, height: int, rgb: bytes) -> bytes:
    """PNG bytes of an 8-bit RGB image given as ``width*height*3`` bytes, rows top to bottom."""
    stride = width * 3
    raw = b"".join(b"\x00" + rgb[y * stride:(y + 1) * stride] for y in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", zlib.compress(raw, 6)) + _chunk(b"IEND", b"")


def _hsv(h: float, s: float, v: float) -> Tuple[int, int, int]:
    i = int(h * 6) % 6
    f = h * 6 - int(h * 6)
    p, q, t = v * (1 - s), v * (1 - f * s), v * (1 - (1 - f) * s)
    r, g, b = [(v, t, p), (q, v, p), (p, v, t), (p, q, v), (t, p, v), (v, p, q)][i]
    return int(r * 255), int(g * 255), int(b * 255)


def label_image(width: int, height: int, lines: List[str], seed: int, scale: int = 2) -> bytes:
    """A gradient whose hue follows ``seed`` with ``lines`` of text drawn in white; PNG bytes."""
    return encode_png(width, height, label_pixels(width, height, lines, seed, scale))


def label_pixels(width: int, height: int, lines: List[str], seed: int, scale: int = 2) -> bytes:
    """The pixels of ``label_image``: ``width*height*3`` bytes of 8-bit RGB, top row first."""
    top = _hsv((seed * 0.618) % 1.0, 0.55, 0.55)
    bottom = _hsv((seed * 0.618 + 0.1) % 1.0, 0.65, 0.25)
    rows = []
    for y in range(height):
        k = y / max(1, height - 1)
        pixel = bytes(int(top[c] * (1 - k) + bottom[c] * k) for c in range(3))
        rows.append(bytearray(pixel * width))
    y0 = max(2, (height - len(lines) * 9 * scale) // 2)
    for n, line in enumerate(lines):
        text = line.upper()
        x0 = max(2, (width - len(text) * 6 * scale) // 2)
        _draw(rows, width, height, x0, y0 + n * 9 * scale, text, scale)
    return b"".join(bytes(r) for r in rows)


def _draw(rows: List[bytearray], width: int, height: int, x0: int, y0: int, text: str, scale: int) -> None:
    for index, char in enumerate(text):
        glyph = _FONT.get(char, _FONT["?"])
        for gy, bits in enumerate(glyph):
            for gx in range(5):
                if not bits & (16 >> gx):
                    continue
                for dy in range(scale):
                    y = y0 + gy * scale + dy
                    if not 0 <= y < height:
                        continue
                    for dx in range(scale):
                        x = x0 + (index * 6 + gx) * scale + dx
                        if 0 <= x < width:
                            rows[y][x * 3:x * 3 + 3] = b"\xff\xff\xff"


def read_png(data: bytes) -> Tuple[int, int, int, List[bytes]]:
    """Decode an 8-bit, non-interlaced RGB/RGBA/grey PNG: ``(width, height, channels, rows)``."""
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG file")
    pos, idat, header = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    if header is None:
        raise ValueError("PNG without IHDR")
    width, height, depth, colour, _c, _f, interlace = header
    channels = {0: 1, 2: 3, 4: 2, 6: 4}.get(colour)
    if depth != 8 or channels is None or interlace:
        raise ValueError("only 8-bit non-interlaced grey/RGB/RGBA PNGs are read")
    raw, stride, rows = zlib.decompress(idat), width * channels, []
    prev = bytearray(stride)
    for y in range(height):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - channels] if i >= channels else 0
            b, c = prev[i], prev[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + a) & 255
            elif kind == 2:
                line[i] = (line[i] + b) & 255
            elif kind == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif kind == 4:
                pa, pb, pc = abs(b - c), abs(a - c), abs(a + b - 2 * c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    return width, height, channels, rows
