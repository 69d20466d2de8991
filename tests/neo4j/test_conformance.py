"""Conformance: every graph rule gives identical findings on the memory and Neo4j backends.

One shared list of cases (the corpus, the SDK fixtures, the example, a few defect definitions
and a moto-served registry); no case carries an expectation of its own, let alone one per
backend.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from neo4j import Driver

from lineage.collect.registry.collector import collect_registry
from lineage.collect.registry.model import RegistryOptions
from lineage.config import Settings
from lineage.neo4j import NEO4J_BATCH_SIZE
from lineage.neo4j.connect import Neo4jTarget
from lineage.neo4j.cypher_files import used
from lineage.neo4j.load import Neo4jLoader
from lineage.neo4j.rules import Neo4jRuleBackend, has_cypher, rule_query
from lineage.rules.engine.model import Finding
from lineage.rules.engine.rulebook import all_rules
from lineage.rules.engine.run import run_rules
from lineage.rules.l3_live_registry import scan_scope
from lineage.scan import ScanResult, check, check_in_neo4j, collect
from tests.support.builders import (
    PREP_TRAIN,
    SKLEARN_IMAGE,
    abalone_like,
    definition,
    get,
    processing,
    training,
    transform,
    write,
)
from tests.support.defects import all_defects
from tests.support.moto_plugin import Hooks, install_hooks
from tests.support.neo4j_helpers import wipe
from tests.support.paths import CORPUS, EXAMPLE, REPO, SDK_FIXTURES
from tests.support.registry_scenario import REGION, Scenario

GRAPH_RULES = [rule for rule in all_rules() if rule.is_graph_rule]
SETTINGS = Settings(select=tuple(rule.code for rule in GRAPH_RULES))


def _dangling(doc: dict[str, Any]) -> None:
    doc["Steps"][2]["Arguments"]["ProcessingInputs"][0]["S3Input"]["S3Uri"] = get(
        "Steps.Trian.ModelArtifacts.S3ModelArtifacts"
    )
    doc["Steps"][2]["DependsOn"] = ["Train", "Trian"]


def _unknown_names(doc: dict[str, Any]) -> None:
    doc["Steps"][1]["Arguments"]["InputDataConfig"][0]["DataSource"]["S3DataSource"]["S3Uri"] = get(
        "Steps.Prep.ProcessingOutputConfig.Outputs['trian'].S3Output.S3Uri"
    )
    doc["Parameters"] = doc["Parameters"][1:]


def _bad_paths(doc: dict[str, Any]) -> None:
    doc["Steps"][2]["Arguments"]["ProcessingInputs"][0]["S3Input"]["S3Uri"] = get(
        "Steps.Train.ModelArtifact.S3ModelArtifacts"
    )


def _cross_branch_and_framework(doc: dict[str, Any]) -> None:
    check = doc["Steps"][3]["Arguments"]
    check["ElseSteps"][0]["DependsOn"] = ["Register"]
    container = check["IfSteps"][0]["Arguments"]["InferenceSpecification"]["Containers"][0]
    container["Image"] = SKLEARN_IMAGE


def _metrics_and_model_from_outside(doc: dict[str, Any]) -> None:
    register = doc["Steps"][3]["Arguments"]["IfSteps"][0]["Arguments"]
    register["ModelMetrics"]["ModelQuality"]["Statistics"]["S3Uri"] = (
        "s3://bucket/old/evaluation.json"
    )
    doc["Steps"].append(transform("Score", "abalone-model-v1", "s3://bucket/batch/"))


DEFECTS: dict[str, Callable[[dict[str, Any]], None]] = {
    "dangling": _dangling,
    "unknown-names": _unknown_names,
    "bad-paths": _bad_paths,
    "cross-branch": _cross_branch_and_framework,
    "from-outside": _metrics_and_model_from_outside,
}


def defect_documents() -> dict[str, dict[str, Any]]:
    """Definitions with reference defects and a dependency cycle, by case name."""
    documents: dict[str, dict[str, Any]] = {}
    for name, mutate in DEFECTS.items():
        doc = copy.deepcopy(abalone_like())
        mutate(doc)
        documents[name] = doc
    documents["cycle"] = definition(
        processing("Prep", outputs=("train",), DependsOn=["Train"]),
        training("Train", get(PREP_TRAIN)),
        processing("Self", outputs=("x",), DependsOn=["Self"]),
    )
    return documents


def cases(tmp_path: Path) -> list[Path]:
    """The shared case list: every source both backends must agree on."""
    corpus = sorted(p for p in CORPUS.rglob("*.json") if p.parent.name not in ("schema",))
    fixtures = sorted(SDK_FIXTURES.glob("*.json")) + sorted(
        (REPO / "tests/fixtures/sdk_v3").glob("*.json")
    )
    made = [write(tmp_path, doc, f"{name}.json") for name, doc in defect_documents().items()]
    realistic = [write(tmp_path, d.document, f"defect-{d.name}.json") for d in all_defects()]
    return [*corpus, *fixtures, EXAMPLE, *made, *realistic]


def key(finding: Finding) -> tuple[Any, ...]:
    return tuple(finding.as_dict().values())


def test_every_graph_rule_has_its_cypher() -> None:
    assert GRAPH_RULES
    missing = [r.code for r in GRAPH_RULES if not has_cypher(r.code) or r.message is None]
    assert missing == []
    for rule in GRAPH_RULES:
        assert (REPO / "cypher" / "rules" / f"{rule.code}.paths.cypher").is_file(), rule.code


@pytest.fixture(scope="module")
def scanned(
    tmp_path_factory: pytest.TempPathFactory, registry_scenario: Scenario, aws_environment: None
) -> ScanResult:
    """Every case in one graph: the definition files, then the registry collected into it."""
    result = collect([str(p) for p in cases(tmp_path_factory.mktemp("cases"))])
    hooks = Hooks()
    with pytest.MonkeyPatch.context() as patch:
        install_hooks(hooks, patch)
        registry_scenario.install(hooks)
        options = RegistryOptions(regions=(REGION,), endpoint_url=registry_scenario.endpoint)
        collection = collect_registry(options, result.graph)
    assert not collection.partial
    result.definitions.update(collection.definitions)
    assert len(result.definitions) > (50 if CORPUS.is_dir() else 20)
    return result


def test_memory_and_neo4j_agree_on_every_case(neo4j_driver: Driver, scanned: ScanResult) -> None:
    wipe(neo4j_driver)
    Neo4jLoader(neo4j_driver, "neo4j").load_graph(scanned.graph)
    scope = scan_scope(scanned.graph, scanned.definitions)
    backend = Neo4jRuleBackend(neo4j_driver, "neo4j", scope)
    memory = run_rules(scanned.graph, scanned.definitions, SETTINGS)
    neo4j = run_rules(scanned.graph, scanned.definitions, SETTINGS, backend=backend)
    assert [key(f) for f in neo4j] == [key(f) for f in memory]
    assert {f.code for f in memory} == {rule.code for rule in GRAPH_RULES}


def rescan_pairs() -> dict[str, tuple[dict[str, Any], dict[str, Any]]]:
    """Each defect with its clean base, by case name: a pipeline as loaded, then as changed."""
    pairs = {name: (abalone_like(), doc) for name, doc in defect_documents().items()}
    pairs["cycle"] = (definition(*defect_documents()["cycle"]["Steps"][:2]), pairs["cycle"][1])
    for defect in all_defects():
        base = json.loads(defect.base.read_text(encoding="utf-8"))
        pairs[f"defect-{defect.name}"] = (base, defect.document)
    return pairs


def _scan_into(uri: str, paths: list[str]) -> tuple[list[Finding], list[Finding]]:
    """Scan the files into Neo4j as `lineage scan --neo4j` does (cleaning up their pipelines);
    the graph rules' findings in memory and in Neo4j."""
    memory = check(collect(paths), SETTINGS).findings
    result = collect(paths)
    assert check_in_neo4j(result, SETTINGS, Neo4jTarget.resolve(uri), NEO4J_BATCH_SIZE).report
    return memory, result.findings


