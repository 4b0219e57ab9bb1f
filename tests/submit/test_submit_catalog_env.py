"""Catalog (from saved answers and from a real embedded farm over HTTP) and render environments."""
from pathlib import Path

import pytest

from rv_dcc.submit.catalog import Catalog, HardwareConfig
from rv_dcc.submit.catalog_source import (ApiCatalogSource, CatalogError, SnapshotCatalogSource, SNAPSHOT_FILE,
                                         take_snapshot)
from rv_dcc.submit.render_env import (EXACT, MISSING, NEAREST, default_edit_name, ensure_render_env,
                                      match_render_env, match_version)

from submit_helpers import catalog_bundle, catalog_for, make_desc


# --- catalog ----------------------------------------------------------------------------------

def test_catalog_reads_the_real_querysoftwaredetail_shape() -> None:
    catalog = catalog_for("maya")
    assert catalog.version_names() == ["2022", "2023", "2024", "2025"]
    v2024 = catalog.version("2024")
    assert v2024 is not None and v2024.id == 1103
    assert [p.plugin_version for p in catalog.plugin_versions(v2024.id, "MtoA")] == ["mtoa 5.3.4", "mtoa 5.4.5"]
    assert catalog.file_types == ("ma", "mb") and catalog.supports_linux
    assert catalog.tip("15006").blocks and not catalog.tip("10012").blocks
    assert [e.edit_name for e in catalog.render_envs] == ["rv_dcc Maya 2024 mtoa 5.3.4"]


def test_catalog_dict_round_trip_and_per_host_filtering() -> None:
    catalog = catalog_for("houdini")
    again = Catalog.from_dict(catalog.to_dict())
    assert again == catalog
    assert [e.cg_id for e in catalog.render_envs] == [2004]
    assert not catalog_for("houdini", os_name="0").render_envs  # that env is a Windows one


def test_catalog_from_dict_needs_a_cg_id() -> None:
    with pytest.raises(ValueError, match="cg_id"):
        Catalog.from_dict(catalog_bundle())


def test_unknown_software_entry_does_not_invent_refusals() -> None:
    assert Catalog(cg_id=2000).supports_linux and Catalog(cg_id=2000).file_types == ()


def test_hardware_config_refusals() -> None:
    config = HardwareConfig(id=9, ram="128GB", not_support_cg_ids=(2005,),
                            not_support_cg_versions=((2004, "Houdini 19.5"),), not_support_plugins=("^vray 5\\..*$", "("))
    assert config.ram_gb == "128"
    assert "does not run this software" in config.refuses(2005, "2024", {})
    assert config.refuses(2004, "Houdini 19.5", {}) is not None
    assert "vray 5.20.03" in config.refuses(2001, "2021", {"vray": "5.20.03"})
    assert config.refuses(2001, "2024", {"vray": "6.20.00"}) is None  # the bad "(" pattern is ignored
    assert HardwareConfig(id=1, status=0).refuses(2000, "2024", {}) == "this machine configuration is disabled"


def test_the_bundled_snapshot_is_what_the_embedded_farm_answers(tmp_path: Path) -> None:
    """The catalog of dry runs without an account (the snapshot bundled in the package) equals what
    the embedded farm answers over HTTP. RV_DCC_UPDATE_SNAPSHOT=1 rewrites the snapshot."""
    import json
    import os

    from rv_dcc.api import RayvisionAPI
    from rv_dcc.farm import EmbeddedFarm

    with EmbeddedFarm(tmp_path / "farm", port=0, speed=400, real_blender=False) as farm:
        api = RayvisionAPI(access_id=farm.access_id, access_key=farm.access_key, domain=farm.domain,
                           platform=farm.platform, protocol="http")
        if os.environ.get("RV_DCC_UPDATE_SNAPSHOT") == "1":
            SNAPSHOT_FILE.write_text(json.dumps(take_snapshot(api), indent=1, ensure_ascii=False) + "\n",
                                     encoding="utf-8")
        bundled = SnapshotCatalogSource()
        assert bundled.data() == json.loads(json.dumps(take_snapshot(api))), \
            "the bundled catalog snapshot is stale: run this test with RV_DCC_UPDATE_SNAPSHOT=1"
        for cg_id in (2000, 2001, 2004, 2005, 2007):
            for os_name in ("1", "0"):
                live = ApiCatalogSource(api).catalog(cg_id, os_name)
                offline = bundled.catalog(cg_id, os_name)
                assert (live.versions, live.plugins, live.hardware, live.tips, live.software) == \
                       (offline.versions, offline.plugins, offline.hardware, offline.tips, offline.software)
                assert live.versions, cg_id
                assert offline.render_envs == ()  # a snapshot has no account, so no render environments
        api.close()


