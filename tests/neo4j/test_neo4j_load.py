"""Loading scans into a real Neo4j server: counts, idempotency, scoped cleanup, parameters."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from neo4j import Driver

from lineage.config import Settings
from lineage.graph.lineage_graph import Kind
from lineage.neo4j.cleanup import LoadReport
from lineage.neo4j.connect import Neo4jConnectionError, Neo4jTarget
from lineage.neo4j.load import Neo4jLoader, edge_statement
from lineage.scan import ScanResult, scan
from tests.support.builders import abalone_like, definition, get, processing, training, write
from tests.support.neo4j_helpers import snapshot, wipe
from tests.support.paths import EXAMPLE

ENGINE_RULES = Settings(select=("L109", "L110", "L301", "L303", "L304", "L305", "L306"))


@pytest.fixture
def driver(neo4j_driver: Driver) -> Iterator[Driver]:
    wipe(neo4j_driver)
    yield neo4j_driver


def load(driver: Driver, result: ScanResult, batch_size: int = 10_000) -> LoadReport:
    loader = Neo4jLoader(driver, "neo4j", batch_size)
    return loader.load(result.graph, result.findings, set(result.definitions))


def count(driver: Driver, query: str, **params: object) -> int:
    records, _, _ = driver.execute_query(query, params, database_="neo4j")
    return int(records[0][0])


def test_graph_and_findings_arrive_with_their_counts(driver: Driver) -> None:
    result = scan([str(EXAMPLE)], ENGINE_RULES)
    load(driver, result)
    counts = result.graph.counts()
    for label in ("Pipeline", "Step", "Parameter", "PropertyRef", "Artifact", "ModelPackage"):
        assert count(driver, f"MATCH (n:{label}) RETURN count(n)") == counts[label], label
    for rel in ("HAS_STEP", "USES", "RESOLVES_TO", "CONSUMES", "PRODUCES", "IF_TRUE"):
        assert count(driver, f"MATCH ()-[r:{rel}]->() RETURN count(r)") == counts[rel], rel
    assert count(driver, "MATCH (f:Finding)-[:ABOUT]->() RETURN count(f)") == len(result.findings)
    assert count(driver, "MATCH (s:Step) WHERE s.raw IS NOT NULL RETURN count(s)") == 0


def test_loading_twice_changes_nothing(driver: Driver, tmp_path: Path) -> None:
    result = scan([str(EXAMPLE), str(write(tmp_path, abalone_like()))], ENGINE_RULES)
    load(driver, result)
    first = snapshot(driver)
    load(driver, scan([str(EXAMPLE), str(write(tmp_path, abalone_like()))], ENGINE_RULES))
    assert snapshot(driver) == first


def test_reloading_an_unchanged_scan_writes_nothing_but_the_pipeline_stamps(
    driver: Driver,
) -> None:
    result = scan([str(EXAMPLE)], ENGINE_RULES)
    first = load(driver, result)
    assert (first.unchanged, first.removed) == (0, 0)
    again = load(driver, result)
    assert (again.rows, again.removed) == (0, 0)
    assert again.unchanged == first.rows
    stamps = driver.execute_query(
        "MATCH (p:Pipeline) RETURN p.last_scan_id AS id", database_="neo4j"
    ).records
    assert [r["id"] for r in stamps] == [again.scan_id]


def test_a_changed_step_is_rewritten_with_its_relationships_and_nothing_else(
    driver: Driver, tmp_path: Path
) -> None:
    doc = abalone_like()
    load(driver, scan([str(write(tmp_path, doc))], ENGINE_RULES))
    doc["Steps"][1]["DependsOn"] = ["Prep"]  # Train gains one relationship, nothing else changes
    changed = scan([str(write(tmp_path, doc))], ENGINE_RULES)
    report = load(driver, changed)
    rewritten = {kind.value: [r["key"] for r in rows] for kind, rows in report.rewritten.items()}
    assert {kind: keys for kind, keys in rewritten.items() if keys} == {
        "Pipeline": ["pipeline:pipeline"],  # its sha256 changed
        "Step": ["pipeline/Train"],
    }
    assert report.rows == (1 + 9) + (1 + 6)  # each with its outgoing relationships
    assert count(driver, "MATCH (:Step {name: 'Train'})-[:DEPENDS_ON]->() RETURN count(*)") == 1
    del doc["Steps"][1]["DependsOn"]
    load(driver, scan([str(write(tmp_path, doc))], ENGINE_RULES))
    assert count(driver, "MATCH ()-[:DEPENDS_ON]->() RETURN count(*)") == 0


def test_a_relationship_lost_in_the_database_comes_back_on_reload(driver: Driver) -> None:
    result = scan([str(EXAMPLE)], ENGINE_RULES)
    load(driver, result)
    whole = snapshot(driver)
    driver.execute_query("MATCH (:Pipeline)-[r:HAS_STEP]->() DELETE r", database_="neo4j")
    driver.execute_query("MATCH (n:Parameter) SET n.content_hash = 'edited'", database_="neo4j")
    report = load(driver, result)
    assert snapshot(driver) == whole
    assert 0 < report.rows < report.unchanged


def test_small_batches_give_the_same_graph(driver: Driver) -> None:
    result = scan([str(EXAMPLE)], ENGINE_RULES)
    load(driver, result)
    whole = snapshot(driver)
    wipe(driver)
    load(driver, result, batch_size=7)
    assert snapshot(driver) == whole


def test_rescan_removes_lost_steps_and_their_findings_only_in_that_pipeline(
    driver: Driver, tmp_path: Path
) -> None:
    doc = abalone_like()
    doc["Steps"].append({"Name": "Export", "Type": "Exporting", "Arguments": {}})
    (tmp_path / "other").mkdir()
    other = write(tmp_path / "other", doc, "other.json")
    path = write(tmp_path, doc)
    load(driver, scan([str(path), str(other)], ENGINE_RULES))
    assert count(driver, "MATCH (s:Step {name: 'Export'}) RETURN count(s)") == 2
    assert count(driver, "MATCH (f:Finding {code: 'L109'}) RETURN count(f)") == 2
    other_before = snapshot(driver)

    doc["Steps"] = doc["Steps"][:2]  # Evaluate, Check (and its branches) and Export are gone
    load(driver, scan([str(write(tmp_path, doc))], ENGINE_RULES))
    names = {
        r["n"]
        for r in driver.execute_query(
            "MATCH (s:Step {pipeline: 'pipeline:pipeline'}) RETURN s.name AS n", database_="neo4j"
        ).records
    }
    assert names == {"Prep", "Train"}
    assert count(driver, "MATCH (f:Finding {pipeline: 'pipeline'}) RETURN count(f)") == 0
    assert (
        count(
            driver,
            "MATCH (a:Artifact {key: 'pipeline/Evaluate/outputs/evaluation'}) RETURN count(a)",
        )
        == 0
    )
    assert count(driver, "MATCH (s:Step {name: 'Export'}) RETURN count(s)") == 1
    assert _owned_by(snapshot(driver)[0], "pipeline:other") == _owned_by(
        other_before[0], "pipeline:other"
    )
    assert shared_users(driver, "ModelPackageGroup", "abalone") == ["pipeline:other"]


def _owned_by(nodes: list[Any], pipeline: str) -> list[Any]:
    """The snapshot's nodes of one pipeline: itself and what belongs to it."""
    return [n for n in nodes if {("pipeline", repr(pipeline)), ("key", repr(pipeline))} & set(n[1])]


