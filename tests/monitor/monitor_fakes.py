"""An in-memory MonitorSource for the monitor's unit tests (the farm's replies, by wire key)."""
import threading
from typing import Any, Dict, List, Mapping

from rv_dcc.monitor.source import Page, TaskQuery


def task(task_id: int, status: int = 5, done: int = 0, total: int = 10, consume: float = 0.0,
         subs: List[Dict[str, Any]] = (), **extra: Any) -> Dict[str, Any]:
    """A task item shaped like getTaskList's."""
    item = {"id": task_id, "taskAlias": f"2W{task_id}", "sceneName": f"shot_{task_id}.ma", "taskStatus": status,
            "doneFrames": done, "totalFrames": total, "failedFrames": 0, "renderConsume": consume,
            "submitDate": 1700000000000 + task_id, "respRenderingTaskList": list(subs), "unshown": "x"}
    item.update(extra)
    return item


def frame(frame_id: int, status: int = 1, fee: float = 0.0, coupon: float = 0.0, index: str = "1",
          task_id: int = 1) -> Dict[str, Any]:
    """A frame item shaped like queryTaskFrames'."""
    return {"id": frame_id, "taskId": task_id, "frameIndex": index, "frameStatus": status, "feeAmount": fee,
            "couponFee": coupon, "frameExecuteTime": 0, "recommitFlag": 0, "nodeId": ""}


class FakeSource:
    """Serves whatever the test puts in ``tasks`` / ``frames``; can fail or block on demand."""

    def __init__(self) -> None:
        self.tasks: List[Dict[str, Any]] = []
        self.frames: Dict[int, List[Dict[str, Any]]] = {}
        self.fail: List[BaseException] = []
        self.queries: List[TaskQuery] = []
        self.gate: Dict[str, threading.Event] = {}

    def task_page(self, query: TaskQuery) -> Page:
        self.queries.append(query)
        if "tasks" in self.gate:
            self.gate["tasks"].wait(5)
        if self.fail:
            raise self.fail.pop(0)
        items = [t for t in self.tasks if not query.status_list or t["taskStatus"] in query.status_list]
        if query.search_keyword:
            items = [t for t in items if query.search_keyword in t["sceneName"]]
        start = (query.page_num - 1) * query.page_size
        return Page(items=items[start:start + query.page_size], total=len(items), page_num=query.page_num)

    def task_frames(self, task_id: int) -> List[Mapping[str, Any]]:
        if self.fail:
            raise self.fail.pop(0)
        return list(self.frames.get(task_id, []))

    def thumbnail_urls(self, frame_id: int) -> List[str]:
        return [f"http://thumbs.invalid/{frame_id}.jpg"]

    def processing_image(self, task_id: int) -> Dict[str, Any]:
        return {}

    def frame_log(self, frame_id: int, wanted: Any = None) -> str:
        return f"log of {frame_id}"
