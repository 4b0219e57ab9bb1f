"""One table for every host: a plug-in's name as the host reports it -> its name in the farm catalog.

The farm's querySoftwareDetail lists plug-ins by catalog name (``cgPlugin[].pluginName``: Maya
``mtoa``, ``vrayformaya``, ``redshift``, ``renderman``; Houdini ``htoa``, ``redshift``; 3ds Max
``arnold``, ``corona``, ``redshift``, ``vray``; Cinema 4D ``arnold``, ``octane``, ``redshift``),
while the hosts name them after their plug-in files (``redshift4maya``, ``RenderMan_for_Maya.py``,
a C4D render engine's label...). Every adapter reports ``farm_name(host, name)`` so the checks
compare like with like. Standard library only: the adapters run it inside the DCC's Python.
"""
import re
from typing import Dict

#: host -> normalised host-side name (lower case, no plug-in file extension) -> catalog name.
#: Names not listed are reported as the host names them (without a file extension); the catalog
#: compares names case-insensitively (rv_dcc.submit.catalog).
FARM_NAMES: Dict[str, Dict[str, str]] = {
    "maya": {
        "mtoa": "mtoa",
        "vrayformaya": "vrayformaya",
        # Redshift's Maya plug-in file is redshift4maya.mll/.so/.bundle; the catalog says "redshift"
        "redshift4maya": "redshift",
        # RenderMan 22+ is a Python plug-in: Maya reports "RenderMan_for_Maya.py" (the .ma files it
        # saves carry: requires ... "RenderMan_for_Maya.py" "24.4 @ 2226585")
        "renderman_for_maya": "renderman",
        "pgyetimaya": "yeti",
        "xgentoolkit": "xgen",
        "mayausdplugin": "mayausd",
        "bifrostgraph": "bifrost",
        "mtor": "renderman",
        "ornatrixmaya": "ornatrix",
        "miarmy": "miarmy",
        "golaem": "golaem",
    },
    "houdini": {"htoa": "htoa", "redshift": "redshift", "redshift_for_houdini": "redshift", "vfh": "vray",
                "vray": "vray", "rfh": "renderman", "renderman": "renderman", "octane": "octane"},
    "3dsmax": {"vray": "vray", "corona": "corona", "arnold": "arnold", "redshift": "redshift", "octane": "octane",
               "fstorm": "fstorm", "forestpack": "forestpack", "railclone": "railclone"},
    "cinema4d": {"redshift": "redshift", "octane": "octane", "arnold": "arnold", "c4dtoa": "arnold",
                 "v-ray": "vray", "vray": "vray", "corona": "corona", "cycles 4d": "cycles4d"},
}
#: host -> plug-ins that ship with the host itself (every farm machine with that host has them), so
#: they are never sent as plug-ins to provide: Maya's bundled AbcImport, gpuCache, MASH, Bifrost,
#: XGen, USD and Substance plug-ins (the catalog does not list them and would refuse the task)
BUNDLED: Dict[str, frozenset] = {
    "maya": frozenset({"abcimport", "abcexport", "gpucache", "mash", "bifrostgraph", "xgentoolkit", "mayausdplugin",
                       "substance", "substancemaya", "mtoh", "lookdevkit", "matrixnodes", "quatnodes"}),
}
_EXTENSION = re.compile(r"\.(py|pyc|mll|so|bundle|dll|dlu|dlr|pyp|xlib)$", re.IGNORECASE)
_VERSION = re.compile(r"\d+(?:\.\d+)*")


def normalise(name: str) -> str:
    """'RenderMan_for_Maya.py' -> 'renderman_for_maya' (case and plug-in file extension dropped)."""
    return _EXTENSION.sub("", name.strip()).lower()


def farm_name(host: str, name: str) -> str:
    """The farm catalog's name for plug-in ``name`` of ``host`` ('maya', 'houdini', '3dsmax', 'cinema4d')."""
    return FARM_NAMES.get(host, {}).get(normalise(name), _EXTENSION.sub("", name.strip()))


def bundled(host: str, name: str) -> bool:
    """True for a plug-in that ships with ``host`` (the farm has it with the host)."""
    return normalise(name) in BUNDLED.get(host, frozenset())


def plain_version(version: str) -> str:
    """The dotted version in what a host reports: '24.4 @ 2226585' -> '24.4', 'v3.5.19' -> '3.5.19'."""
    found = _VERSION.search(version or "")
    return found.group(0) if found else ""
