"""Render environment: the scene's host version and plugins matched against the farm's catalog.

``match_render_env`` pairs the artist's host version and each plugin with what the farm offers
(querySoftwareDetail): *exact* (the farm runs that version; "2024" serves Maya 2024.2, "20.5"
serves Houdini 20.5.370), *nearest* (not offered; the closest offered version is named and used)
or *missing* (nothing offered at all). It also picks the user's render environment that already
holds exactly those versions. ``ensure_render_env`` makes the farm hold such an environment: it
finds it, edits the one of our deterministic name, or adds it (addUserPluginConfig /
editUserPluginConfig, never repeated automatically by the client). Pure except for that call.
"""
import logging
import re
from dataclasses import dataclass
from typing import Any, Dict, List, Optional, Sequence, Tuple

from rv_dcc.api.replies import to_wire
from rv_dcc.submit.catalog import HOST_CG_IDS, HOST_LOOKUP_NAMES, Catalog, PluginVersion, RenderEnv

log = logging.getLogger("rv_dcc.submit.render_env")

EXACT = "exact"
NEAREST = "nearest"
MISSING = "missing"

#: software_config.cg_name / render env cgName per host (spec/task_files.md §2-3).
CG_NAMES: Dict[str, str] = {"maya": "Maya", "3dsmax": "3ds Max", "houdini": "Houdini",
                            "cinema4d": "CINEMA 4D", "blender": "Blender"}


@dataclass(frozen=True)
class ItemMatch:
    """One host version or plugin, as wanted by the scene and as offered by the farm."""

    kind: str                      #: "host" or "plugin"
    name: str                      #: host cg name or plugin name
    wanted: str                    #: the artist's version ("" when unknown)
    status: str                    #: EXACT, NEAREST or MISSING
    chosen: Optional[str] = None   #: the farm's version string that will be used
    plugin_id: Optional[int] = None
    offered: Tuple[str, ...] = ()  #: every version the farm offers for this item
    picked: bool = False           #: the artist picked ``chosen`` (SubmitOptions.cg_version / plugin_versions)

    def describe(self) -> str:
        """One line for people: "mtoa 5.3.3 -> 5.3.4 (nearest)"."""
        wanted = self.wanted or "(version unknown)"
        if self.status == EXACT:
            return f"{self.name} {wanted} -> {self.chosen}"
        if self.status == NEAREST:
            return f"{self.name} {wanted} -> {self.chosen} (nearest; not an exact match)"
        return f"{self.name} {wanted}: not offered by the farm"


@dataclass(frozen=True)
class EnvMatch:
    """The render environment the scene needs, matched against one Catalog."""

    host: str
    cg_id: int
    cg_name: str
    os_name: str
    software: ItemMatch
    plugins: Tuple[ItemMatch, ...] = ()
    render_layer_type: int = 0
    project_path: str = ""
    existing: Optional[RenderEnv] = None   #: a user environment holding exactly these versions
    name_override: Optional[str] = None    #: SubmitOptions.render_env

    @property
    def cg_version(self) -> str:
        """The host version the farm will run (the catalog's string; the artist's when missing)."""
        return self.software.chosen or self.software.wanted

    @property
    def plugin_ids(self) -> List[int]:
        """Sorted pluginIds of the matched plugin versions (missing plugins have none)."""
        return sorted(p.plugin_id for p in self.plugins if p.plugin_id is not None)

    @property
    def plugin_versions(self) -> Dict[str, str]:
        """software_config.plugins: name -> version the farm will load (the artist's when missing)."""
        return {p.name: (p.chosen or p.wanted) for p in self.plugins}

    @property
    def edit_name(self) -> str:
        """The environment's name: the existing one, the chosen one, or a deterministic one."""
        if self.name_override:
            return self.name_override
        if self.existing is not None:
            return self.existing.edit_name
        return default_edit_name(self.cg_name, self.cg_version, self.plugin_versions, self.os_name)

    @property
    def complete(self) -> bool:
        """True when the host version and every plugin matched exactly."""
        return all(item.status == EXACT for item in (self.software,) + tuple(self.plugins))

    def render_env_body(self) -> Dict[str, Any]:
        """The addUserPluginConfig / editUserPluginConfig body (wire.md §5: renderSystem an int)."""
        body: Dict[str, Any] = {"cgId": self.cg_id, "cgName": self.cg_name, "cgVersion": self.cg_version,
                                "editName": self.edit_name, "renderSystem": int(self.os_name),
                                "pluginIds": self.plugin_ids}
        if self.host == "maya":
            body["renderLayerType"] = self.render_layer_type
        if self.project_path:
            body["projectPath"] = self.project_path
        return body


