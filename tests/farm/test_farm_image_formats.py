"""Frames come out in the scene's image format: which format each host's task.json asks for, the
hand-written writers (checked field by field and, with bpy, read back by Blender's own image
readers), and a farm task whose layers ask for EXR and PNG."""
import importlib.util
import json
import struct
import subprocess
import sys
from urllib.parse import quote

import pytest
import requests

from farm_helpers import c4d_task, ended, houdini_task, max_task, maya_task, submit, wait_for
from rv_dcc.farm.image_formats import encode, frame_format, scene_format
from rv_dcc.farm.png import read_png


def _maya(formats):
    task = maya_task(1, {name: "1-2[1]" for name in formats})
    for name, fmt in formats.items():
        task["scene_info_render"][name]["common"]["image_format"] = fmt
    return task


def test_each_host_names_its_format_where_its_task_json_keeps_it():
    assert frame_format(_maya({"beauty": "exr", "mask": "png"}), "beauty") == "exr"
    assert frame_format(_maya({"beauty": "exr", "mask": "png"}), "mask") == "png"
    assert frame_format(_maya({"beauty": "deepexr"}), "beauty") == "exr"
    with_type = max_task(1)
    with_type["scene_info_render"]["common"]["output_file_type"] = ".tga"
    assert frame_format(with_type) == "tga"
    assert frame_format(max_task(1)) == "exr"  # no type given: output_file D:/out/a.exr
    c4d = c4d_task(1, ["Main"])
    c4d["scene_info_render"]["common"]["regular_image_format"] = "tif"
    assert frame_format(c4d) == "tif"
    blender = {"task_info": {"cg_id": "2007"}, "scene_info_render": {"common": {"Render_Format": "OPEN_EXR_MULTILAYER"}}}
    assert frame_format(blender) == "exr"
    assert frame_format(houdini_task(1), "/out/mantra1") == "png"  # Houdini's ROP entries name no format
    # a format the generated frames cannot be written in: a real PNG named .png, not PNG bytes named .jpg
    jpeg = {"task_info": {"cg_id": "2007"}, "scene_info_render": {"common": {"Render_Format": "JPEG"}}}
    assert scene_format(jpeg) == "jpg" and frame_format(jpeg) == "png"


