"""Describe a .blend by running Blender's Python in a separate process.

Finds something that can open a .blend — a Python with the ``bpy`` module (this one, or
$RV_DCC_BPY_PYTHON) or a Blender executable ($RV_DCC_BLENDER, PATH, the usual install
folders) — runs ``rv_dcc_hosts.blender.batch`` there with a timeout and reads the JSON it
writes. Nothing here imports bpy: a crash or hang in Blender never takes the caller down.
"""
import glob
import importlib.util
import json
import logging
import os
import shutil
import subprocess
import sys
import tempfile
from typing import TYPE_CHECKING, List, Optional, Tuple

from rv_dcc.batch.errors import BatchError, HostNotFoundError

if TYPE_CHECKING:  # pragma: no cover
    from rv_dcc.scene.model import SceneDescription

log = logging.getLogger("rv_dcc.batch.blender")

ENV_BLENDER = "RV_DCC_BLENDER"
ENV_BPY_PYTHON = "RV_DCC_BPY_PYTHON"
_INSTALL_HINT = ("install Blender (blender.org) and put it on PATH or set %s to the blender executable, "
                 "or install the bpy module into this Python (pip install bpy)" % ENV_BLENDER)


def _install_globs() -> List[str]:
    if sys.platform == "win32":
        roots = [os.environ.get("ProgramFiles", r"C:\Program Files"), os.environ.get("LOCALAPPDATA", "")]
        steam = os.path.join(os.environ.get("ProgramFiles(x86)", r"C:\Program Files (x86)"),
                             "Steam", "steamapps", "common", "Blender", "blender.exe")
        return [os.path.join(root, "Blender Foundation", "Blender*", "blender.exe") for root in roots if root] + [steam]
    if sys.platform == "darwin":
        return ["/Applications/Blender*.app/Contents/MacOS/Blender",
                os.path.expanduser("~/Applications/Blender*.app/Contents/MacOS/Blender")]
    return ["/usr/bin/blender", "/usr/local/bin/blender", "/snap/bin/blender", "/opt/blender*/blender",
            os.path.expanduser("~/blender*/blender"), os.path.expanduser("~/.local/bin/blender")]


def _version_key(path: str) -> Tuple[int, ...]:
    digits = "".join(ch if ch.isdigit() else " " for ch in path).split()
    return tuple(int(d) for d in digits[:3])


def _has_bpy() -> bool:
    """This Python can import bpy (looked up, not imported: importing bpy takes half a second)."""
    return importlib.util.find_spec("bpy") is not None


def _locate() -> Optional[Tuple[str, str]]:
    """("bpy", python) or ("blender", executable), or None. Explicit settings win."""
    for variable, kind in ((ENV_BLENDER, "blender"), (ENV_BPY_PYTHON, "bpy")):
        value = os.environ.get(variable)
        if value:
            found = shutil.which(value) or (value if os.path.isfile(value) else None)
            if not found:
                raise HostNotFoundError("%s is set to %r, which is not a program." % (variable, value),
                                        hint="point %s at the program, or unset it" % variable)
            return kind, found
    if _has_bpy():
        return "bpy", sys.executable
    blenders = installed_blenders()
    return ("blender", blenders[0]) if blenders else None


def installed_blenders() -> List[str]:
    """Blender executables on this machine: the one on PATH first, then the usual install folders
    (newest-looking first); one entry per real file."""
    on_path = shutil.which("blender")
    candidates = [path for pattern in _install_globs() for path in glob.glob(pattern) if os.path.isfile(path)]
    ordered: List[str] = ([on_path] if on_path else []) + sorted(candidates, key=_version_key, reverse=True)
    seen, unique = set(), []
    for path in ordered:
        real = os.path.realpath(path)
        if real not in seen:
            seen.add(real)
            unique.append(path)
    return unique


