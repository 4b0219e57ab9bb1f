"""Every Python example of spec/api_reference.md runs as written against a loopback farm: the
exact path (both path sets) and body it sends, and every example reply parses into its model."""
import copy
import sys

import pytest

from rv_dcc.api import RayvisionAPI
from rv_dcc.api.models_base import WireList, WireMap, WireModel
from rv_dcc.api.operations import BY_PATH, path_for

from api_stub import envelope
import refdoc

EXAMPLES = refdoc.examples()
OS_NAME = "windows" if sys.platform.startswith("win") else "linux"
RENDER_ENV = {"cgId": 2000, "cgName": "Maya", "cgVersion": "2020", "renderLayerType": 0,
              "editName": "testRenderEnv", "renderSystem": 0}

#: "namespace.method" -> the (operation, wire body) sequence it must send (spec/wire.md §5).
EXPECTED = {
    "query.platforms": [("queryPlatforms", {"zone": 2})],
    "user.query_user_profile": [("queryUserProfile", {})],
    "user.query_user_setting": [("queryUserSetting", {})],
    "user.update_user_settings": [("updateUserSetting", {"taskOverTimeSec": 43200})],
    "user.get_transfer_bid": [("getBid", {})],
    "task.create_task": [("createTask", {"count": 1, "taskUserLevel": 50, "labels": ["label_test1", "label_test2"]})],
    "task.submit_task": [("submitTask", {"taskId": 19097})],
    "query.error_detail": [("queryAnalyseErrorDetail", {"language": 0, "code": "50001"})],
    "query.get_task_list": [("getTaskList", {"pageNum": 1, "pageSize": 1})],
    "task.stop_task": [("stopTask", {"taskIds": [13798105]})],
    "task.start_task": [("startTask", {"taskIds": [13798105]})],
    "task.abort_task": [("abandonTask", {"taskIds": [13798105]})],
    "task.delete_task": [("deleteTask", {"taskIds": [13798105]})],
    "query.task_frames": [("queryTaskFrames", {"taskId": 13790691, "pageNum": 1, "pageSize": 1})],
    "query.get_all_frames": [("queryTaskFrames", {"taskId": 35736251, "pageNum": 1, "pageSize": 100}),
                             ("queryTaskFrames", {"taskId": 35736251, "pageNum": 2, "pageSize": 100})],
    "query.all_frame_status": [("queryAllFrameStats", {})],
    "query.restart_failed_frames": [("recommitTasks", {"taskIds": [13788981]})],
    "query.get_custome_frames": [("queryTaskFrames", {"taskId": 37439351, "pageNum": 1, "pageSize": 100}),
                                 ("queryTaskFrames", {"taskId": 37439351, "pageNum": 2, "pageSize": 100}),
                                 ("recommitTaskFrames", {"taskId": 37439351, "ids": [906, 907], "selectAll": 0})],
    "query.restart_frame": [("recommitTaskFrames", {"taskId": 14362099, "selectAll": 1})],
    "query.task_info": [("queryTaskInfo", {"taskIds": [14400249]})],
    "tag.add_label": [("projectAdd", {"newName": "test_tag4", "status": 0})],
    "tag.delete_label": [("projectDelete", {"delName": "test_tag2"})],
    "tag.get_label_list": [("projectGetList", {})],
    "tag.get_list": [("projectList", {"flag": 0})],
    "tag.add_task_tag": [("addTaskLabel", {"label": "test_tag", "taskIds": [29445045, 29435295]})],
    "tag.delete_task_tag": [("deleteTaskLabel", {"taskIds": [], "labelNames": [], "labelIds": [21205]})],
    "query.supported_software": [("querySoftwareList", {})],
    "query.supported_plugin": [("querySoftwareDetail", {"cgId": 2000, "osName": OS_NAME})],
    "env.add_render_env": [("addUserPluginConfig", dict(RENDER_ENV, pluginIds=[1166]))],
    "env.update_render_env": [("editUserPluginConfig", dict(RENDER_ENV, pluginIds=[]))],
    "env.delete_render_env": [("deleteUserPluginConfig", {"editName": "testRenderEnv"})],
    "env.set_default_render_env": [("setDefaultUserPluginConfig", {"editName": "testRenderEnv"})],
    "env.get_render_env": [("getUserPluginConfig", {"cgId": 2004})],
    "query.get_task_processing_img": [("loadTaskProcessImg", {"taskId": 14470635, "frameType": 2})],
    "task.set_task_overtime_top": [("setTaskOverTimeStop", {"taskIds": [14684405], "overTime": 60})],
    "query.get_frame_thumbnall": [("loadingFrameThumbnail", {"id": 230772361, "frameStatus": 4})],
    "query.get_transfer_server_msg": [("getServerInfo", {"zone": 1})],
    "query.get_raysync_user_key": [("getRaySyncUserKey", {})],
    "task.full_speed": [("fullSpeedRendering", {"taskIds": [13652193]})],
    "transmit.get_transfer_config": [("getConfig", {})],
    "transmit.get_output_files": [("getOutputUserDirFile", {"treePath": "/", "taskId": 1484861})],
    "query.get_small_task_id": [("queryTaskInfo", {"taskIds": [1521323]})],
    "user.get_hardware_config": [("hardwareConfigList", {"cloneTask": "false", "taskIds": ["6306543"]})],
}

FRAMES = [dict(id=900 + n, frameIndex=name, frameStatus=4, taskId=1) for n, name in
          ((1, "1"), (4, "2-4[1]"), (6, "6"), (7, "7-9[1]"))]


