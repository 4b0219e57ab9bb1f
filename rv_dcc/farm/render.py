"""Output images for finished frames: generated placeholders, or real Blender renders.

Each finished frame gets, per frame number, an image in the task's output folder
``storage/output/<taskId>_<sceneName>/`` and a thumbnail under ``thumbs/<taskId>/``; a
simulation/cache sub-task (a Houdini geometry ROP, ``option`` 0) writes one cache file per frame
number instead (``<scene>_<rop>.<frame>.bgeo.sc``) and no image or thumbnail, as a cache ROP on
the real farm writes geometry, not pictures. Most
hosts get generated images showing task, layer/camera and frame number (``png.label_pixels``),
in the format the scene asked for (``image_formats``: an EXR scene gives OpenEXR files).
A Blender task whose .blend was uploaded is rendered for real when bpy is importable: the job
runs ``python -m rv_dcc.farm.blender_render`` in a child process from a small worker pool
(created on first use), so the server stays responsive; the scheduler completes the frame only
once the render is back.
"""
import importlib.util
import json
import logging
import os
import re
import subprocess
import sys
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, Dict, List, NamedTuple, Optional

from rv_dcc.farm.image_formats import BLENDER_FORMATS, WRITABLE, encode
from rv_dcc.farm.png import label_image, label_pixels

log = logging.getLogger("rv_dcc.farm.render")

OUTPUT_SIZE = (320, 180)
THUMB_SIZE = (160, 90)
RENDER_TIMEOUT = 300
#: What a Houdini geometry (cache) ROP writes by default.
CACHE_EXTENSION = "bgeo.sc"


class FrameOutput(NamedTuple):
    """What a finished frame left behind (paths relative to output storage / thumbs)."""

    ok: bool
    outputs: List[str]
    thumbs: List[str]
    log: List[str]


def safe_name(text: str) -> str:
    """A file-name-safe version of a scene/layer name (keeps non-ASCII letters)."""
    cleaned = re.sub(r"[\\/:*?\"<>|\s]+", "_", text).strip("._")
    return cleaned[:80] or "scene"


def output_name(task_id: int, scene_name: str) -> str:
    """The task's output folder name ``<taskId>_<scene without extension>`` (outputFileName)."""
    stem = scene_name.rsplit(".", 1)[0] if "." in scene_name else scene_name
    return f"{task_id}_{safe_name(stem)}"


def image_format(task: Any) -> str:
    """The extension a task's frames are written in (``render_options`` "format", set at submit; png)."""
    try:
        options = json.loads(task["render_options"] or "{}")
    except (TypeError, ValueError, IndexError, KeyError):
        return "png"
    wanted = options.get("format") if isinstance(options, dict) else None
    return wanted if wanted in WRITABLE else "png"


def is_cache(task: Any) -> bool:
    """True for a simulation/cache sub-task (``render_options`` kind "cache", set at submit)."""
    try:
        options = json.loads(task["render_options"] or "{}")
    except (TypeError, ValueError, IndexError, KeyError):
        return False
    return isinstance(options, dict) and options.get("kind") == "cache"


def bpy_available() -> bool:
    """True when this Python can import bpy (checked without importing it)."""
    try:
        return importlib.util.find_spec("bpy") is not None
    except (ImportError, ValueError):
        return False


