"""Expanding a token path (``tex.<UDIM>.exr``, ``cache/sim.$F4.bgeo``) to the files on disk.

This module owns :class:`DirListing` (each folder is listed ONCE per scan, however many patterns
and frames point into it: no per-frame glob or stat) and :func:`expand_pattern`, which walks a
path component by component, listing only the folders whose component holds a token (see
:mod:`rv_dcc.scene.tokens` for the tokens and their meaning). Pure standard library.
"""
import os
import re
import stat as stat_mod
from typing import Dict, List, Optional, Tuple

from rv_dcc.scene.frames import Frames
from rv_dcc.scene.tokens import ComponentMatcher, has_tokens

# Indirection so tests can count directory listings without patching os globally.
_scandir = os.scandir

_SEP_RE = re.compile(r"[\\/]" if os.name == "nt" else r"/")
_UDIM_NUMBER_RE = re.compile(r"(?<![0-9])(1[0-9]{3})(?![0-9])")
_NAME_FLAGS = re.IGNORECASE if os.name == "nt" else 0


class DirListing:
    """Folder listings cached for one scan: ``entries(folder)`` hits the disk once per folder."""

    def __init__(self) -> None:
        self._cache: Dict[str, Optional[Dict[str, bool]]] = {}
        self._matchers: Dict[str, ComponentMatcher] = {}
        self.listings = 0  #: how many folders were actually read (tests assert on this)

    def entries(self, folder: str) -> Optional[Dict[str, bool]]:
        """``{name: is_dir}`` for ``folder``, or None when it does not exist or cannot be read."""
        key = folder or "."
        if key in self._cache:
            return self._cache[key]
        self.listings += 1
        result: Optional[Dict[str, bool]]
        try:
            result = {}
            with _scandir(key) as it:
                for entry in it:
                    try:
                        result[entry.name] = entry.is_dir()
                    except OSError:
                        result[entry.name] = False
        except OSError:
            result = None
        self._cache[key] = result
        return result

    def matcher(self, component: str) -> ComponentMatcher:
        """The compiled matcher for one path component (compiled once per scan)."""
        m = self._matchers.get(component)
        if m is None:
            m = self._matchers[component] = ComponentMatcher(component, _NAME_FLAGS)
        return m


def udim_from_number(path: str) -> str:
    """``path`` with the last 1001..1999 number of its file name made a ``<UDIM>`` token.

    For hosts that store the first tile (``wood.1001.exr``) rather than a token. Unchanged when
    the file name holds no such number.
    """
    cut = max(path.rfind("/"), path.rfind("\\")) + 1
    name = path[cut:]
    matches = [m for m in _UDIM_NUMBER_RE.finditer(name) if 1001 <= int(m.group(1)) <= 1999]
    if not matches:
        return path
    m = matches[-1]
    return path[:cut] + name[:m.start()] + "<UDIM>" + name[m.end():]


def _components(path: str) -> List[Tuple[str, str]]:
    """``[(prefix, component)]``: each component with the raw text before it (separators kept)."""
    out: List[Tuple[str, str]] = []
    pos = 0
    for m in _SEP_RE.finditer(path):
        if m.start() > pos:
            out.append((path[:pos], path[pos:m.start()]))
        pos = m.end()
    if pos < len(path):
        out.append((path[:pos], path[pos:]))
    return out


def _consistent(a: Dict[str, int], b: Dict[str, int]) -> Optional[Dict[str, int]]:
    merged = dict(a)
    for key, value in b.items():
        if merged.setdefault(key, value) != value:
            return None
    return merged


def expand_pattern(path: str, listing: DirListing, frames: Optional[Frames] = None,
                   udim_numbers: bool = False) -> Tuple[List[str], str]:
    """The existing files ``path`` stands for, sorted, and why there are none ("" when found).

    A path with no token is one file (found when it exists and is not a folder). ``frames``
    limits frame tokens to those frames. ``udim_numbers`` treats a 1001-style number in the
    file name as ``<UDIM>`` (see :func:`udim_from_number`).
    """
    if not has_tokens(path):
        if udim_numbers and udim_from_number(path) != path:
            path = udim_from_number(path)
        else:
            return _plain(path, listing)
    parts = _components(path)
    first = next(i for i, (_, comp) in enumerate(parts) if has_tokens(comp))
    # A candidate is (text before the current component, bindings so far).
    candidates: List[Tuple[str, Dict[str, int]]] = [(parts[first][0], {})]
    for index in range(first, len(parts)):
        comp = parts[index][1]
        last = index == len(parts) - 1
        grown: List[Tuple[str, Dict[str, int]]] = []
        missing_folder = ""
        for prefix, bound in candidates:
            names = listing.entries(_folder(prefix))
            if names is None:
                missing_folder = _folder(prefix)
                continue
            if not has_tokens(comp):
                # Tokens only in a folder above: the component must exist with the right type.
                if comp in names and names[comp] == (not last):
                    grown.append((prefix + comp, bound))
                continue
            matcher = listing.matcher(comp)
            for name, is_dir in names.items():
                if is_dir != (not last):
                    continue
                got = matcher.match(name)
                merged = got if (got is None or not bound) else _consistent(bound, got)
                if merged is None:
                    continue
                if frames is not None and "frame" in merged and merged["frame"] not in frames:
                    continue
                grown.append((prefix + name, merged))
        if not grown:
            if missing_folder and index == first:
                return [], "folder {} does not exist".format(missing_folder)
            where = _folder(parts[index][0])
            if frames is not None:
                return [], "no file matches {!r} for frames {} in {}".format(comp, frames.to_farm(), where)
            return [], "no file matches {!r} in {}".format(comp, where)
        if not last:
            # Keep the separator(s) exactly as the pattern wrote them.
            sep = parts[index + 1][0][len(parts[index][0]) + len(comp):]
            grown = [(text + sep, bound) for text, bound in grown]
        candidates = grown
    return sorted({text for text, _ in candidates}), ""


def _folder(prefix: str) -> str:
    """The folder to list for the text before a component ("/a/b/" -> "/a/b", "/" stays "/")."""
    folder = prefix.rstrip("\\/")
    if not folder:
        return prefix[:1] if prefix else "."
    if len(folder) == 2 and folder[1] == ":":  # "C:" alone means C:'s current folder on Windows
        return folder + prefix[2:3]
    return folder


def _plain(path: str, listing: DirListing) -> Tuple[List[str], str]:
    """A token-free path: stat it (a single file needs no listing)."""
    try:
        st = os.stat(path)
    except OSError:
        folder = os.path.dirname(path)
        if folder and not os.path.isdir(folder):
            return [], "folder {} does not exist".format(folder)
        return [], "file not found"
    if stat_mod.S_ISDIR(st.st_mode):
        return [], "is a folder, not a file"
    return [path], ""
