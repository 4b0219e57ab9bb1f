"""Expanding a token path (``tex.<UDIM>.exr``, ``cache/sim.$F4.bgeo``) to the files on disk.

This module owns :class:`DirListing` (each folder is listed ONCE per scan, however many patterns
and frames point into it: no per-frame glob or stat), :func:`expand_pattern`, which walks a
path component by component, listing only the folders whose component holds a token (see
:mod:`rv_dcc.scene.tokens` for the tokens and their meaning), returning the files folder by
folder (:func:`expand_grouped`) so that the scanner can stat each folder's files relative to
one open handle (:func:`open_folder`: the kernel does not walk the full path again for every
file). Pure standard library.
"""
import os
import re
import stat as stat_mod
from itertools import compress
from operator import attrgetter, not_
from typing import Callable, Dict, List, Optional, Tuple

from rv_dcc.i18n import phrase
from rv_dcc.scene.frames import Frames
from rv_dcc.scene.tokens import ComponentMatcher, has_tokens

# Indirection so tests can count directory listings without patching os globally.
_scandir = os.scandir

_SEP_RE = re.compile(r"[\\/]" if os.name == "nt" else r"/")
_UDIM_NUMBER_RE = re.compile(r"(?<![0-9])(1[0-9]{3})(?![0-9])")
_NAME_FLAGS = re.IGNORECASE if os.name == "nt" else 0

# Stat relative to an open folder (fstatat) where supported: resolving one name instead of the
# whole path saves about a third of each stat on Linux. O_PATH (Linux) needs only search
# permission on the folder, like a plain stat of a path through it.
_DIR_FD = os.stat in os.supports_dir_fd and os.open in os.supports_dir_fd
_O_DIR = (getattr(os, "O_PATH", 0) or os.O_RDONLY) | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0)
#: Below this many files in one folder, opening the folder costs more than it saves.
FD_MIN_FILES = 4


_entry_name = attrgetter("name")
_entry_is_dir = os.DirEntry.is_dir


def _is_dir_or_false(entry: "os.DirEntry[str]") -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False


def may_have_tokens(text: str) -> bool:
    """:func:`~rv_dcc.scene.tokens.has_tokens`, answered without the regex for most plain paths.

    Every token starts with ``#``, ``%``, ``$`` or ``<`` (tests hold this against the token
    grammar), so text with none of them has no token: four C-level scans instead of one regex
    search per reference.
    """
    if "#" in text or "%" in text or "$" in text or "<" in text:
        return has_tokens(text)
    return False


class DirListing:
    """Folder listings cached for one scan: ``entries(folder)`` hits the disk once per folder."""

    def __init__(self) -> None:
        self._cache: Dict[str, Optional[Dict[str, bool]]] = {}
        self._files: Dict[str, Tuple[List[str], bool]] = {}
        self.listings = 0  #: how many folders were actually read (tests assert on this)

    def entries(self, folder: str) -> Optional[Dict[str, bool]]:
        """``{name: is_dir}`` for ``folder``, or None when it does not exist or cannot be read."""
        key = folder or "."
        if key in self._cache:
            return self._cache[key]
        self.listings += 1
        try:
            with _scandir(key) as it:
                entries = list(it)
        except OSError:
            self._cache[key] = None
            return None
        names = list(map(_entry_name, entries))
        try:
            # is_dir() answers from the listing (d_type) without a stat on most file systems.
            dirs = list(map(_entry_is_dir, entries))  # in C: no Python code per entry
        except OSError:  # rare (a stat was needed and failed): count that entry as a file
            dirs = [_is_dir_or_false(entry) for entry in entries]
        result = self._cache[key] = dict(zip(names, dirs))
        files = names if True not in dirs else list(compress(names, map(not_, dirs)))
        self._files[key] = (files, "".join(files).isascii())
        return result

    def files(self, folder: str) -> Tuple[List[str], bool]:
        """The names of the files (not folders) in ``folder``, and whether they are all ASCII (so
        :attr:`ComponentMatcher.exact` may filter them); no names when it cannot be read."""
        key = folder or "."
        got = self._files.get(key)
        if got is None:
            self.entries(key)
            got = self._files.get(key) or ([], True)
        return got

    def matcher(self, component: str) -> ComponentMatcher:
        """The compiled matcher for one path component (see :func:`matcher`)."""
        return matcher(component)


_MATCHERS: Dict[str, ComponentMatcher] = {}


def matcher(component: str) -> ComponentMatcher:
    """The matcher for one path component, compiled once per process (matchers are immutable):
    a panel re-scanning the scene, or references of one shape in many folders, compile nothing."""
    m = _MATCHERS.get(component)
    if m is None:
        if len(_MATCHERS) >= 4096:  # bound a long session's memory; compiling again is cheap
            _MATCHERS.clear()
        m = _MATCHERS[component] = ComponentMatcher(component, _NAME_FLAGS)
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
    if not may_have_tokens(path):
        if udim_numbers and udim_from_number(path) != path:
            path = udim_from_number(path)
        else:
            return _plain(path, listing)
    found, reason = expand_grouped(path, listing, frames)
    return [prefix + name for prefix, names in found for name in names], reason


#: A place the walk has reached: (the pattern's text up to the next component, token bindings so far).
_Candidate = Tuple[str, Dict[str, int]]
_Groups = List[Tuple[str, List[str]]]
#: ComponentMatcher.match: a name's token bindings, or None when it does not match.
_Match = Callable[[str], Optional[Dict[str, int]]]


