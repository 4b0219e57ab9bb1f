"""RayvisionAPI.before_decoding: a hook called before each reply is decoded, that never costs a reply."""
import threading


def test_the_hook_runs_before_each_reply_and_a_failing_hook_costs_nothing(farm, api):
    calls = []
    api.before_decoding(lambda: calls.append(threading.current_thread().name))
    api.query.get_task_list(page_num=1, page_size=10)
    api.user.query_user_profile()
    assert len(calls) == 2

    def broken():
        raise RuntimeError("hook bug")

    api.before_decoding(broken)
    assert api.query.get_task_list(page_num=1, page_size=10) is not None
    api.before_decoding(None)
    api.query.get_task_list(page_num=1, page_size=10)
    assert len(calls) == 2


def test_the_monitor_source_makes_a_workers_decoding_wait_for_a_paint(farm, api):
    from rv_dcc.monitor.gate import GATE
    from rv_dcc.monitor.source import ApiSource, TaskQuery

    source = ApiSource(api)
    done = threading.Event()
    before = GATE.waits
    with GATE.hold():  # the GUI thread is painting
        worker = threading.Thread(target=lambda: (source.task_page(TaskQuery()), done.set()), daemon=True)
        worker.start()
        assert not done.wait(0.02)
    assert done.wait(10) and GATE.waits > before