def _package_dirs() -> Tuple[str, str]:
    """(folder importable as rv_dcc_hosts, folder containing rv_dcc): a Blender executable does not
    see this Python's site-packages, so the batch expression imports the code from there."""
    spec = importlib.util.find_spec("rv_dcc_hosts")  # located, not imported: the core never imports hosts
    if spec is None or not spec.submodule_search_locations:
        raise HostNotFoundError("The rv_dcc_hosts package is not installed next to rv_dcc.",
                                hint="reinstall rv-dcc (pip install rv-dcc)")
    hosts_dir = list(spec.submodule_search_locations)[0]
    # this file is rv_dcc/batch/blender.py: two levels up is the folder that holds rv_dcc
    core_parent = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    return hosts_dir, core_parent


def find_interpreter() -> Optional[List[str]]:
    """The argv prefix that describes a .blend: ``[python, -m, rv_dcc_hosts.blender.batch]`` or
    ``[blender, -b]``; None when neither bpy nor Blender is found."""
    found = _locate()
    if found is None:
        return None
    kind, program = found
    if kind == "bpy":
        return [program, "-m", "rv_dcc_hosts.blender.batch"]
    return [program, "-b"]


def describe_file(path: str, timeout: float = 300) -> "SceneDescription":
    """Open ``path`` with bpy or Blender in a child process and return its description."""
    scene = os.path.abspath(path)
    with tempfile.TemporaryDirectory(prefix="rv_dcc_blend_") as tmp:
        out_path = os.path.join(tmp, "description.json")
        argv = build_command(scene, out_path)
        log.info("describing %s with %s", scene, argv[0])
        try:
            proc = subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT, timeout=timeout, check=False)
        except subprocess.TimeoutExpired:
            raise BatchError("Blender did not finish reading %s within %d s." % (scene, timeout),
                             hint="try again with a longer timeout, or open the scene in Blender "
                                  "to see what it is waiting for") from None
        output = proc.stdout.decode("utf-8", "replace") if proc.stdout else ""
        if proc.returncode != 0 or not os.path.isfile(out_path):
            from rv_dcc.batch._failure import child_failed

            raise child_failed("blender", "Blender", scene, proc.returncode, output,
                               hint="open the file in Blender to check it is a valid .blend")
        with open(out_path, encoding="utf-8") as handle:
            data = json.load(handle)
    from pydantic import ValidationError

    from rv_dcc.scene.model import SceneDescription

    try:
        return SceneDescription.model_validate(data)
    except ValidationError as exc:
        raise BatchError("The description of %s is not valid: %s" % (scene, exc),
                         hint="this is a bug in rv_dcc's Blender adapter; please report it") from None


def build_command(scene: str, out_path: str) -> List[str]:
    """The full argv that writes the description of ``scene`` to ``out_path``."""
    prefix = find_interpreter()
    if prefix is None:
        raise HostNotFoundError("Can't read %s: neither Blender nor the bpy module is installed." % scene,
                                hint=_INSTALL_HINT)
    if prefix[-1] == "rv_dcc_hosts.blender.batch":
        return prefix + [scene, out_path]
    hosts_dir, core_parent = _package_dirs()
    expr = _expr(hosts_dir, core_parent, out_path)
    # the scene comes before --python-expr so Blender has loaded it when the expression runs
    return prefix + [scene, "--python-exit-code", "3", "--python-expr", expr]


def _expr(hosts_dir: str, core_parent: str, out_path: str) -> str:
    """The --python-expr a Blender executable runs: Blender's Python does not see this Python's
    site-packages, so the expression imports rv_dcc and rv_dcc_hosts from where they are here,
    then writes the description (exit status 3 on a Python error, via --python-exit-code)."""
    return (
        "import sys, importlib.util\n"
        "sys.path.insert(0, {core!r})\n"
        "if 'rv_dcc_hosts' not in sys.modules:\n"
        "    spec = importlib.util.spec_from_file_location('rv_dcc_hosts', {init!r},"
        " submodule_search_locations=[{hosts!r}])\n"
        "    module = importlib.util.module_from_spec(spec)\n"
        "    sys.modules['rv_dcc_hosts'] = module\n"
        "    spec.loader.exec_module(module)\n"
        "from rv_dcc_hosts.blender.batch import write_description\n"
        "write_description({out!r})\n"
    ).format(core=core_parent, init=os.path.join(hosts_dir, "__init__.py"), hosts=hosts_dir, out=out_path)
