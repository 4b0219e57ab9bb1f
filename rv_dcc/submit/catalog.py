"""Catalog: what the farm offers one host, read from its answers (spec/wire.md §5, task_files.md §1).

One Catalog per (cgId, render node OS): the software entry of querySoftwareList (is Linux
supported, which file types), the host versions and plugin versions of querySoftwareDetail (the
REAL shape: ``{cgPlugin: [{cvId, pluginName, pluginVersions: [{pluginId, pluginName,
pluginVersion}]}], cgVersion: [{id, cgId, cgName, cgVersion}]}``), the machine configurations of
hardwareConfig/list, the tips-code explanations of queryAnalyseErrorDetail and the user's render
environments of getUserPluginConfig. Plain dataclasses built from plain dicts: the checks, the
render-environment matcher and the task-file builders read it without any network.
``Catalog.from_api`` asks the farm; ``Catalog.from_dict`` reads saved answers (tests, dry runs).
Which of them a submission uses is a ``CatalogSource`` (rv_dcc.submit.catalog_source), chosen by
the composition root.
"""
import logging
import re
from dataclasses import dataclass, field
from typing import Any, Dict, Iterable, List, Optional, Tuple

from rv_dcc.api.replies import to_wire
from rv_dcc.i18n import phrase

log = logging.getLogger("rv_dcc.submit.catalog")

#: host of a SceneDescription -> cgId (spec/wire.md §7).
HOST_CG_IDS: Dict[str, int] = {"maya": 2000, "3dsmax": 2001, "houdini": 2004, "cinema4d": 2005, "blender": 2007}
#: host -> the lower-case name the SDK's querySoftwareDetail / getUserPluginConfig use.
HOST_LOOKUP_NAMES: Dict[str, str] = {"maya": "maya", "3dsmax": "3ds max", "houdini": "houdini",
                                     "cinema4d": "cinema4d", "blender": "blender"}
#: Tips codes the checks attach (spec/wire.md §6).
TIPS_CODES: Tuple[str, ...] = ("10012", "10018", "10025", "10028", "15002", "15004", "15005", "15006",
                               "15013", "15015", "15019", "15024")


@dataclass(frozen=True)
class SoftwareVersion:
    """One host version the farm runs (querySoftwareDetail.cgVersion[])."""

    id: int
    cg_id: int
    cg_name: str
    cg_version: str


@dataclass(frozen=True)
class PluginVersion:
    """One plugin version the farm offers (pluginVersions[] / respUserPluginInfoVos[])."""

    plugin_id: int
    plugin_name: str
    plugin_version: str


@dataclass(frozen=True)
class PluginEntry:
    """A plugin offered for one host version (cgPlugin[]): ``cv_id`` is SoftwareVersion.id."""

    cv_id: int
    plugin_name: str
    versions: Tuple[PluginVersion, ...]


@dataclass(frozen=True)
class HardwareConfig:
    """A machine configuration (hardwareConfig/list item)."""

    id: int
    type: int = 1                      #: 1 CPU, 2 GPU
    model: str = "Default"
    ram: str = ""                      #: e.g. "64GB"
    gpu_num: Optional[str] = None
    platform: int = 0
    status: int = 1                    #: 1 enabled, 0 disabled
    not_support_cg_ids: Tuple[int, ...] = ()
    not_support_cg_versions: Tuple[Tuple[int, str], ...] = ()   #: (cgId, cgVersionName)
    not_support_plugins: Tuple[str, ...] = ()                   #: regexes over "plugin version"

    @property
    def ram_gb(self) -> str:
        """The memory as the digits of task_info.ram ("64GB" -> "64")."""
        digits = re.match(r"\s*(\d+)", self.ram or "")
        return digits.group(1) if digits else ""

    def refuses(self, cg_id: int, cg_version: str, plugins: Dict[str, str]) -> Optional[str]:
        """Why this configuration cannot render that host/version/plugins, or None."""
        if self.status != 1:
            return phrase("machine.disabled")
        if cg_id in self.not_support_cg_ids:
            return phrase("machine.no_software")
        for bad_cg, bad_version in self.not_support_cg_versions:
            if bad_cg == cg_id and str(bad_version) == str(cg_version):
                return phrase("machine.no_version", version=cg_version)
        for pattern in self.not_support_plugins:
            for name, version in plugins.items():
                try:
                    if re.search(pattern, f"{name} {version}"):
                        return phrase("machine.no_plugin", plugin=name, version=version)
                except re.error:
                    log.debug("ignoring an invalid notSupportPluginList pattern %r", pattern)
        return None

    def label(self) -> str:
        """Short human description: "301: CPU Default 64GB"."""
        kind = "GPU" if self.type == 2 else "CPU"
        return f"{self.id}: {kind} {self.model} {self.ram}".strip()