def expand_grouped(path: str, listing: DirListing,
                   frames: Optional[Frames] = None) -> Tuple[_Groups, str]:
    """Like :func:`expand_pattern` for a path that holds a token, grouped by folder.

    Returns ``[(folder text with its trailing separator, sorted file names)]`` sorted by folder
    (so joining each prefix and name gives the sorted paths), and why there are none. The
    scanner uses the grouping to stat each folder's files together (:func:`open_folder`).
    """
    parts = _components(path)
    last_cut = len(parts) - 1
    first = _first_with_tokens(path, parts)
    candidates: List[_Candidate] = [(parts[first][0], {})]
    for index in range(first, len(parts)):
        comp = parts[index][1]
        last = index == last_cut
        final, grown, missing_folder = _step(comp, last, candidates, listing, frames)
        if not (final if last else grown):
            return [], _why_none(comp, parts[index][0], missing_folder if index == first else "", frames)
        if last:
            return _sorted_groups(final), ""
        # Keep the separator(s) exactly as the pattern wrote them.
        sep = parts[index + 1][0][len(parts[index][0]) + len(comp):]
        candidates = [(text + sep, bound) for text, bound in grown]
    raise AssertionError("unreachable: the loop returns at the last component")  # pragma: no cover


def _first_with_tokens(path: str, parts: List[Tuple[str, str]]) -> int:
    """The index of the first component that holds a token (the walk lists folders from there)."""
    last_cut = len(parts) - 1
    if has_tokens(parts[last_cut][1]) and not has_tokens(path[:len(parts[last_cut][0])]):
        return last_cut  # the usual case: tokens only in the file name (2 regex scans, not 1 per folder)
    return next(i for i, (_, comp) in enumerate(parts) if has_tokens(comp))


def _step(comp: str, last: bool, candidates: List[_Candidate], listing: DirListing,
          frames: Optional[Frames]) -> Tuple[_Groups, List[_Candidate], str]:
    """Match one component in every candidate folder.

    Returns the files found (when ``comp`` is the file name), the folders to go on into
    (otherwise), and the last candidate folder that does not exist ("" when none).
    """
    want_dir = not last
    final: _Groups = []
    grown: List[_Candidate] = []
    missing_folder = ""
    match = matcher(comp).match if has_tokens(comp) else None
    for prefix, bound in candidates:
        folder = folder_of(prefix)
        names = listing.entries(folder)
        if names is None:
            missing_folder = folder
            continue
        if match is None:
            # Tokens only in a folder above: the component must exist with the right type.
            if comp in names and names[comp] == want_dir:
                if last:
                    final.append((prefix, [comp]))
                else:
                    grown.append((prefix + comp, bound))
            continue
        if last and not bound and frames is None:
            kept = _matching_files(listing, folder, comp, match)
        else:
            matched = _matching_entries(names, match, bound, want_dir, frames)
            if not last:
                grown.extend((prefix + name, got) for name, got in matched)
                continue
            kept = [name for name, _got in matched]  # bindings are not needed past the last component
        if kept:
            final.append((prefix, kept))
    return final, grown, missing_folder


def _matching_files(listing: DirListing, folder: str, comp: str, match: "_Match") -> List[str]:
    """The usual case (tokens only in the file name, all frames): no bindings to keep, so one
    regex filters the folder in C when the names allow it."""
    files, ascii_only = listing.files(folder)
    exact = listing.matcher(comp).exact
    if exact is not None and ascii_only:
        return list(filter(exact.fullmatch, files))
    return [name for name in files if match(name) is not None]


def _matching_entries(names: Dict[str, bool], match: "_Match", bound: Dict[str, int], want_dir: bool,
                      frames: Optional[Frames]) -> List[_Candidate]:
    """``(name, bindings)`` of the entries of the wanted type whose tokens match, agree with the
    bindings so far and, for a frame token, name one of ``frames``."""
    matched: List[_Candidate] = []
    for name, is_dir in names.items():
        if is_dir != want_dir:
            continue
        got = match(name)
        if got is None:
            continue
        if bound:
            got = _consistent(bound, got)
            if got is None:
                continue
        if frames is not None and "frame" in got and got["frame"] not in frames:
            continue
        matched.append((name, got))
    return matched


def _why_none(comp: str, prefix: str, missing_folder: str, frames: Optional[Frames]) -> str:
    """Why no file matched ``comp`` (``missing_folder``: the folder the walk started in is absent),
    as a phrase translated wherever it is shown (rv_dcc.i18n)."""
    if missing_folder:
        return phrase("asset.no_folder", folder=missing_folder)
    where = folder_of(prefix)
    if frames is not None:
        return phrase("asset.no_match_frames", pattern=comp, frames=frames.to_farm(), folder=where)
    return phrase("asset.no_match", pattern=comp, folder=where)


def _sorted_groups(groups: List[Tuple[str, List[str]]]) -> List[Tuple[str, List[str]]]:
    """Groups sorted by folder, names sorted (candidate folders are distinct: no merging needed)."""
    for _prefix, names in groups:
        names.sort()
    if len(groups) > 1:
        groups.sort(key=lambda group: group[0])
    return groups


def open_folder(folder: str) -> int:
    """A handle on ``folder`` to stat its files relative to (``os.stat(name, dir_fd=fd)``), or -1.

    -1 where the OS has no such stat, or when the folder cannot be opened (the caller then
    stats full paths, which report the real error). The caller closes the handle. Same result
    as a stat of the full path: the kernel resolves the folder the same way, once.
    """
    if not _DIR_FD:
        return -1
    try:
        return os.open(folder, _O_DIR)
    except OSError:
        return -1


def folder_of(prefix: str) -> str:
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
            return [], phrase("asset.no_folder", folder=folder)
        return [], phrase("asset.not_found")
    if stat_mod.S_ISDIR(st.st_mode):
        return [], phrase("asset.is_folder")
    return [path], ""
