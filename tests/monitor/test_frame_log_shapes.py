"""ApiSource.frame_log over the shapes a farm's showLog pages may take (a fake client's replies)."""
import pytest

from rv_dcc.monitor.source import ApiSource


class _Query:
    def __init__(self, lines, cap=None, total="int", page_count=True):
        self.lines, self.cap, self.total, self.page_count = lines, cap, total, page_count
        self.calls = []

    def show_log(self, frame_id, page_num=1, page_size=100, rendering_type="render"):
        self.calls.append(page_num)
        size = min(page_size, self.cap) if self.cap else page_size
        start = (page_num - 1) * size
        reply = {"items": self.lines[start:start + size], "pageNum": page_num, "size": size}
        if self.total == "int":
            reply["total"] = len(self.lines)
        elif self.total == "str":
            reply["total"] = str(len(self.lines))
        if self.page_count:
            reply["pageCount"] = -(-len(self.lines) // size)
        return reply


class _Api:
    def __init__(self, query):
        self.query = query


LOG = [f"line {n}" for n in range(1, 2501)] + ["ERROR: out of memory"]


@pytest.mark.parametrize("shape", [
    dict(),                                   # int total
    dict(total="str"),                        # the total as a string
    dict(total=None),                         # only pageCount
    dict(total=None, page_count=False),       # no counts at all: read on while pages are full
    dict(cap=500),                            # the farm caps the page size below what was asked
    dict(cap=500, total="str", page_count=False),
])
def test_the_whole_log_arrives_whatever_the_page_shape(shape):
    source = ApiSource(_Api(_Query(LOG, **shape)))
    assert source.frame_log(7).splitlines() == LOG


def test_a_huge_log_with_a_capped_page_size_keeps_its_end_and_counts_what_it_skipped():
    lines = [f"line {n}" for n in range(1, 30001)] + ["FATAL: license lost"]
    source = ApiSource(_Api(_Query(lines, cap=500, total="str")))
    shown = source.frame_log(7).splitlines()
    note = next(line for line in shown if "lines not shown" in line)
    kept = [line for line in shown if line != note]
    skipped = int(note.split()[1].replace(",", ""))
    assert shown[-1] == "FATAL: license lost" and len(kept) + skipped == len(lines)
    assert kept == lines[:500] + lines[500 + skipped:], "what is shown is not the head and the tail, in order"


def test_reading_stops_when_the_log_is_no_longer_wanted():
    query = _Query([f"line {n}" for n in range(1, 10001)])
    answers = iter([True, True])
    ApiSource(_Api(query)).frame_log(7, wanted=lambda: next(answers, False))
    assert query.calls == [1, 2, 3], "pages were read for a log the artist had moved away from"
