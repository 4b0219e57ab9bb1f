"""Auto-download from the monitor: a hostile output name is refused, the rest still comes."""
from rv_dcc.monitor import downloads
from rv_dcc.transfer import outputs
from rv_dcc.transfer.base import RemoteFile


class RecordingEngine:
    def __init__(self):
        self.asked = []

    def download(self, remote, target, progress=None):
        self.asked.extend(item.path for item in remote)
        return [target / item.path.lstrip("/") for item in remote]

    def close(self):
        pass


def test_a_name_outside_the_folder_is_refused_and_the_others_are_fetched(tmp_path, monkeypatch):
    names = ["/beauty/shot.0001.exr", "../../../home/artist/.bashrc_x", "..\\..\\evil.exe",
             "C:/Windows/evil.dll", "/beauty/shot.0002.exr"]
    monkeypatch.setattr(outputs, "list_outputs", lambda api, task_id: [RemoteFile(name, 10) for name in names])
    engine = RecordingEngine()
    got = downloads.download_outputs(object(), 7, str(tmp_path / "out"), engine=engine)
    assert engine.asked == ["/beauty/shot.0001.exr", "/beauty/shot.0002.exr"]
    assert len(got) == 2
