"""Every command's --json output, produced by the real command against the embedded farm, is
valid against its schema in rv_dcc/schemas and follows the convention of docs/JSON.md
(snake_case keys, ISO 8601 UTC times in *_at, statuses as names with the code beside them)."""
import json
import re

import pytest

from cli_helpers import SAMPLES, submit_sample

jsonschema = pytest.importorskip("jsonschema")
referencing = pytest.importorskip("referencing")

SNAKE = re.compile(r"^[a-z][a-z0-9_]*$")
ISO = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$")
#: values whose keys are data, not field names (a check's message parameters, a task file preview)
DATA_KEYS = {"params", "software"}


def _validator(name):
    from rv_dcc import schemas

    registry = referencing.Registry().with_resources(
        (schemas.BASE + f"{n}.json", referencing.Resource.from_contents(schemas.load(n)))
        for n in schemas.names() + ["common"])
    schema = schemas.load(name)
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, registry=registry)


def _convention(value, where="$"):
    """Keys snake_case, *_at times ISO 8601 UTC, a status name beside every status code."""
    if isinstance(value, dict):
        for key, item in value.items():
            assert SNAKE.match(key), f"{where}.{key} is not snake_case"
            if key.endswith("_at") and item is not None:
                assert isinstance(item, str) and ISO.match(item), f"{where}.{key} = {item!r}"
            if key == "status_code":
                assert isinstance(value.get("status"), str), f"{where} has a status code without its name"
            if key not in DATA_KEYS:
                _convention(item, f"{where}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _convention(item, f"{where}[{index}]")


class Checked:
    """Validates outputs and remembers which commands were seen."""

    def __init__(self):
        self.seen = set()

    def __call__(self, name, result, lines=False, code=0):
        assert result.code == code, (name, result.out, result.err)
        docs = [json.loads(line) for line in result.out.splitlines() if line.strip()] if lines else [result.json]
        assert docs, name
        validator = _validator(name)
        for doc in docs:
            errors = sorted(validator.iter_errors(doc), key=lambda e: e.path)
            assert not errors, f"{name}: {errors[0].message} at {list(errors[0].path)} in {json.dumps(doc)[:600]}"
            _convention(doc)
        self.seen.add(name)
        return docs


def test_every_command_output_matches_its_schema(rv, fast_farm, tmp_path):
    from rv_dcc import schemas

    check = Checked()
    domain = ("--domain", fast_farm.domain)
    check("submit", rv("submit", SAMPLES / "cinema4d.json", "--dry-run", "--out", tmp_path / "dry", "--json"))
    task_id = submit_sample(rv, fast_farm, "cinema4d", "--frames", "1-3", "--label", "lookdev")["task_id"]
    check("submit", rv("submit", SAMPLES / "maya.json", *domain, "--json", "--budget", "50"))
    watched = check("watch", rv("watch", task_id, *domain, "--json", "--interval", "0.2", "--timeout", "90",
                                "--no-notify"), lines=True)
    assert watched[-1]["event"] == "ended" and watched[-1]["status"] == "finished"
    one = check("status", rv("status", task_id, *domain, "--json"))[0]
    assert one["labels"] == ["lookdev"] or "lookdev" in one["labels"], one["labels"]
    assert one["status"] == "finished" and one["status_code"] == 25 and one["submitted_at"]
    listed = check("status", rv("status", *domain, "--json"))[0]
    assert task_id in [t["task_id"] for t in listed["tasks"]]
    frames = check("frames", rv("frames", task_id, *domain, "--json"))[0]["frames"]
    check("log", rv("log", task_id, "--frame", frames[0]["frame"], *domain, "--json"))
    check("retry", rv("retry", task_id, "--frames", frames[0]["frame"], *domain, "--json"))
    check("download", rv("download", task_id, "--to", tmp_path / "dl", *domain, "--json"))
    check("open", rv("open", task_id, "--print", *domain, "--json"))
    check("history", rv("history", "--json"))
    other = submit_sample(rv, fast_farm, "maya")["task_id"]
    for argv in (("stop", other, "--yes"), ("start", other), ("priority", other, "high"), ("timeout", other, "2h"),
                 ("abandon", other, "--yes"), ("delete", other, "--yes")):
        check(argv[0], rv(*argv, *domain, "--json"))
    check("status", rv("status", "999999", *domain, "--json"), code=1)  # the error object
    check("stop", rv("stop", task_id, *domain, "--json"), code=2)  # refused without --yes
    assert check.seen == set(schemas.names())


def test_times_labels_and_statuses_follow_one_rule():
    from rv_dcc.commands import jsonout

    assert jsonout.iso(1535602289000) == "2018-08-30T04:11:29Z" == jsonout.iso(1535602289)
    assert jsonout.iso(0) is None and jsonout.iso(None) is None and jsonout.iso("soon") is None
    assert jsonout.labels('{"12": "shot010", "13": "lookdev"}') == ["shot010", "lookdev"]
    assert jsonout.labels(["a", "b"]) == ["a", "b"] and jsonout.labels("a, b") == ["a", "b"] and jsonout.labels(None) == []
    assert jsonout.task_status(30) == {"status": "finished with failed frames", "status_code": 30}
    assert jsonout.task_status("abc") == {"status": "unknown", "status_code": None}
    assert jsonout.frame_status(5) == {"status": "failed", "status_code": 5}
