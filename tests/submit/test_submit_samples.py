"""The samples in resources/samples: complete, realistic, clean, and (Blender) true to the real .blend."""
import json
import subprocess
import sys
import importlib.util
import textwrap

import pytest

from rv_dcc.scene.assets import scan_assets
from rv_dcc.scene.io import load_description

from submit_helpers import HOSTS, SAMPLES


@pytest.mark.parametrize("host", HOSTS)
def test_sample_loads_and_every_file_is_there(host: str) -> None:
    desc = load_description(SAMPLES / f"{host}.json")
    assert desc.host == host and desc.scene_file.startswith(str(SAMPLES / ""))
    scan = scan_assets(desc)
    assert scan.missing == [] and scan.scene is not None
    assert len(scan.found) >= len(desc.assets)


def test_samples_cover_udims_sequences_caches_takes_and_rops() -> None:
    maya = scan_assets(load_description(SAMPLES / "maya.json"))
    names = sorted(f.path.rsplit("/", 1)[-1] for f in maya.found)
    assert [n for n in names if n.startswith("hero_diffuse.")] == [f"hero_diffuse.{t}.png" for t in (1001, 1002, 1003, 1004)]
    assert len([n for n in names if n.startswith("screen.")]) == 10
    houdini = load_description(SAMPLES / "houdini.json")
    assert {layer.option for layer in houdini.layers} == {"0", "-1"}
    assert len([f for f in scan_assets(houdini).found if f.path.endswith(".bgeo.sc")]) == 10
    assert [layer.kind for layer in load_description(SAMPLES / "cinema4d.json").layers] == ["take"] * 3


@pytest.mark.blender
def test_blender_sample_matches_the_real_blend() -> None:
    if importlib.util.find_spec("bpy") is None:  # never import bpy here: other tests check it stays out
        pytest.skip("needs bpy")
    script = textwrap.dedent(f"""
        import json, bpy
        bpy.ops.wm.open_mainfile(filepath={str(SAMPLES / 'blender' / 'shot.blend')!r})
        scene = bpy.context.scene
        print(json.dumps({{
            "frames": [scene.frame_start, scene.frame_end], "size": [scene.render.resolution_x, scene.render.resolution_y],
            "camera": scene.camera.name, "engine": scene.render.engine, "output": scene.render.filepath,
            "format": scene.render.image_settings.file_format, "layers": [v.name for v in scene.view_layers],
            "images": [i.filepath for i in bpy.data.images], "version": ".".join(map(str, bpy.app.version))}}))
    """)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    real = json.loads(result.stdout.strip().splitlines()[-1])
    desc = load_description(SAMPLES / "blender.json")
    assert real["frames"] == [desc.frame_start, desc.frame_end] and desc.frame_end - desc.frame_start < 10
    assert real["size"] == [desc.resolution.width, desc.resolution.height] == [320, 180]
    assert real["camera"] == desc.cameras[0].name and real["engine"] == desc.renderer
    assert (real["output"], real["format"]) == (desc.output.path, desc.output.format)
    assert real["layers"] == [layer.name for layer in desc.layers]
    assert real["images"] == [asset.path.replace(str(SAMPLES / "blender") + "/", "//") for asset in desc.assets]
    assert real["version"] == desc.host_version