def test_memory_and_neo4j_agree_on_a_rescan_of_every_defect_over_its_base(
    neo4j_driver: Driver, neo4j_uri: str, tmp_path: Path
) -> None:
    pairs = rescan_pairs()
    wipe(neo4j_driver)
    found = []
    for stage, which in (("base", 0), ("changed", 1)):
        folder = tmp_path / stage
        folder.mkdir()
        paths = [str(write(folder, docs[which], f"{name}.json")) for name, docs in pairs.items()]
        memory, neo4j = _scan_into(neo4j_uri, paths)
        assert [key(f) for f in neo4j] == [key(f) for f in memory], stage
        found.append({name: sorted(f.code for f in memory if f.pipeline == name) for name in pairs})
    base, changed = found
    assert all(base[name] != changed[name] for name in defect_documents()), "defects change them"


def test_the_pipelines_parameter_scopes_the_rules(
    neo4j_driver: Driver, scanned: ScanResult
) -> None:
    wipe(neo4j_driver)
    Neo4jLoader(neo4j_driver, "neo4j").load_graph(scanned.graph)
    one = next(k for k in scanned.definitions if k.endswith(":dangling"))
    backend = Neo4jRuleBackend(neo4j_driver, "neo4j", [one])
    assert Neo4jRuleBackend(neo4j_driver, "neo4j", []).pipelines == []
    found = run_rules(scanned.graph, scanned.definitions, SETTINGS, backend=backend)
    assert found and {f.pipeline for f in found} == {"dangling"}


def test_a_rule_has_no_rows_when_its_scope_is_empty(
    neo4j_driver: Driver, scanned: ScanResult
) -> None:
    """Why the backend sends no query whose scope parameters are all empty lists."""
    wipe(neo4j_driver)
    Neo4jLoader(neo4j_driver, "neo4j").load_graph(scanned.graph)
    for rule in GRAPH_RULES:
        query = rule_query(rule.code)
        empty = used(query, {"pipelines": [], "registries": []})
        assert empty, f"{rule.code} names no scope parameter"
        records, _, _ = neo4j_driver.execute_query(query, empty, database_="neo4j")
        assert records == [], rule.code
