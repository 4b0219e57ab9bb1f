"""Issue 15 item 3: off loopback the farm never serves the published default key, says so, hides
its access id from unauthenticated callers, and advertises a reachable address, not 0.0.0.0."""
import json
import os
import subprocess
import sys

import pytest
import requests

from farm_helpers import RawClient
from rv_dcc.farm import DEFAULT_ACCESS_ID, DEFAULT_ACCESS_KEY, EmbeddedFarm


def test_the_library_refuses_the_default_key_off_loopback(tmp_path):
    with pytest.raises(ValueError, match="default access key"):
        EmbeddedFarm(tmp_path / "farm", host="0.0.0.0", port=0)


def test_off_loopback_with_a_key_of_its_own(tmp_path):
    with EmbeddedFarm(tmp_path / "farm", host="0.0.0.0", port=0, access_key="k" * 32, advertise="127.0.0.1",
                      speed=400, real_blender=False) as farm:
        assert farm.url == f"http://127.0.0.1:{farm.port}"
        assert "accessId" not in requests.get(farm.url + "/farm/ping", timeout=10).json()
        client = RawClient(farm)
        config = client.ok("getConfig")
        line = config["resqEngines"][0]["respTaskEngineLines"][0]
        assert line["url"].startswith("http://127.0.0.1:") and "0.0.0.0" not in json.dumps(config)
        # a client that knows only the published key is refused
        answer = client.post("queryUserProfile", key=DEFAULT_ACCESS_KEY)
        assert answer["code"] == 611


def _farm_cli(tmp_path, *extra):
    env = {k: v for k, v in os.environ.items() if k != "RV_DCC_FARM_ACCESS_KEY"}
    return subprocess.Popen([sys.executable, "-m", "rv_dcc", "farm", "--data", str(tmp_path / "farm"), "--port", "0",
                             "--json", *extra], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                            stdin=subprocess.DEVNULL)


def test_cli_on_all_interfaces_makes_a_random_key_and_warns(tmp_path):
    proc = _farm_cli(tmp_path, "--host", "0.0.0.0", "--advertise", "127.0.0.1")
    try:
        serving = json.loads(proc.stdout.readline())
        assert serving["event"] == "serving"
        key = serving["access_key"]
        assert key and key != DEFAULT_ACCESS_KEY and len(key) >= 24
        assert serving["url"].startswith("http://127.0.0.1:") and "0.0.0.0" not in serving["url"]
        port = int(serving["url"].rsplit(":", 1)[1])
        ping = requests.get(f"http://127.0.0.1:{port}/farm/ping", timeout=10).json()
        assert "accessId" not in ping

        class Target:
            access_id, access_key, domain = DEFAULT_ACCESS_ID, key, f"127.0.0.1:{port}"
            url = f"http://127.0.0.1:{port}"

        assert RawClient(Target).ok("queryUserProfile")
        assert RawClient(Target).post("queryUserProfile", key=DEFAULT_ACCESS_KEY)["code"] == 611
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=30)
    assert "WARNING" in err and "reachable from the network" in err


def test_cli_refuses_the_default_key_given_explicitly_off_loopback(tmp_path):
    proc = _farm_cli(tmp_path, "--host", "0.0.0.0", "--access-key", DEFAULT_ACCESS_KEY)
    out, _ = proc.communicate(timeout=60)
    assert proc.returncode == 2
    assert json.loads(out.splitlines()[-1])["error"] == "UsageError"


def test_the_farm_data_folder_is_private(tmp_path):
    """Issue 15 item 12: uploads, outputs and the SQLite files are the user's only."""
    import stat

    old = os.umask(0o022)
    try:
        with EmbeddedFarm(tmp_path / "farm", port=0, speed=400, real_blender=False) as farm:
            client = RawClient(farm)
            client.ok("queryUserProfile")
            reply = requests.put(f"{farm.url}/farm/transfer/input/D/a.bin", params={"offset": 0, "total": 3},
                                 data=b"abc", headers=client.bearer(), timeout=30)
            assert reply.status_code == 200, reply.text
            from rv_dcc.farm.transfer import file_sig

            url_path = "/farm/files/output/a%00b.png"
            bad = requests.get(f"{farm.url}{url_path}?sig={file_sig(farm.access_key, url_path)}", timeout=30)
            assert bad.status_code == 400 and "NUL" in bad.json()["error"]  # item 11: not a 500
            data = tmp_path / "farm"
            for folder in (data, data / "storage", data / "storage" / "input", data / "storage" / "output",
                           data / "thumbs"):
                assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
            for name in ("farm.sqlite3", "farm.sqlite3-wal", "nonces.sqlite3", "nonces.sqlite3-wal",
                         "storage/input/D/a.bin"):
                path = data / name
                assert path.exists() and stat.S_IMODE(path.stat().st_mode) & 0o077 == 0, (name, oct(path.stat().st_mode))
    finally:
        os.umask(old)
