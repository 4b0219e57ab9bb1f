"""Issue 15 item 7: an unusable saved account is an error that says how to fix it, never a silent
switch to the embedded farm; a saved account for a loopback farm is the one used there."""
import json
import os

from rv_dcc.farm import EmbeddedFarm


def _save(env, account, mode):
    folder = env["RV_DCC_CONFIG_DIR"]
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, "account.json")
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(account, handle)
    os.chmod(path, mode)
    return path


def test_a_group_readable_account_is_an_error_not_the_embedded_farm(rv, env, tmp_path):
    path = _save(env, {"access_id": "live-id", "access_key": "live-key", "domain": "jop.foxrenderfarm.com"}, 0o640)
    result = rv("status", "--json").no_traceback()
    assert result.code == 1, result.out + result.err
    error = result.json
    assert error["error"] == "CredentialsError" and f"chmod 600 {path}" in error["hint"]
    # nothing was started or asked on this machine's embedded farm
    assert not list((tmp_path / "xdg_data_home").rglob("farm.json"))
    text = rv("status").no_traceback()
    assert text.code == 1 and "chmod 600" in text.err


def test_a_saved_account_for_a_loopback_farm_is_used_there(rv, env, tmp_path):
    with EmbeddedFarm(str(tmp_path / "studio"), port=0, speed=400, access_id="studio-id",
                      access_key="studio-key-0123456789", real_blender=False) as farm:
        _save(env, {"access_id": "studio-id", "access_key": "studio-key-0123456789", "domain": farm.domain,
                    "protocol": "http"}, 0o600)
        named = rv("status", "--domain", farm.domain, "--json").no_traceback()
        assert named.code == 0, named.out + named.err
        assert "tasks" in named.json
        implicit = rv("status", "--json").no_traceback()
        assert implicit.code == 0, implicit.out + implicit.err
