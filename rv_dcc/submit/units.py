"""Render units: the scene's layers / ROPs / takes / view layers with the artist's choices applied.

One place answers, for every unit of a scene, the questions the checks, the task-file builders
and the command line all ask: is it rendered (the scene's renderable flag, or the artist's layer
choice), which frames (the override, else the layer's own frames, else the scene range — a bad
spec is kept as an error for the checks, the builders fall back to the scene range), which
cameras and which resolved output path. Frames come from rv_dcc.scene.frames; nothing here
parses frames itself. Pure functions over a SceneDescription and SubmitOptions.
"""
import os
import re
from dataclasses import dataclass
from typing import Any, List, Optional, Sequence, Tuple

from rv_dcc.scene import frames as frames_mod
from rv_dcc.submit.options import SubmitOptions

#: Houdini ROP option values (Layer.option): render, simulation/cache, distributed simulation.
OPTION_RENDER, OPTION_CACHE, OPTION_DISTRIBUTED = "-1", "0", "1"


@dataclass(frozen=True)
class Unit:
    """One thing the farm renders as a sub-task (or the whole scene for 3ds Max / Blender)."""

    name: str                          #: layer / ROP path / take / view layer; "" for the whole scene
    layer: Any = None                  #: the scene's Layer, None for the whole scene
    selected: bool = True              #: rendered in this submission
    frames: Any = None                 #: rv_dcc.scene.frames.Frames (the scene range when the spec is bad)
    frames_error: Optional[Exception] = None   #: FrameSpecError of the override / layer frames
    frames_source: str = "scene"       #: "override", "layer" or "scene"
    cameras: Tuple[str, ...] = ()      #: cameras this unit renders
    renders_images: bool = True        #: False for Houdini cache / simulation ROPs
    output: str = ""                   #: resolved output path / pattern ("" when none)

    @property
    def label(self) -> str:
        """Name for messages: the unit name, or "the scene"."""
        return self.name or "the scene"


def scene_range(desc: Any) -> Any:
    """The scene's own frames: frame_start-frame_end by frame_step (start and end swapped if reversed)."""
    start, end = sorted((desc.frame_start, desc.frame_end))
    return frames_mod.Frames.from_range(start, end, desc.frame_step)


def parse(spec: str) -> Any:
    """rv_dcc.scene.frames.parse_frames (raises FrameSpecError)."""
    return frames_mod.parse_frames(spec)


def _frames_for(desc: Any, options: SubmitOptions, layer: Any) -> Tuple[Any, Optional[Exception], str]:
    """(frames, the spec's error or None, where the frames came from). The error is kept without
    its traceback: a unit holding a live traceback holds every calling frame and their locals (a
    panel's widgets among them) in a reference cycle until a full collection, on any thread."""
    if options.frames is not None and options.frames.strip():
        try:
            return parse(options.frames), None, "override"
        except ValueError as exc:
            return scene_range(desc), exc.with_traceback(None), "override"
    if layer is not None and layer.frames:
        try:
            return parse(layer.frames), None, "layer"
        except ValueError as exc:
            return scene_range(desc), exc.with_traceback(None), "layer"
    return scene_range(desc), None, "scene"


def camera_names(desc: Any) -> List[str]:
    """Every camera of the scene, in scene order."""
    return [camera.name for camera in desc.cameras]


def cameras_for(desc: Any, options: SubmitOptions, layer: Any = None) -> Tuple[str, ...]:
    """Cameras a unit renders: the artist's choice, else the layer's cameras, else the renderable ones."""
    known = camera_names(desc)
    if options.cameras:
        return tuple(name for name in options.cameras if name in known)
    if layer is not None and layer.cameras:
        return tuple(layer.cameras)
    if desc.host == "houdini" and layer is not None:
        return ()  # a ROP names its own camera; scene cameras do not apply
    return tuple(camera.name for camera in desc.cameras if camera.renderable)


def is_selected(layer: Any, options: SubmitOptions) -> bool:
    """The artist's layer choice wins; without one the scene's renderable flag decides."""
    if options.layers is not None:
        return layer.name in options.layers
    return bool(layer.renderable)