def shared_users(driver: Driver, label: str, key: str) -> list[str] | None:
    """The pipelines a shared node lists as using it (None when it is gone)."""
    records, _, _ = driver.execute_query(
        f"MATCH (n:{label} {{key: $key}}) RETURN n.pipelines AS p", key=key, database_="neo4j"
    )
    return records[0]["p"] if records else None


SHARED = "s3://bucket/shared/features.csv"


def _reader(name: str, reads: bool) -> dict[str, Any]:
    """A pipeline `name` whose one step reads the shared dataset, or another one."""
    source = SHARED if reads else f"s3://bucket/{name}/features.csv"
    return definition(processing("Prep", outputs=("train",), inputs={"raw": source}))


def test_a_shared_artifact_lists_every_pipeline_using_it_and_goes_with_the_last(
    driver: Driver, tmp_path: Path
) -> None:
    def load_one(name: str, reads: bool) -> LoadReport:
        return load(
            driver, scan([str(write(tmp_path, _reader(name, reads), f"{name}.json"))], ENGINE_RULES)
        )

    load_one("a", True)
    load_one("b", True)
    assert shared_users(driver, "Artifact", SHARED) == ["pipeline:a", "pipeline:b"]
    again = load_one("a", True)  # the other pipeline's load changed nothing of it
    assert (again.rows, again.removed) == (0, 0)
    load_one("a", False)
    assert shared_users(driver, "Artifact", SHARED) == ["pipeline:b"]
    assert (
        count(driver, "MATCH (:Step)-[:CONSUMES]->(:Artifact {key: $k}) RETURN count(*)", k=SHARED)
        == 1
    )
    load_one("b", False)
    assert shared_users(driver, "Artifact", SHARED) is None  # gone: no pipeline uses it


