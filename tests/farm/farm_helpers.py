"""Helpers for the embedded farm's tests: a raw signed client, task-file builders, waiting.

The raw client signs exactly as wire.md §3 says (rv_dcc.api.signing), so these tests exercise
the farm over real HTTP independently of rv_dcc.api's client (tested against it separately).
"""
import json
import random
import time
from typing import Any, Callable, Dict, List, Optional

import requests

from rv_dcc.api import signing
from rv_dcc.api.operations import path_for

USER_ID = "10001136"
_NONCES = random.SystemRandom()  # hypothesis reseeds the random module; nonces must stay random


class RawClient:
    """Signed POSTs to a farm, with knobs to break the signature on purpose."""

    def __init__(self, farm: Any, paths: str = "current") -> None:
        self.farm = farm
        self.paths = paths
        self.session = requests.Session()

    def headers(self, path: str, body: Dict[str, Any], key: Optional[str] = None, access_id: Optional[str] = None,
                timestamp: Optional[int] = None, nonce: Optional[str] = None) -> Dict[str, str]:
        headers = {"accessId": access_id or self.farm.access_id, "channel": "4", "platform": "2",
                   "UTCTimestamp": str(int(time.time()) if timestamp is None else timestamp),
                   "nonce": nonce or f"{_NONCES.randint(0, 999999):06d}", "version": "2.0.0",
                   "Content-Type": "application/json"}
        headers["signature"] = signing.sign(key or self.farm.access_key, self.farm.domain, path, headers, body)
        return headers

    def post(self, name: str, body: Optional[Dict[str, Any]] = None, raw: Optional[bytes] = None,
             headers: Optional[Dict[str, str]] = None, path: Optional[str] = None, **sign_args: Any) -> Dict[str, Any]:
        body = {} if body is None else body
        path = path or path_for(name, self.paths)
        headers = headers or self.headers(path, body, **sign_args)
        data = raw if raw is not None else json.dumps(body).encode()
        response = self.session.post(self.farm.url + path, data=data, headers=headers, timeout=30)
        assert response.status_code == 200, response.text
        return response.json()

    def ok(self, name: str, body: Optional[Dict[str, Any]] = None, **kwargs: Any) -> Any:
        answer = self.post(name, body, **kwargs)
        assert answer["code"] == 200, answer
        return answer["data"]

    def bearer(self) -> Dict[str, str]:
        token = self.ok("getRaySyncUserKey")["raySyncUserKey"]
        return {"Authorization": f"Bearer {token}"}


def task_info(task_id: int, cg_id: int, scene: str, **extra: str) -> Dict[str, Any]:
    info = {"task_id": str(task_id), "user_id": USER_ID, "cg_id": str(cg_id), "platform": "2", "channel": "4",
            "os_name": "1", "input_cg_file": scene, "project_name": "", "project_id": "0",
            "frames_per_task": "1", "pre_frames": "000", "stop_after_test": "2", "job_stop_time": "259200",
            "task_stop_time": "0", "time_out": "43200", "enable_layered": "1", "ram": "64",
            "hardwareConfigIds": ["301"]}
    info.update(extra)
    return info


def maya_task(task_id: int, layers: Optional[Dict[str, str]] = None, **extra: str) -> Dict[str, Any]:
    layers = layers or {"defaultRenderLayer": "1-4[1]"}
    render = {name: {"renderable": "1", "is_default_camera": "1", "option": "", "env": {},
                     "common": {"renderer": "arnold", "frames": frames, "render_camera": ["renderCamShape"],
                                "all_camera": ["perspShape", "renderCamShape"], "width": "1920", "height": "1080"}}
              for name, frames in layers.items()}
    return {"software_config": {"cg_name": "Maya", "cg_version": "2024", "plugins": {"mtoa": "5.3.4"}},
            "task_info": task_info(task_id, 2000, "D:/proj/shot.ma", **extra),
            "scene_info_render": render, "scene_info": render, "additional_info": {}}


