"""A whole task life on the embedded farm driven by the OFFICIAL Python SDK (rayvision-api 3.0.4.3,
rayvision-blender 2.0.4, rayvision-utils, rayvision-sync 3.1.8) — run under a Python that has them
(``tests/farm/test_official_sdk.py`` starts it; ``.ci/run`` installs them into ``.venv-official-sdk``).

``python official_sdk_driver.py '<json: domain, access_id, access_key, platform, transfer_url,
scene, workspace>'`` prints one JSON line per step (``{"step": ..., ...}``) and a last line
``{"step": "done"}``; any exception ends the run with ``{"step": "error", ...}`` and exit code 1.

What comes from the SDK itself, unchanged:
  * the task.json skeleton: ``AnalyzeBlender.write_task_json`` (rayvision_blender/analyze_blender.py)
    writes ``rayvision_utils.constants.TASK_INFO`` with ``task_id`` and ``user_id`` left empty;
  * task id, user id, project id, hardware ids and the plugin check: ``RayvisionCheck.execute``
    (rayvision_api/task/check.py), the documented submit path of the SDK's examples;
  * upload.json server paths: ``rayvision_utils.utils.convert_path``, in the shape
    ``AnalyzeMaya.write_upload_json`` writes (rayvision_maya/analyze_maya.py);
  * every API call (``RayvisionAPI``), and the task-status walk of ``RayvisionManageTask``
    (rayvision_sync/manage.py) that the SDK's download waits on.
What stands in for a part of the SDK that cannot run here:
  * ``scene_info_render``: the Blender analyzer fills it with a compiled Windows-only module
    (rayvision_blender/Analyze/py3*/RBAnalyze.pyd, run through blender.exe); this script writes the
    shape of spec/task_files.md §3 (Blender) as that module would;
  * files move with the closed ``rayvision_transmitter`` (Raysync/Aspera) on the service; here the
    scene goes through the embedded farm's HTTP transfer endpoint (rv_dcc/farm/transfer.py) and the
    task files through the SDK's own ``transmit.upload_json_content`` (taskJsonFile).
"""
import json
import os
import sys
import time
from urllib.parse import quote

import requests


_STARTED = time.monotonic()


def emit(step, **values):
    print(json.dumps(dict(values, step=step, at=round(time.monotonic() - _STARTED, 2)), default=str), flush=True)


