"""SARIF of `scan --registry` that GitHub accepts: every result has a file and line, registry
results in the redacted registry snapshot written beside the report."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from lineage.cli.main import app
from lineage.collect.registry.model import RegistryCollection
from lineage.collect.sources import parse_text
from lineage.config import Settings
from lineage.graph.secrets import ACCESS_KEY_MASK, SECRET_MASK
from lineage.jsondoc.pointer import split
from lineage.report.snapshot import write_snapshot
from lineage.scan import ScanResult, build_graph, check
from tests.cli.test_registry_cli import scan
from tests.cli.test_sarif import assert_valid
from tests.support.builders import definition, processing, write
from tests.support.moto_plugin import Hooks
from tests.support.registry_scenario import EXPECTED, PIPELINE, SECRET, Scenario, churn_definition

runner = CliRunner()
ACCESS_KEY = "AKIAIOSFODNN7EXAMPLE"


def located(result: dict[str, Any]) -> tuple[str, int]:
    """A result's file URI and start line (failing when it has none)."""
    physical = result["locations"][0]["physicalLocation"]
    return physical["artifactLocation"]["uri"], physical["region"]["startLine"]


def test_every_registry_result_points_at_its_resource_in_the_snapshot(
    registry_scenario: Scenario,
    aws_hooks: Hooks,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path)
    source = write(tmp_path, churn_definition(), f"{PIPELINE}.json")
    (tmp_path / "reports").mkdir()
    result = scan(registry_scenario, aws_hooks, source.name, "-f", "sarif", "-o", "reports/x.sarif")
    assert result.exit_code == 1, result.output
    assert "registry snapshot: reports/x.registry.json" in result.stderr
    log = json.loads((tmp_path / "reports" / "x.sarif").read_text(encoding="utf-8"))
    assert_valid(log)
    text = (tmp_path / "reports" / "x.registry.json").read_text(encoding="utf-8")
    assert SECRET not in text
    snapshot, lines = json.loads(text), text.splitlines()
    live_sources = {p["source"] for p in snapshot["pipelines"]}
    results = log["runs"][0]["results"]
    on_resources: set[tuple[str, str]] = set()
    for item in results:
        uri, line = located(item)  # every result has a file and a line
        properties = item["properties"]
        if properties.get("source") == f"{PIPELINE}.json":
            assert uri == f"{PIPELINE}.json"
        elif properties.get("source") in live_sources:  # a live definition's line in it
            assert uri == "reports/x.registry.json"
            last = split(properties["pointer"])[-1]
            if not last.isdigit():
                assert f'"{last}":' in lines[line - 1], (properties["pointer"], lines[line - 1])
        else:  # a registry resource: the line that holds it
            assert uri == "reports/x.registry.json"
            resource = json.loads(lines[line - 1].strip().rstrip(","))
            assert (resource["kind"], resource["key"]) == (
                properties["nodeKind"],
                properties["node"],
            )
            on_resources.add((item["ruleId"], registry_scenario.name_of(properties["node"])))
    expected = {(code, name) for code, names in EXPECTED.items() for name in names}
    assert expected <= on_resources
    assert any(r["properties"].get("source") in live_sources for r in results)