def _reply_data():
    """operation -> the data the stub answers with: each section's example reply."""
    data = {}
    for example in EXAMPLES:
        if not example.method or not example.reply_text:
            continue
        reply = refdoc.loose_json(example.reply_text)
        op = EXPECTED[f"{example.namespace}.{example.method}"][-1][0]
        data.setdefault(op, reply["data"] if isinstance(reply, dict) and "code" in reply else reply)
    return data


def test_every_example_has_an_expectation():
    calls = {f"{e.namespace}.{e.method}" for e in EXAMPLES if e.method}
    assert calls == set(EXPECTED)
    assert len([e for e in EXAMPLES if e.method]) == 44


@pytest.mark.parametrize("paths", ["current", "seed"])
def test_examples_send_exact_paths_and_bodies(farm, make_api, paths):
    data = _reply_data()

    def reply(req):
        op = BY_PATH[req.path].name
        if op == "queryTaskFrames":
            return envelope({"pageCount": 1, "pageNum": req.body["pageNum"], "total": len(FRAMES), "size": 100,
                             "items": FRAMES if req.body["pageNum"] == 1 else []})
        return envelope(copy.deepcopy(data.get(op)))

    farm.reply = reply
    api = make_api(paths=paths)
    # The preparatory example constructs a client: no request may leave.
    prep = next(e for e in EXAMPLES if e.method is None)
    scope = {"RayvisionAPI": RayvisionAPI}
    exec(compile(prep.code, "api_reference.md", "exec"), scope)
    assert isinstance(scope["api"], RayvisionAPI) and scope["api"].domain == "jop.foxrenderfarm.com"
    assert farm.requests == []

    scope = {"api": api}
    for example in (e for e in EXAMPLES if e.method):
        before = len(farm.requests)
        exec(compile(example.code, "api_reference.md", "exec"), scope)
        sent = [(BY_PATH[r.path].name, r.path, r.body) for r in farm.requests[before:]]
        expected = [(op, path_for(op, paths), body) for op, body in EXPECTED[f"{example.namespace}.{example.method}"]]
        assert sent == expected, example.code
        assert all(r.signature_ok for r in farm.requests[before:])
    # The results of the examples read the way rayvision_api scripts read them.
    assert scope["create_task_id"]["taskIdList"][0] == 19097 and scope["create_task_id"].task_id_list == [19097]
    assert scope["task_list"]["items"][0]["respRenderingTaskList"][1]["id"] == 18281
    assert scope["task_list"].items[0].resp_rendering_task_list[0].task_type == "RenderPhoton"
    assert [p.platform for p in scope["platform"]] == [2]
    assert scope["all_frames"]["2-4[1]"]["id"] == 904 and scope["all_frames"]["6"].frame_status == 4
    assert scope["ids"] == [1521323]  # the task has no sub-tasks: itself
    assert [c.id for c in scope["hardware_config"] if c.current] == [337]
    assert scope["paths"][0].directory is True and scope["paths"][0]["filePath"] == "/1484861_muti_layer_test"


def _models_by_example():
    """(example, model class) for every example with a reply, from the method's own wrapping."""
    from rv_dcc.api import models

    by_method = {
        "platforms": models.PlatformList, "query_user_profile": models.UserProfile,
        "query_user_setting": models.UserSetting, "get_transfer_bid": models.TransferBid,
        "create_task": models.CreatedTasks, "error_detail": models.ErrorDetailList, "get_task_list": models.TaskPage,
        "task_frames": models.FramePage, "get_all_frames": models.AllFrames, "all_frame_status": models.FrameStats,
        "task_info": models.TaskPage, "get_label_list": models.ProjectNames, "get_list": models.ProjectNames,
        "supported_software": models.SoftwareList, "supported_plugin": models.SoftwareDetail,
        "add_render_env": models.RenderEnvName, "get_render_env": models.RenderEnvList,
        "get_task_processing_img": models.TaskProcessImg, "get_transfer_server_msg": models.TransferServerInfo,
        "get_raysync_user_key": models.RaySyncUserKey, "get_transfer_config": models.TransferConfig,
        "get_output_files": models.OutputFileList, "get_hardware_config": models.HardwareConfigList,
    }
    for example in EXAMPLES:
        if example.method and example.reply_text:
            yield example, by_method.get(example.method)


@pytest.mark.parametrize("example,model", list(_models_by_example()),
                         ids=lambda v: getattr(v, "method", None) or getattr(v, "__name__", ""))
def test_every_example_reply_parses(example, model):
    reply = refdoc.loose_json(example.reply_text)
    data = reply["data"] if isinstance(reply, dict) and "code" in reply else reply
    if model is None:  # the reply is null or a plain string: returned as is
        assert data is None or isinstance(data, (str, list)), example.method
        return
    if example.method == "get_small_task_id":
        return
    validated = model.model_validate(data)  # strict parse: must not raise
    lazy = model.from_wire(data)
    assert isinstance(lazy, (WireModel, WireList, WireMap))
    assert lazy.model_dump() == validated.model_dump()
    if isinstance(data, dict) and isinstance(lazy, WireModel):
        for key, value in data.items():
            assert lazy[key] == value and lazy.get(key) == value
        # unknown wire fields are kept, not rejected
        dumped = validated.model_dump(by_alias=True)
        assert set(data) <= set(dumped)
    elif isinstance(data, list):
        assert len(lazy) == len(data) and [x.to_wire() for x in lazy] == data
