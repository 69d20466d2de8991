"""The registry scan in Neo4j: the graph rules find there what they find in memory, scoped to the
scan; re-loading is idempotent; cleanup removes what vanished from completely read scopes only."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import networkx as nx
import pytest
from neo4j import Driver
from typer.testing import CliRunner

from lineage.cli.main import app
from lineage.collect.registry.model import RegistryCollection, Scope
from lineage.config import Settings
from lineage.graph.lineage_graph import Kind, LineageGraph
from lineage.neo4j.cypher_files import read
from lineage.neo4j.load import Neo4jLoader
from lineage.neo4j.rules import Neo4jRuleBackend
from lineage.rules.engine.model import Finding
from lineage.rules.engine.rulebook import all_rules
from lineage.rules.engine.run import run_rules
from lineage.rules.l3_live_registry import scan_scope
from tests.support.moto_plugin import Call, Handler, Hooks, Reply, install_hooks
from tests.support.neo4j_helpers import snapshot, wipe
from tests.support.registry_scenario import (
    ACCOUNT,
    OTHER_ACCOUNT,
    REGION,
    ROLE,
    SECRET,
    Scenario,
    collect,
    collect_all,
)

GRAPH_RULES = [rule for rule in all_rules() if rule.is_graph_rule]
SETTINGS = Settings(select=tuple(rule.code for rule in GRAPH_RULES))
REGISTRY_RULES = ("L318", "L319", "L320")
Scanned = tuple[LineageGraph, RegistryCollection, Hooks]


@pytest.fixture(scope="module")
def scanned(registry_scenario: Scenario, aws_environment: None) -> Scanned:
    """The main account and region, collected once."""
    return collect_all(registry_scenario)


@pytest.fixture(scope="module")
def other_account(registry_scenario: Scenario, aws_environment: None) -> LineageGraph:
    """The other account's registry: another scan that shares the database."""
    hooks = Hooks()
    with pytest.MonkeyPatch.context() as patch:
        install_hooks(hooks, patch)
        graph, _ = collect(registry_scenario, hooks, role_arns=(ROLE.format(OTHER_ACCOUNT),))
    return graph


def key(finding: Finding) -> tuple[Any, ...]:
    return tuple(finding.as_dict().values())


def rows(driver: Driver, query: str, **params: Any) -> list[dict[str, Any]]:
    records, _, _ = driver.execute_query(query, params, database_="neo4j")
    return [record.data() for record in records]


def test_memory_and_neo4j_agree_on_the_registry_scan_within_its_scope(
    neo4j_driver: Driver, scanned: Scanned, other_account: LineageGraph
) -> None:
    graph, collection, _ = scanned
    wipe(neo4j_driver)
    both = LineageGraph()  # this scan, and one of another account in the same database
    both.nx = nx.compose(other_account.nx, graph.nx)
    Neo4jLoader(neo4j_driver, "neo4j").load_graph(both)
    scope = scan_scope(graph, collection.definitions)
    backend = Neo4jRuleBackend(neo4j_driver, "neo4j", scope)
    memory = run_rules(graph, collection.definitions, SETTINGS)
    neo4j = run_rules(graph, collection.definitions, SETTINGS, backend=backend)
    assert [key(f) for f in neo4j] == [key(f) for f in memory]
    assert set(REGISTRY_RULES) <= {f.code for f in memory}
    registries = backend.parameters(graph)["registries"]
    for code in REGISTRY_RULES:
        assert rows(neo4j_driver, read(f"rules/{code}.paths.cypher"), registries=registries)
    everything = rows(neo4j_driver, "MATCH (n) RETURN properties(n) AS p")
    assert SECRET not in repr(everything)


def _without(graph: LineageGraph, *keys: str) -> LineageGraph:
    """A copy of the graph as a later scan would see it, without these nodes."""
    kept = graph.nx.copy()
    kept.remove_nodes_from([f"{kind.value}|{k}" for k in keys for kind in Kind])
    later = LineageGraph()
    later.nx = kept
    return later


def _load(driver: Driver, graph: LineageGraph, collection: RegistryCollection, scopes: Any) -> int:
    loader = Neo4jLoader(driver, "neo4j")
    report = loader.load_graph(graph, pipelines=collection.definitions, scopes=scopes)
    loader.load_findings(run_rules(graph, collection.definitions, Settings()), report)
    return report.removed


def _keys(driver: Driver, label: str) -> set[str]:
    return {r["k"] for r in rows(driver, f"MATCH (n:{label}) RETURN n.key AS k")}


