"""Shared machinery of the Maya, 3ds Max, Houdini and Cinema 4D batch runners.

A ``HostSpec`` says how to find one host's batch interpreter (an environment variable, PATH,
then the standard install folders of this OS, newest version first) and how to call it. The
runner writes a small bootstrap script into a temporary folder that makes ``rv_dcc_hosts``
importable from wherever it is installed (a source checkout keeps it as ``hosts/``), calls
``rv_dcc_hosts.<dcc>.batch.main([scene, out.json])`` inside the host, and reads the JSON back.
Nothing here imports a DCC module or rv_dcc_hosts: the host runs in its own process, so a crash
or hang there never takes the caller down.
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
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable, Dict, List, Optional, Tuple

from rv_dcc.batch.errors import BatchError, HostNotFoundError

if TYPE_CHECKING:  # pragma: no cover
    from rv_dcc.scene.model import SceneDescription

log = logging.getLogger("rv_dcc.batch.hosts")


@dataclass(frozen=True)
class HostSpec:
    """How to find and call one host's batch interpreter."""

    key: str                      #: rv_dcc_hosts sub-package, e.g. "maya"
    label: str                    #: for messages, e.g. "Maya"
    env_var: str                  #: e.g. RV_DCC_MAYAPY
    programs: Tuple[str, ...]     #: names looked up on PATH, e.g. ("mayapy",)
    globs: Dict[str, Tuple[str, ...]] = field(default_factory=dict)  #: "win32"/"darwin"/"linux" -> patterns
    install_hint: str = ""        #: what to install
    #: argv after the interpreter: (bootstrap script, scene) -> arguments
    arguments: Callable[[str, str], List[str]] = lambda bootstrap, scene: [bootstrap]


def version_key(path: str) -> Tuple[int, ...]:
    """Sort key: the numbers in an install path (Maya2025 > Maya2024, Houdini 20.5.370 > 20.0.1)."""
    digits = "".join(ch if ch.isdigit() else " " for ch in path).split()
    return tuple(int(d) for d in digits[:4])


def _platform() -> str:
    return "win32" if sys.platform == "win32" else "darwin" if sys.platform == "darwin" else "linux"


def find_interpreter(spec: HostSpec, environ: Optional[Dict[str, str]] = None) -> Optional[List[str]]:
    """[program] for the host's batch interpreter, or None. An explicit setting that is wrong raises."""
    env = os.environ if environ is None else environ
    value = env.get(spec.env_var)
    if value:
        found = shutil.which(value) or (value if os.path.isfile(value) else None)
        if not found:
            raise HostNotFoundError(f"{spec.env_var} is set to {value!r}, which is not a program.",
                                    hint=f"point {spec.env_var} at {spec.programs[0]}, or unset it")
        return [found]
    for name in spec.programs:
        on_path = shutil.which(name, path=env.get("PATH"))
        if on_path:
            return [on_path]
    candidates = [p for pattern in spec.globs.get(_platform(), ()) for p in glob.glob(os.path.expandvars(pattern))
                  if os.path.isfile(p)]
    if candidates:
        return [max(candidates, key=version_key)]
    return None


def not_found(spec: HostSpec, scene: str) -> HostNotFoundError:
    """The error that says what to install or which variable to set."""
    return HostNotFoundError(
        f"Can't read {scene}: {spec.label}'s batch program ({spec.programs[0]}) was not found.",
        hint=f"install {spec.install_hint or spec.label}, put {spec.programs[0]} on PATH, or set "
             f"{spec.env_var} to its full path")


def hosts_dir() -> str:
    """The folder importable as rv_dcc_hosts (located, not imported: the core never imports hosts)."""
    found = importlib.util.find_spec("rv_dcc_hosts")
    if found is None or not found.submodule_search_locations:
        raise HostNotFoundError("The rv_dcc_hosts package is not installed next to rv_dcc.",
                                hint="reinstall rv-dcc")
    return list(found.submodule_search_locations)[0]


def bootstrap_source(spec: HostSpec, hosts: str, scene: str, out_path: str) -> str:
    """The script the host runs: import rv_dcc_hosts from ``hosts`` and describe ``scene``."""
    return (
        "import importlib.util, sys\n"
        "if 'rv_dcc_hosts' not in sys.modules:\n"
        f"    spec = importlib.util.spec_from_file_location('rv_dcc_hosts', {os.path.join(hosts, '__init__.py')!r},"
        f" submodule_search_locations=[{hosts!r}])\n"
        "    module = importlib.util.module_from_spec(spec)\n"
        "    sys.modules['rv_dcc_hosts'] = module\n"
        "    spec.loader.exec_module(module)\n"
        f"from rv_dcc_hosts.{spec.key}.batch import main\n"
        f"code = main([{scene!r}, {out_path!r}])\n"
        "if code:\n"
        "    raise SystemExit(code)\n"
    )


def build_command(spec: HostSpec, scene: str, bootstrap: str) -> List[str]:
    """The full argv (an argument list, never a shell string); raises when the host is absent."""
    prefix = find_interpreter(spec)
    if prefix is None:
        raise not_found(spec, scene)
    return prefix + spec.arguments(bootstrap, scene)


def describe_file(spec: HostSpec, path: str, timeout: float = 300) -> "SceneDescription":
    """Run the host's batch interpreter on ``path`` and return the validated description."""
    scene = os.path.abspath(path)
    with tempfile.TemporaryDirectory(prefix=f"rv_dcc_{spec.key}_") as tmp:
        out_path = os.path.join(tmp, "description.json")
        bootstrap = os.path.join(tmp, "rv_dcc_describe.py")
        with open(bootstrap, "w", encoding="utf-8") as handle:
            handle.write(bootstrap_source(spec, hosts_dir(), scene, out_path))
        argv = build_command(spec, scene, bootstrap)
        log.info("describing %s with %s", scene, argv[0])
        try:
            proc = subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                  timeout=timeout, check=False)
        except subprocess.TimeoutExpired:
            raise BatchError(f"{spec.label} did not finish reading {scene} within {timeout:g} s.",
                             hint=f"try again with a longer timeout, or open the scene in {spec.label} "
                                  "to see what it is waiting for") from None
        output = proc.stdout.decode("utf-8", "replace") if proc.stdout else ""
        if proc.returncode != 0 or not os.path.isfile(out_path):
            from rv_dcc.batch._failure import child_failed

            raise child_failed(spec.key, spec.label, scene, proc.returncode, output,
                               hint=f"open the scene in {spec.label} to check it loads")
        with open(out_path, encoding="utf-8") as handle:
            data = json.load(handle)
    return validate(spec, scene, data)


def validate(spec: HostSpec, scene: str, data: dict) -> "SceneDescription":
    """The JSON a host wrote, as a SceneDescription (a bad one is a bug in the adapter)."""
    from pydantic import ValidationError

    from rv_dcc.scene.model import SceneDescription

    try:
        return SceneDescription.model_validate(data)
    except ValidationError as exc:
        raise BatchError(f"The description of {scene} is not valid: {exc}",
                         hint=f"this is a bug in rv_dcc's {spec.label} adapter; please report it") from None