@dataclass(frozen=True)
class TipDetail:
    """Explanation of one tips code (queryAnalyseErrorDetail item)."""

    code: str
    type: int                  #: 0 warning (may be ignored), 1 error (blocks submission)
    description: str = ""
    solution: str = ""
    solution_path: str = ""

    @property
    def blocks(self) -> bool:
        """True when the farm refuses a submission carrying this code."""
        return self.type == 1


@dataclass(frozen=True)
class RenderEnv:
    """A user render environment (getUserPluginConfig item)."""

    edit_name: str
    cg_id: int
    cg_name: str
    cg_version: str
    os_name: int = 1
    render_layer_type: int = 0
    is_default: int = 0
    project_path: str = ""
    plugins: Tuple[PluginVersion, ...] = ()

    @property
    def plugin_ids(self) -> Tuple[int, ...]:
        """Sorted plugin version ids."""
        return tuple(sorted(p.plugin_id for p in self.plugins))


@dataclass(frozen=True)
class Catalog:
    """What the farm offers one host on one render node OS."""

    cg_id: int
    os_name: str = "1"                                  #: "1" Windows, "0" Linux
    software: Dict[str, Any] = field(default_factory=dict)   #: the querySoftwareList item (raw)
    versions: Tuple[SoftwareVersion, ...] = ()
    plugins: Tuple[PluginEntry, ...] = ()
    hardware: Tuple[HardwareConfig, ...] = ()
    tips: Dict[str, TipDetail] = field(default_factory=dict)
    render_envs: Tuple[RenderEnv, ...] = ()

    # --- look-ups ---------------------------------------------------------------------------

    @property
    def supports_linux(self) -> bool:
        """isSupportLinux of querySoftwareList; True when the entry is unknown (do not invent refusals)."""
        value = self.software.get("isSupportLinux")
        return True if value is None else int(value) == 1

    @property
    def file_types(self) -> Tuple[str, ...]:
        """Scene file extensions the farm accepts for this host ("ma;mb" -> ("ma", "mb"))."""
        return tuple(t.strip().lower() for t in str(self.software.get("cgType") or "").split(";") if t.strip())

    def version_names(self) -> List[str]:
        """The host versions offered, in catalog order."""
        return [v.cg_version for v in self.versions]

    def version(self, cg_version: str) -> Optional[SoftwareVersion]:
        """The catalog entry of that exact version string, or None."""
        for entry in self.versions:
            if entry.cg_version == cg_version:
                return entry
        return None

    def plugin_versions(self, cv_id: int, plugin_name: str) -> List[PluginVersion]:
        """Versions of a plugin offered for the host version ``cv_id`` (name compared case-insensitively)."""
        wanted = plugin_name.strip().lower()
        found: List[PluginVersion] = []
        for entry in self.plugins:
            if entry.cv_id == cv_id and entry.plugin_name.strip().lower() == wanted:
                found.extend(entry.versions)
        return found

    def plugin_names(self, cv_id: int) -> List[str]:
        """Names of the plugins offered for the host version ``cv_id``."""
        return sorted({e.plugin_name for e in self.plugins if e.cv_id == cv_id})

    def hardware_config(self, config_id: int) -> Optional[HardwareConfig]:
        """The machine configuration with that id, or None."""
        for config in self.hardware:
            if config.id == config_id:
                return config
        return None

    def tip(self, code: Optional[str]) -> Optional[TipDetail]:
        """The explanation of a tips code, or None when the farm gave none."""
        return self.tips.get(str(code)) if code is not None else None

    # --- building ---------------------------------------------------------------------------

    @classmethod
    def from_dict(cls, data: Dict[str, Any], cg_id: Optional[int] = None, os_name: Optional[str] = None) -> "Catalog":
        """Build from farm answers kept as plain dicts (wire key names).

        ``data`` holds ``software`` (querySoftwareList item, or the whole renderInfoList),
        ``detail`` (querySoftwareDetail data) or ``details`` ({cgId: detail} for several hosts),
        ``hardware`` (hardwareConfig/list), ``tips`` (queryAnalyseErrorDetail list, or {code: item})
        and ``render_envs`` (getUserPluginConfig list). ``cg_id``/``os_name`` default to the keys
        of the same names in ``data``. Raises ValueError naming what is missing.
        """
        cg = int(cg_id if cg_id is not None else data.get("cg_id", 0))
        if not cg:
            raise ValueError("Catalog.from_dict needs a cg_id (argument or 'cg_id' key)")
        osn = str(os_name if os_name is not None else data.get("os_name", "1"))
        detail = data.get("detail")
        if detail is None:
            details = data.get("details") or {}
            detail = details.get(str(cg)) or details.get(cg) or {}  # type: ignore[call-overload]
        software = data.get("software") or {}
        if isinstance(software, list):
            software = next((s for s in software if int(s.get("cgId", 0)) == cg), {})
        versions = tuple(_software_version(v) for v in detail.get("cgVersion") or [] if int(v.get("cgId", cg)) == cg)
        plugins = tuple(_plugin_entry(p) for p in detail.get("cgPlugin") or [])
        tips_raw = data.get("tips") or []
        if isinstance(tips_raw, dict):
            tips_raw = [dict(item, code=item.get("code", code)) for code, item in tips_raw.items()]
        tips: Dict[str, TipDetail] = {}
        for item in tips_raw:
            tip = _tip(item)
            tips[tip.code] = tip
        envs = tuple(_render_env(e) for e in data.get("render_envs") or []
                     if int(e.get("cgId", cg)) == cg and str(e.get("osName", osn)) == osn)
        return cls(cg_id=cg, os_name=osn, software=dict(software), versions=versions, plugins=plugins,
                   hardware=tuple(_hardware(h) for h in data.get("hardware") or []), tips=tips, render_envs=envs)

    def to_dict(self) -> Dict[str, Any]:
        """The single-host form ``from_dict`` reads back (wire key names)."""
        return {
            "cg_id": self.cg_id, "os_name": self.os_name, "software": dict(self.software),
            "detail": {
                "cgVersion": [{"id": v.id, "cgId": v.cg_id, "cgName": v.cg_name, "cgVersion": v.cg_version}
                              for v in self.versions],
                "cgPlugin": [{"cvId": p.cv_id, "pluginName": p.plugin_name,
                              "pluginVersions": [_plugin_dict(pv) for pv in p.versions]} for p in self.plugins],
            },
            "hardware": [{"id": h.id, "type": h.type, "model": h.model, "ram": h.ram, "gpuNum": h.gpu_num,
                          "platform": h.platform, "status": h.status, "notSupportCgId": list(h.not_support_cg_ids),
                          "notSupportCgVersions": [{"cgId": c, "cgVersionName": v} for c, v in h.not_support_cg_versions],
                          "notSupportPluginList": list(h.not_support_plugins)} for h in self.hardware],
            "tips": [{"code": t.code, "type": t.type, "desDescriptionCn": t.description,
                      "desSolutionCn": t.solution, "solutionPath": t.solution_path} for t in self.tips.values()],
            "render_envs": [{"editName": e.edit_name, "cgId": e.cg_id, "cgName": e.cg_name, "cgVersion": e.cg_version,
                             "osName": e.os_name, "renderLayerType": e.render_layer_type, "isDefault": e.is_default,
                             "projectPath": e.project_path,
                             "respUserPluginInfoVos": [_plugin_dict(p) for p in e.plugins]} for e in self.render_envs],
        }

    @classmethod
    def from_api(cls, api: Any, cg_id: int, os_name: str = "1", tips_codes: Iterable[str] = TIPS_CODES,
                 language: int = 1) -> "Catalog":
        """Ask the farm through a RayvisionAPI instance (five queries; all safe to repeat).

        ``language`` 1 asks for English explanations of the tips codes, 0 Chinese.
        """
        name = next((n for h, n in HOST_LOOKUP_NAMES.items() if HOST_CG_IDS[h] == int(cg_id)), str(cg_id))
        software_list = to_wire(api.query.supported_software())
        detail = to_wire(api.query.supported_plugin(name=name, os_name=("windows" if os_name == "1" else "linux")))
        hardware = to_wire(api.user.get_hardware_config())
        codes = [str(c) for c in tips_codes]
        tips = to_wire(api.query.error_detail(codes=codes, language=language)) if codes else []
        envs = to_wire(api.env.get_render_env(name=name))
        return cls.from_dict({
            "software": (software_list or {}).get("renderInfoList") or [],
            "detail": detail or {}, "hardware": hardware or [], "tips": tips or [], "render_envs": envs or [],
        }, cg_id=int(cg_id), os_name=os_name)


