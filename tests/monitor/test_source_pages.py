"""A big task page is read as several small requests (ApiSource.task_page), against the embedded farm.

Decoding one reply holds the GIL from start to end, so the panel of a host froze while a worker
decoded a 1,000-task reply (issue 12, bench/monitor_scale.py); a page of more than
``ApiSource.task_reply_rows`` tasks is now asked as sub-pages that tile it exactly. The rows, their
order, the total and the page count must be those of the page asked for in one request.
"""
import sys
from pathlib import Path

import pytest

from rv_dcc.api import RayvisionAPI
from rv_dcc.farm import EmbeddedFarm
from rv_dcc.monitor.source import ApiSource, TaskQuery, page_from, reply_rows

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
from farm_scale import generate  # noqa: E402 - the farm bench's store seeding (straight into SQLite)

TASKS = 1250


@pytest.fixture(scope="module")
def api(tmp_path_factory):
    data = tmp_path_factory.mktemp("farm_pages")
    generate(str(data), TASKS, 50000 + TASKS)
    with EmbeddedFarm(data, port=0, speed=1, real_blender=False) as farm:
        yield RayvisionAPI(access_id=farm.access_id, access_key=farm.access_key, domain=farm.domain,
                           platform=farm.platform, protocol="http")


class Counting:
    """The client with its task-list calls recorded (page sizes asked)."""

    def __init__(self, api):
        self.api, self.sizes, self.calls = api, [], []
        outer = self

        class Query:
            def get_task_list(self, **kwargs):
                outer.sizes.append(kwargs["page_size"])
                outer.calls.append(kwargs)
                return api.query.get_task_list(**kwargs)
        self.query = Query()


def _ids(items):
    return [int(row["id"]) for row in items]


@pytest.mark.parametrize("page_num", [1, 2])
def test_a_big_page_comes_as_small_requests_with_the_same_rows(api, page_num):
    counting = Counting(api)
    page = ApiSource(counting).task_page(TaskQuery(page_num=page_num, page_size=1000))
    whole = page_from(api.query.get_task_list(page_num=page_num, page_size=1000))
    assert _ids(page.items) == _ids(whole.items)
    assert len(page.items) == (1000 if page_num == 1 else TASKS - 1000)
    assert (page.total, page.page_num, page.page_count) == (TASKS, page_num, 2)
    assert counting.sizes and max(counting.sizes) <= ApiSource.task_reply_rows
    # page 2 stops at the list's end: 3 requests of 100 for its 250 tasks, not 10
    assert len(counting.sizes) == (10 if page_num == 1 else 3)


def test_a_small_page_is_one_request(api):
    counting = Counting(api)
    page = ApiSource(counting).task_page(TaskQuery(page_num=3, page_size=50))
    assert counting.sizes == [50]
    assert _ids(page.items) == _ids(page_from(api.query.get_task_list(page_num=3, page_size=50)).items)


def test_filters_reach_every_sub_request(api):
    counting = Counting(api)
    query = TaskQuery(page_size=400, search_keyword="shot_00")
    page = ApiSource(counting).task_page(query)
    whole = page_from(api.query.get_task_list(page_num=1, page_size=400, search_keyword="shot_00"))
    assert _ids(page.items) == _ids(whole.items) and page.total == whole.total == 1000  # shot_00000..shot_00999
    assert len(counting.calls) == 4 and all(call["search_keyword"] == "shot_00" for call in counting.calls)


@pytest.mark.parametrize("size, expected", [(50, 50), (100, 100), (1000, 100), (5100, 100), (333, 37), (997, 997),
                                            (250, 50), (7000, 7000)])
def test_sub_pages_tile_the_page_exactly(size, expected):
    rows = reply_rows(size, 100, 60)
    assert rows == expected and size % rows == 0


def test_the_poller_lets_the_interface_in_between_replies(api):
    """The poller hands its checkpoint (the panel's gate) to a paced source: called between two
    replies of one answer, so a worker waits there while the panel paints."""
    from rv_dcc.monitor.poller import TASKS, Poller, Request

    calls = []
    source = ApiSource(Counting(api))
    poller = Poller(source, checkpoint=lambda: calls.append(len(source.api.sizes)))
    result = poller.fetch(Request(kind=TASKS, generation=1, query=TaskQuery(page_size=1000)))
    assert len(result.snapshot.children[None]) == 1000
    between = [n for n in calls if n < 10]
    assert between == list(range(1, 10)), calls  # after each of the first nine replies, before the next
