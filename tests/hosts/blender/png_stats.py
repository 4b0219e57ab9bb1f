"""Pixel facts of the farm's PNGs for the Blender farm tests (imported, not collected).

Decoding is ``rv_dcc.farm.png.read_png`` (zlib + the five PNG filters, 8-bit grey/RGB/RGBA),
so no Pillow is needed. ``colour_stats`` classifies pixels as green / red (a strongly dominant
channel) and reports the fractions per half of the frame and the red pixels' centre.
"""
from typing import Any, Dict, List, Tuple

from rv_dcc.farm.png import read_png


def decode(data: bytes) -> Tuple[int, int, List[Tuple[int, int, int]]]:
    """``(width, height, pixels)``: RGB tuples, rows top to bottom."""
    width, height, channels, rows = read_png(data)
    pixels = []
    for row in rows:
        for x in range(width):
            px = row[x * channels:(x + 1) * channels]
            pixels.append((px[0], px[0], px[0]) if channels < 3 else (px[0], px[1], px[2]))
    return width, height, pixels


def is_green(p: Tuple[int, int, int]) -> bool:
    return p[1] > 150 and p[0] < 90 and p[2] < 90


def is_red(p: Tuple[int, int, int]) -> bool:
    return p[0] > 150 and p[1] < 90 and p[2] < 90


def colour_stats(data: bytes) -> Dict[str, Any]:
    """Green/red fractions of the left and right halves and the red pixels' mean x (in pixels)."""
    width, height, pixels = decode(data)
    half = width // 2
    count = {"left_green": 0, "left_red": 0, "right_green": 0, "right_red": 0}
    red_x: List[int] = []
    for i, p in enumerate(pixels):
        x = i % width
        side = "left" if x < half else "right"
        if is_green(p):
            count[side + "_green"] += 1
        if is_red(p):
            count[side + "_red"] += 1
            red_x.append(x)
    per_half = float(half * height)
    stats: Dict[str, Any] = {key: value / per_half for key, value in count.items()}
    stats.update(width=width, height=height, red_centre_x=sum(red_x) / len(red_x) if red_x else -1.0)
    return stats


def mean_abs_difference(a: bytes, b: bytes) -> float:
    """Mean absolute per-channel difference of two same-sized PNGs (0..255)."""
    wa, ha, pa = decode(a)
    wb, hb, pb = decode(b)
    assert (wa, ha) == (wb, hb), "sizes differ: %sx%s vs %sx%s" % (wa, ha, wb, hb)
    total = sum(abs(x - y) for p, q in zip(pa, pb) for x, y in zip(p, q))
    return total / (3.0 * len(pa))