def plain(value: Any) -> Any:
    """A client response as plain wire-keyed dicts and lists (:func:`rv_dcc.api.to_wire`)."""
    from rv_dcc.api.replies import to_wire

    return to_wire(value)


def _software_version(item: Dict[str, Any]) -> SoftwareVersion:
    return SoftwareVersion(id=int(item["id"]), cg_id=int(item.get("cgId", 0)), cg_name=str(item.get("cgName", "")),
                           cg_version=str(item["cgVersion"]))


def _plugin_version(item: Dict[str, Any]) -> PluginVersion:
    return PluginVersion(plugin_id=int(item["pluginId"]), plugin_name=str(item.get("pluginName", "")),
                         plugin_version=str(item.get("pluginVersion", "")))


def _plugin_dict(plugin: PluginVersion) -> Dict[str, Any]:
    return {"pluginId": plugin.plugin_id, "pluginName": plugin.plugin_name, "pluginVersion": plugin.plugin_version}


def _plugin_entry(item: Dict[str, Any]) -> PluginEntry:
    return PluginEntry(cv_id=int(item["cvId"]), plugin_name=str(item.get("pluginName", "")),
                       versions=tuple(_plugin_version(v) for v in item.get("pluginVersions") or []))


def _hardware(item: Dict[str, Any]) -> HardwareConfig:
    bad_versions = tuple((int(v.get("cgId", 0)), str(v.get("cgVersionName", "")))
                         for v in item.get("notSupportCgVersions") or [])
    return HardwareConfig(
        id=int(item["id"]), type=int(item.get("type") or 1), model=str(item.get("model") or "Default"),
        ram=str(item.get("ram") or ""), gpu_num=None if item.get("gpuNum") is None else str(item["gpuNum"]),
        platform=int(item.get("platform") or 0), status=int(item.get("status", 1)),
        not_support_cg_ids=tuple(int(c) for c in item.get("notSupportCgId") or []),
        not_support_cg_versions=bad_versions,
        not_support_plugins=tuple(str(p) for p in item.get("notSupportPluginList") or []))


def _tip(item: Dict[str, Any]) -> TipDetail:
    # The service names the fields ...Cn whatever the language asked for; English answers also
    # arrive there. Accept explicit English keys too (the embedded farm may use them).
    description = item.get("desDescriptionEn") or item.get("desDescriptionCn") or item.get("description") or ""
    solution = item.get("desSolutionEn") or item.get("desSolutionCn") or item.get("solution") or ""
    return TipDetail(code=str(item.get("code", "")), type=int(item.get("type", 0)), description=str(description),
                     solution=str(solution), solution_path=str(item.get("solutionPath") or ""))


def _render_env(item: Dict[str, Any]) -> RenderEnv:
    return RenderEnv(
        edit_name=str(item.get("editName", "")), cg_id=int(item.get("cgId", 0)), cg_name=str(item.get("cgName", "")),
        cg_version=str(item.get("cgVersion", "")), os_name=int(item.get("osName", 1)),
        render_layer_type=int(item.get("renderLayerType") or 0), is_default=int(item.get("isDefault") or 0),
        project_path=str(item.get("projectPath") or ""),
        plugins=tuple(_plugin_version(p) for p in item.get("respUserPluginInfoVos") or []))
