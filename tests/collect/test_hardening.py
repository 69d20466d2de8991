"""Bad input gets a clear error or finding for its source, and the other sources are reported."""

from __future__ import annotations

import copy
import dataclasses
import io
import json
import os
import threading
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from lineage.cli.main import app
from lineage.collect import sources
from lineage.collect.sources import load_sources
from lineage.config import Settings
from lineage.rules.engine import rulebook
from lineage.scan import scan
from tests.support.builders import write
from tests.support.paths import EXAMPLE, SDK_FIXTURES

runner = CliRunner()
BASE: dict[str, Any] = json.loads((SDK_FIXTURES / "abalone.json").read_text(encoding="utf-8"))
TRANSFORM = ("Steps", 3, "Arguments", "IfSteps", 2, "Arguments")


def changed(path: tuple[Any, ...], value: Any) -> dict[str, Any]:
    document = copy.deepcopy(BASE)
    target = document
    for token in path[:-1]:
        target = target[token]
    target[path[-1]] = value
    return document


@pytest.mark.parametrize(
    ("path", "value", "code"),
    [
        (("Steps", 0, "Arguments", "ProcessingOutputConfig"), "out", "L105"),
        (
            ("Steps", 0, "Arguments", "ProcessingOutputConfig", "Outputs", 0, "S3Output"),
            "s3://b",
            "L105",
        ),
        (("Steps", 1, "Arguments", "OutputDataConfig"), "s3://b/m", "L105"),
        ((*TRANSFORM, "TransformOutput"), [1, 2], "L105"),
        (("Steps", 1, "RetryPolicies"), 5, "L110"),
        (("Steps", 1, "RetryPolicies"), "abc", "L110"),
        (("Steps", 3, "Arguments", "Conditions", 0, "Type"), {"Get": "x"}, "L111"),
        (("Steps", 3, "Arguments", "Conditions"), True, "L112"),
    ],
)
def test_wrongly_typed_members_are_findings_not_crashes(
    tmp_path: Path, path: tuple[Any, ...], value: Any, code: str
) -> None:
    bad = write(tmp_path, changed(path, value), "bad.json")
    result = scan([str(bad), str(EXAMPLE)], Settings())
    assert result.errors == []
    pointer = "/" + "/".join(map(str, path))
    assert (code, pointer) in {(f.code, f.pointer) for f in result.findings}
    assert {d.name for d in result.definitions.values()} == {"bad", "pipeline"}


def test_unreadable_input_is_an_error_for_its_source_only(tmp_path: Path) -> None:
    huge = tmp_path / "huge.json"
    huge.write_text('{"Steps": [], "Parameters": [{"DefaultValue": ' + "9" * 5000 + "}]}")
    steps = write(tmp_path, {"Version": "2020-12-01", "Steps": {"Train": {}}}, "steps.json")
    result = runner.invoke(app, ["scan", str(huge), str(steps), str(EXAMPLE), "-f", "json"])
    assert result.exit_code == 2
    report = json.loads(result.stdout)
    errors = {Path(e["source"]).name: e for e in report["errors"]}
    assert errors["huge.json"]["message"] == "invalid JSON: a number of more than 4,300 digits"
    assert errors["huge.json"]["line"] == 1
    assert errors["steps.json"]["message"].endswith("found an object whose 'Steps' is an object")
    assert [p["name"] for p in report["pipelines"]] == ["pipeline"]


def test_a_key_repeated_in_one_object_is_reported(tmp_path: Path) -> None:
    text = EXAMPLE.read_text(encoding="utf-8").replace(
        '"Version": "2020-12-01",', '"Version": "2020-12-01", "Version": "2020-12-02",', 1
    )
    path = tmp_path / "twice.json"
    path.write_text(text, encoding="utf-8")
    [finding] = [f for f in scan([str(path)], Settings()).findings if f.code == "L110"]
    assert finding.message == "key 'Version' appears twice in one object: only the last is read"


def test_a_rule_that_fails_is_named_and_the_other_rules_still_report(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def boom(node: Any, context: Any) -> Any:
        raise RuntimeError("unexpected shape")

    failing = dataclasses.replace(rulebook.get_rule("L101"), node_check=boom)
    monkeypatch.setitem(rulebook._RULES, "L101", failing)
    result = scan([str(EXAMPLE)], Settings())
    assert [(e.source, e.message) for e in result.errors] == [
        ("rule L101", "could not run: RuntimeError: unexpected shape")
    ]
    assert [f.code for f in result.findings] == ["L404"]


def test_the_size_limit_holds_for_what_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sources, "MAX_SOURCE_BYTES", 1000)
    [device] = load_sources(["/dev/zero"]).errors
    assert device.message == (
        "more than 1,000 bytes, above the 1,000-byte limit for a pipeline definition"
    )
    [piped] = load_sources(["-"], stdin=io.StringIO("x" * 5000)).errors
    assert piped.message.startswith("more than 1,000 characters, above the 1,000-byte limit")


def test_a_named_pipe_without_a_writer_times_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sources, "FIFO_WAIT_SECONDS", 0.2)
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    [error] = load_sources([str(fifo)]).errors
    assert error.message == "a named pipe with no writer (no data for 0.2 s)"


def test_a_named_pipe_with_a_writer_is_read(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    text = EXAMPLE.read_text(encoding="utf-8")

    def write_it() -> None:
        with fifo.open("w", encoding="utf-8") as handle:
            handle.write(text)

    writer = threading.Thread(target=write_it)
    writer.start()
    loaded = load_sources([str(fifo)])
    writer.join()
    assert loaded.errors == [] and len(loaded.definitions) == 1