def max_task(task_id: int, frames: str = "1-4[1]", **extra: str) -> Dict[str, Any]:
    common = {"frames": frames, "animation_range": frames, "width": "640", "height": "480",
              "all_camera": ["Camera001"], "renderable_camera": ["Camera001"], "output_file": "D:/out/a.exr"}
    render = {"common": common, "renderer": {"name": "V-Ray 6", "renderer": "vray", "renderer_orign": "V_Ray_6"}}
    return {"software_config": {"cg_name": "3ds Max", "cg_version": "2024", "plugins": {"vray": "6.20.00"}},
            "task_info": task_info(task_id, 2001, "D:/proj/room.max", **extra),
            "scene_info_render": render, "scene_info": render, "additional_info": {}}


def houdini_task(task_id: int, **extra: str) -> Dict[str, Any]:
    render = {"rop_node": [{"node": "/out/mantra1", "frames": "1-3[1]", "option": "-1", "render": "1"},
                           {"node": "/out/off", "frames": "1-3[1]", "option": "-1", "render": "0"}],
              "geo_node": [{"node": "/out/cache_sim", "frames": "1-10[1]", "option": "0", "render": "1"}],
              "distributedsim_node": []}
    return {"software_config": {"cg_name": "Houdini", "cg_version": "20.5", "plugins": {}},
            "task_info": task_info(task_id, 2004, "/proj/fx.hip", **extra),
            "scene_info_render": render, "scene_info": render, "additional_info": {}}


def c4d_task(task_id: int, takes: List[str], **extra: str) -> Dict[str, Any]:
    common = {"frames": "0-2[1]", "fps": "25", "width": "1280", "height": "720", "all_camera": ["Camera"],
              "all_take_name": takes}
    render = {"renderer": {"name": "Redshift"}, "common": common}
    return {"software_config": {"cg_name": "CINEMA 4D", "cg_version": "2024", "plugins": {"redshift": "2025.2.0"}},
            "task_info": task_info(task_id, 2005, "D:/proj/promo.c4d", **extra),
            "scene_info_render": render, "scene_info": render, "additional_info": {}}


def blender_task(task_id: int, scene: str, frames: str = "1-2[1]", **extra: str) -> Dict[str, Any]:
    common = {"scene_name": ["Scene"], "frames": frames, "frame_step": "1", "width": "1920", "height": "1080",
              "resolution_percentage": "100", "camera_name": "Camera", "Render_engine": "CYCLES",
              "Render_device": "CPU", "Render_Format": "PNG", "Output_path": "//render/", "view_layers": ["ViewLayer"]}
    render = {"common": common}
    return {"software_config": {"cg_name": "Blender", "cg_version": "5.0", "plugins": {}},
            "task_info": task_info(task_id, 2007, scene, **extra),
            "scene_info_render": render, "scene_info": render, "additional_info": {}}


def submit(client: RawClient, build: Callable[..., Dict[str, Any]], *args: Any, upload: Optional[dict] = None,
           tips: Optional[dict] = None, **extra: str) -> int:
    """createTask + the four task files + submit/task; returns the task id."""
    task_id = client.ok("createTask", {"count": 1, "taskUserLevel": 50})["taskIdList"][0]
    files = {"task.json": build(task_id, *args, **extra), "upload.json": upload or {"asset": [], "scene": []},
             "asset.json": {"asset": [], "missing_file": []}, "tips.json": tips or {}}
    for name, content in files.items():
        client.ok("taskJsonFile", {"taskId": task_id, "fileName": name, "content": json.dumps(content)})
    client.ok("submitTask", {"taskId": task_id})
    return task_id


def wait_for(predicate: Callable[[], Any], timeout: float = 30.0, interval: float = 0.05) -> Any:
    """Poll until ``predicate()`` is truthy; fail the test after ``timeout`` seconds."""
    deadline = time.time() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.time() > deadline:
            raise AssertionError(f"condition not met within {timeout} s (last value {value!r})")
        time.sleep(interval)


def info(client: RawClient, task_id: int) -> Dict[str, Any]:
    return client.ok("queryTaskInfo", {"taskIds": [task_id]})["items"][0]


def frames(client: RawClient, task_id: int) -> List[Dict[str, Any]]:
    return client.ok("queryTaskFrames", {"taskId": task_id, "pageNum": 1, "pageSize": 1000})["items"]


def ended(client: RawClient, task_id: int, states=(25, 30, 45)) -> Optional[Dict[str, Any]]:
    current = info(client, task_id)
    return current if current["taskStatus"] in states else None
