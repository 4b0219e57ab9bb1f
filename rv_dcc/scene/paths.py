"""Path strings as the farm sees them: server paths, slashes, and paths the farm cannot map.

This module owns the pure string functions for local paths that may come from Windows or from
a POSIX machine, whatever the machine running rv_dcc: it uses ``ntpath`` and ``posixpath``
explicitly and never touches the disk. The farm maps a local path to a server path by turning
the drive letter into a folder and ``\\`` into ``/`` (``spec/task_files.md`` §4):
``D:\\a\\b.jpg`` -> ``/D/a/b.jpg``; ``\\\\nas\\share\\x`` -> ``/nas/share/x``; ``/abs/x`` -> ``/abs/x``.
"""
import ntpath
import posixpath
import re
from typing import Optional

from rv_dcc.i18n import phrase
from rv_dcc.scene.tokens import strip_tokens

#: The farm cannot map a local path longer than this (Windows MAX_PATH less the drive and NUL).
MAX_PATH_LENGTH = 256

_DRIVE_RE = re.compile(r"^[A-Za-z]:")
_VARIABLE_RE = re.compile(r"^(\$\{?[A-Za-z_][A-Za-z0-9_]*\}?|%[A-Za-z_][A-Za-z0-9_]*%|\[[^\]]+\])")
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f]")
_WINDOWS_RESERVED_RE = re.compile(r'[<>"|?*]')
_WINDOWS_OS = {"windows", "win", "win32", "win64", "nt", "1", "3dsmax"}


def to_slash(path: str) -> str:
    """``path`` with every backslash turned into a forward slash."""
    return path.replace("\\", "/")


def is_unc(path: str) -> bool:
    """True for a UNC path: two slashes (either kind) then a server name (``\\\\nas\\share``)."""
    return len(path) > 2 and path[0] in "\\/" and path[1] in "\\/" and path[2] not in "\\/"


def is_windows_path(path: str) -> bool:
    """True when ``path`` is written the Windows way: a drive letter, a ``\\\\`` UNC prefix or backslashes."""
    return bool(_DRIVE_RE.match(path)) or path.startswith("\\\\") or "\\" in path


def has_variable(path: str) -> bool:
    """True when ``path`` starts with an unexpanded variable ($HIP, ${JOB}, %USERPROFILE%, [python])."""
    return bool(_VARIABLE_RE.match(path)) and not _is_token_start(path)


def _is_token_start(path: str) -> bool:
    # "$F4.bgeo" starts with a frame token, not a variable: tokens are expanded later.
    return strip_tokens(path[:8]) != path[:8] and path.startswith(("$F", "${F", "$U", "$V", "$u", "$v"))


def is_relative(path: str, host: Optional[str] = None) -> bool:
    """True when ``path`` cannot be located without knowing a current folder.

    ``host`` names where the path comes from: an OS ("windows", "linux", "darwin", "posix")
    or a DCC name ("blender", "maya", ...); None infers it from the path. On Windows a path
    must have a drive and a root (``D:\\x``) or be UNC; ``\\x`` and ``D:x`` are relative to the
    current drive / folder. Elsewhere it must start with ``/``. Blender's ``//tex/a.png`` is
    relative to the .blend file. A path starting with a variable ($HIP, ${JOB}) is relative.
    """
    if not path:
        return True
    key = (host or "").lower()
    if key == "blender" and path.startswith("//"):
        return True
    if has_variable(path):
        return True
    # A drive or UNC path is Windows-shaped whatever the host says; a Windows host also makes
    # "/x" (root of the current drive) relative.
    if key in _WINDOWS_OS or is_windows_path(path):
        if is_unc(path):
            return False
        drive, rest = ntpath.splitdrive(path)
        return not (drive and rest[:1] in ("\\", "/"))
    return not posixpath.isabs(path)


def to_server_path(local: str) -> str:
    """The path the farm stores ``local`` under (``spec/task_files.md`` §4).

    ``D:\\a\\b.jpg`` -> ``/D/a/b.jpg`` (drive letter upper-cased: Windows drives are
    case-insensitive and one file must have one server path); ``\\\\nas\\share\\x`` ->
    ``/nas/share/x``; ``/abs/x`` -> ``/abs/x``. Repeated slashes collapse. Raises ValueError
    for a relative path, which has no server path.
    """
    if is_relative(local):
        raise ValueError("{!r} is a relative path; the farm needs an absolute one "
                         "(resolve it against the scene's folder first)".format(local))
    slashed = to_slash(local)
    if _DRIVE_RE.match(slashed):
        slashed = "/" + slashed[0].upper() + slashed[2:]
    return re.sub(r"/{2,}", "/", slashed)


def path_problem(path: str) -> Optional[str]:
    """Why the farm cannot map ``path``, as a sentence for the artist; None when it can.

    Reports (first found): empty, an unexpanded variable, relative, UNC (a network share the
    render nodes cannot see: copy or map it to a drive), longer than 256 characters, control
    characters, and on Windows paths the reserved characters ``< > " | ? *`` and a ``:`` after
    the drive. Tokens (####, <UDIM>, $F4 ...) are allowed: they are expanded later.
    """
    if not path:
        return phrase("path.empty")
    if has_variable(path):
        return phrase("path.unexpanded", path=path)
    if is_relative(path):
        return phrase("path.relative", path=path)
    if is_unc(path):
        return phrase("path.unc", path=path)
    if len(path) > MAX_PATH_LENGTH:
        return phrase("path.too_long", length=len(path), limit=MAX_PATH_LENGTH, start=path[:60] + "...")
    bare = strip_tokens(path)
    if _CONTROL_RE.search(bare):
        return phrase("path.control", path=path)
    if is_windows_path(path):
        drive, rest = ntpath.splitdrive(bare)
        bad = sorted(set(_WINDOWS_RESERVED_RE.findall(rest)) | ({":"} if ":" in rest else set()))
        if bad:
            return phrase("path.windows_chars", path=path, chars=" ".join(bad))
    return None
