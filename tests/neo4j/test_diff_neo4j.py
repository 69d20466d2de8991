"""`lineage diff NEW --from-neo4j URI`: a definition against the one `scan --neo4j` stored, with
possible secrets withheld in Neo4j and on both sides of the diff (a real Neo4j)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from neo4j import Driver
from typer.testing import CliRunner

from lineage.cli.main import app
from tests.cli.test_diff import changed_example, example
from tests.support.builders import write
from tests.support.neo4j_helpers import wipe
from tests.support.paths import EXAMPLE, SDK_FIXTURES

runner = CliRunner()
SECRETS = SDK_FIXTURES / "secret_in_env.json"
SECRET_VALUES = ("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")


@pytest.fixture
def stored(neo4j_driver: Driver, neo4j_uri: str) -> str:
    """The example and the SDK pipeline with an access key pair, scanned into an empty Neo4j."""
    wipe(neo4j_driver)
    scan = ["scan", str(EXAMPLE), str(SECRETS), "--neo4j", neo4j_uri, "--fail-on", "never"]
    result = runner.invoke(app, scan)
    assert result.exit_code == 0, result.output
    return neo4j_uri


def diff(*args: str) -> Any:
    return runner.invoke(app, ["diff", *args])


def test_a_definition_against_the_stored_one(stored: str, tmp_path: Path) -> None:
    same = diff(str(EXAMPLE), "--from-neo4j", stored)
    assert same.exit_code == 0, same.output
    assert "no differences" in same.stdout
    reordered = example()
    reordered["Steps"].reverse()
    moved = diff(str(write(tmp_path, reordered, "pipeline.json")), "--from-neo4j", stored)
    assert moved.exit_code == 0, moved.output

    new = write(tmp_path, changed_example(), "pipeline.json")  # the stored pipeline's name
    result = diff(str(new), "--from-neo4j", stored, "-f", "json")
    assert result.exit_code == 1, result.output
    report = json.loads(result.stdout)
    assert report["old"].startswith(f"neo4j {stored}, pipeline pipeline, scanned ")
    steps = {s["name"]: s["status"] for s in report["steps"]}
    assert steps["AbaloneTrain"] == "changed" and steps["AbaloneProcessAgain"] == "added"
    introduced = {(f["code"], f["step"]) for f in report["findings"]["introduced"]}
    assert ("L101", "AbaloneTrain") in introduced
    renamed = write(tmp_path, changed_example(), "candidate.json")
    named = diff(str(renamed), "--from-neo4j", stored, "--name", "pipeline", "-f", "json")
    assert json.loads(named.stdout)["steps"] == report["steps"]


def test_neo4j_holds_no_secret_and_the_diff_withholds_them_on_both_sides(
    stored: str, neo4j_driver: Driver, tmp_path: Path
) -> None:
    records, _, _ = neo4j_driver.execute_query(
        "MATCH (n) RETURN properties(n) AS p", database_="neo4j"
    )
    text = json.dumps([r["p"] for r in records], default=str)
    assert '"definition"' in text and "SAGEMAKER_CONTAINER_LOG_LEVEL" in text
    assert not any(secret in text for secret in SECRET_VALUES)

    assert diff(str(SECRETS), "--from-neo4j", stored).exit_code == 0
    document = json.loads(SECRETS.read_text(encoding="utf-8"))
    text = json.dumps(document).replace(SECRET_VALUES[1], "rotated/K7MDENG/bPxRfiCYEXAMPLEKEY")
    rotated = write(tmp_path, json.loads(text), SECRETS.name)
    assert diff(str(rotated), "--from-neo4j", stored).exit_code == 0  # withheld: not seen
    text = json.dumps(document).replace('"SAGEMAKER_CONTAINER_LOG_LEVEL"', '"LOG_FORMAT"')
    renamed = write(tmp_path, json.loads(text), SECRETS.name)
    result = diff(str(renamed), "--from-neo4j", stored, "-f", "json")
    assert result.exit_code == 1
    pointers = [p for s in json.loads(result.stdout)["steps"] for p in s["pointers"]]
    assert any(p.endswith("/Environment/LOG_FORMAT") for p in pointers)
    assert not any(secret in result.stdout for secret in SECRET_VALUES)


def test_a_pipeline_neo4j_does_not_hold_is_an_input_error(stored: str, tmp_path: Path) -> None:
    other = write(tmp_path, example(), "elsewhere.json")
    result = diff(str(other), "--from-neo4j", stored)
    assert result.exit_code == 2
    assert f"no pipeline 'elsewhere' in Neo4j at {stored}" in result.stderr


@pytest.mark.parametrize(
    "args",
    [
        [str(EXAMPLE)],
        [str(EXAMPLE), str(EXAMPLE), "--from-neo4j", "auto"],
        [str(EXAMPLE), str(EXAMPLE), "--name", "x"],
    ],
)
def test_one_version_goes_with_from_neo4j_and_two_without(args: list[str]) -> None:
    result = diff(*args)
    assert result.exit_code == 2
    assert "give OLD and NEW, or one version with --from-neo4j URI" in result.stderr
