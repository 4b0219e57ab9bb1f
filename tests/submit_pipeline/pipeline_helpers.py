"""Helpers shared by the submission pipeline and end-to-end tests (imported, not collected)."""
from pathlib import Path

SAMPLES = Path(__file__).resolve().parents[2] / "resources" / "samples"
HOSTS = ("blender", "maya", "3dsmax", "houdini", "cinema4d")


def make_api(farm, domain=None, **kw):
    """A client of ``farm`` (optionally through another address, e.g. a fault proxy)."""
    from rv_dcc.api import RayvisionAPI

    return RayvisionAPI(access_id=farm.access_id, access_key=farm.access_key, domain=domain or farm.domain,
                        platform=farm.platform, protocol="http", **kw)


def load_sample(host):
    from rv_dcc.scene.io import load_description

    return load_description(str(SAMPLES / f"{host}.json"))


def tasks_with_marker(api, marker):
    """Every task on the farm whose record carries ``marker`` (scans the whole list)."""
    from rv_dcc.submit.recovery import carries_marker, raw

    found, page = [], 1
    while True:
        data = raw(api.query.get_task_list(page_num=page, page_size=1000))
        items = data.get("items") or []
        found += [int(i["id"]) for i in items if carries_marker(i, marker)]
        if len(items) < 1000:
            return found
        page += 1
