"""Render frames of an uploaded .blend with bpy — run in its own process by the farm.

``python -m rv_dcc.farm.blender_render '<json>'`` where the JSON holds ``blend``, ``frames``
(list of ints), ``outputs`` and ``thumbs`` (one path per frame), ``scene`` and ``camera`` (names
or ""), ``width``/``height`` caps and ``samples``. It renders with Cycles on the CPU at a capped
resolution and few samples (seconds per frame, whatever the scene asked for), writes each frame
in ``format`` (Blender's file_format name: OPEN_EXR, PNG, JPEG, TIFF, ...) and a PNG thumbnail,
and prints one JSON line ``{"ok": bool, "log": [...]}``. It runs in a
separate process so that the farm's server never blocks on bpy and a crash there is only a
failed frame.
"""
import json
import sys
import time
from typing import Any, Dict, List


def render(job: Dict[str, Any]) -> List[str]:
    """Render the job's frames; returns log lines. Raises on failure."""
    import bpy  # only ever imported in this child process

    log: List[str] = []
    started = time.time()
    bpy.ops.wm.open_mainfile(filepath=job["blend"])
    scene = bpy.data.scenes.get(job.get("scene") or "") or bpy.context.scene
    if bpy.context.window is not None:
        bpy.context.window.scene = scene
    camera = bpy.data.objects.get(job.get("camera") or "")
    if camera is not None and camera.type == "CAMERA":
        scene.camera = camera
    if scene.camera is None:
        raise RuntimeError(f"scene {scene.name!r} has no camera to render from")
    log.append(f"opened {job['blend']} scene {scene.name!r} camera {scene.camera.name!r} "
               f"(engine asked: {scene.render.engine}, {scene.render.resolution_x}x{scene.render.resolution_y})")
    aspect = (scene.render.resolution_x * scene.render.pixel_aspect_x) / max(
        1, scene.render.resolution_y * scene.render.pixel_aspect_y)
    width = int(job.get("width", 320))
    height = max(8, min(int(job.get("height", 180)), int(round(width / max(aspect, 0.01)))))
    width = max(8, min(width, int(round(height * aspect))))
    scene.render.engine = "CYCLES"
    scene.cycles.device = "CPU"
    scene.cycles.samples = int(job.get("samples", 8))
    if hasattr(scene.cycles, "use_denoising"):
        scene.cycles.use_denoising = False
    scene.render.resolution_x, scene.render.resolution_y = width, height
    scene.render.resolution_percentage = 100
    scene.render.use_compositing = False
    # the scene's own format (task.json's Render_Format, as the farm maps it): an EXR scene gives EXR
    settings = scene.render.image_settings
    output_format = job.get("format") or "PNG"
    for frame, output, thumb in zip(job["frames"], job["outputs"], job["thumbs"]):
        t0 = time.time()
        scene.frame_set(int(frame))
        scene.render.filepath = output
        settings.file_format, settings.color_mode = output_format, "RGB"
        bpy.ops.render.render(write_still=True, scene=scene.name)
        image = bpy.data.images.load(output)
        image.scale(max(8, width // 2), max(8, height // 2))
        if image.is_float:  # EXR: an 8-bit PNG thumbnail through the scene's view transform
            settings.file_format, settings.color_depth = "PNG", "8"
            image.save_render(thumb, scene=scene)
        else:
            image.filepath_raw = thumb
            image.file_format = "PNG"
            image.save()
        bpy.data.images.remove(image)
        log.append(f"frame {frame}: rendered {width}x{height} Cycles {scene.cycles.samples} samples "
                   f"in {time.time() - t0:.2f} s -> {output}")
    log.append(f"done in {time.time() - started:.2f} s")
    return log


def main(argv: List[str]) -> int:
    """Entry point of the child process."""
    job = json.loads(argv[1])
    try:
        log = render(job)
    except Exception as exc:  # the parent turns this into a failed frame with this log
        print(json.dumps({"ok": False, "log": [f"render failed: {type(exc).__name__}: {exc}"]}))
        return 1
    print(json.dumps({"ok": True, "log": log}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
