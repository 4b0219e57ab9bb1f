"""The client as a whole: extra operations, regions, secrets kept out of logs and reprs, threads,
and the import cost."""
import json
import logging
import subprocess
import sys
import threading

import pytest

from rv_dcc.api import errors
from rv_dcc.api.operations import BY_PATH

from api_stub import ACCESS_ID, ACCESS_KEY, envelope

TRANSFER_CONFIG = {"inputBid": "1", "resqEngines": [{"engineName": "Aspera", "resqEngineAccounts": [
    {"bid": "1", "name": "n", "password": "PASSWORD-xB9CWAML1qd"}]}]}
RAYSYNC_KEY = {"userName": "u", "userKey": "USERKEY-5394a44e", "raySyncUserKey": "RAYSYNC-40d59041", "signature": "r2017"}


@pytest.mark.parametrize("call,op,body", [
    (lambda a: a.task.update_priority(7, 60), "updateTaskUserLevel", {"taskId": 7, "taskUserLevel": 60}),
    (lambda a: a.task.update_task_user_level(task_id=7, task_user_level=50), "updateTaskUserLevel",
     {"taskId": 7, "taskUserLevel": 50}),
    (lambda a: a.query.stop_frames(task_id=7, ids_list=[1, 2]), "stopTaskFrames",
     {"taskId": 7, "ids": [1, 2], "selectAll": 0}),
    (lambda a: a.query.stop_task_frames(task_id=7, select_all=1), "stopTaskFrames", {"taskId": 7, "selectAll": 1}),
    (lambda a: a.query.show_log(frame_id=55), "showLog",
     {"renderingType": "render", "pageNum": 1, "pageSize": 100, "id": 55}),
    (lambda a: a.task.update_task_limit(7, 10), "updateTaskLimit", {"taskId": 7, "taskLimit": 10}),
    (lambda a: a.user.task_record(page_num=1, page_size=10), "taskRecord",
     {"pageNum": 1, "pageSize": 10, "startDate": "", "endDate": ""}),
    (lambda a: a.user.login_record(start_date="2024-01-01 00:00:00"), "loginRecord",
     {"pageNum": 1, "pageSize": 100, "startDate": "2024-01-01 00:00:00", "endDate": ""}),
    (lambda a: a.user.get_user_pack_node_info(), "getUserPackNodeInfo", {}),
    (lambda a: a.task.edit_task_hardware_config([7], hardware_config_ids=[301], model="Default", ram="64GB"),
     "editTaskHardwareConfig", {"taskIds": [7], "hardwareConfigIds": [301], "model": "Default", "ram": "64GB"}),
    (lambda a: a.task.upload_task_json(7, "upload.json", {"asset": [{"local": "C:/a.ma"}]}), "taskJsonFile",
     {"taskId": 7, "fileName": "upload.json", "content": json.dumps({"asset": [{"local": "C:/a.ma"}]})}),
    (lambda a: a.transmit.upload_json_content(7, "tips.json", "{}"), "taskJsonFile",
     {"taskId": 7, "fileName": "tips.json", "content": "{}"}),
    (lambda a: a.tag.delete_task_tag(task_ids=[7], label_names=["a"]), "deleteTaskLabel",
     {"taskIds": [7], "labelNames": ["a"], "labelIds": []}),
    (lambda a: a.env.get_render_env(cg_names=["maya", "blender"], os_name=0), "getUserPluginConfig",
     {"cgIds": [2000, 2007], "osName": 0}),
    (lambda a: a.query.get_task_list(status_list=[5], search_keyword="shot", recycle_flag=0), "getTaskList",
     {"pageNum": 1, "pageSize": 100, "statusList": [5], "searchKeyword": "shot", "recycleFlag": 0}),
    (lambda a: a.query.restart_failed_frames([3], status=[5]), "recommitTasks", {"taskIds": [3], "status": [5]}),
    (lambda a: a.transmit.get_output_files(tree_path="/out"), "getOutputUserDirFile", {"treePath": "/out"}),
    (lambda a: a.query.error_detail(codes=["15002", "15004"], language=1), "queryAnalyseErrorDetail",
     {"language": 1, "codes": ["15002", "15004"]}),
])
def test_extra_operations_send_their_wire_body(farm, api, call, op, body):
    call(api)
    assert BY_PATH[farm.last.path].name == op and farm.last.body == body and farm.last.signature_ok


def test_renderbus_domain_zones_and_language(farm, make_api):
    api = make_api("task.renderbus.com")  # the stub serves it as an HTTP proxy
    api.query.platforms()
    assert farm.last.body == {"zone": 1} and farm.last.headers["languageFlag"] == "0"
    assert farm.last.headers["Host"] == "task.renderbus.com" and farm.last.signature_ok
    api.query.get_transfer_server_msg()
    assert farm.last.body == {"zone": 2}
    fox = make_api("jop.foxrenderfarm.com")
    fox.query.platforms()
    assert farm.last.body == {"zone": 2} and farm.last.headers["languageFlag"] == "1"
    fox.query.get_transfer_server_msg()
    assert farm.last.body == {"zone": 1}


