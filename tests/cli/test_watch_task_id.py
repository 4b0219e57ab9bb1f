"""The progress bars of watch (and the demo) name a task as the panel does: its alias, 2W19002."""
import io


def test_a_bar_names_the_task_by_its_alias_and_falls_back_to_its_number():
    from rv_dcc.commands.watch import Bars

    stream = io.StringIO()
    bars = Bars(file=stream)
    try:
        bars.update({19002: {"taskAlias": "2W19002", "sceneName": "shot.blend", "totalFrames": 10, "doneFrames": 2,
                             "taskStatus": 5},
                     19003: {"sceneName": "room.max", "totalFrames": 4, "doneFrames": 0, "taskStatus": 0}})
        assert bars.bars[19002].desc.startswith("2W19002 shot.blend [")
        assert bars.bars[19003].desc.startswith("19003 room.max [")
    finally:
        bars.close()