class Renderer:
    """Writes frame outputs under a farm data folder."""

    def __init__(self, data_dir: str, real_blender: Optional[bool] = None, workers: int = 1) -> None:
        self.output_root = os.path.join(data_dir, "storage", "output")
        self.thumb_root = os.path.join(data_dir, "thumbs")
        self.real_blender = bpy_available() if real_blender is None else real_blender
        self._workers = workers
        self._pool: Optional[ThreadPoolExecutor] = None
        self._jobs: Dict[int, "Future[FrameOutput]"] = {}
        self._lock = threading.Lock()
        self._closed = False

    def _paths(self, task: Any, frame_id: int, numbers: List[int], extension: str = "png") -> tuple:
        folder = task["output_name"]
        stem = safe_name(task["scene_name"].rsplit(".", 1)[0])
        if task["layer_name"]:
            stem += "_" + safe_name(task["layer_name"])
        outputs = [f"/{folder}/{stem}.{n:04d}.{extension}" for n in numbers]
        thumbs = [f"{task['id']}/{frame_id}_{n}.png" for n in numbers]
        for rel in outputs:
            os.makedirs(os.path.dirname(self.output_root + rel), exist_ok=True)
        os.makedirs(os.path.join(self.thumb_root, str(task["id"])), exist_ok=True)
        return outputs, thumbs

    def placeholder(self, task: Any, frame_id: int, numbers: List[int]) -> FrameOutput:
        """Generated images (or cache files, for a cache sub-task) for every frame number of a block."""
        if is_cache(task):
            return self._cache(task, frame_id, numbers)
        extension = image_format(task)
        outputs, thumbs = self._paths(task, frame_id, numbers, extension)
        camera = task["camera"] or "camera"
        for number, out, thumb in zip(numbers, outputs, thumbs):
            lines = [f"TASK 2W{task['id']}", (task["layer_name"] or "scene")[:24], camera[:24], f"FRAME {number:04d}"]
            pixels = label_pixels(*OUTPUT_SIZE, lines, task["id"], scale=2)
            self._write(self.output_root + out, encode(extension, *OUTPUT_SIZE, pixels))
            self._write(os.path.join(self.thumb_root, thumb), label_image(*THUMB_SIZE, lines, task["id"], scale=1))
        return FrameOutput(True, outputs, thumbs, [f"frame {n}: generated {OUTPUT_SIZE[0]}x{OUTPUT_SIZE[1]} "
                                                   f"{extension.upper()} image" for n in numbers])

    def _cache(self, task: Any, frame_id: int, numbers: List[int]) -> FrameOutput:
        # A cache ROP writes geometry: one small stand-in file per frame, no picture to show.
        outputs, _thumbs = self._paths(task, frame_id, numbers, CACHE_EXTENSION)
        for number, out in zip(numbers, outputs):
            text = f"rv_dcc embedded farm stand-in cache: task {task['id']} {task['layer_name']} frame {number}\n"
            self._write(self.output_root + out, text.encode("utf-8"))
        return FrameOutput(True, outputs, [], [f"frame {n}: wrote cache {out.rsplit('/', 1)[-1]}"
                                               for n, out in zip(numbers, outputs)])

    @staticmethod
    def _write(path: str, data: bytes) -> None:
        # Write then rename: a reader never sees half an image.
        tmp = path + ".part"
        with open(tmp, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)

    # -- real Blender renders ---------------------------------------------------------------
    def start_blender(self, task: Any, frame_id: int, numbers: List[int], blend: str,
                      options: Dict[str, Any]) -> None:
        """Queue a real render of a frame block (idempotent per frame id)."""
        with self._lock:
            if self._closed or frame_id in self._jobs:
                return
            if self._pool is None:
                self._pool = ThreadPoolExecutor(max_workers=self._workers, thread_name_prefix="rv-farm-bpy")
            extension = str(options.get("format") or "png")
            extension = extension if extension in BLENDER_FORMATS else "png"
            outputs, thumbs = self._paths(task, frame_id, numbers, extension)
            job = {"format": BLENDER_FORMATS[extension], "blend": blend, "frames": numbers, "outputs": [self.output_root + o for o in outputs],
                   "thumbs": [os.path.join(self.thumb_root, t) for t in thumbs], "scene": options.get("scene", ""),
                   "camera": options.get("camera", ""), "width": OUTPUT_SIZE[0], "height": OUTPUT_SIZE[1],
                   "samples": 8}
            self._jobs[frame_id] = self._pool.submit(self._run_blender, job, outputs, thumbs)

    def blender_result(self, frame_id: int) -> Optional[FrameOutput]:
        """The finished render of a frame (removing it), None while it runs or when never started."""
        with self._lock:
            future = self._jobs.get(frame_id)
            if future is None or not future.done():
                return None
            del self._jobs[frame_id]
        try:
            return future.result()
        except Exception as exc:  # the worker itself failed
            return FrameOutput(False, [], [], [f"render worker failed: {exc}"])

    def has_job(self, frame_id: int) -> bool:
        """True while a render of this frame is queued, running or unread."""
        with self._lock:
            return frame_id in self._jobs

    def forget(self, frame_id: int) -> None:
        """Drop a queued render (the frame was stopped or recommitted)."""
        with self._lock:
            future = self._jobs.pop(frame_id, None)
        if future is not None:
            future.cancel()

    def _run_blender(self, job: Dict[str, Any], outputs: List[str], thumbs: List[str]) -> FrameOutput:
        command = [sys.executable, "-m", "rv_dcc.farm.blender_render", json.dumps(job)]
        try:
            proc = subprocess.run(command, capture_output=True, text=True, timeout=RENDER_TIMEOUT,
                                  stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            return FrameOutput(False, [], [], [f"render timed out after {RENDER_TIMEOUT} s"])
        result = None
        for line in reversed(proc.stdout.splitlines()):
            if line.startswith("{"):
                try:
                    result = json.loads(line)
                    break
                except ValueError:
                    continue
        if result is None:
            tail = (proc.stderr or proc.stdout or "").strip().splitlines()[-5:]
            return FrameOutput(False, [], [], [f"render process exited with {proc.returncode}"] + tail)
        ok = bool(result.get("ok")) and all(os.path.exists(self.output_root + o) for o in outputs)
        return FrameOutput(ok, outputs if ok else [], thumbs if ok else [], list(result.get("log", [])))

    def close(self) -> None:
        """Stop accepting renders and wait for the running ones."""
        with self._lock:
            self._closed = True
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