def test_sarif_on_stdout_writes_the_snapshot_in_the_working_directory(
    registry_scenario: Scenario,
    aws_hooks: Hooks,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    result = scan(registry_scenario, aws_hooks, "-f", "sarif", "--group", "churn", "--quiet")
    results = json.loads(result.stdout)["runs"][0]["results"]
    assert results and {located(r)[0] for r in results} == {"lineage-registry.json"}
    chosen = scan(registry_scenario, aws_hooks, "--group", "churn", "--snapshot", "s.json", "-q")
    assert (tmp_path / "s.json").is_file() and "registry snapshot: s.json" in chosen.stderr
    same = scan(registry_scenario, aws_hooks, "-q", "-o", "r.json", "--snapshot", "r.json")
    assert same.exit_code == 2 and "--snapshot: r.json is the report's own file" in same.stderr


def test_snapshot_option_needs_the_registry(tmp_path: Path) -> None:
    result = runner.invoke(app, ["scan", "x.json", "--snapshot", str(tmp_path / "s.json")])
    assert result.exit_code == 2
    assert "--snapshot: only used with --registry" in result.stderr


def test_a_snapshot_rechecks_the_registry_offline(
    registry_scenario: Scenario,
    aws_hooks: Hooks,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    live = scan(registry_scenario, aws_hooks, "-f", "json", "-o", "live.json", "-q")
    assert live.exit_code == 1, live.output
    calls = aws_hooks.sent.total()
    offline = runner.invoke(app, ["scan", "live.registry.json", "-f", "json"])
    assert offline.exit_code == 1, offline.output
    assert aws_hooks.sent.total() == calls  # offline: no AWS call

    def found(report: dict[str, Any]) -> set[tuple[str, str, str, str]]:
        return {(f["code"], f["node"], f["pointer"], f["fingerprint"]) for f in report["findings"]}

    before = json.loads((tmp_path / "live.json").read_text(encoding="utf-8"))
    after = json.loads(offline.stdout)
    assert after["errors"] == [] and found(after) == found(before)
    assert {p["form"] for p in after["pipelines"]} == {"registry-snapshot"}
    sarif = runner.invoke(app, ["scan", "live.registry.json", "-f", "sarif"])
    results = json.loads(sarif.stdout)["runs"][0]["results"]
    assert results and {located(r)[0] for r in results} == {"live.registry.json"}
    assert not (tmp_path / "lineage-registry.json").exists()  # nothing collected: none written
    package = registry_scenario.packages["churn/2"]
    traced = runner.invoke(app, ["trace", package, "live.registry.json", "--up"])
    assert traced.exit_code == 0 and "PipelineExecution" in traced.stdout  # the links are back


def test_a_snapshot_in_a_directory_is_skipped_and_a_broken_one_is_an_error(
    tmp_path: Path,
) -> None:
    (tmp_path / "x.registry.json").write_text(
        json.dumps({"format": "lineage-registry-snapshot/1", "pipelines": [{"key": 1}]}),
        encoding="utf-8",
    )
    in_directory = runner.invoke(app, ["scan", str(tmp_path), "-f", "json"])
    assert json.loads(in_directory.stdout)["skipped"] == [str(tmp_path / "x.registry.json")]
    named = runner.invoke(app, ["scan", str(tmp_path / "x.registry.json"), "-f", "json"])
    assert named.exit_code == 2
    [error] = json.loads(named.stdout)["errors"]
    assert error["message"].startswith("unreadable registry snapshot: KeyError")


def test_live_definitions_in_the_snapshot_hold_no_secret(tmp_path: Path) -> None:
    environment = {"DB_PASSWORD": "hunter2-for-real", "KEY_ID": ACCESS_KEY}
    document = definition(processing("Prepare", Description=f"was run with {ACCESS_KEY}"))
    document["Steps"][0]["Arguments"]["Environment"] = environment
    arn = "arn:aws:sagemaker:us-east-1:111122223333:pipeline/churn"
    live = parse_text(json.dumps(document), source=arn, default_name=arn)
    graph, definitions = build_graph([live])
    findings = check(ScanResult(graph, definitions, []), Settings()).findings
    collection = RegistryCollection(definitions=definitions)
    snapshot = write_snapshot(tmp_path / "s.json", graph, collection)
    text = snapshot.path.read_text(encoding="utf-8")
    assert "hunter2-for-real" not in text and ACCESS_KEY not in text
    written = json.loads(text)["pipelines"][0]
    assert written["source"] == arn
    env = written["definition"]["Steps"][0]["Arguments"]["Environment"]
    assert env == {"DB_PASSWORD": SECRET_MASK, "KEY_ID": ACCESS_KEY_MASK}
    assert written["definition"]["Steps"][0]["Description"] == f"was run with {ACCESS_KEY_MASK}"
    [secret] = [f for f in findings if f.code == "L206" and "DB_PASSWORD" in f.message]
    line = snapshot.line(secret)
    assert line is not None and '"DB_PASSWORD"' in text.splitlines()[line - 1]
    rescanned = CliRunner().invoke(app, ["scan", str(snapshot.path), "-f", "json"])
    codes = {f["code"] for f in json.loads(rescanned.stdout)["findings"]}
    assert "L206" in codes  # the masked values are still reported offline