def default_edit_name(cg_name: str, cg_version: str, plugins: Dict[str, str], os_name: str = "1") -> str:
    """Deterministic environment name: "rv_dcc Maya 2024 mtoa 5.3.4" (+ " linux" for Linux nodes)."""
    parts = ["rv_dcc", cg_name, cg_version] + [f"{name} {plugins[name]}" for name in sorted(plugins, key=str.lower)]
    if os_name == "0":
        parts.append("linux")
    return " ".join(p for p in parts if p)


# --- version arithmetic ----------------------------------------------------------------------

def version_numbers(text: str) -> Tuple[int, ...]:
    """The numbers of a version string: "2024.2" -> (2024, 2), "R26.107" -> (26, 107)."""
    return tuple(int(n) for n in re.findall(r"\d+", text or ""))


def _normalise(version: str, name: str = "") -> str:
    # Plugin versions sometimes carry the plugin's name ("renderman 22.6").
    text = (version or "").strip()
    if name and text.lower().startswith(name.lower()):
        text = text[len(name):].lstrip(" -_v")
    return text


def _is_release_of(wanted: str, offered: str) -> bool:
    """True when the farm's ``offered`` version is the release the artist's ``wanted`` belongs to."""
    w, o = wanted.lower(), offered.lower()
    if w == o:
        return True
    if not o or not w.startswith(o):
        return False
    nxt = w[len(o)]
    return not nxt.isalnum()  # "2024" serves "2024.2" but not "20245"


def match_version(wanted: str, offered: Sequence[str], name: str = "") -> Tuple[str, Optional[str]]:
    """(status, chosen) for a version among the offered ones (strings compared after normalising).

    Exact: equal, or the offered version is the release of the wanted one (the longest such).
    Nearest: the closest by version numbers, major first; on a tie the newer. A wanted version
    that is unknown ("") gets the newest offered, as nearest. Missing: nothing offered.
    """
    if not offered:
        return MISSING, None
    pairs = [(o, _normalise(o, name)) for o in offered]
    want = _normalise(wanted, name)
    releases = [(o, n) for o, n in pairs if want and _is_release_of(want, n)]
    if releases:
        return EXACT, max(releases, key=lambda pair: len(pair[1]))[0]
    numbers = version_numbers(want)
    if not numbers:
        return NEAREST, max(pairs, key=lambda pair: version_numbers(pair[1]))[0]

    def distance(pair: Tuple[str, str]) -> Tuple[Tuple[int, ...], int]:
        got = version_numbers(pair[1])
        width = max(len(got), len(numbers))
        a = got + (0,) * (width - len(got))
        b = numbers + (0,) * (width - len(numbers))
        return tuple(abs(x - y) for x, y in zip(a, b)), (0 if a >= b else 1)

    return NEAREST, min(pairs, key=distance)[0]


# --- matching --------------------------------------------------------------------------------

def _picked(wanted: str, offered: Sequence[str], pick: Optional[str], name: str = "") -> Optional[Tuple[str, str]]:
    """(status, chosen) for a version the artist picked, or None when the pick is not offered (stale)."""
    if not pick:
        return None
    pick_n = _normalise(pick, name)
    chosen = next((o for o in offered if o == pick or _normalise(o, name) == pick_n), None)
    if chosen is None:
        return None
    want = _normalise(wanted, name)
    return (EXACT if want and _is_release_of(want, _normalise(chosen, name)) else NEAREST), chosen


