"""``rv-dcc farm`` as a process, the account side (envs, software, tips, records, hardware) and
the pure helpers (frame syntax, catalog)."""
import json
import os
import signal
import subprocess
import sys

import pytest

from farm_helpers import RawClient, ended, max_task, submit, wait_for
from rv_dcc.farm import DEFAULT_ACCESS_ID, DEFAULT_ACCESS_KEY, EmbeddedFarm, catalog
from rv_dcc.farm.frames import FrameSyntaxError, format_block, parse_frames, priority_frames


@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGINT])
def test_cli_prints_url_and_credentials_and_stops_cleanly(tmp_path, stop_signal):
    proc = subprocess.Popen([sys.executable, "-m", "rv_dcc", "farm", "--port", "0", "--data", str(tmp_path),
                             "--speed", "50"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        first = proc.stdout.readline()
        assert first.startswith("rv_dcc embedded farm serving http://127.0.0.1:"), first
        lines = [proc.stdout.readline() for _ in range(5)]
        assert any(DEFAULT_ACCESS_ID in line for line in lines) and any(DEFAULT_ACCESS_KEY in line for line in lines)
        state = json.loads((tmp_path / "farm.json").read_text())
        assert state["pid"] == proc.pid and "key" not in json.dumps(state)
        proc.send_signal(stop_signal)
        rest, _ = proc.communicate(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0 and "stopped" in rest
    assert not (tmp_path / "farm.json").exists()


def test_render_environments_software_and_tips(client):
    detail = client.ok("querySoftwareDetail", {"cgId": 2000, "osName": "windows"})
    assert {v["cgVersion"] for v in detail["cgVersion"]} >= {"2022", "2023", "2024", "2025"}
    plugins = {p["pluginName"] for p in detail["cgPlugin"]}
    assert plugins == {"mtoa", "vrayformaya", "redshift", "renderman"}
    for cg_id, names in ((2001, {"vray", "corona", "redshift", "arnold"}), (2004, {"redshift", "htoa"}),
                         (2005, {"redshift", "arnold", "octane"})):
        assert {p["pluginName"] for p in client.ok("querySoftwareDetail", {"cgId": cg_id})["cgPlugin"]} == names
    assert {v["cgVersion"] for v in catalog.software_detail(2007)["cgVersion"]} == {"3.6", "4.1", "4.2", "4.5", "5.0"}
    env = {"cgId": 2000, "cgName": "Maya", "cgVersion": "2024", "editName": "a", "renderSystem": 1,
           "pluginIds": [5105, 5125]}
    assert client.ok("addUserPluginConfig", env) == {"editName": "a"}
    assert client.post("addUserPluginConfig", env)["code"] == 600  # same name twice
    client.ok("addUserPluginConfig", dict(env, editName="b", pluginIds=[]))
    client.ok("setDefaultUserPluginConfig", {"editName": "b"})
    client.ok("setDefaultUserPluginConfig", {"editName": "a"})
    envs = {e["editName"]: e for e in client.ok("getUserPluginConfig", {"cgId": 2000})}
    assert envs["a"]["isDefault"] == 1 and envs["b"]["isDefault"] == 0
    assert [p["pluginVersion"] for p in envs["a"]["respUserPluginInfoVos"]] == ["mtoa 5.3.4", "redshift 3.5.22"]
    client.ok("editUserPluginConfig", dict(env, cgVersion="2025", pluginIds=[5108]))
    assert client.ok("getUserPluginConfig", {"cgIds": [2000], "osName": 1})[0]["cgVersion"] == "2025"
    client.ok("deleteUserPluginConfig", {"editName": "b"})
    assert [e["editName"] for e in client.ok("getUserPluginConfig", {"cgId": 2000})] == ["a"]
    english = client.ok("queryAnalyseErrorDetail", {"codes": ["15024", "10012", "99999"], "language": 1})
    assert [(i["code"], i["type"], i["languageFlag"]) for i in english] == [("15024", 1, 1), ("10012", 0, 1)]
    chinese = client.ok("queryAnalyseErrorDetail", {"code": "15006", "language": 0})[0]
    assert chinese["desDescriptionCn"] == "没有可渲染的相机"
    hardware = client.ok("hardwareConfigList", {"cloneTask": "false"})
    assert {"notSupportCode", "notSupportCgVersions", "notSupportPluginList", "notSupportCgId"} <= set(hardware[0])


def test_records_hardware_pack_nodes_and_settings(client):
    task_id = submit(client, max_task, "1-2[1]")
    client.ok("editTaskHardwareConfig", {"taskIds": [task_id], "hardwareConfigIds": [339], "model": "2080Ti",
                                         "gpuNum": "2", "ram": "64GB"})
    current = [h["id"] for h in client.ok("hardwareConfigList", {"cloneTask": "false", "taskIds": [str(task_id)]})
               if h["current"]]
    assert current == [339]
    records = client.ok("taskRecord", {"pageNum": 1, "pageSize": 10, "startDate": "", "endDate": ""})
    assert [r["action"] for r in records["items"]][-2:] == ["submit", "createTask"]
    assert client.ok("loginRecord", {"pageNum": 1, "pageSize": 10})["total"] == 1
    assert client.ok("getUserPackNodeInfo")["totalNodeNum"] == 20
    client.ok("updateUserSetting", {"taskOverTimeSec": 7200})
    assert client.ok("queryUserSetting")["taskOverTimeSec"] == 7200
    assert client.ok("queryPlatforms", {"zone": 2})[0]["platform"] == 2
    assert client.ok("getBid")["output_bid"] == catalog.OUTPUT_BID
    assert client.ok("getServerInfo", {"zone": 1})["httpTransfer"]["url"].endswith("/farm/transfer")


def test_arrears_stop_tasks(tmp_path):
    with EmbeddedFarm(tmp_path, port=0, speed=400, real_blender=False) as farm:
        client = RawClient(farm)
        with farm.store.write() as conn:
            farm.store.set_meta(conn, "usdbalance", 0)
            farm.store.set_meta(conn, "coupon", 0)
        task_id = submit(client, max_task, "1-3[1]")
        stopped = wait_for(lambda: ended(client, task_id, (20,)))
        assert stopped["doneFrames"] == 0 and stopped["abortFrames"] == 3
        with farm.store.write() as conn:
            farm.store.set_meta(conn, "usdbalance", 100)
        client.ok("startTask", {"taskIds": [task_id]})
        assert wait_for(lambda: ended(client, task_id))["taskStatus"] == 25
        assert client.ok("queryUserProfile")["usdbalance"] < 100


def test_frame_syntax():
    assert parse_frames("1-10[3]") == [1, 4, 7, 10]
    assert parse_frames("1,3-4[1], 10") == [1, 3, 4, 10]
    assert parse_frames("-2-1") == [-2, -1, 0, 1]
    for bad in ("", "a-b", "5-1", "1-10[0]", "1-999999999"):
        with pytest.raises(FrameSyntaxError):
            parse_frames(bad)
    assert priority_frames(list(range(1, 11)), "111") == [1, 6, 10]
    assert priority_frames(list(range(1, 11)), "000:3,5-6[1]") == [3, 5, 6]
    assert format_block([2, 3, 4]) == "2-4[1]" and format_block([1, 3, 5, 8]) == "1-5[2],8"


def test_the_farm_package_imports_nothing_heavy():
    code = ("import sys, rv_dcc.farm, rv_dcc.farm.catalog, rv_dcc.farm.tips\n"
            "heavy = [m for m in ('requests', 'pydantic', 'sqlite3', 'http.server', 'qtpy') if m in sys.modules]\n"
            "print(heavy)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env=dict(os.environ)).stdout.strip()
    assert out == "[]"


def test_farm_stop_stops_the_background_farm_a_command_started(tmp_path, capsys):
    from rv_dcc import cli
    from rv_dcc.farm import launcher

    data = str(tmp_path / "farm")
    started = []
    launcher.ensure_running(data, port=0, on_start=lambda url, folder: started.append((url, folder)))
    assert len(started) == 1 and started[0][1] == os.path.abspath(data)
    pid = launcher.read_state(data)["pid"]
    try:
        # already running: found, not started again, so nothing is announced
        launcher.ensure_running(data, port=0, on_start=lambda url, folder: started.append((url, folder)))
        assert len(started) == 1
        assert cli.main(["farm", "stop", "--data", data]) == 0
        assert f"stopped the embedded farm on {started[0][0]} (pid {pid}" in capsys.readouterr().out
        assert launcher.running(data) is None
    finally:
        if launcher.running(data) is not None:
            os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)  # our child: reap it
    assert cli.main(["farm", "stop", "--data", data, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["event"] == "not_running"


def test_a_command_says_when_it_started_the_background_farm(tmp_path, monkeypatch, capsys):
    from rv_dcc.commands import connect as connect_module
    from rv_dcc.farm import launcher

    def fake_ensure_running(on_start=None, **_kwargs):
        on_start("http://127.0.0.1:8765", str(tmp_path))  # what ensure_running does after starting one
        return "127.0.0.1:8765", DEFAULT_ACCESS_ID, DEFAULT_ACCESS_KEY

    monkeypatch.setattr(launcher, "ensure_running", fake_ensure_running)
    monkeypatch.delenv("RAYVISION_API_ACCESS_ID", raising=False)
    monkeypatch.delenv("RAYVISION_API_KEY", raising=False)
    monkeypatch.setenv("RV_DCC_CONFIG_DIR", str(tmp_path / "no_account"))
    from types import SimpleNamespace

    connect_module.connect(SimpleNamespace(domain=None, platform=None, protocol=None)).close()
    said = capsys.readouterr().err
    assert "started the embedded farm in the background on http://127.0.0.1:8765" in said
    assert "rv-dcc farm stop" in said and DEFAULT_ACCESS_KEY not in said


def test_a_background_farm_that_cannot_start_is_an_error_with_its_log_and_a_hint(tmp_path):
    """The launcher's child exits (its port is taken): FarmStartError, in the error tree, names the
    log and says what to do; the CLI turns it into one line and exit code 1."""
    import socket

    from rv_dcc.commands.connect import fail
    from rv_dcc.errors import RvDccError
    from rv_dcc.farm import launcher

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        port = busy.getsockname()[1]
        with pytest.raises(launcher.FarmStartError) as caught:
            launcher.ensure_running(str(tmp_path / "farm"), port=port, timeout=60)
    error = caught.value
    assert isinstance(error, RvDccError)
    assert "exited with code" in error.message and str(tmp_path / "farm" / "farm.log") in error.message
    assert "rv-dcc farm" in error.hint
    assert "cannot listen" in (tmp_path / "farm" / "farm.log").read_text()
    assert fail(error) == 1


def test_the_default_port_taken_between_the_check_and_the_start_falls_back_to_a_free_port(tmp_path, monkeypatch):
    """Two commands (or a test run beside another) start the background farm at once: the default
    port looked free, the other took it first; the farm starts on any free port instead of failing."""
    import socket

    from rv_dcc.farm import launcher

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        taken = busy.getsockname()[1]
        monkeypatch.setattr(launcher, "DEFAULT_PORT", taken)
        monkeypatch.setattr(launcher, "_port_free", lambda host, port: True)  # it looked free a moment ago
        data = str(tmp_path / "farm")
        domain, _id, _key = launcher.ensure_running(data, timeout=60)
        try:
            assert domain.startswith("127.0.0.1:") and int(domain.rsplit(":", 1)[1]) != taken
            assert launcher.running(data) is not None
        finally:
            assert launcher.stop_running(data)
