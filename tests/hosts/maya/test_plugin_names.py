"""The one plug-in name table every host adapter reports through (rv_dcc/scene/plugins.py)."""
import json
from pathlib import Path

import pytest

from rv_dcc.scene.plugins import bundled, farm_name, plain_version

CATALOG = Path(__file__).resolve().parents[2] / "submit" / "fixtures" / "catalog.json"
#: host -> (catalog cg id, the names the host itself reports for its renderer plug-ins)
HOSTS = {"maya": (2000, ["mtoa", "vrayformaya", "redshift4maya", "RenderMan_for_Maya.py", "RenderMan_for_Maya"]),
         "houdini": (2004, ["htoa", "redshift"]),
         "3dsmax": (2001, ["vray", "corona", "arnold", "redshift"]),
         "cinema4d": (2005, ["Redshift", "Octane", "Arnold"])}


@pytest.mark.parametrize("host", sorted(HOSTS))
def test_every_renderer_plugin_is_named_as_the_farm_catalog_names_it(host):
    cg_id, names = HOSTS[host]
    offered = {p["pluginName"] for p in json.loads(CATALOG.read_text())["details"][str(cg_id)]["cgPlugin"]}
    assert {farm_name(host, name) for name in names} <= offered


def test_names_versions_and_bundled_plugins():
    assert farm_name("maya", "redshift4maya") == "redshift" and farm_name("maya", "RenderMan_for_Maya.py") == "renderman"
    assert farm_name("maya", "pgYetiMaya") == "yeti" and farm_name("maya", "someStudioTool.py") == "someStudioTool"
    assert plain_version("24.4 @ 2226585") == "24.4" and plain_version("v3.5.19") == "3.5.19" and plain_version("") == ""
    assert bundled("maya", "AbcImport") and bundled("maya", "MASH.mll") and not bundled("maya", "mtoa")
