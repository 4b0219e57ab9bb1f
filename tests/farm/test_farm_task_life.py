"""A whole task life over real HTTP, and the state changes of the task operations."""
import hashlib
import json
from urllib.parse import quote

import requests

from farm_helpers import (RawClient, blender_task, c4d_task, ended, frames, houdini_task, info, max_task, maya_task,
                          submit, wait_for)
from rv_dcc.farm import EmbeddedFarm
from rv_dcc.farm.png import read_png


def test_whole_task_life(farm, client):
    transfer = client.ok("getConfig")["resqEngines"][0]["respTaskEngineLines"][0]["url"]
    assert transfer == farm.url + "/farm/transfer"
    auth = client.bearer()
    scene = b"//Maya ASCII 2024 scene\n" + bytes(range(256)) * 200
    url = f"{transfer}/input/{quote('/D/proj/shot.ma')}"
    # resumable: first half, then a wrong offset is refused with the size to resume from, then the rest
    half = len(scene) // 2
    first = requests.put(f"{url}?offset=0&total={len(scene)}", data=scene[:half], headers=auth, timeout=10).json()
    assert first == {"path": "/D/proj/shot.ma", "size": half, "total": len(scene), "complete": False,
                     "sha256": None, "md5": None}
    wrong = requests.put(f"{url}?offset=5&total={len(scene)}", data=scene[5:], headers=auth, timeout=10)
    assert wrong.status_code == 409 and wrong.json()["size"] == half
    stat = requests.post(f"{transfer}/stat", json={"storage": "input", "path": "/D/proj/shot.ma"}, headers=auth,
                         timeout=10).json()
    assert stat["size"] == half and not stat["complete"]
    done = requests.put(f"{url}?offset={half}&total={len(scene)}&sha256={hashlib.sha256(scene).hexdigest()}",
                        data=scene[half:], headers=auth, timeout=10).json()
    assert done["complete"] and done["md5"] == hashlib.md5(scene).hexdigest()
    assert (farm.store.path("storage", "input", "D", "proj", "shot.ma")).endswith("shot.ma")
    with open(farm.store.path("storage", "input", "D", "proj", "shot.ma"), "rb") as handle:
        assert handle.read() == scene
    # content-addressed: the same bytes at another path are not sent again
    have = requests.post(f"{transfer}/have", json={"path": "/D/proj/copy.ma", "sha256": done["sha256"]},
                         headers=auth, timeout=10).json()
    assert have == {"have": True, "path": "/D/proj/copy.ma", "size": len(scene)}
    assert requests.post(f"{transfer}/have", json={"path": "/x", "md5": "0" * 32}, headers=auth,
                         timeout=10).json()["have"] is False
    assert requests.put(f"{url}?offset=0&total=1", data=b"x", timeout=10).status_code == 401

    upload = {"asset": [{"local": "D:/proj/shot.ma", "server": "/D/proj/shot.ma"}],
              "scene": [{"local": "D:/proj/shot.ma", "server": "/D/proj/shot.ma", "hash": done["md5"]}]}
    task_id = submit(client, maya_task, {"beauty": "1-3[1]", "shadow": "1-2[1]"}, upload=upload)
    with open(farm.store.path("storage", "config", str(task_id), "cfg", "upload.json")) as handle:
        assert json.load(handle) == upload
    final = wait_for(lambda: ended(client, task_id))
    assert final["taskStatus"] == 25 and final["doneFrames"] == 5 and final["totalFrames"] == 5
    layers = {child["layerName"]: child for child in final["respRenderingTaskList"]}
    assert set(layers) == {"beauty", "shadow"} and layers["beauty"]["layerParentId"] == task_id
    assert final["renderConsume"] > 0 and final["taskAlias"] == f"2W{task_id}"

    beauty = layers["beauty"]
    page = client.ok("queryTaskFrames", {"taskId": beauty["id"], "pageNum": 1, "pageSize": 2})
    assert page["total"] == 3 and page["pageCount"] == 2 and len(page["items"]) == 2
    frame = page["items"][0]
    assert frame["frameStatus"] == 4 and frame["frameIndex"] == "1" and frame["feeAmount"] + frame["couponFee"] > 0
    urls = client.ok("loadingFrameThumbnail", {"id": frame["id"], "frameStatus": 4})
    assert len(urls) == 1
    thumb = requests.get(urls[0], timeout=10)
    assert thumb.status_code == 200 and read_png(thumb.content)[:2] == (160, 90)
    assert requests.get(urls[0].split("?")[0], timeout=10).status_code == 401

    listing = client.ok("getOutputUserDirFile", {"treePath": "/", "taskId": task_id})
    assert sorted(item["fileName"] for item in listing) == sorted(f"{layers[n]['id']}_shot" for n in layers)
    files = client.ok("getOutputUserDirFile", {"treePath": f"/{beauty['id']}_shot"})
    assert [f["fileName"] for f in files] == ["shot_beauty.0001.png", "shot_beauty.0002.png", "shot_beauty.0003.png"]
    output = f"{transfer}/output{quote(files[0]['filePath'])}"
    whole = requests.get(output, headers=auth, timeout=10)
    assert whole.status_code == 200 and len(whole.content) == files[0]["fileSize"]
    assert read_png(whole.content)[:2] == (320, 180)
    part = requests.get(output, headers=dict(auth, Range="bytes=10-19"), timeout=10)
    assert part.status_code == 206 and part.content == whole.content[10:20]
    assert part.headers["Content-Range"] == f"bytes 10-19/{len(whole.content)}"
    stats = client.ok("queryAllFrameStats")
    assert stats["doneFramesTotal"] == 5 and stats["totalFrames"] == 5
    profile = client.ok("queryUserProfile")
    assert profile["coupon"] < 49.93  # fees are paid from the coupon first


