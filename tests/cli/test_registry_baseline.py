"""`lineage scan --baseline` for the registry and from Neo4j: registry findings new, unchanged and
resolved, and the model package versions new, removed, regressed and changed since an earlier
report or the last `scan --neo4j` (moto over HTTP, in a region of its own so the shared
scenario stays as it is; a real Neo4j)."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from neo4j import Driver
from typer.testing import CliRunner

from lineage.cli.main import app
from lineage.review.registry import Coverage
from tests.support.builders import write
from tests.support.moto_plugin import Hooks, boto_client
from tests.support.neo4j_helpers import wipe
from tests.support.paths import EXAMPLE
from tests.support.registry_scenario import ACCOUNT, _training_job, _version

runner = CliRunner()
REGION = "ap-southeast-2"
NO_CHANGES = {kind: [] for kind in ("new", "removed", "regressed", "changed")}


@dataclass(frozen=True)
class Group:
    """A model package group of the test's own, in moto."""

    endpoint: str
    name: str
    client: Any

    def arn(self, version: int) -> str:
        return f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:model-package/{self.name}/{version}"

    def run(self, *args: str) -> str:
        """`lineage scan --registry` of this group: its report."""
        registry = ["--registry", "--endpoint-url", self.endpoint, "--region", REGION]
        result = runner.invoke(app, ["scan", "--quiet", *registry, "--group", self.name, *args])
        assert result.exit_code in (0, 1), result.output
        return str(result.stdout)

    def scan(self, *args: str) -> Any:
        """The JSON report of `run`."""
        return json.loads(self.run("-f", "json", *args))

    def approve(self, version: int, status: str) -> None:
        """Set a version's approval (moto's update drops the fields it is not sent)."""
        self.client.update_model_package(
            ModelPackageArn=self.arn(version),
            ModelApprovalStatus=status,
            CustomerMetadataProperties={"model_name": self.name, "framework": "xgboost"},
        )

    def add_version(self) -> None:
        """One more version, pending approval."""
        model = _training_job(self.client, f"{self.name}-retrain")
        _version(self.client, self.name, model, "PendingManualApproval")

    def change(self) -> None:
        """v1's approval withdrawn (its L411 resolved), v3 approved without metrics (a new
        L410 error), v2 rejected, and a new v4."""
        self.approve(1, "Rejected")
        self.approve(3, "Approved")
        self.approve(2, "Rejected")
        self.add_version()


@pytest.fixture
def seed_group(moto_endpoint: str, aws_hooks: Hooks) -> Callable[[str], Group]:
    """A new group: v1 Approved without a reason (L411), v2 pending, v3 pending without metrics."""

    def seed(name: str) -> Group:
        sm = boto_client("sagemaker", moto_endpoint, REGION)
        sm.create_model_package_group(ModelPackageGroupName=name)
        model = _training_job(sm, f"{name}-train")
        _version(sm, name, model, "Approved")
        _version(sm, name, model, "PendingManualApproval")
        _version(sm, name, model, "PendingManualApproval", metrics=False)
        return Group(moto_endpoint, name, sm)

    return seed


def by_kind(changes: dict[str, list[dict[str, Any]]]) -> dict[str, dict[str, list[str]]]:
    return {kind: {c["package"]: c["reasons"] for c in listed} for kind, listed in changes.items()}


def expected_changes(group: Group) -> dict[str, dict[str, list[str]]]:
    """What `Group.change` does, as registry changes."""
    return {
        "new": {f"{group.name}/4": ["approval PendingManualApproval"]},
        "removed": {},
        "regressed": {
            f"{group.name}/1": ["approval withdrawn (Approved → Rejected)"],
            f"{group.name}/3": ["new error finding L410"],
        },
        "changed": {f"{group.name}/2": ["approval PendingManualApproval → Rejected"]},
    }


