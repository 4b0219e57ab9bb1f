"""The farm never crashes and never corrupts its store (hypothesis), and keeps what it
acknowledged across a restart and a kill."""
import json
import os
import signal
import sqlite3
import threading

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from farm_helpers import RawClient, ended, frames, info, max_task, maya_task, submit, wait_for
from rv_dcc.api.operations import OPERATIONS
from rv_dcc.farm import EmbeddedFarm, launcher

KEYS = ["taskId", "taskIds", "ids", "selectAll", "status", "pageNum", "pageSize", "count", "taskUserLevel",
        "labels", "label", "labelIds", "labelNames", "newName", "delName", "flag", "cgId", "cgIds", "osName",
        "editName", "cgName", "cgVersion", "renderSystem", "pluginIds", "id", "frameStatus", "frameType",
        "treePath", "fileName", "content", "statusList", "searchKeyword", "startTime", "overTime", "taskLimit",
        "code", "codes", "language", "taskOverTimeSec", "hardwareConfigIds", "zone", "startDate"]
IDS = st.sampled_from([19001, 19002, 19003, 1, 2, 3, 0, -1, 2 ** 31, 2 ** 70])
SCALARS = st.one_of(IDS, st.integers(), st.booleans(), st.none(), st.floats(allow_nan=False, allow_infinity=False),
                    st.text(max_size=20), st.sampled_from(["task.json", "tips.json", "2024", "Maya", "/", "{}", "1"]))
VALUES = st.recursive(SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                       st.dictionaries(st.text(max_size=5), inner, max_size=3)),
                      max_leaves=8)
BODIES = st.dictionaries(st.sampled_from(KEYS), VALUES, max_size=5)


def _consistent(data_dir: str) -> None:
    conn = sqlite3.connect(os.path.join(data_dir, "farm.sqlite3"))
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        leaves = conn.execute("SELECT id, total_frames, done_frames, executing_frames FROM tasks t "
                              "WHERE NOT EXISTS (SELECT 1 FROM tasks c WHERE c.parent_id = t.id)").fetchall()
        for task_id, total, done, executing in leaves:
            counted = conn.execute("SELECT COUNT(*), SUM(status = 4), SUM(status = 2) FROM frames WHERE task_id = ?",
                                   (task_id,)).fetchone()
            assert (total, done, executing) == (counted[0], counted[1] or 0, counted[2] or 0), task_id
        orphans = conn.execute("SELECT COUNT(*) FROM frames WHERE task_id NOT IN (SELECT id FROM tasks)").fetchone()[0]
        assert orphans == 0
    finally:
        conn.close()


def test_random_requests_never_crash_the_farm_or_corrupt_the_store(tmp_path):
    with EmbeddedFarm(tmp_path, port=0, speed=300, fail_rate=0.3, real_blender=False) as farm:
        client = RawClient(farm)
        submit(client, maya_task, {"a": "1-5[1]", "b": "1-3[1]"})
        submit(client, max_task, "1-4[1]", pre_frames="100", stop_after_test="1")
        names = [op.name for op in OPERATIONS]

        @settings(max_examples=500, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        @given(st.sampled_from(names), BODIES)
        def poke(name, body):
            answer = client.post(name, body)
            assert answer["code"] != 500, (name, body, answer)
            assert answer["code"] in (200, 404, 600, 601), (name, body, answer)
            assert isinstance(answer["message"], str) and answer["message"]

        poke()
        assert client.ok("queryUserProfile")["userId"] == 10001136
        farm.scheduler.tick()
        with farm.store.write():  # quiesce: the scheduler is between transactions
            _consistent(str(tmp_path))


def test_concurrent_requests_get_distinct_ids_and_consistent_state(tmp_path):
    with EmbeddedFarm(tmp_path, port=0, speed=400, real_blender=False) as farm:
        created, errors = [], []

        def worker() -> None:
            client = RawClient(farm)
            try:
                for _ in range(5):
                    created.append(submit(client, max_task, "1-3[1]"))
                    client.ok("getTaskList", {"pageNum": 1, "pageSize": 50})
            except Exception as exc:  # reported below
                errors.append(exc)

        threads = [threading.Thread(target=worker) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert not errors and len(set(created)) == 40
        client = RawClient(farm)
        wait_for(lambda: all(ended(client, t) for t in created), timeout=60)
        assert client.ok("queryAllFrameStats")["doneFramesTotal"] == 120
        with farm.store.write():
            _consistent(str(tmp_path))


def test_state_survives_a_restart(tmp_path):
    with EmbeddedFarm(tmp_path, port=0, speed=400, real_blender=False) as farm:
        client = RawClient(farm)
        done = submit(client, max_task, "1-3[1]")
        wait_for(lambda: ended(client, done))
        client.ok("addUserPluginConfig", {"cgId": 2000, "cgName": "Maya", "cgVersion": "2024", "editName": "keep",
                                          "renderSystem": 1, "pluginIds": [5105]})
        client.ok("projectAdd", {"newName": "kept", "status": 0})
        before = info(client, done)
        created = client.ok("createTask", {"count": 2})["taskIdList"]
    with EmbeddedFarm(tmp_path, port=0, speed=400, real_blender=False) as farm:
        client = RawClient(farm)
        after = info(client, done)
        assert {k: after[k] for k in ("taskStatus", "doneFrames", "renderConsume", "outputFileName")} == \
               {k: before[k] for k in ("taskStatus", "doneFrames", "renderConsume", "outputFileName")}
        assert [f["frameStatus"] for f in frames(client, done)] == [4, 4, 4]
        assert client.ok("getUserPluginConfig", {"cgId": 2000})[0]["editName"] == "keep"
        assert client.ok("projectGetList")["projectNameList"] == [{"projectId": 1, "projectName": "kept"}]
        assert client.ok("createTask", {"count": 1})["taskIdList"][0] == created[-1] + 1
        assert client.ok("getOutputUserDirFile", {"treePath": "/", "taskId": done})[0]["directory"] is True


class _Remote:
    """The parts of EmbeddedFarm that RawClient needs, for a farm in another process."""

    def __init__(self, domain: str, access_id: str, access_key: str) -> None:
        self.domain, self.access_id, self.access_key = domain, access_id, access_key
        self.url = f"http://{domain}"


def test_killing_the_process_loses_nothing_acknowledged(tmp_path):
    data = str(tmp_path / "farm")
    domain, access_id, access_key = launcher.ensure_running(data, port=0, speed=200)
    pid = launcher.read_state(data)["pid"]
    try:
        client = RawClient(_Remote(domain, access_id, access_key))
        ids = [client.ok("createTask", {"count": 1, "labels": [f"l{i}"]})["taskIdList"][0] for i in range(20)]
        task_id = submit(client, max_task, "1-2[1]")
    finally:
        os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)  # the farm is our child: reap it
    assert launcher.running(data) is None  # a stale farm.json is not mistaken for a live farm
    with EmbeddedFarm(data, port=0, speed=200, real_blender=False) as farm:
        client = RawClient(farm)
        found = client.ok("queryTaskInfo", {"taskIds": ids})["items"]
        assert sorted(item["id"] for item in found) == ids
        assert json.loads(found[-1]["labels"]) == {"1": "l0"}
        assert wait_for(lambda: ended(client, task_id))["doneFrames"] == 2
