"""rv_dcc.api.to_wire: the one way back from a typed reply to the service's JSON."""
import subprocess
import sys
from types import MappingProxyType

from pydantic import BaseModel, Field

from rv_dcc.api import models, to_wire

PAGE = {"pageCount": 1, "pageNum": 1, "total": 1, "size": 1,
        "items": [{"id": 7, "taskStatus": 25, "sceneName": "a.blend", "unknownField": [1]}]}


def test_a_typed_reply_gives_back_exactly_the_json_it_was_read_from():
    page = models.TaskPage.from_wire(PAGE)
    assert page.items[0].task_status == 25  # read typed first: the JSON must still be the service's
    assert to_wire(page) is PAGE
    assert to_wire(page.items[0]) == PAGE["items"][0]
    frames = models.AllFrames.from_wire({"1": {"id": 3, "frameStatus": 4}})
    assert to_wire(frames) == {"1": {"id": 3, "frameStatus": 4}}


def test_a_model_built_in_python_comes_back_by_wire_key():
    built = models.TaskInfo(id=9, task_status=30)
    wire = to_wire(built)
    assert wire["id"] == 9 and wire["taskStatus"] == 30 and "task_status" not in wire

    class Other(BaseModel):
        frame_index: str = Field("1", alias="frameIndex")

    assert to_wire(Other()) == {"frameIndex": "1"}


def test_plain_json_is_not_copied_and_other_containers_are_converted():
    assert to_wire(PAGE) is PAGE and to_wire(PAGE["items"]) is PAGE["items"]
    assert to_wire((1, models.TaskInfo.from_wire({"id": 1}))) == [1, {"id": 1}]
    assert to_wire(MappingProxyType({"a": (1, 2)})) == {"a": [1, 2]}
    assert [to_wire(v) for v in (None, "x", 3, 2.5, True)] == [None, "x", 3, 2.5, True]


def test_plain_json_does_not_load_pydantic():
    code = ("import sys\nfrom rv_dcc.api import to_wire\nassert to_wire({'a': (1,)}) == {'a': (1,)}\n"
            "assert to_wire(({'a': 1},)) == [{'a': 1}]\nprint('pydantic' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"