def wait_for(predicate, what, timeout=90.0):
    """Poll the farm (through the SDK) until ``predicate()`` is truthy; the farm runs fast."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise RuntimeError("timed out waiting for " + what)
        time.sleep(0.1)


def main(config):
    from rayvision_api import RayvisionAPI
    from rayvision_api.task.check import RayvisionCheck
    from rayvision_blender.analyze_blender import AnalyzeBlender
    from rayvision_sync.manage import RayvisionManageTask
    from rayvision_utils import utils as rv_utils

    workspace = config["workspace"]
    api = RayvisionAPI(access_id=config["access_id"], access_key=config["access_key"], domain=config["domain"],
                       platform=config["platform"], protocol="http", log_folder=workspace, log_level="INFO")
    # -- the account, as the SDK logs in (queryUserProfile, queryUserSetting, getBid)
    emit("user", user_id=api.get_user_id(), info_keys=sorted(api.user_info),
         input_bid=api.user_info.get("input_bid"), hardware=len(api.user.get_hardware_config()),
         software=[s.get("cgName") for s in api.query.supported_software()["renderInfoList"]])

    # -- the task files as the analyzer writes them
    scene = config["scene"]
    versions = api.query.supported_plugin("blender")["cgVersion"]
    analyze = AnalyzeBlender(cg_file=scene, software_version=versions[0]["cgVersion"], project_name="sdk_project",
                             plugin_config={}, workspace=workspace, platform=config["platform"], local_os="linux",
                             log_folder=workspace)
    analyze.write_task_json()  # TASK_INFO: task_id "" and user_id ""
    task_info = rv_utils.json_load(analyze.task_json)
    emit("analyzer", task_id=task_info["task_info"]["task_id"], user_id=task_info["task_info"]["user_id"])
    task_info["scene_info_render"] = {"common": {
        "scene_name": ["Scene"], "frames": "1-3[1]", "frame_step": "1", "width": "1920", "height": "1080",
        "resolution_percentage": "100", "camera_name": "Camera", "Render_engine": "CYCLES", "Render_device": "CPU",
        "Render_Format": "OPEN_EXR", "Output_path": "//render/", "view_layers": ["ViewLayer"]}}
    task_info["scene_info"] = task_info["scene_info_render"]
    rv_utils.json_save(analyze.task_json, task_info)
    server = rv_utils.convert_path(scene)
    upload = {"scene": [{"local": scene.replace("\\", "/"), "server": server}],
              "asset": [{"local": scene.replace("\\", "/"), "server": server}]}
    rv_utils.json_save(analyze.upload_json, upload)
    rv_utils.json_save(analyze.tips_json, {})
    rv_utils.json_save(analyze.asset_json, {"asset": [scene], "missing_file": []})

    # -- the SDK's check: createTask, the profile's user id, project id, hardware ids, plugin check
    hardware = {"model": "Default", "ram": "64GB", "gpuNum": None}
    task_id = RayvisionCheck(api, analyze).execute(hardware, analyze.task_json, analyze.upload_json)
    checked = rv_utils.json_load(analyze.task_json)["task_info"]
    emit("checked", task_id=task_id, user_id=checked["user_id"], hardware_ids=checked["hardwareConfigIds"],
         project_id=checked["project_id"])

    # -- move the files: the scene through the farm's transfer endpoint, the task files through the SDK
    key = api.query.get_raysync_user_key()["raySyncUserKey"]
    with open(scene, "rb") as handle:
        body = handle.read()
    # The transmitter uploads upload.json relative to the storage root "/" (convert_path drops a POSIX
    # path's leading "/": "/tmp/a.blend" -> "tmp/a.blend"), so the file lands at "/tmp/a.blend".
    reply = requests.put(config["transfer_url"] + "/input/" + quote(server.lstrip("/")), data=body,
                         params={"offset": 0, "total": len(body)}, headers={"Authorization": "Bearer " + key},
                         timeout=30)
    reply.raise_for_status()
    for path in (analyze.task_json, analyze.upload_json, analyze.tips_json, analyze.asset_json):
        with open(path, encoding="utf-8") as handle:
            api.transmit.upload_json_content(task_id, handle.read(), file_name=os.path.basename(path))
    emit("uploaded", scene_complete=reply.json().get("complete"))

    # -- a task.json whose user_id (and task_id) are empty, as submit_by_data / a hand-made file send it
    spare = api.task.create_task(count=1)["taskIdList"][0]
    bare = rv_utils.json_load(analyze.task_json)
    bare["task_info"]["user_id"] = ""
    bare["task_info"]["task_id"] = ""
    api.transmit.upload_json_content(spare, json.dumps(bare), file_name="task.json")
    emit("empty_ids_accepted", task_id=spare)
    api.task.delete_task([spare])

    # -- submit, then the list, the detail, the small task ids and the frames
    emit("submitted", result=api.submit(int(task_id), producer="sdk artist"))
    listed = api.query.get_task_list(page_num=1, page_size=10)
    item = [i for i in listed["items"] if i["id"] == task_id][0]
    emit("listed", status=item["taskStatus"], alias=item["taskAlias"], children=item["respRenderingTaskList"],
         output=item["outputFileName"])
    emit("small_task_ids", ids=api.query.get_small_task_id(task_id))
    frames = api.query.get_all_frames(task_id)
    emit("frames", indexes=sorted(frames), statuses=[f["frameStatus"] for f in frames.values()],
         stats_keys=sorted(api.query.all_frame_status()))

    manage = RayvisionManageTask(api.query)
    # -- stop, start, restart
    api.task.stop_task([task_id])
    stopped = api.query.task_info([task_id])["items"][0]
    emit("stopped", status=stopped["taskStatus"], ended=manage.is_task_end(task_id, False))
    api.task.start_task([task_id])
    started = api.query.task_info([task_id])["items"][0]
    emit("started", status=started["taskStatus"])
    wait_for(lambda: manage.is_task_end(task_id, False), "the task to finish")
    # the other task operations of the SDK, on the finished task
    frame_id = next(iter(api.query.get_all_frames(task_id).values()))["id"]
    thumbs = api.query.get_frame_thumbnall(frame_id)
    log_page = api.query.get_render_log(frame_id=frame_id, pageSize=50)
    api.task.update_priority(task_id, 60)
    api.task.set_task_overtime_top([task_id], 3600)
    api.query.restart_failed_frames([task_id])  # nothing failed: nothing to do, no error
    emit("operations", thumbs=thumbs, log_lines=len(log_page.get("items") or []),
         level=api.query.task_info([task_id])["items"][0]["taskUserLevel"])
    api.query.restart_frame(task_id, select_all=1)
    restarted = api.query.task_info([task_id])["items"][0]
    emit("restarted", status=restarted["taskStatus"], done=restarted["doneFrames"])
    wait_for(lambda: manage.is_task_end(task_id, False), "the restarted task to finish")

    # -- outputs: the SDK's status walk names the folder, getOutputUserDirFile lists the files
    status = manage.get_task_status([task_id])
    names = manage.output_file_names(status)
    files = api.transmit.get_output_files(task_id=task_id)
    emit("finished", codes=manage.find_task_status_codes(status), output_names=names, files=files)
    fetched = []
    for folder in files:  # the task's output folders; their files by treePath, as the SDK's docs show
        for entry in api.transmit.get_output_files(tree_path=folder["filePath"]):
            if entry["directory"]:
                continue
            got = requests.get(config["transfer_url"] + "/output" + quote(entry["filePath"]),
                               headers={"Authorization": "Bearer " + key}, timeout=30)
            got.raise_for_status()
            fetched.append({"path": entry["filePath"], "type": entry["fileType"], "magic": got.content[:4].hex(),
                            "size": len(got.content)})
    emit("downloaded", files=fetched)

    # -- delete: gone from the list
    api.task.delete_task([task_id])
    after = api.query.get_task_list(page_num=1, page_size=10)
    emit("deleted", ids=[i["id"] for i in after["items"]])


if __name__ == "__main__":
    try:
        main(json.loads(sys.argv[1]))
    except Exception as exc:  # the test prints this with the steps that passed
        import traceback

        emit("error", error=f"{type(exc).__name__}: {exc}", trace=traceback.format_exc()[-3000:])
        sys.exit(1)
    emit("done")