def test_incomplete_pipeline_is_not_cleaned(driver: Driver, tmp_path: Path) -> None:
    doc = abalone_like()
    load(driver, scan([str(write(tmp_path, doc))], ENGINE_RULES))
    doc["Steps"] = doc["Steps"][:1]
    partial = scan([str(write(tmp_path, doc))], ENGINE_RULES)
    Neo4jLoader(driver, "neo4j").load(partial.graph, partial.findings, complete_pipelines=set())
    assert count(driver, "MATCH (s:Step {pipeline: 'pipeline:pipeline'}) RETURN count(s)") == 6


HOSTILE = [
    'it\'s "quoted"',
    "back`tick`}) DETACH DELETE n //",
    "'}) MATCH (n) DETACH DELETE n RETURN 1 //",
    "$rows {key: 1}",
]


def test_hostile_names_round_trip_exactly_and_touch_nothing_else(
    driver: Driver, tmp_path: Path
) -> None:
    driver.execute_query("CREATE (:Canary {key: 'canary', value: 1})", database_="neo4j")
    params = [{"Name": name, "Type": "String", "DefaultValue": name} for name in HOSTILE]
    steps = [
        processing(HOSTILE[0], outputs=("train",), inputs={"raw": get(f"Parameters.{HOSTILE[3]}")}),
        training(
            HOSTILE[1],
            get(f"Steps.{HOSTILE[0]}.ProcessingOutputConfig.Outputs['train'].S3Output.S3Uri"),
        ),
        {"Name": HOSTILE[2], "Type": HOSTILE[2], "Arguments": {}, "DependsOn": [HOSTILE[1]]},
    ]
    doc = definition(*steps, parameters=params)
    load(driver, scan([str(write(tmp_path, doc, "evil'`}.json"))], ENGINE_RULES))
    stored = {
        r["n"]
        for r in driver.execute_query(
            "MATCH (s:Step) RETURN s.name AS n", database_="neo4j"
        ).records
    }
    assert stored == set(HOSTILE[:3])
    params_stored = {
        (r["n"], r["d"])
        for r in driver.execute_query(
            "MATCH (p:Parameter) RETURN p.name AS n, p.default AS d", database_="neo4j"
        ).records
    }
    assert params_stored == {(h, h) for h in HOSTILE}
    assert count(driver, "MATCH (c:Canary {key: 'canary', value: 1}) RETURN count(c)") == 1
    assert count(driver, "MATCH (f:Finding {code: 'L109'}) RETURN count(f)") == 1
    assert count(driver, "MATCH ()-[r:DEPENDS_ON]->() RETURN count(r)") == 1


def test_unreachable_neo4j_is_a_clear_error() -> None:
    target = Neo4jTarget.resolve("bolt://127.0.0.1:1", env={})
    with pytest.raises(Neo4jConnectionError, match=r"cannot reach Neo4j at bolt://127.0.0.1:1"):
        target.open()


def test_target_from_environment_and_password_prompt() -> None:
    env = {"NEO4J_URI": "neo4j://db:7687", "NEO4J_USERNAME": "audit", "NEO4J_DATABASE": "lineage"}
    target = Neo4jTarget.resolve(None, env=env, prompt=lambda _: "s3cret")
    assert target == Neo4jTarget("neo4j://db:7687", "audit", "s3cret", "lineage")
    with pytest.raises(Neo4jConnectionError, match="no Neo4j URI"):
        Neo4jTarget.resolve(None, env={})
    assert json.dumps(Neo4jTarget.resolve("bolt://x", env={}).__dict__)


def test_messages_name_the_server_without_the_credentials_in_its_uri() -> None:
    target = Neo4jTarget.resolve("bolt://audit:s3cret@127.0.0.1:1", env={})
    assert target.where == "bolt://127.0.0.1:1"
    with pytest.raises(Neo4jConnectionError) as raised:
        target.open()
    assert "s3cret" not in str(raised.value)
    lost = target.lost(OSError("connection reset"))
    assert lost.source == "Neo4j at bolt://127.0.0.1:1" and "s3cret" not in str(lost)


def operators(plan: dict[str, Any]) -> list[str]:
    """The operator names of a plan, its children's included."""
    return [plan["operatorType"], *(op for c in plan.get("children", []) for op in operators(c))]


def test_relationships_are_sought_from_their_source_even_in_an_empty_database(
    driver: Driver,
) -> None:
    # Planned on a database without relationships, a MERGE between two bound nodes scans every
    # relationship; that plan, kept while a load fills the database, made loads quadratic.
    Neo4jLoader(driver, "neo4j").apply_schema()
    for source, target in ((Kind.JOB, Kind.ARTIFACT), (Kind.STEP, Kind.STEP)):
        plan = driver.execute_query(
            "EXPLAIN " + edge_statement(source, target), {"rows": []}, database_="neo4j"
        ).summary.plan
        names = operators(plan)
        assert not [n for n in names if "RelationshipsScan" in n or "TypeScan" in n], names
        assert any(n.startswith("OptionalExpand(All)") for n in names), names
