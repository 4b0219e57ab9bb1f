"""One convention for every command's ``--json`` output (docs/JSON.md; schemas in rv_dcc/schemas).

- keys are snake_case;
- a point in time is an ISO 8601 string in UTC (``2026-12-03T23:50:00Z``), in a key ending in
  ``_at``; a duration is a whole number of seconds in a key ending in ``_seconds``;
- a status is its name in ``status`` with the farm's code beside it in ``status_code``;
- labels are a list of strings;
- money is a number in the account's currency (``currency`` names it where it matters).

The farm's records are translated here, in one place, so every command reads the same. Not a
subcommand.
"""
import datetime
import json
from typing import Any, Dict, List, Mapping, Optional

#: the exact schema convention version the outputs follow (docs/JSON.md)
SCHEMA_VERSION = 1


def number(value: Any) -> Optional[int]:
    """An integer the farm sent (int or digit string), else None."""
    if isinstance(value, bool):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def iso(value: Any) -> Optional[str]:
    """A time the farm or a journal gave as ISO 8601 UTC; None when unknown.

    Numbers are epoch seconds, or epoch milliseconds when that large (the service's dates are
    ms); 0 is "not yet". Text ``yyyy-MM-dd HH:mm:ss`` carries no zone: it is read as this
    computer's local time, as the farm that sent it is shown in the panel.
    """
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, str):
        text = value.strip()
        if text.lstrip("-").isdigit():
            return iso(int(text))
        for form in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S"):
            try:
                local = datetime.datetime.strptime(text, form)
            except ValueError:
                continue
            return _utc(local.astimezone(datetime.timezone.utc))
        return None
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        return None
    if seconds <= 0:
        return None
    if seconds > 1e11:  # milliseconds
        seconds /= 1000.0
    try:
        return _utc(datetime.datetime.fromtimestamp(seconds, tz=datetime.timezone.utc))
    except (OverflowError, OSError, ValueError):
        return None


def _utc(moment: datetime.datetime) -> str:
    return moment.replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def status_pair(code: Any, names: Mapping[int, str]) -> Dict[str, Any]:
    """``{"status": name, "status_code": code}``; ``unknown`` / None when the code is unreadable."""
    value = number(code)
    if value is None:
        return {"status": "unknown", "status_code": None}
    return {"status": names.get(value, f"status {value}"), "status_code": value}


def task_status(code: Any) -> Dict[str, Any]:
    """A task status as the convention writes it (names: rv_dcc.api.status.TaskStatus.display)."""
    from rv_dcc.api.status import TaskStatus

    return status_pair(code, {int(status): status.display for status in TaskStatus})


def frame_status(code: Any) -> Dict[str, Any]:
    """A frame status as the convention writes it (names: rv_dcc.api.status.FrameStatus.display)."""
    from rv_dcc.api.status import FrameStatus

    return status_pair(code, {int(status): status.display for status in FrameStatus})


def labels(value: Any) -> List[str]:
    """A task's labels as a list of names, whatever shape the farm sent them in: a JSON text
    ``'{"12": "shot010"}'`` (the service), a dict id -> name, a list, or a comma-separated text."""
    if value is None:
        return []
    if isinstance(value, str):
        text = value.strip()
        if text[:1] in ("{", "["):
            try:
                return labels(json.loads(text))
            except ValueError:
                pass
        return [part.strip() for part in text.split(",") if part.strip()]
    if isinstance(value, Mapping):
        return [str(name) for name in value.values() if str(name).strip()]
    if isinstance(value, (list, tuple)):
        return [str(item.get("name", "")) if isinstance(item, Mapping) else str(item) for item in value
                if item not in (None, "")]
    return [str(value)]


def _money(value: Any) -> Optional[float]:
    try:
        return round(float(value), 4) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def task(record: Mapping[str, Any], with_layers: bool = True) -> Dict[str, Any]:
    """A farm task record (``queryTaskInfo`` / ``getTaskList`` row) as the convention writes it."""
    from rv_dcc.monitor.cost import estimate_from_task

    from rv_dcc.monitor.progress import task_progress

    estimate = estimate_from_task(record)
    progress = task_progress(record)
    result: Dict[str, Any] = {
        "task_id": number(record.get("id")),
        "alias": str(record.get("taskAlias") or "") or None,
        "scene": str(record.get("sceneName") or "") or None,
        "layer": str(record.get("layerName") or "") or None,
        **task_status(record.get("taskStatus")),
        # frames, not render blocks (rv_dcc.monitor.progress: "frames per machine" above 1)
        "frames": {"total": progress.total, "done": progress.done, "failed": progress.failed,
                   "rendering": max(number(record.get("executingFrames")) or 0, 0),
                   "waiting": max(number(record.get("waitingCount")) or 0, 0),
                   "aborted": max(number(record.get("abortFrames")) or 0, 0)},
        "cost": {"so_far": estimate.so_far, "projected": estimate.projected,
                 "balance_part": _money(record.get("userAccountConsume")),
                 "coupon_part": _money(record.get("couponConsume"))},
        "priority": number(record.get("taskUserLevel")),
        "project": str(record.get("projectName") or "") or None,
        "labels": labels(record.get("labels")),
        "submitted_at": iso(record.get("submitDate")),
        "started_at": iso(record.get("startTime")),
        "completed_at": iso(record.get("completedDate")),
        "render_seconds": max(number(record.get("renderDuration")) or 0, 0),
    }
    if with_layers:
        subs = record.get("respRenderingTaskList")
        result["layers"] = [task(sub, with_layers=False) for sub in subs if isinstance(sub, Mapping)] \
            if isinstance(subs, list) else []
    return result
