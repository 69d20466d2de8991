"""`lineage scan - --stdin-filename PATH`: standard input reported as the file it came from."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from lineage.cli.main import app
from tests.cli.test_review import config, example, without_role
from tests.support.builders import write

runner = CliRunner()


def scan(text: str, *args: str) -> Any:
    return runner.invoke(app, ["scan", *args], input=text)


def located(sarif: dict[str, Any]) -> list[tuple[str, str, int]]:
    """Each SARIF result's rule, file URI and line."""
    return sorted(
        (
            r["ruleId"],
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            r["locations"][0]["physicalLocation"]["region"]["startLine"],
        )
        for r in sarif["runs"][0]["results"]
    )


def test_stdin_is_reported_as_the_named_file_in_every_format(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / ".git").mkdir()
    folder = tmp_path / "ml" / "pipelines"
    folder.mkdir(parents=True)
    path = write(folder, without_role(example()), "train.json")
    text = path.read_text(encoding="utf-8")
    monkeypatch.chdir(folder)
    as_file = located(json.loads(scan("", "train.json", "-f", "sarif").stdout))
    [(_, uri, line)] = [found for found in as_file if found[0] == "L101"]
    assert uri == "ml/pipelines/train.json"  # relative to the git top, not the directory
    path.write_text(json.dumps(example()), encoding="utf-8")  # lines come from stdin, not it
    named = ["-", "--stdin-filename", "train.json"]
    sarif = json.loads(scan(text, *named, "-f", "sarif").stdout)
    assert located(sarif) == as_file
    report = json.loads(scan(text, *named, "-f", "json").stdout)
    [l101] = [f for f in report["findings"] if f["code"] == "L101"]
    assert (l101["source"], l101["pipeline"], l101["line"]) == ("train.json", "train", line)
    assert report["pipelines"][0]["source"] == "train.json"
    table = scan(text, *named)
    assert "train > AbaloneTrain  train.json" in table.stdout
    unnamed = json.loads(scan(text, "-", "-f", "json").stdout)["findings"]
    assert {(f["source"], f["pipeline"]) for f in unnamed} == {("-", "stdin")}


def test_suppressions_and_baselines_keyed_on_the_file_apply_to_it(tmp_path: Path) -> None:
    path = write(tmp_path, without_role(example()), "train.json")
    text = path.read_text(encoding="utf-8")
    baseline = tmp_path / "baseline.json"
    baseline.write_text(scan("", str(path), "-f", "json").stdout, encoding="utf-8")
    named = ["-", "--stdin-filename", str(path), "-f", "json"]
    compared = json.loads(scan(text, *named, "--baseline", str(baseline)).stdout)
    assert compared["findings"] and {f["baseline"] for f in compared["findings"]} == {"unchanged"}
    settings = config(tmp_path, '{ code = "L101", pipeline = "train", reason = "set by CI" }')
    suppressed = scan(text, *named, "--config", str(settings))
    assert suppressed.exit_code == 0, suppressed.output
    [l101] = [f for f in json.loads(suppressed.stdout)["findings"] if f["code"] == "L101"]
    assert l101["suppressed"] == {"reason": "set by CI", "expires": None}


def test_a_stdin_filename_without_stdin_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, example(), "train.json")
    done = scan("", str(path), "--stdin-filename", "other.json")
    assert done.exit_code == 2
    assert "--stdin-filename names standard input: give `-` as a SOURCE" in done.stderr