def test_a_damaged_or_foreign_snapshot_is_a_clear_error(tmp_path: Path) -> None:
    broken = tmp_path / "snapshot.json"
    broken.write_text("{not json", encoding="utf-8")
    with pytest.raises(CatalogError, match="cannot be read") as caught:
        SnapshotCatalogSource(broken).catalog(2000)
    assert "Reinstall rv-dcc" in caught.value.hint
    partial = tmp_path / "partial.json"
    partial.write_text('{"details": {"2000": {}}}', encoding="utf-8")
    with pytest.raises(CatalogError, match="nothing for software id 2007"):
        SnapshotCatalogSource(partial).catalog(2007)
    assert SnapshotCatalogSource(partial).description == f"catalog snapshot {partial}"


# --- version matching -------------------------------------------------------------------------

@pytest.mark.parametrize("wanted, offered, name, expected", [
    ("2024.2", ["2023", "2024", "2025"], "", (EXACT, "2024")),
    ("2024", ["2023", "2024.2"], "", (NEAREST, "2024.2")),
    ("20.5.370", ["20.0", "20.5", "20.5.370"], "", (EXACT, "20.5.370")),
    ("20.5.370", ["19.5", "20.0", "21.0"], "", (NEAREST, "20.0")),
    ("R26.107", ["R26", "2023", "2024"], "", (EXACT, "R26")),
    ("2021", ["2022", "2023"], "", (NEAREST, "2022")),
    ("20245", ["2024"], "", (NEAREST, "2024")),              # a release is a component, not a prefix
    ("5.3.3", ["mtoa 5.3.4", "mtoa 5.4.5"], "mtoa", (NEAREST, "mtoa 5.3.4")),
    ("5.3.4", ["mtoa 5.3.4"], "mtoa", (EXACT, "mtoa 5.3.4")),
    ("", ["octane 27.16", "octane 28.0"], "octane", (NEAREST, "octane 28.0")),  # unknown: the newest
    ("3.0", [], "", (MISSING, None)),
])
def test_match_version(wanted, offered, name, expected) -> None:
    assert match_version(wanted, offered, name) == expected


def test_nearest_tie_prefers_the_newer() -> None:
    assert match_version("2023", ["2022", "2024"]) == (NEAREST, "2024")


# --- render environments ----------------------------------------------------------------------

def test_match_render_env_exact_nearest_missing() -> None:
    desc = make_desc("maya", host_version="2024.1", plugins=[
        {"name": "mtoa", "version": "5.4.5"}, {"name": "redshift", "version": "3.5.20"}, {"name": "yeti", "version": "4"}])
    match = match_render_env(desc, catalog_for("maya"))
    assert (match.software.status, match.cg_version) == (EXACT, "2024")
    assert [(p.name, p.status, p.chosen, p.plugin_id) for p in match.plugins] == [
        ("mtoa", EXACT, "5.4.5", 5106), ("redshift", NEAREST, "3.5.22", 5125), ("yeti", MISSING, None, None)]
    assert match.plugin_ids == [5106, 5125]
    assert match.plugin_versions == {"mtoa": "5.4.5", "redshift": "3.5.22", "yeti": "4"}
    assert not match.complete
    assert match.edit_name == "rv_dcc Maya 2024 mtoa 5.4.5 redshift 3.5.22 yeti 4"
    body = match.render_env_body()
    assert body == {"cgId": 2000, "cgName": "Maya", "cgVersion": "2024", "editName": match.edit_name,
                    "renderSystem": 1, "pluginIds": [5106, 5125], "renderLayerType": 0, }


