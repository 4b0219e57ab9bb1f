"""What lazy reply models save: wrapping a task page vs validating it with pydantic's own API.

``rv_dcc.api.models_base`` wraps a reply without validating it and validates on the first
attribute access, which needs a few pydantic internals (an empty ``__dict__`` until then). The
supported alternative is to validate every reply at once (``model_validate``). This prints, per
page size, the time to wrap a ``getTaskList`` page and read it by wire key (what the CLI, the
monitor and ``to_wire`` do), to wrap it and read one attribute (validates the page), and to
validate it eagerly. The rows are the reference's task-list item (a task with two layers).

Usage: python bench/model_wrap.py
"""
import copy
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from client_overhead import REPLY_DATA  # noqa: E402 - the same reference reply as the client bench


def page(rows: int) -> dict:
    data = copy.deepcopy(REPLY_DATA)
    data["items"] = [dict(REPLY_DATA["items"][0], id=18278 + n) for n in range(rows)]
    return data


def per_call_ms(call, repeats: int) -> float:
    call()
    start = time.perf_counter()
    for _ in range(repeats):
        call()
    return (time.perf_counter() - start) / repeats * 1e3


def main() -> int:
    from rv_dcc.api import models

    print("per getTaskList page: lazy wrap + wire keys | lazy wrap + one attribute | eager model_validate")
    for rows, repeats in ((1, 2000), (100, 50), (5000, 3)):
        data = page(rows)
        lazy = per_call_ms(lambda: models.TaskPage.from_wire(data)["items"][0]["taskStatus"], repeats)
        touched = per_call_ms(lambda: models.TaskPage.from_wire(data).items[0].task_status, repeats)
        eager = per_call_ms(lambda: models.TaskPage.model_validate(data).items[0].task_status, repeats)
        print(f"  {rows:5d} rows: {lazy:9.4f} ms | {touched:9.4f} ms | {eager:9.4f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
