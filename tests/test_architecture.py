"""The layering rules of docs/ARCHITECTURE.md, kept as tests rather than hopes.

- import-linter contracts in pyproject.toml (the layers, api/scene independent, submit never
  imports commands/ui, monitor never imports submit, only the composition root rv_dcc.app imports
  the embedded farm, core never imports hosts, hosts independent, Qt only in rv_dcc.ui, no cycle
  between siblings), and every rv_dcc package placed in the layers;
- no import cycle between any two modules (grimp, import-linter's graph);
- every error rv_dcc raises for a person derives from rv_dcc.errors.RvDccError;
- importing rv_dcc (and the client package) loads neither requests, pydantic nor Qt;
- no rv_dcc module outside rv_dcc/ui mentions a Qt binding, none mentions a DCC module.
"""
import ast
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("requests", "pydantic", "qtpy", "PySide6", "PySide2", "PyQt5")


def _loaded_after(code: str):
    out = subprocess.run([sys.executable, "-c", code + "\nimport sys\nprint('\\n'.join(sorted(sys.modules)))"],
                         capture_output=True, text=True, check=True, cwd=str(ROOT)).stdout.split()
    return {m.split(".")[0] for m in out}


@pytest.mark.parametrize("statement", ["import rv_dcc", "import rv_dcc.api", "import rv_dcc.cli",
                                       "import rv_dcc.scene.adapter"])
def test_light_imports_pull_in_nothing_heavy(statement):
    loaded = _loaded_after(statement)
    assert not loaded.intersection(HEAVY), f"{statement} loaded {sorted(loaded.intersection(HEAVY))}"


def test_import_linter_contracts_hold():
    exe = Path(sys.executable).with_name("lint-imports")
    if not exe.exists():
        pytest.skip("import-linter not installed (pip install -e '.[dev]')")
    proc = subprocess.run([str(exe), "--no-cache"], capture_output=True, text=True, cwd=str(ROOT))
    assert proc.returncode == 0, proc.stdout + proc.stderr


def _contracts():
    try:
        import tomllib  # Python 3.11+
    except ImportError:  # pragma: no cover
        pytest.skip("tomllib needs Python 3.11")
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]["contracts"]


def test_every_core_package_has_a_place_in_the_layers():
    """A new package or top-level module of rv_dcc must be put in a layer (pyproject.toml), or no
    contract would say what it may import."""
    layers = next(c for c in _contracts() if c["type"] == "layers")["layers"]
    placed = {name.strip() for layer in layers for name in re.split(r"[|:]", layer)}
    found = {f"rv_dcc.{p.stem if p.is_file() else p.name}" for p in (ROOT / "rv_dcc").iterdir()
             if (p.suffix == ".py" and p.stem not in ("__init__", "__main__")) or (p / "__init__.py").is_file()}
    found.discard("rv_dcc.resources")
    assert sorted(found - placed) == [] and sorted(placed - found) == []


def _cycles(edges):
    """The strongly connected components with more than one module (Tarjan, iterative)."""
    index, low, on_stack, stack, found, counter = {}, {}, set(), [], [], [0]
    for root in sorted(edges):
        if root in index:
            continue
        work = [(root, iter(sorted(edges[root])))]
        index[root] = low[root] = counter[0]
        counter[0] += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter[0]
                    counter[0] += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_the_cycle_finder_finds_a_cycle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycle_between_modules():
    """No two modules import each other, even lazily inside a function (a package and its own
    submodule included, which import-linter's acyclic_siblings contract does not look at)."""
    grimp = pytest.importorskip("grimp", reason="grimp comes with import-linter (pip install -e '.[dev]')")
    graph = grimp.build_graph("rv_dcc", "rv_dcc_hosts", cache_dir=None)
    modules = set(graph.modules)
    edges = {m: set(graph.find_modules_directly_imported_by(m)) & modules for m in modules}
    assert _cycles(edges) == []


#: Exception classes that never reach a person: private control flow, and the embedded farm's
#: own refusals, which its server turns into wire replies (only its launcher is called by the product).
_NOT_FOR_PEOPLE = ("rv_dcc/farm/errors.py", "rv_dcc/farm/frames.py", "rv_dcc/farm/transfer.py", "rv_dcc/farm/server.py")


def test_every_error_is_in_the_error_tree():
    """Every exception class rv_dcc and its hosts define derives from RvDccError (message + hint)."""
    classes = {}
    for top in ("rv_dcc", "hosts"):
        for path in (ROOT / top).rglob("*.py"):
            rel = path.relative_to(ROOT).as_posix()
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.ClassDef):
                    bases = [b.attr if isinstance(b, ast.Attribute) else getattr(b, "id", "") for b in node.bases]
                    classes.setdefault(node.name, []).append((rel, bases))
    builtin = {"BaseException", "Exception", "RuntimeError", "ValueError", "OSError", "IOError", "KeyError",
               "LookupError", "TypeError", "IndexError", "AttributeError", "ImportError", "ConnectionError"}

    def closure(seed):
        names, grew = set(seed), True
        while grew:
            grew = False
            for name, definitions in classes.items():
                if name not in names and any(names.intersection(bases) for _rel, bases in definitions):
                    names.add(name)
                    grew = True
        return names

    in_tree = closure({"RvDccError"})
    errors = closure(builtin) - builtin
    outside = sorted(f"{rel}: {name}({', '.join(bases)})" for name in errors - in_tree - {"RvDccError"}
                     for rel, bases in classes[name] if not name.startswith("_") and rel not in _NOT_FOR_PEOPLE)
    assert outside == []


DCC_MODULES = re.compile(r"^\s*(?:import|from)\s+(maya|pymxs|hou|c4d|bpy|MaxPlus|qtmax)\b", re.M)
QT_MODULES = re.compile(r"^\s*(?:import|from)\s+(qtpy|PySide6|PySide2|PyQt5|shiboken\d?)\b", re.M)


def _core_sources():
    for path in (ROOT / "rv_dcc").rglob("*.py"):
        yield path, path.read_text(encoding="utf-8")


def test_no_dcc_module_in_the_core():
    offenders = [str(p.relative_to(ROOT)) for p, text in _core_sources() if DCC_MODULES.search(text)
                 and "farm" not in p.parts]  # the farm renders Blender scenes with bpy in a subprocess
    assert offenders == []


def test_qt_only_in_ui():
    offenders = [str(p.relative_to(ROOT)) for p, text in _core_sources()
                 if QT_MODULES.search(text) and "ui" not in p.parts]
    assert offenders == []


def test_cli_version_and_help():
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    version = subprocess.run([sys.executable, "-m", "rv_dcc", "--version"], capture_output=True, text=True,
                             env=env, check=True).stdout
    from rv_dcc import __version__
    assert version.strip() == f"rv-dcc {__version__}"
    helptext = subprocess.run([sys.executable, "-m", "rv_dcc", "--help"], capture_output=True, text=True,
                              env=env, check=True).stdout
    for option in ("--domain", "--platform", "--protocol", "--json"):
        assert option in helptext


def test_every_package_is_shipped():
    """pyproject lists packages explicitly (hosts/ ships as rv_dcc_hosts): a new one must be added."""
    try:
        import tomllib  # Python 3.11+
    except ImportError:  # pragma: no cover
        pytest.skip("tomllib needs Python 3.11")
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    found = set()
    for top, name in (("rv_dcc", "rv_dcc"), ("hosts", "rv_dcc_hosts")):
        for init in (ROOT / top).rglob("__init__.py"):
            rel = init.parent.relative_to(ROOT / top).parts
            found.add(".".join((name,) + rel))
    assert sorted(found - listed) == []
