"""pytest-qt set-up for the panel's tests: offscreen Qt, the binding chosen by QT_API.

Run the folder once per binding: ``QT_API=pyside6 pytest tests/ui`` and ``QT_API=pyqt5 pytest
tests/ui``. Settings and caches go to tmp folders, never the home directory.
"""
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_API", "pyside6")
os.environ.setdefault("PYTEST_QT_API", os.environ["QT_API"])
os.environ["RV_DCC_LANG"] = "en"

import pytest  # noqa: E402

pytestmark = pytest.mark.qt


@pytest.fixture(autouse=True)
def _no_qt_in_cycles(request):
    """Fail a test that leaves a Qt object in cyclic garbage (tests/ui/qt_guard.py: the
    precondition of a Qt object destroyed by a collection on a worker thread)."""
    from qt_guard import CycleGuard

    guard = CycleGuard()
    guard.start()
    yield guard
    problems = guard.stop()
    if problems and not request.node.get_closest_marker("allow_qt_cycles"):
        pytest.fail("Qt objects in cyclic garbage (they would be destroyed on whatever thread collects): "
                    + ", ".join(problems) + "; for example: " + guard.example
                    + "; functions in that garbage: " + ", ".join(guard.functions),
                    pytrace=False)


@pytest.fixture(autouse=True)
def _private_dirs(tmp_path, monkeypatch):
    """Keep settings, account and caches of the panel inside the test's tmp folder."""
    monkeypatch.setenv("RV_DCC_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    from rv_dcc.ui import i18n

    i18n.set_language("en")
    yield
    i18n.set_language(None)  # the CLI's tests after these follow the environment again


@pytest.fixture(scope="module")
def farm(tmp_path_factory):
    """A real embedded farm (loopback HTTP) with a few submitted sample tasks, for a whole module."""
    from rv_dcc.api import RayvisionAPI
    from rv_dcc.farm import EmbeddedFarm
    from rv_dcc.scene.io import load_description
    from rv_dcc.submit.options import SubmitOptions
    from rv_dcc.submit.pipeline import submit_scene
    from rv_dcc.ui.screenshots import SAMPLES

    root = tmp_path_factory.mktemp("farm")
    with EmbeddedFarm(str(root / "data"), port=0, speed=40, fail_rate=0.1, real_blender=False) as running:
        api = RayvisionAPI(access_id=running.access_id, access_key=running.access_key, domain=running.domain,
                           platform=running.platform, protocol="http", retries=0)
        tasks = {}
        for name, changes in (("3dsmax", {}), ("maya", {"frames": "1-400"}), ("houdini", {})):
            options = SubmitOptions.model_validate({**SubmitOptions().model_dump(), **changes})
            result = submit_scene(api, load_description(str(SAMPLES / f"{name}.json")), options,
                                  journal_root=root / "journals")
            tasks[name] = int(result.task_id)
        running.api = api
        running.tasks = tasks
        running.root = root
        yield running