def test_cleanup_removes_what_vanished_from_complete_scopes_only(
    neo4j_driver: Driver, scanned: Scanned, registry_scenario: Scenario
) -> None:
    graph, collection, _ = scanned
    packages, executions = registry_scenario.packages, registry_scenario.executions
    wipe(neo4j_driver)
    assert _load(neo4j_driver, graph, collection, collection.complete) == 0
    run = executions["ok"].rsplit("/", 1)[-1]  # churn/1's execution and its jobs go with it
    jobs = [n.key for n in graph.nodes(Kind.JOB) if run in n.key]
    gone = [packages["churn/1"], packages["churn/4"], packages["bulk/1"], executions["ok"], *jobs]
    partial = [s for s in collection.complete if s.group != "bulk"]  # bulk was not read fully
    removed = _load(neo4j_driver, _without(graph, *gone), collection, partial)
    left = _keys(neo4j_driver, "ModelPackage")
    assert packages["churn/1"] not in left and packages["churn/4"] not in left
    assert packages["bulk/1"] in left
    assert executions["ok"] not in _keys(neo4j_driver, "PipelineExecution")  # orphaned
    assert registry_scenario.jobs["ok"] not in _keys(neo4j_driver, "Job")
    about = rows(neo4j_driver, "MATCH (f:Finding {code: 'L318'}) RETURN f.node AS n")
    assert about == []  # churn/4 was the only untraceable version
    assert removed >= 2 + 1 + 3 + 1  # packages, execution, its jobs, its model artifact
    group = f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:model-package-group/restricted"
    restricted = [packages["restricted/1"], packages["restricted/2"], group]
    _load(neo4j_driver, _without(graph, *restricted), collection, [Scope(ACCOUNT, REGION)])
    assert group not in _keys(neo4j_driver, "ModelPackageGroup")
    assert packages["restricted/1"] not in _keys(neo4j_driver, "ModelPackage")


def test_scan_registry_into_neo4j_is_idempotent_and_partial_scans_keep_what_they_skipped(
    neo4j_driver: Driver, neo4j_uri: str, registry_scenario: Scenario, aws_hooks: Hooks
) -> None:
    registry_scenario.install(aws_hooks)
    args = ["scan", "-f", "json", "--select", "L318,L319,L320,L4", "--neo4j", neo4j_uri]
    args += ["--registry", "--endpoint-url", registry_scenario.endpoint, "--region", REGION]
    args += ["--group", "churn", "--group", "restricted"]
    wipe(neo4j_driver)
    first = CliRunner().invoke(app, args)
    assert first.exit_code == 1, first.output
    stored = snapshot(neo4j_driver)
    assert CliRunner().invoke(app, args).exit_code == 1
    assert _contents(snapshot(neo4j_driver)) == _contents(stored)
    aws_hooks.fail(
        "ListModelPackages",
        "AccessDeniedException",
        when=lambda call: call.params.get("ModelPackageGroupName") == "restricted",
    )
    partial = CliRunner().invoke(app, args)
    assert partial.exit_code == 2
    assert "removed 0 stale nodes" in partial.stderr
    kept = {k for k in _keys(neo4j_driver, "ModelPackage") if "/restricted/" in k}
    assert kept == {registry_scenario.packages[f"restricted/{v}"] for v in (1, 2)}
    assert json.loads(partial.stdout)["findings"]


def _churn(call: Call) -> bool:
    return call.params.get("ModelPackageGroupName") == "churn"


def _garbage(operation: str, body: bytes) -> Handler:
    """Answer `operation` (for group `churn` where it names one) with a body botocore cannot
    read as its output."""

    def handler(call: Call) -> Reply | None:
        named = call.params.get("ModelPackageGroupName")
        searched = "churn" in json.dumps(call.params.get("SearchExpression", ""))
        if call.operation == operation and (named == "churn" or searched or not named):
            return Reply(200, body)
        return None

    return handler


# Faults of each collection phase: AWS error codes, and responses that cannot be read.
FAULTS: dict[str, Callable[[Hooks], None]] = {
    "versions denied": lambda h: h.fail("ListModelPackages", "AccessDeniedException", _churn),
    "jobs denied": lambda h: h.fail("DescribeTrainingJob", "AccessDeniedException"),
    "pipeline denied": lambda h: h.fail("DescribePipeline", "AccessDeniedException"),
    "versions unreadable": lambda h: h.add(_garbage("ListModelPackages", b"<html>proxy")),
    "search unreadable": lambda h: h.add(_garbage("Search", b"[1, 2]")),
    "job unreadable": lambda h: h.add(_garbage("DescribeTrainingJob", b'"x"')),
}


def _contents(stored: tuple[list[Any], list[Any]]) -> tuple[list[Any], list[Any]]:
    """A snapshot without the content hashes (a partial read may change what they cover)."""
    nodes, rels = stored
    return [(labels, [p for p in props if p[0] != "content_hash"]) for labels, props in nodes], rels


@pytest.mark.parametrize("fault", FAULTS)
def test_a_partial_collection_removes_nothing_under_what_it_skipped(
    neo4j_driver: Driver, neo4j_uri: str, registry_scenario: Scenario, aws_hooks: Hooks, fault: str
) -> None:
    args = ["scan", "-f", "json", "--neo4j", neo4j_uri, "--registry"]
    args += ["--endpoint-url", registry_scenario.endpoint, "--region", REGION]
    wipe(neo4j_driver)
    registry_scenario.install(aws_hooks)
    assert CliRunner().invoke(app, args).exit_code == 1
    stored = snapshot(neo4j_driver)
    assert rows(neo4j_driver, "MATCH (f:Finding {code: 'L413'}) RETURN f.key AS k")
    aws_hooks.handlers.clear()  # the fault first, then the recorded answers
    FAULTS[fault](aws_hooks)
    registry_scenario.install(aws_hooks)
    partial = CliRunner().invoke(app, args)
    assert partial.exit_code == 2, partial.output
    assert "skipped" in partial.stderr and "internal error" not in partial.stderr
    assert "removed 0 stale nodes" in partial.stderr
    assert _contents(snapshot(neo4j_driver)) == _contents(stored)
    assert json.loads(partial.stdout)["errors"]