def test_existing_user_environment_is_found() -> None:
    desc = make_desc("houdini", host_version="20.5.370")
    match = match_render_env(desc, catalog_for("houdini"))
    assert match.existing is not None and match.edit_name == "studio houdini"
    # Maya's fixture env is Render Setup (type 1): a legacy-layer scene must not reuse it.
    assert match_render_env(make_desc("maya", render_layer_type="1"), catalog_for("maya")).existing is not None
    assert match_render_env(make_desc("maya", render_layer_type="0"), catalog_for("maya")).existing is None


def test_edit_names_are_deterministic() -> None:
    assert default_edit_name("Maya", "2024", {"mtoa": "5.3.4"}) == "rv_dcc Maya 2024 mtoa 5.3.4"
    assert default_edit_name("Houdini", "20.5", {"Redshift": "1", "htoa": "2"}, "0") == "rv_dcc Houdini 20.5 htoa 2 Redshift 1 linux"


def test_ensure_render_env_adds_then_finds_then_edits(tmp_path: Path) -> None:
    from rv_dcc.api import RayvisionAPI
    from rv_dcc.farm import EmbeddedFarm

    with EmbeddedFarm(tmp_path / "farm", port=0, speed=400, real_blender=False) as farm:
        api = RayvisionAPI(access_id=farm.access_id, access_key=farm.access_key, domain=farm.domain,
                           platform=farm.platform, protocol="http")
        desc = make_desc("maya", plugins=[{"name": "mtoa", "version": "5.3.4"}])
        first = match_render_env(desc, Catalog.from_api(api, 2000, "1"))
        assert first.existing is None
        body = ensure_render_env(api, first)
        envs = [dict(e) for e in api.env.get_render_env(name="maya").model_dump(by_alias=True)]
        assert [(e["editName"], e["cgVersion"], [p["pluginId"] for p in e["respUserPluginInfoVos"]]) for e in envs] == \
               [("rv_dcc Maya 2024 mtoa 5.3.4", "2024", [5105])]
        assert body["pluginIds"] == [5105]

        again = match_render_env(desc, Catalog.from_api(api, 2000, "1"))
        assert again.existing is not None and again.existing.edit_name == "rv_dcc Maya 2024 mtoa 5.3.4"
        assert ensure_render_env(api, again) == body  # nothing sent

        newer = make_desc("maya", plugins=[{"name": "mtoa", "version": "5.4.5"}])
        named = match_render_env(newer, Catalog.from_api(api, 2000, "1"), render_env_name="rv_dcc Maya 2024 mtoa 5.3.4")
        ensure_render_env(api, named)  # same name, other plugins: edited, not added twice
        envs = api.env.get_render_env(name="maya").model_dump(by_alias=True)
        assert [(e["editName"], [p["pluginId"] for p in e["respUserPluginInfoVos"]]) for e in envs] == \
               [("rv_dcc Maya 2024 mtoa 5.3.4", [5106])]


def test_ensure_render_env_when_another_submission_adds_it_meanwhile(tmp_path: Path) -> None:
    """Issue 15 item 8: check-then-add races with a parallel submission; "already exists" is success."""
    from rv_dcc.api import RayvisionAPI
    from rv_dcc.farm import EmbeddedFarm

    with EmbeddedFarm(tmp_path / "farm", port=0, speed=400, real_blender=False) as farm:
        api = RayvisionAPI(access_id=farm.access_id, access_key=farm.access_key, domain=farm.domain,
                           platform=farm.platform, protocol="http")
        other = RayvisionAPI(access_id=farm.access_id, access_key=farm.access_key, domain=farm.domain,
                             platform=farm.platform, protocol="http")
        desc = make_desc("maya", plugins=[{"name": "mtoa", "version": "5.3.4"}])
        match = match_render_env(desc, Catalog.from_api(api, 2000, "1"))
        assert match.existing is None
        real_get = api.env.get_render_env
        reads = []

        def racing_get(**kw):  # the other submission adds the env right after our first read
            value = real_get(**kw)
            reads.append(1)
            if len(reads) == 1:
                other.env.add_render_env(render_env=match.render_env_body())
            return value

        api.env.get_render_env = racing_get
        body = ensure_render_env(api, match)
        assert body["editName"] == "rv_dcc Maya 2024 mtoa 5.3.4" and len(reads) == 2
        envs = other.env.get_render_env(name="maya").model_dump(by_alias=True)
        assert [e["editName"] for e in envs] == ["rv_dcc Maya 2024 mtoa 5.3.4"]
