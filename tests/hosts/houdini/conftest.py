"""Every Houdini test runs against the hou API of Houdini 19.5 and of 20.5 (fake_hou.DEFAULT_VERSION):
19.5 has only hou.Node, 20.0+ adds hou.OpNode (an adapter that names hou.OpNode fails on 19.5)."""
import pytest

import fake_hou


@pytest.fixture(autouse=True, params=["19.5.805", "20.5.370"], ids=["houdini19.5", "houdini20.5"])
def houdini_version(request, monkeypatch):
    monkeypatch.setattr(fake_hou, "DEFAULT_VERSION", request.param)
    return request.param
