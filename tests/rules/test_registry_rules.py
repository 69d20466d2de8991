"""The registry rules (L318-L320, L410-L413) on the moto registry: each finds its versions and
leaves alone the ones that look alike but comply."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from lineage.collect.registry.model import RegistryCollection
from lineage.config import ConfigError, Settings, load_settings
from lineage.graph.lineage_graph import LineageGraph
from lineage.rules.engine.model import Finding
from lineage.rules.engine.run import run_rules
from lineage.rules.l3_live_registry import scan_scope
from tests.support.moto_plugin import Hooks
from tests.support.registry_scenario import EXPECTED, Scenario, collect_all

REGISTRY_CODES = ("L318", "L319", "L320", "L410", "L411", "L412", "L413")
SETTINGS = Settings(select=REGISTRY_CODES)
# Versions (or groups) each rule must leave alone: the near misses of its findings.
NEAR_MISSES = {
    "L318": {"churn/5", "bulk/1", "churn/6"},  # traced by a job's model, by an execution
    "L319": {"churn/1", "churn/2"},  # registered by the current step, same image and source
    "L320": {"churn/1", "churn/5"},  # approved from a run that succeeded, or from no run
    "L410": {"churn/1", "bulk/250"},  # approved with metrics
    "L411": {"churn/1", "bulk/250"},  # approved with a description
    "L413": {"bulk", "churn-legacy"},  # one approved version, none
}


@pytest.fixture(scope="module")
def scanned(
    registry_scenario: Scenario, aws_environment: None
) -> tuple[LineageGraph, RegistryCollection, Hooks]:
    """The main account and region, collected once."""
    return collect_all(registry_scenario)


def findings(
    scanned: tuple[LineageGraph, RegistryCollection, Hooks], settings: Settings = SETTINGS
) -> list[Finding]:
    graph, collection, _ = scanned
    return run_rules(graph, collection.definitions, settings)


def found(scenario: Scenario, results: list[Finding], code: str) -> set[str]:
    return {scenario.name_of(f.node) for f in results if f.code == code}


@pytest.mark.parametrize("code", sorted(EXPECTED))
def test_each_rule_finds_its_versions_and_not_their_near_misses(
    registry_scenario: Scenario, scanned: tuple[LineageGraph, RegistryCollection, Hooks], code: str
) -> None:
    results = found(registry_scenario, findings(scanned), code)
    assert results == EXPECTED[code]
    assert results.isdisjoint(NEAR_MISSES[code])


def test_findings_on_live_nodes_name_the_version_and_point_into_the_api_response(
    scanned: tuple[LineageGraph, RegistryCollection, Hooks], registry_scenario: Scenario
) -> None:
    by_node = {(f.code, registry_scenario.name_of(f.node)): f for f in findings(scanned)}
    drift = by_node["L319", "churn/3"]
    assert drift.message.startswith("version 3 of group 'churn' was registered by step 'Register'")
    assert (
        "container 0 image '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.5-1'"
        in drift.message
    )
    assert "container 0 model from step 'TrainLegacy', the definition takes it from 'Train'" in (
        drift.message
    )
    assert "no RegisterModel step 'RegisterChurn'" in by_node["L319", "churn/6"].message
    assert "registered in group 'churn-legacy'" in by_node["L319", "churn-legacy/1"].message
    failed = by_node["L320", "churn/2"]
    assert failed.severity.value == "error" and "ended 'Failed'" in failed.message
    assert failed.pointer == "/ModelApprovalStatus" and failed.pipeline is None
    assert by_node["L413", "churn"].message.endswith(
        "3 Approved versions (1, 2, 5); the latest is 5"
    )
    assert by_node["L318", "churn/4"].kind == "ModelPackage"


def test_stale_pending_approvals_follow_the_configured_age(
    scanned: tuple[LineageGraph, RegistryCollection, Hooks], registry_scenario: Scenario
) -> None:
    assert found(registry_scenario, findings(scanned), "L412") == set()
    strict = replace(SETTINGS, pending_approval_max_age_days=0)
    stale = found(registry_scenario, findings(scanned, strict), "L412")
    pending = {"churn/3", "churn-legacy/1", *(f"bulk/{v}" for v in range(1, 250, 2))}
    assert stale == pending
    assert stale.isdisjoint({"churn/1", "churn/4", "bulk/250"})  # approved, rejected


def test_the_pending_age_is_a_tool_lineage_setting(tmp_path: Path) -> None:
    config = tmp_path / "pyproject.toml"
    config.write_text("[tool.lineage]\npending-approval-max-age-days = 7\n", encoding="utf-8")
    assert load_settings(config=config).pending_approval_max_age_days == 7
    assert Settings().pending_approval_max_age_days == 30
    config.write_text('[tool.lineage]\npending-approval-max-age-days = "a week"\n')
    with pytest.raises(ConfigError, match="pending-approval-max-age-days"):
        load_settings(config=config)


def test_registry_rules_leave_definition_packages_alone(
    scanned: tuple[LineageGraph, RegistryCollection, Hooks],
) -> None:
    assert all(f.node.startswith("arn:") for f in findings(scanned))


def test_the_rules_scope_is_the_scans_pipelines_then_its_live_packages(
    scanned: tuple[LineageGraph, RegistryCollection, Hooks],
) -> None:
    graph, collection, _ = scanned
    scope = scan_scope(graph, collection.definitions)
    assert scope[0] == next(iter(collection.definitions))
    assert len(scope) == 1 + collection.packages