def test_small_task_ids_are_the_layers(farm, api):
    farm.reply = lambda req: envelope({"items": [{"id": 10, "respRenderingTaskList": [{"id": 11}, {"id": 12}]}]})
    assert api.query.get_small_task_id("2W10") == [11, 12]
    assert farm.last.body == {"taskIds": [10]}


def test_nothing_secret_in_debug_logs_reprs_or_errors(farm, api, caplog):
    caplog.set_level(logging.DEBUG)  # every logger, urllib3's included

    def reply(req):
        name = BY_PATH[req.path].name
        if name == "getConfig":
            return envelope(TRANSFER_CONFIG)
        if name == "getRaySyncUserKey":
            return envelope(RAYSYNC_KEY)
        return envelope(None, 611, "signature invalid")

    farm.reply = reply
    config = api.transmit.get_transfer_config()
    key = api.query.get_raysync_user_key()
    with pytest.raises(errors.AuthenticationError) as info:
        api.task.create_task()
    assert config.resq_engines[0].resq_engine_accounts[0].password == "PASSWORD-xB9CWAML1qd"
    assert key.ray_sync_user_key == "RAYSYNC-40d59041"
    signatures = [r.headers["signature"] for r in farm.requests]
    shown = [caplog.text, repr(api), str(api), repr(api._transport), repr(api.query), repr(config), repr(key),
             str(info.value), repr(info.value)]
    assert "createTask" in caplog.text  # the calls were logged...
    for secret in [ACCESS_KEY, "PASSWORD-xB9CWAML1qd", "USERKEY-5394a44e", "RAYSYNC-40d59041", *signatures]:
        for text in shown:  # ...but never a secret
            assert secret not in text


def test_library_adds_no_log_handlers():
    code = ("import logging, rv_dcc.api.client, rv_dcc.api.transport, rv_dcc.api.models, rv_dcc.api.wire;"
            "print([n for n, l in logging.Logger.manager.loggerDict.items() if n.startswith('rv_dcc') and "
            "isinstance(l, logging.Logger) and l.handlers])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_many_threads_share_one_client(farm, api):
    farm.reply = lambda req: envelope({"items": [{"id": req.body["taskIds"][0]}]})
    results, failures = {}, []

    def worker(n):
        try:
            for i in range(15):
                tid = n * 100 + i
                page = api.query.task_info([tid])
                results[tid] = page.items[0].id
        except Exception as exc:  # pragma: no cover - reported below
            failures.append(exc)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert not failures
    assert len(results) == 120 and all(k == v for k, v in results.items())
    assert len(farm.requests) == 120 and all(r.signature_ok for r in farm.requests)


def test_import_is_cheap_and_construction_is_offline():
    code = ("import sys, rv_dcc, rv_dcc.api; from rv_dcc.api import RayvisionAPI;"
            "a = RayvisionAPI('id', 'key', domain='127.0.0.1:9'); a.user; a.task; a.query; a.tag; a.env; a.transmit;"
            "print(sorted(m for m in ('requests', 'pydantic', 'urllib3', 'qtpy', 'PySide6', 'PyQt5') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_constructor_checks(monkeypatch, tmp_path):
    from rv_dcc.api import RayvisionAPI
    from rv_dcc.api.credentials import CredentialsError

    monkeypatch.setenv("RV_DCC_CONFIG_DIR", str(tmp_path))
    monkeypatch.delenv("RAYVISION_API_ACCESS_ID", raising=False)
    monkeypatch.delenv("RAYVISION_API_KEY", raising=False)
    with pytest.raises(CredentialsError) as info:
        RayvisionAPI()
    assert "RAYVISION_API_KEY" in str(info.value)
    with pytest.raises(ValueError):
        RayvisionAPI("a", "b", paths="newest")
    with pytest.raises(ValueError):
        RayvisionAPI("a", "b", protocol="ftp")
    api = RayvisionAPI("a", "b", domain="https://jop.foxrenderfarm.com/", platform=6)
    assert api.domain == "jop.foxrenderfarm.com" and api.platform == "6"


def test_environment_proxy_is_honoured(farm, monkeypatch, tmp_path):
    from rv_dcc.api import RayvisionAPI

    monkeypatch.setenv("HTTP_PROXY", f"http://{farm.domain}")
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    api = RayvisionAPI(ACCESS_ID, ACCESS_KEY, domain="jop.foxrenderfarm.com", platform="2", protocol="http")
    try:
        api.user.get_transfer_bid()
    finally:
        api.close()
    assert farm.last.headers["Host"] == "jop.foxrenderfarm.com" and farm.last.signature_ok