def test_priority_frames_stop_after_test_and_start(client):
    task_id = submit(client, max_task, "1-6[1]", pre_frames="101", stop_after_test="1", frames_per_task="2")
    paused = wait_for(lambda: ended(client, task_id, (40,)))
    rows = frames(client, task_id)
    assert [(r["frameIndex"], r["frameType"]) for r in rows] == [("1", 4), ("6", 4), ("2-3[1]", 5), ("4-5[1]", 5)]
    assert [r["frameStatus"] for r in rows] == [4, 4, 8, 8] and paused["doneFrames"] == 2
    client.ok("startTask", {"taskIds": [task_id]})
    final = wait_for(lambda: ended(client, task_id))
    assert final["taskStatus"] == 25 and final["doneFrames"] == 4
    img = client.ok("loadTaskProcessImg", {"taskId": task_id})
    assert len(img["grabInfo"]) == 4 and img["grabInfo"][0][0]["framePercent"] == "100"
    assert requests.get(img["grabInfo"][0][0]["grabUrl"], timeout=10).status_code == 200


def test_stop_start_abandon_recommit_and_frame_operations(tmp_path):
    with EmbeddedFarm(tmp_path, port=0, speed=1, real_blender=False, nodes=2) as farm:  # slow: frames stay busy
        client = RawClient(farm)
        task_id = submit(client, maya_task, {"defaultRenderLayer": "1-6[1]"})
        wait_for(lambda: info(client, task_id)["executingFrames"] == 2)
        client.ok("stopTask", {"taskIds": [task_id]})
        stopped = info(client, task_id)
        assert stopped["taskStatus"] == 10 and stopped["abortFrames"] == 6 and stopped["executingFrames"] == 0
        client.ok("startTask", {"taskIds": [task_id]})
        wait_for(lambda: info(client, task_id)["taskStatus"] == 5)
        ids = [r["id"] for r in frames(client, task_id)]
        client.ok("stopTaskFrames", {"taskId": task_id, "ids": ids[:3], "selectAll": 0})
        assert [r["frameStatus"] for r in frames(client, task_id)][:3] == [3, 3, 3]
        client.ok("recommitTaskFrames", {"taskId": task_id, "ids": ids[:1], "selectAll": 0})
        first = frames(client, task_id)[0]
        assert first["frameStatus"] in (1, 2) and first["recommitFlag"] == 1
        client.ok("updateTaskUserLevel", {"taskId": task_id, "taskUserLevel": 80})
        client.ok("updateTaskLimit", {"taskId": task_id, "taskLimit": 1})
        assert client.ok("fullSpeedRendering", {"taskIds": [task_id]}) == "成功"
        after = info(client, task_id)
        assert after["taskUserLevel"] == 80 and after["taskLimit"] == 9999
        assert client.ok("setTaskOverTimeStop", {"taskIds": [task_id], "overTime": 3600}) == "SUCCESS"
        assert info(client, task_id)["overTimeStop"] == 3600
        client.ok("abandonTask", {"taskIds": [task_id]})
        assert info(client, task_id)["taskStatus"] == 35
        client.ok("addTaskLabel", {"label": "hero", "taskIds": [task_id]})
        assert "hero" in json.loads(info(client, task_id)["labels"]).values()
        assert {"projectId": 1, "projectName": "hero"} in client.ok("projectList", {"flag": 0})["projectNameList"]
        client.ok("deleteTaskLabel", {"taskIds": [task_id], "labelNames": ["hero"]})
        assert json.loads(info(client, task_id)["labels"]) == {}
        client.ok("deleteTask", {"taskIds": [task_id]})
        assert client.post("queryTaskInfo", {"taskIds": [task_id]})["code"] == 404
        assert client.ok("getTaskList", {"pageNum": 1, "pageSize": 10})["total"] == 0
        assert client.ok("getTaskList", {"pageNum": 1, "pageSize": 10, "recycleFlag": 1})["total"] == 1


