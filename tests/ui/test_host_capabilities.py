"""The host contract one capability at a time (rv_dcc.scene.adapter): the panel offers what the
host's adapter is -- checked with isinstance against the capability Protocols, not hasattr."""
from types import SimpleNamespace

from rv_dcc.scene.adapter import (Host, HostAdapter, NodeSelector, SceneDescriber, SceneSaver, SettingsKeeper,
                                  WindowProvider)
from rv_dcc.ui.settings_store import SettingsStore
from rv_dcc.ui.submit_controller import SubmitController
from rv_dcc.ui.submit_fixes import SAVE_SCENE, SELECT, fixes_for


class ReadOnlyHost:
    """A studio's own host that can describe and select, but neither save nor keep settings."""

    name = "houdini"

    def app_version(self):
        return "20.0.547"

    def describe_scene(self):
        raise AssertionError("not needed here")

    def select(self, node):
        self.selected = node
        return True


class SettingsOnly:
    def __init__(self):
        self.stored = {}

    def load_settings(self):
        return dict(self.stored)

    def store_settings(self, settings):
        self.stored = dict(settings)


class FullHost(ReadOnlyHost, SettingsOnly):
    def save_scene(self):
        pass

    def main_window(self):
        return None


def test_each_capability_is_its_own_protocol():
    host = ReadOnlyHost()
    assert isinstance(host, Host) and isinstance(host, SceneDescriber) and isinstance(host, NodeSelector)
    assert not isinstance(host, SceneSaver) and not isinstance(host, SettingsKeeper)
    assert not isinstance(host, WindowProvider) and not isinstance(host, HostAdapter)
    assert isinstance(FullHost(), HostAdapter)
    assert isinstance(SettingsOnly(), SettingsKeeper) and not isinstance(SettingsOnly(), Host)
    # a method of the wrong name is not the capability (hasattr on "select" would be fooled by nothing else)
    assert not isinstance(SimpleNamespace(save=lambda: None), SceneSaver)


def test_fixes_follow_what_the_host_can_do():
    def offered(issue, adapter):
        return {fix.id for fix in fixes_for(issue, SimpleNamespace(adapter=adapter, env=None))}

    unsaved = SimpleNamespace(code="scene.modified", node="", detail="")
    camera = SimpleNamespace(code="camera.none_renderable", node="/obj/cam1", detail="")
    assert SAVE_SCENE not in offered(unsaved, ReadOnlyHost()) and SELECT in offered(camera, ReadOnlyHost())
    assert SAVE_SCENE in offered(unsaved, FullHost()) and SELECT in offered(camera, FullHost())
    assert not {SELECT, SAVE_SCENE} & (offered(unsaved, None) | offered(camera, SettingsOnly()))


def test_settings_go_to_the_scene_only_through_a_settings_keeper(tmp_path):
    keeper = SettingsOnly()
    store = SettingsStore(keeper, path=tmp_path / "user.json")
    store.save_scene({"priority": 60})
    assert store.load_scene() == {"priority": 60} and keeper.stored
    other = SettingsStore(ReadOnlyHost(), path=tmp_path / "user2.json")
    other.save_scene({"priority": 60})  # nowhere to keep it in the scene: a no-op, not an AttributeError
    assert other.load_scene() == {}


def test_select_asks_the_host_only_when_it_selects():
    host = ReadOnlyHost()
    assert SubmitController(None, None, host).select("/obj/geo1") and host.selected == "/obj/geo1"
    assert not SubmitController(None, None, SettingsOnly()).select("/obj/geo1")