def render_units(desc: Any, options: SubmitOptions) -> List[Unit]:
    """Every unit of the scene (selected or not), in scene order.

    3ds Max has no layers: one unit for the whole scene. Blender view layers composite into one
    image per frame, so Blender is one unit too (its view layers are listed in task.json).
    A host reporting no layers at all (a Maya scene with only the default layer) gets one unit
    named after the default layer.
    """
    if desc.host in ("3dsmax", "blender") or not desc.layers:
        name = "defaultRenderLayer" if desc.host == "maya" else ""
        frames, error, source = _frames_for(desc, options, None)
        return [Unit(name, None, True, frames, error, source, cameras_for(desc, options),
                     True, resolve_output(desc, options, None, name))]
    units = []
    for layer in desc.layers:
        frames, error, source = _frames_for(desc, options, layer)
        renders = not (desc.host == "houdini" and layer.option in (OPTION_CACHE, OPTION_DISTRIBUTED))
        units.append(Unit(layer.name, layer, is_selected(layer, options), frames, error, source,
                          cameras_for(desc, options, layer) if renders else (), renders,
                          resolve_output(desc, options, layer, layer.name) if renders else ""))
    return units


def selected_units(desc: Any, options: SubmitOptions) -> List[Unit]:
    """The units rendered in this submission."""
    return [unit for unit in render_units(desc, options) if unit.selected]


# --- outputs ---------------------------------------------------------------------------------

def _scene_stem(desc: Any) -> str:
    base = re.split(r"[\\/]", desc.scene_file or "untitled")[-1]
    return os.path.splitext(base)[0] or "untitled"


def _scene_dir(desc: Any) -> str:
    parts = re.split(r"[\\/]", desc.scene_file or "")
    return "/".join(parts[:-1])


def _join(folder: str, name: str) -> str:
    folder = folder.replace("\\", "/").rstrip("/")
    return f"{folder}/{name}" if folder else name


def _short_camera(name: str) -> str:
    # Maya's <Camera> token uses the transform name: "renderCamShape" -> "renderCam".
    return name[:-5] if name.endswith("Shape") else name


def resolve_output(desc: Any, options: SubmitOptions, layer: Any, unit_name: str) -> str:
    """Where a unit's images go, with the host's name tokens filled in (frame tokens kept).

    Shown to the artist before submitting (LESSONS.md 10) and compared between units to find
    units that overwrite each other. An empty result means the scene sets no output.
    """
    output = (layer.output if layer is not None and layer.output is not None else None) or desc.output
    path, prefix, fmt = output.path, output.prefix, output.format
    if options.output:
        if desc.host == "maya":
            prefix = options.output
        else:
            path = options.output
    cameras = cameras_for(desc, options, layer)
    camera = cameras[0] if cameras else ""
    stem = _scene_stem(desc)
    if desc.host == "maya":
        layer_token = "masterLayer" if unit_name == "defaultRenderLayer" else unit_name
        name = prefix or stem
        for token, value in (("<Scene>", stem), ("<RenderLayer>", layer_token), ("<Layer>", layer_token),
                             ("<Camera>", _short_camera(camera))):
            name = name.replace(token, value)
        folder = path
        if not folder and desc.project_dir:
            folder = _join(desc.project_dir, "images")  # Maya's default images folder of the workspace
        ext = (fmt or "exr").lower()
        return _join(folder, f"{name}.####.{ext}")
    if desc.host == "houdini":
        if not path:
            return ""
        values = (("$HIPNAME", stem), ("$HIP", _scene_dir(desc)), ("$JOB", desc.project_dir or _scene_dir(desc)),
                  ("$OS", unit_name.rstrip("/").split("/")[-1]))
        for token, value in values:
            path = path.replace("${" + token[1:] + "}", value).replace(token, value)
        return path.replace("\\", "/")
    if desc.host == "cinema4d":
        if not path:
            return ""
        for token, value in (("$prj", stem), ("$take", unit_name or "Main"), ("$camera", camera)):
            path = path.replace(token, value)
        return path.replace("\\", "/") + (f".{fmt.lower()}" if fmt and "." not in path.rsplit("/", 1)[-1] else "")
    if desc.host == "blender":
        if not path:
            return ""
        if path.startswith("//"):
            path = _join(_scene_dir(desc), path[2:])
        return path.replace("\\", "/")
    return path.replace("\\", "/")  # 3ds Max: the output file as set in Render Setup


def overlapping_outputs(units: Sequence[Unit]) -> List[Tuple[str, List[str]]]:
    """Outputs written by more than one selected unit: [(output, [unit names])]."""
    by_output: dict = {}
    for unit in units:
        if unit.selected and unit.renders_images and unit.output:
            by_output.setdefault(unit.output.lower(), (unit.output, []))[1].append(unit.label)
    return [(output, names) for output, names in by_output.values() if len(names) > 1]