def test_failures_logs_timeouts_and_recommit(tmp_path):
    with EmbeddedFarm(tmp_path, port=0, speed=500, fail_rate=1.0, real_blender=False) as farm:
        client = RawClient(farm)
        task_id = submit(client, max_task, "1-3[1]")
        final = wait_for(lambda: ended(client, task_id))
        assert final["taskStatus"] == 45 and final["failedFrames"] == 3
        frame = frames(client, task_id)[0]
        log = client.ok("showLog", {"renderingType": "render", "pageNum": 1, "pageSize": 50, "id": frame["id"]})
        assert any("failed:" in line for line in log["items"])
        assert client.ok("loadingFrameThumbnail", {"id": frame["id"], "frameStatus": 4}) == []
        farm.scheduler.fail_rate = 0.0
        client.ok("recommitTasks", {"taskIds": [task_id]})
        final = wait_for(lambda: ended(client, task_id, (25,)))
        assert final["doneFrames"] == 3 and all(r["recommitFlag"] == 1 for r in frames(client, task_id))
        # a frame longer than job_stop_time times out (11); the task finishes with failed frames
        slow = submit(client, max_task, "1-2[1]", job_stop_time="5")
        final = wait_for(lambda: ended(client, slow))
        assert final["taskStatus"] == 45 and {r["frameStatus"] for r in frames(client, slow)} == {11}
        assert all(r["frameExecuteTime"] == 5 for r in frames(client, slow))


def test_overtime_stop(tmp_path):
    with EmbeddedFarm(tmp_path, port=0, speed=100, real_blender=False, nodes=1) as farm:
        client = RawClient(farm)
        task_id = submit(client, max_task, "1-40[1]", task_stop_time="120")
        final = wait_for(lambda: ended(client, task_id, (23,)))
        assert 0 < final["doneFrames"] < 40 and final["abortFrames"] > 0


def test_sub_tasks_per_host(client):
    hou = submit(client, houdini_task)
    kids = info(client, hou)["respRenderingTaskList"]
    assert [k["layerName"] for k in kids] == ["/out/mantra1", "/out/cache_sim"]
    cache = frames(client, kids[1]["id"])
    assert [(f["frameIndex"], f["gopName"]) for f in cache] == [("1-10[1]", "/out/cache_sim")]
    c4d = submit(client, c4d_task, ["Main", "Closeup"])
    assert [k["layerName"] for k in info(client, c4d)["respRenderingTaskList"]] == ["Main", "Closeup"]
    flat = submit(client, c4d_task, ["Main", "Closeup"], enable_layered="0")
    # a list even without children: the official SDK iterates it (query.get_small_task_id)
    assert info(client, flat)["respRenderingTaskList"] == [] and info(client, flat)["totalFrames"] == 3
    blend = submit(client, blender_task, "C:/proj/a.blend", "1-3[1]")
    assert info(client, blend)["respRenderingTaskList"] == []
    wait_for(lambda: ended(client, blend))
    assert client.ok("getTaskList", {"pageNum": 1, "pageSize": 2, "searchKeyword": "promo"})["total"] == 2
    assert client.ok("getTaskList", {"pageNum": 1, "pageSize": 100, "statusList": [25]})["total"] >= 1