def _pixels(width, height):
    # a ramp: red across, green down, blue constant
    return b"".join(bytes((x * 255 // (width - 1), y * 255 // (height - 1), 64))
                    for y in range(height) for x in range(width))


def test_the_exr_writer_follows_the_openexr_file_layout():
    width, height = 5, 3
    data = encode("exr", width, height, _pixels(width, height))
    assert struct.unpack("<ii", data[:8]) == (20000630, 2)  # magic, version 2, single-part scanline
    pos, attributes = 8, {}
    while data[pos] != 0:
        name_end = data.index(b"\0", pos)
        kind_end = data.index(b"\0", name_end + 1)
        size = struct.unpack("<i", data[kind_end + 1:kind_end + 5])[0]
        attributes[data[pos:name_end].decode()] = (data[name_end + 1:kind_end].decode(), data[kind_end + 5:kind_end + 5 + size])
        pos = kind_end + 5 + size
    assert {k: v[0] for k, v in attributes.items()} == {
        "channels": "chlist", "compression": "compression", "dataWindow": "box2i", "displayWindow": "box2i",
        "lineOrder": "lineOrder", "pixelAspectRatio": "float", "screenWindowCenter": "v2f",
        "screenWindowWidth": "float"}
    assert attributes["compression"][1] == b"\0" and struct.unpack("<iiii", attributes["dataWindow"][1]) == (0, 0, 4, 2)
    offsets = struct.unpack(f"<{height}Q", data[pos + 1:pos + 1 + 8 * height])
    y, size = struct.unpack("<ii", data[offsets[2]:offsets[2] + 8])
    assert y == 2 and size == width * 3 * 2 and offsets[2] + 8 + size == len(data)
    row = data[offsets[2] + 8:offsets[2] + 8 + size]
    blue, green, red = (struct.unpack(f"<{width}e", row[c * width * 2:(c + 1) * width * 2]) for c in range(3))
    assert red[0] == 0 and red[-1] == 1.0 and green == (1.0,) * width  # linear light: white is 1.0
    assert abs(blue[0] - 0.0513) < 0.001  # sRGB 64/255 in linear


def test_tiff_tga_and_bmp_headers():
    width, height = 6, 4
    pixels = _pixels(width, height)
    tiff = encode("tif", width, height, pixels)
    assert tiff[:4] == b"II*\0" and tiff.endswith(pixels)
    tga = encode("tga", width, height, pixels)
    assert tga[2] == 2 and struct.unpack("<HH", tga[12:16]) == (width, height) and tga[18:21] == pixels[2::-1]
    bmp = encode("bmp", width, height, pixels)
    assert bmp[:2] == b"BM" and struct.unpack("<I", bmp[2:6])[0] == len(bmp)
    assert read_png(encode("png", width, height, pixels))[:2] == (width, height)
    with pytest.raises(ValueError, match="writable"):
        encode("jpg", width, height, pixels)


READ_BACK = """
import json, sys, bpy
out = {}
for path in sys.argv[1:]:
    image = bpy.data.images.load(path)
    width, height = image.size
    pixels = list(image.pixels)  # bottom row first, RGBA floats
    top_right = ((height - 1) * width + width - 1) * 4
    out[path.rsplit(".", 1)[-1]] = {"size": [width, height], "top_right": pixels[top_right:top_right + 3],
                                    "float": image.is_float}
print("RESULT" + json.dumps(out))
"""


@pytest.mark.blender
@pytest.mark.skipif(importlib.util.find_spec("bpy") is None, reason="needs bpy (Blender's own image readers)")
def test_blender_reads_every_written_format_back(tmp_path):
    width, height = 8, 5
    pixels = _pixels(width, height)
    paths = []
    for extension in ("exr", "tif", "tga", "bmp", "png"):
        path = tmp_path / f"frame.{extension}"
        path.write_bytes(encode(extension, width, height, pixels))
        paths.append(str(path))
    run = subprocess.run([sys.executable, "-c", READ_BACK, *paths], capture_output=True, text=True, timeout=120)
    line = [x for x in run.stdout.splitlines() if x.startswith("RESULT")]
    assert line, run.stderr[-2000:]
    result = json.loads(line[0][6:])
    assert set(result) == {"exr", "tif", "tga", "bmp", "png"}
    for extension, read in result.items():
        assert read["size"] == [width, height], extension
        red, green, blue = read["top_right"]  # top right: red 255, green 0, blue 64
        assert red > 0.95 and green < 0.02, (extension, read)
        # the EXR holds linear light (sRGB 64 -> 0.051); the 8-bit files hold the sRGB value (0.25)
        assert abs(blue - (0.0513 if extension == "exr" else 64 / 255)) < 0.01, (extension, read)
    assert result["exr"]["float"] is True


def test_a_task_writes_each_layer_in_its_own_format(farm, client):
    def layered(task_id):
        task = maya_task(task_id, {"beauty": "1-2[1]", "mask": "1-1[1]"})
        task["scene_info_render"]["beauty"]["common"]["image_format"] = "exr"
        task["scene_info_render"]["mask"]["common"]["image_format"] = "png"
        return task

    task_id = submit(client, layered)
    final = wait_for(lambda: ended(client, task_id))
    assert final["taskStatus"] == 25
    listing = client.ok("getOutputUserDirFile", {"treePath": "/", "taskId": task_id})
    magic = {}
    for folder in listing:
        for entry in client.ok("getOutputUserDirFile", {"treePath": folder["filePath"]}):
            body = requests.get(f"{farm.url}/farm/transfer/output{quote(entry['filePath'])}", headers=client.bearer(),
                                timeout=30).content
            magic[entry["fileName"]] = body[:4]
    assert magic == {"shot_beauty.0001.exr": b"\x76\x2f\x31\x01", "shot_beauty.0002.exr": b"\x76\x2f\x31\x01",
                     "shot_mask.0001.png": b"\x89PNG"}, magic
