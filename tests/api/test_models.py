"""Response models: lazy validation, wire-key access, unknown fields kept, odd replies tolerated."""
import pickle

from rv_dcc.api import models


def test_wire_access_does_not_validate_and_attributes_do():
    raw = {"pageCount": 1, "pageNum": 1, "total": 1, "size": 1,
           "items": [{"id": "12", "taskStatus": 25, "bid": "20201", "newField": [1]}]}
    page = models.TaskPage.from_wire(raw)
    assert page["items"][0]["id"] == "12"  # decoded JSON, untouched
    assert page.get("missing", 3) == 3 and "items" in page and "nope" not in page
    assert page.__dict__ == {}  # nothing validated yet
    task = page.items[0]
    assert isinstance(task, models.TaskInfo) and task.id == 12 and task.bid == "20201"
    assert task.newField == [1] and task["newField"] == [1]  # extras kept, by wire name too
    assert page.model_dump(by_alias=True)["items"][0]["taskStatus"] == 25


def test_reply_with_unexpected_shape_never_raises():
    odd = models.TaskInfo.from_wire({"id": "not a number", "respRenderingTaskList": "??"})
    assert odd.id == "not a number" and odd["respRenderingTaskList"] == "??"


def test_wrap_degrades_for_mismatched_shapes():
    assert models.wrap(models.TaskPage, None) is None
    assert models.wrap(models.TaskPage, "SUCCESS") == "SUCCESS"
    as_list = models.wrap(models.TaskPage, [{"a": 1}])
    assert isinstance(as_list, models.GenericList) and as_list[0]["a"] == 1
    as_obj = models.wrap(models.PlatformList, {"a": 1})
    assert isinstance(as_obj, models.WireObject) and as_obj.a == 1


def test_software_detail_real_shape():
    raw = {"cgPlugin": [{"cvId": 19, "pluginName": "zblur", "pluginVersions": [
        {"pluginId": 1652, "pluginName": "zblur", "pluginVersion": "zblur 2.02.019"}]}],
        "cgVersion": [{"id": 23, "cgId": 2005, "cgName": "CINEMA 4D", "cgVersion": "R19"}]}
    detail = models.SoftwareDetail.from_wire(raw)
    assert detail.cg_plugin[0].plugin_versions[0].plugin_id == 1652
    assert detail.cg_version[0].cg_version == "R19"


def test_hardware_config_extra_fields():
    raw = [{"id": 301, "notSupportCode": 1, "notSupportCgVersions": [{"cgId": 2000, "cgVersionName": "2018"}],
            "notSupportPluginList": ["mtoa 1.*"]}]
    configs = models.HardwareConfigList.from_wire(raw)
    assert configs[0].not_support_cg_versions[0]["cgVersionName"] == "2018"
    assert configs[0].not_support_plugin_list == ["mtoa 1.*"] and len(configs) == 1


def test_models_pickle_and_compare():
    page = models.TaskPage.from_wire({"items": [{"id": 1}]})
    clone = pickle.loads(pickle.dumps(page))
    assert clone == page and clone.items[0].id == 1
    assert models.CreatedTasks.from_wire({"taskIdList": [5, 6]})[1] == 6


def test_secret_fields_stay_out_of_repr():
    key = models.RaySyncUserKey.from_wire({"userName": "u", "raySyncUserKey": "S3CRET", "userKey": "K3Y"})
    assert "S3CRET" not in repr(key) and "K3Y" not in repr(key) and key.user_key == "K3Y"