def match_render_env(desc: Any, catalog: Catalog, render_env_name: Optional[str] = None,
                     cg_version: Optional[str] = None, plugin_versions: Optional[Dict[str, str]] = None) -> EnvMatch:
    """Match the scene's host version and plugins against ``catalog`` and find the user's environment.

    ``desc`` is a SceneDescription; ``render_env_name`` (SubmitOptions.render_env) names the user
    environment to use or create instead of the deterministic name. ``cg_version`` and
    ``plugin_versions`` (SubmitOptions) are versions the artist picked from the catalog: they are
    used instead of the automatic match when offered (status EXACT when they are the scene's own
    release, else NEAREST; ``picked`` set); a pick the catalog no longer offers is ignored.
    """
    host = desc.host
    cg_id = HOST_CG_IDS[host]
    cg_name = CG_NAMES[host]
    names = catalog.version_names()
    picked = _picked(desc.host_version, names, cg_version)
    status, chosen = picked or match_version(desc.host_version, names)
    software = ItemMatch("host", cg_name, desc.host_version, status, chosen, offered=tuple(names),
                         picked=picked is not None)
    version = catalog.version(chosen) if chosen else None
    plugins: List[ItemMatch] = []
    picks = {name.lower(): value for name, value in (plugin_versions or {}).items()}
    for plugin in desc.plugins:
        offered: List[PluginVersion] = catalog.plugin_versions(version.id, plugin.name) if version else []
        spelled = [p.plugin_version for p in offered]
        p_picked = _picked(plugin.version, spelled, picks.get(plugin.name.lower()), plugin.name)
        p_status, p_chosen = p_picked or match_version(plugin.version, spelled, plugin.name)
        plugin_id = next((p.plugin_id for p in offered if p.plugin_version == p_chosen), None)
        # The catalog spells versions "<name> <version>"; keep the bare version from here on.
        plugins.append(ItemMatch("plugin", plugin.name, plugin.version, p_status,
                                 _normalise(p_chosen, plugin.name) if p_chosen else None, plugin_id,
                                 tuple(_normalise(p.plugin_version, plugin.name) for p in offered),
                                 picked=p_picked is not None))
    layer_type = int(desc.render_layer_type) if host == "maya" and str(desc.render_layer_type).isdigit() else 0
    match = EnvMatch(host=host, cg_id=cg_id, cg_name=cg_name, os_name=catalog.os_name, software=software,
                     plugins=tuple(plugins), render_layer_type=layer_type, name_override=render_env_name or None)
    return _with_existing(match, catalog)


def _with_existing(match: EnvMatch, catalog: Catalog) -> EnvMatch:
    """Attach the user environment that already holds exactly these versions, if any."""
    wanted_ids = tuple(match.plugin_ids)
    candidates = [env for env in catalog.render_envs
                  if env.cg_id == match.cg_id and env.cg_version == match.cg_version
                  and str(env.os_name) == match.os_name and env.plugin_ids == wanted_ids
                  and (match.host != "maya" or env.render_layer_type == match.render_layer_type)]
    if match.name_override:
        candidates = [env for env in candidates if env.edit_name == match.name_override]
    if not candidates:
        return match
    # Prefer our own deterministic name, then the default environment, then by name: stable.
    own = default_edit_name(match.cg_name, match.cg_version, match.plugin_versions, match.os_name)
    best = sorted(candidates, key=lambda env: (env.edit_name != own, -env.is_default, env.edit_name))[0]
    return EnvMatch(**{**match.__dict__, "existing": best})


def ensure_render_env(api: Any, match: EnvMatch) -> Dict[str, Any]:
    """Make the farm hold the environment ``match`` describes; returns its addUserPluginConfig body.

    Uses ``match.existing`` untouched when present. Otherwise reads the user's environments
    (getUserPluginConfig): one of the same editName is edited (editUserPluginConfig), else a new
    one is added (addUserPluginConfig); "already exists" from a submission that added the same one
    meanwhile counts as success once a second read shows it. Missing plugins are left out of pluginIds: the checks
    already reported them.
    """
    body = match.render_env_body()
    if match.existing is not None:
        log.debug("render environment %r already matches", match.existing.edit_name)
        return body
    current = _as_list(api.env.get_render_env(name=_lookup_name(match.host)))
    same_name = [env for env in current if str(env.get("editName")) == body["editName"]]
    if same_name:
        log.info("updating render environment %r", body["editName"])
        api.env.update_render_env(render_env=body)
    else:
        log.info("adding render environment %r", body["editName"])
        try:
            api.env.add_render_env(render_env=body)
        except Exception as error:
            # Another submission added it between our read and our add: read again; there it is.
            if getattr(error, "code", None) != 600 or "already exists" not in str(getattr(error, "message", error)):
                raise
            again = _as_list(api.env.get_render_env(name=_lookup_name(match.host)))
            if not any(str(env.get("editName")) == body["editName"] for env in again):
                raise
            log.info("render environment %r was added meanwhile (another submission)", body["editName"])
    return body


def _lookup_name(host: str) -> str:
    return HOST_LOOKUP_NAMES[host]


def _as_list(value: Any) -> List[Dict[str, Any]]:
    return [item for item in to_wire(value) or [] if isinstance(item, dict)]
