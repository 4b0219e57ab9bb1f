"""A frame's render log in the monitor: read page by page from the farm, its end always included."""
from pipeline_helpers import load_sample


def _a_frame(farm, api, tmp_path):
    from rv_dcc.commands.watch import follow
    from rv_dcc.monitor.source import ApiSource
    from rv_dcc.submit.options import SubmitOptions
    from rv_dcc.submit.pipeline import submit_scene

    result = submit_scene(api, load_sample("maya"), SubmitOptions(), journal_root=tmp_path / "journals")
    follow(api, [result.task_id], lambda records: None, interval=0.2, timeout=120)
    source = ApiSource(api)
    return source, source.task_frames(int(result.task_id))[0]["id"]


def _set_log(farm, frame_id, lines):
    with farm.store.write() as conn:
        conn.execute("UPDATE frames SET log = ? WHERE id = ?", ("\n".join(lines), frame_id))


def test_a_long_log_is_read_whole_over_several_pages(farm, api, tmp_path):
    source, frame_id = _a_frame(farm, api, tmp_path)
    lines = [f"line {n}" for n in range(1, 2501)]
    _set_log(farm, frame_id, lines)
    assert source.frame_log(frame_id).splitlines() == lines  # 3 pages of 1,000


def test_a_huge_log_keeps_its_beginning_and_its_end(farm, api, tmp_path):
    source, frame_id = _a_frame(farm, api, tmp_path)
    lines = [f"line {n}" for n in range(1, 45001)] + ["ERROR: out of memory while rendering"]
    _set_log(farm, frame_id, lines)
    shown = source.frame_log(frame_id).splitlines()
    assert shown[:1000] == lines[:1000]
    assert shown[-1] == "ERROR: out of memory while rendering", "the end of the log, where the error is, is missing"
    assert "lines not shown" in shown[1000] and "45,001 lines" in shown[1000]
    assert len(shown) <= source.max_log_lines + 1
    assert shown[1001:] == lines[-(len(shown) - 1001):], "the tail is not the log's last lines, in order"