def test_registry_changes_since_a_json_report(
    seed_group: Callable[[str], Group], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # SARIF on stdout writes its registry snapshot here
    group = seed_group("credit")
    first = group.scan()
    assert {(f["code"], f["node"]) for f in first["findings"]} >= {("L411", group.arn(1))}
    assert [p["version"] for p in first["registry"]["packages"]] == [1, 2, 3]
    baseline = tmp_path / "baseline.json"
    baseline.write_text(json.dumps(first), encoding="utf-8")

    again = group.scan("--baseline", str(baseline))
    assert {f["baseline"] for f in again["findings"]} == {"unchanged"}
    assert again["resolved"] == []
    assert again["registry_changes"] == NO_CHANGES

    gone = {**first["registry"]["packages"][1], "arn": group.arn(9), "version": 9}
    elsewhere = {**gone, "arn": gone["arn"].replace("/credit/", "/other/"), "group": "other"}
    first["registry"]["packages"] += [gone, elsewhere]  # deleted since; other: not read now
    baseline.write_text(json.dumps(first), encoding="utf-8")
    group.change()

    later = group.scan("--baseline", str(baseline))
    new = {(f["code"], f["node"]) for f in later["findings"] if f["baseline"] == "new"}
    assert ("L410", group.arn(3)) in new
    assert [(f["code"], f["node"]) for f in later["resolved"]] == [("L411", group.arn(1))]
    expected = expected_changes(group)
    expected["removed"] = {"credit/9": ["was PendingManualApproval"]}
    assert by_kind(later["registry_changes"]) == expected

    sarif = json.loads(group.run("-f", "sarif", "--baseline", str(baseline)))["runs"][0]
    assert sarif["properties"]["lineage/registryChanges"] == later["registry_changes"]
    notes = [n["message"]["text"] for n in sarif["invocations"][0]["toolExecutionNotifications"]]
    assert "model package credit/3 regressed: new error finding L410" in notes
    states = {(r["ruleId"], r["baselineState"]) for r in sarif["results"]}
    assert {("L410", "new"), ("L411", "absent")} <= states

    table = group.run("--baseline", str(baseline))
    assert "credit/1 │ regressed │ Rejected" in table
    assert "model package versions against the baseline: 1 new, 1 removed, 2 regressed" in table


def test_registry_changes_since_the_last_neo4j_scan(
    seed_group: Callable[[str], Group], neo4j_driver: Driver, neo4j_uri: str
) -> None:
    wipe(neo4j_driver)
    group = seed_group("credit-neo4j")
    group.run("--neo4j", neo4j_uri)
    again = group.scan("--baseline", "neo4j", "--neo4j", neo4j_uri)
    assert again["baseline"] == f"neo4j {neo4j_uri}"
    assert {f["baseline"] for f in again["findings"]} == {"unchanged"}
    assert (again["resolved"], again["registry_changes"]) == ([], NO_CHANGES)

    group.change()
    later = group.scan("--baseline", "neo4j", "--neo4j", neo4j_uri)
    new = {(f["code"], f["node"]) for f in later["findings"] if f["baseline"] == "new"}
    assert ("L410", group.arn(3)) in new
    assert [(f["code"], f["node"]) for f in later["resolved"]] == [("L411", group.arn(1))]
    assert by_kind(later["registry_changes"]) == expected_changes(group)
    settled = group.scan("--baseline", "neo4j", "--neo4j", neo4j_uri)  # the last scan stored
    assert settled["resolved"] == [] and settled["registry_changes"] == NO_CHANGES


def test_definition_findings_since_the_last_neo4j_scan_of_the_same_pipelines(
    neo4j_driver: Driver, neo4j_uri: str, tmp_path: Path
) -> None:
    wipe(neo4j_driver)
    document = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    other = copy.deepcopy(document)
    del other["Steps"][1]["Arguments"]["RoleArn"]  # an L101 error in another pipeline
    scan = ["scan", "-f", "json", "--fail-on", "warning", "--neo4j", neo4j_uri]
    assert runner.invoke(app, [*scan, str(write(tmp_path, other, "other.json"))]).exit_code == 1
    assert runner.invoke(app, [*scan, str(EXAMPLE)]).exit_code == 0

    changed = copy.deepcopy(document)
    changed["Steps"].reverse()  # reordered: not new
    del changed["Steps"][-2]["Arguments"]["RoleArn"]  # AbaloneTrain's role removed: new
    path = write(tmp_path, changed, "pipeline.json")
    result = runner.invoke(app, [*scan, str(path), "--baseline", "neo4j"])
    assert result.exit_code == 1, result.output
    report = json.loads(result.stdout)
    new = [(f["code"], f["step"]) for f in report["findings"] if f["baseline"] == "new"]
    assert new == [("L101", "AbaloneTrain")]
    assert report["resolved"] == []  # the other pipeline's L101 was not scanned: not resolved
    assert "registry_changes" not in report


def test_baseline_neo4j_needs_a_server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NEO4J_URI", raising=False)
    result = runner.invoke(app, ["scan", str(EXAMPLE), "--baseline", "neo4j"])
    assert result.exit_code == 2
    assert "--baseline neo4j: give the server with --neo4j URI" in result.stderr


def test_a_group_counts_as_read_when_read_whole_or_gone_from_a_whole_listing() -> None:
    where = (ACCOUNT, REGION)
    coverage = Coverage(
        groups=frozenset({(*where, "read")}),
        regions=frozenset({where}),
        listed=frozenset({(*where, "read"), (*where, "skipped")}),
    )
    assert coverage.covers(*where, "read")
    assert coverage.covers(*where, "deleted")  # the whole list was read, and it is not there
    assert not coverage.covers(*where, "skipped")  # listed, but its versions were not all read
    assert not coverage.covers(ACCOUNT, "us-east-1", "read")  # another region: not read
