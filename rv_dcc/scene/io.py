"""Reading and writing scene description files (the JSON form of :class:`SceneDescription`).

This module owns :func:`load_description` (read, validate, resolve relative paths against the
file's folder so samples work from any checkout, turn every failure into a
:class:`DescriptionError` naming the field) and :func:`save_description` (atomic write).
Imports pydantic through :mod:`rv_dcc.scene.model`: load it lazily from host start-up code.
"""
import json
import logging
import ntpath
import os
import posixpath
from typing import Any, Dict, List, Union

from rv_dcc.errors import RvDccError
from rv_dcc.scene.model import SceneDescription
from rv_dcc.scene.paths import has_variable, is_unc

log = logging.getLogger("rv_dcc.scene.io")

PathLike = Union[str, "os.PathLike[str]"]


class DescriptionError(RvDccError, ValueError):
    """A scene description file that cannot be read or is not valid.

    ``path`` is the file; ``field`` the first offending field as a dotted path
    (``layers.2.kind``), or "" when the file as a whole is at fault.
    """

    default_hint = "Fix the file (or describe the scene again from the host) and retry."

    def __init__(self, message: str, *, path: str = "", field: str = "", hint: Any = None) -> None:
        super().__init__(message, hint=hint)
        self.path = path
        self.field = field


def _is_absolute_anywhere(path: str) -> bool:
    """Absolute for Windows or POSIX, whatever this machine is (a description may come from either)."""
    return posixpath.isabs(path) or ntpath.isabs(path) or is_unc(path) or bool(ntpath.splitdrive(path)[0])


def _resolve(path: str, folder: str) -> str:
    """``path`` made absolute against ``folder`` when it is relative; other paths unchanged.

    Paths starting with a variable ($HIP, ${JOB}) are left alone: the host resolves those.
    """
    if not path or _is_absolute_anywhere(path) or has_variable(path):
        return path
    return os.path.normpath(os.path.join(folder, path))


def _field_name(loc: Any) -> str:
    return ".".join(str(part) for part in loc) or "(the description)"


def _resolve_paths(data: Dict[str, Any], folder: str) -> None:
    """Resolve ``scene_file``, ``project_dir`` and every asset path in the raw JSON in place."""
    for key in ("scene_file", "project_dir"):
        if isinstance(data.get(key), str):
            data[key] = _resolve(data[key], folder)
    assets = data.get("assets")
    if not isinstance(assets, list):
        return
    scene_dir = os.path.dirname(data["scene_file"]) if isinstance(data.get("scene_file"), str) else ""
    for asset in assets:
        if not isinstance(asset, dict):
            continue
        for key in ("path", "resolved"):
            value = asset.get(key)
            if not isinstance(value, str):
                continue
            if data.get("host") == "blender" and value.startswith("//") and scene_dir:
                # Blender writes paths relative to the .blend file as //tex/a.png.
                asset[key] = _resolve(value[2:], scene_dir)
            else:
                asset[key] = _resolve(value, folder)


def load_description(path: PathLike) -> SceneDescription:
    """Read and validate a description file; relative paths are resolved against its folder.

    Raises :class:`DescriptionError` when the file is missing, is not JSON, or does not
    validate (the message names the field, e.g. ``layers.0.kind``).
    """
    path = os.fspath(path)
    try:
        with open(path, "r", encoding="utf-8-sig") as fh:
            text = fh.read()
    except FileNotFoundError:
        raise DescriptionError("scene description {} does not exist".format(path), path=path,
                               hint="Check the path, or describe the scene from the host first.") from None
    except OSError as exc:
        raise DescriptionError("cannot read scene description {}: {}".format(path, exc.strerror or exc),
                               path=path) from None
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise DescriptionError("scene description {} is not valid JSON: {}".format(path, exc), path=path) from None
    if not isinstance(data, dict):
        raise DescriptionError("scene description {} must hold a JSON object, not {}".format(
            path, type(data).__name__), path=path)
    _resolve_paths(data, os.path.dirname(os.path.abspath(path)))
    return _validate(data, path)


def _validate(data: Dict[str, Any], path: str) -> SceneDescription:
    from pydantic import ValidationError

    try:
        return SceneDescription.model_validate(data)
    except ValidationError as exc:
        problems: List[str] = []
        for err in exc.errors():
            problems.append("{}: {}".format(_field_name(err.get("loc", ())), err.get("msg", "invalid")))
        first = _field_name(exc.errors()[0].get("loc", ())) if exc.errors() else ""
        raise DescriptionError("scene description {} is not valid: {}".format(path, "; ".join(problems)),
                               path=path, field=first) from None


def description_from_dict(data: Dict[str, Any], source: str = "<dict>") -> SceneDescription:
    """Validate an already-parsed description (no path resolution); errors as :class:`DescriptionError`."""
    return _validate(dict(data), source)


def save_description(desc: SceneDescription, path: PathLike) -> None:
    """Write ``desc`` to ``path`` atomically: a temporary file in the same folder, fsync, rename.

    A reader never sees a half-written file, and a crash leaves the old file in place.
    """
    from rv_dcc.fsutil import atomic_write

    path = os.fspath(path)
    atomic_write(path, desc.to_json() + "\n")
    log.debug("wrote scene description %s", path)
