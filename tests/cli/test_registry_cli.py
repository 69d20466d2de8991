"""`lineage scan --registry` end to end: a definition in version control and the live registry
(moto over HTTP) in, the expected Level 3 and 4 findings and exit codes out."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from lineage.cli.main import app
from tests.support.builders import write
from tests.support.moto_plugin import Hooks
from tests.support.registry_scenario import (
    EXPECTED,
    PIPELINE,
    REGION,
    Scenario,
    churn_definition,
)

runner = CliRunner()


def scan(scenario: Scenario, hooks: Hooks, *args: str) -> Any:
    """Run `lineage scan --registry` against the moto server, with the recorded answers."""
    scenario.install(hooks)
    registry = ["--registry", "--endpoint-url", scenario.endpoint, "--region", REGION]
    return runner.invoke(app, ["scan", *args, *registry])


def report(result: Any) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(result.stdout)
    return document


def test_a_definition_and_the_registry_give_the_expected_level_3_and_4_findings(
    registry_scenario: Scenario, aws_hooks: Hooks, tmp_path: Path
) -> None:
    definition = write(tmp_path, churn_definition(), f"{PIPELINE}.json")
    result = scan(registry_scenario, aws_hooks, str(definition), "-f", "json", "--select", "L3,L4")
    assert result.exit_code == 1, result.output  # L320 and L410 are errors
    document = report(result)
    assert document["errors"] == []
    names = {p["name"]: p for p in document["pipelines"]}
    live = next(name for name in names if name.startswith("arn:"))
    assert names[live]["form"] == "describe-response" and PIPELINE in names
    registry = {
        (f["code"], registry_scenario.name_of(f["node"]))
        for f in document["findings"]
        if f["pipeline"] is None
    }
    assert registry == {(code, name) for code, names in EXPECTED.items() for name in names}
    by_pipeline: dict[str, set[tuple[str, str]]] = {PIPELINE: set(), live: set()}
    for finding in document["findings"]:
        if finding["pipeline"] in by_pipeline:
            by_pipeline[finding["pipeline"]].add((finding["code"], finding["pointer"]))
    assert by_pipeline[PIPELINE], "the definition has Level 3/4 findings of its own"
    assert by_pipeline[live] == by_pipeline[PIPELINE]  # the same rules on the live definition


def test_a_partial_collection_exits_2_and_says_what_was_skipped(
    registry_scenario: Scenario, aws_hooks: Hooks
) -> None:
    aws_hooks.fail(
        "ListModelPackages",
        "AccessDeniedException",
        when=lambda call: call.params.get("ModelPackageGroupName") == "restricted",
    )
    result = scan(registry_scenario, aws_hooks, "--group", "restricted", "--fail-on", "never")
    assert result.exit_code == 2
    assert "model package group 'restricted' skipped: AccessDeniedException" in result.stderr
    assert "partial" in result.stderr


def test_json_reports_carry_the_collection_warnings(
    registry_scenario: Scenario, aws_hooks: Hooks, tmp_path: Path
) -> None:
    aws_hooks.fail("ListModelPackageGroups", "AccessDeniedException")
    out = tmp_path / "report.json"
    result = scan(registry_scenario, aws_hooks, "-f", "json", "-o", str(out))
    assert result.exit_code == 2
    [error] = json.loads(out.read_text(encoding="utf-8"))["errors"]
    assert error["source"].endswith(f"region {REGION}") and "region skipped" in error["message"]


def test_a_clean_group_exits_0(registry_scenario: Scenario, aws_hooks: Hooks) -> None:
    result = scan(registry_scenario, aws_hooks, "--group", "bulk")
    assert result.exit_code == 0, result.output
    assert "250 model package version(s)" in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "missing SOURCE"),
        (["x.json", "--group", "churn"], "--group: only used with --registry"),
        (["--registry", "--since", "last week"], "--since: 'last week' is not an ISO 8601"),
    ],
)
def test_usage_errors_exit_2(args: list[str], message: str) -> None:
    result = runner.invoke(app, ["scan", *args])
    assert result.exit_code == 2
    assert message in result.stderr


def test_machine_formats_still_show_progress_on_stderr_unless_quiet(
    registry_scenario: Scenario, aws_hooks: Hooks, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # SARIF on stdout writes the registry snapshot here
    result = scan(registry_scenario, aws_hooks, "-f", "sarif", "--group", "churn")
    progress = [x for x in result.stderr.splitlines() if re.search(r": \d+/\d+ \(", x)]
    assert progress and all(x.startswith("lineage: ") for x in progress)
    json.loads(result.stdout)
    quiet = scan(registry_scenario, aws_hooks, "-f", "sarif", "--group", "churn", "--quiet")
    assert not re.search(r": \d+/\d+ \(", quiet.stderr)
