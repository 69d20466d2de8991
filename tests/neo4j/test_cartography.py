"""One Neo4j holding Cartography's AWS graph and the lineage graph: the live registry nodes MERGE
onto Cartography's (no duplicates, both labels), cleanup after a re-scan leaves Cartography's
nodes, properties and relationships as its sync wrote them, and the audits joining both graphs
answer."""

from __future__ import annotations

from typing import Any

import pytest
from neo4j import Driver

from lineage.collect.registry.arns import parse_arn
from lineage.collect.registry.model import Scope
from lineage.collect.registry.transform import live
from lineage.graph.lineage_graph import Kind, LineageGraph, Node, Rel
from lineage.neo4j.audit_run import run_audit
from lineage.neo4j.cartography import bucket_of, cartography_label
from lineage.neo4j.cleanup import LoadReport
from lineage.neo4j.load import Neo4jLoader
from tests.support.cartography import CartographySync
from tests.support.neo4j_helpers import wipe

REGION = "us-east-1"
SYNCED, UNSYNCED = "111122223333", "444455556666"
PUBLIC_READ = ["s3:GetObject", "s3:ListBucket"]
# group -> (account, [(version, approval status, bucket of the training data)])
REGISTRY = {
    "churn": (
        SYNCED,
        [(1, "Approved", "public-data"), (2, "PendingManualApproval", "public-data"),
         (3, "Approved", "live-data")],
    ),
    "fraud": (UNSYNCED, [(1, "Approved", "fraud-data")]),
}  # fmt: skip
SCOPES = [
    Scope(account, REGION, group)
    for account, groups in ((SYNCED, ("churn",)), (UNSYNCED, ("fraud",)))
    for group in (None, *groups)
]


def arn(account: str, resource: str) -> str:
    return f"arn:aws:sagemaker:{REGION}:{account}:{resource}"


def package_arn(group: str, version: int) -> str:
    return arn(REGISTRY[group][0], f"model-package/{group}/{version}")


def job_arn(group: str, version: int) -> str:
    return arn(REGISTRY[group][0], f"training-job/{group}-{version}")


def cartography_sync() -> CartographySync:
    """Cartography's sync of the synced account, before versions 3 of `churn` existed."""
    return CartographySync(
        SYNCED,
        REGION,
        buckets={"public-data": PUBLIC_READ, "live-data": [], "live-models": []},
        groups={arn(SYNCED, "model-package-group/churn"): "churn"},
        packages={
            package_arn("churn", 1): ("churn", 1, "Approved", "live-models"),
            package_arn("churn", 2): ("churn", 2, "PendingManualApproval", "live-models"),
        },
        training_jobs={job_arn("churn", 1): ("churn-1", "public-data", "live-models")},
    )


def _live(graph: LineageGraph, kind: Kind, key: str, **props: Any) -> Node:
    parsed = parse_arn(key)
    assert parsed is not None
    return graph.add_node(kind, key, **live(parsed), **props)


def registry(*gone: str) -> LineageGraph:
    """The live registry as `scan --registry` reads it, without the packages `gone`: each version
    GENERATED_BY a training job that read a dataset and wrote the model."""
    graph = LineageGraph()
    for group, (account, versions) in REGISTRY.items():
        key = arn(account, f"model-package-group/{group}")
        node = _live(graph, Kind.MODEL_PACKAGE_GROUP, key, name=group, status="Completed")
        for version, approval, bucket in versions:
            if package_arn(group, version) in gone:
                continue
            package = _live(
                graph,
                Kind.MODEL_PACKAGE,
                package_arn(group, version),
                name=f"{group}/{version}",
                group=group,
                version=version,
                approval_status=approval,
            )
            job = _live(
                graph,
                Kind.JOB,
                job_arn(group, version),
                name=f"{group}-{version}",
                job_type="Training",
                status="Completed",
            )
            data = f"s3://{bucket}/{group}/train.csv"
            model = f"s3://live-models/{group}-{version}/output/model.tar.gz"
            graph.add_edge(package, Rel.IN_GROUP, node)
            graph.add_edge(package, Rel.GENERATED_BY, job)
            graph.add_edge(
                job,
                Rel.CONSUMES,
                graph.add_node(Kind.ARTIFACT, data, uri=data, artifact_kind="dataset"),
                arg="/InputDataConfig/0/DataSource/S3DataSource/S3Uri",
            )
            graph.add_edge(
                job,
                Rel.PRODUCES,
                graph.add_node(Kind.ARTIFACT, model, uri=model, artifact_kind="model"),
                arg="/ModelArtifacts/S3ModelArtifacts",
            )
    return graph


def load(driver: Driver, graph: LineageGraph) -> LoadReport:
    """A registry scan that read every scope completely."""
    loader = Neo4jLoader(driver, "neo4j")
    report = loader.load_graph(graph, scopes=SCOPES)
    loader.load_findings([], report)
    return report


def rows(driver: Driver, query: str, **params: Any) -> list[dict[str, Any]]:
    records, _, _ = driver.execute_query(query, params, database_="neo4j")
    return [record.data() for record in records]


def cartography_state(driver: Driver) -> tuple[list[Any], list[Any]]:
    """Every node and relationship Cartography stamped, with all its labels and properties."""
    nodes = rows(
        driver,
        "MATCH (n) WHERE n.lastupdated IS NOT NULL RETURN labels(n) AS l, properties(n) AS p",
    )
    rels = rows(
        driver,
        "MATCH (a)-[r]->(b) WHERE r.lastupdated IS NOT NULL "
        "RETURN a.id AS a, type(r) AS t, b.id AS b, properties(r) AS p",
    )
    return (
        sorted(repr((sorted(r["l"]), sorted(r["p"].items()))) for r in nodes),
        sorted(repr((r["a"], r["t"], r["b"], sorted(r["p"].items()))) for r in rels),
    )


def labels_of(driver: Driver, ident: str) -> list[set[str]]:
    """The labels of every node whose Cartography key `id` is `ident`."""
    return [
        set(r["l"]) for r in rows(driver, "MATCH (n {id: $id}) RETURN labels(n) AS l", id=ident)
    ]


def assert_no_duplicates(driver: Driver) -> None:
    """One node per Cartography key, and one per live package of the registry."""
    duplicates = "MATCH (n) WHERE n.id IS NOT NULL WITH n.id AS id, count(*) AS c WHERE c > 1"
    assert rows(driver, duplicates + " RETURN id") == []
    packages = rows(driver, "MATCH (n:AWSSageMakerModelPackage) RETURN n.id AS id")
    assert len(packages) == sum(len(versions) for _, versions in REGISTRY.values())


@pytest.fixture
def joined(neo4j_driver: Driver) -> tuple[Driver, tuple[list[Any], list[Any]]]:
    """Cartography's sync, then the registry scan, in one database; and what the sync wrote."""
    wipe(neo4j_driver)
    cartography_sync().run(neo4j_driver)
    synced = cartography_state(neo4j_driver)
    load(neo4j_driver, registry())
    return neo4j_driver, synced


def test_bucket_of_reads_literal_s3_uris_only() -> None:
    assert bucket_of("s3://public-data/churn/train.csv") == "public-data"
    assert bucket_of("s3://my.bucket-1") == "my.bucket-1"
    assert bucket_of("s3://{Parameters.Bucket}/x") is None
    assert bucket_of("https://public-data/x") is None


def test_only_known_cartography_labels_of_live_rows_count() -> None:
    package = {"arn": package_arn("churn", 1), "cartography_label": "AWSSageMakerModelPackage"}
    assert cartography_label({"props": package}) == "AWSSageMakerModelPackage"
    assert cartography_label({"props": {**package, "arn": None}}) is None
    hostile = {**package, "cartography_label": "X) DETACH DELETE (n"}
    assert cartography_label({"props": hostile}) is None


def test_live_nodes_merge_onto_cartography_nodes_without_duplicates(
    joined: tuple[Driver, Any],
) -> None:
    driver, synced = joined
    assert_no_duplicates(driver)
    assert labels_of(driver, package_arn("churn", 1)) == [
        {"ModelPackage", "AWSSageMakerModelPackage"}
    ]
    assert labels_of(driver, package_arn("churn", 3)) == [
        {"ModelPackage", "AWSSageMakerModelPackage"}
    ]
    assert labels_of(driver, job_arn("churn", 1)) == [{"Job", "AWSSageMakerTrainingJob"}]
    assert labels_of(driver, arn(SYNCED, "model-package-group/churn")) == [
        {"ModelPackageGroup", "AWSSageMakerModelPackageGroup"}
    ]
    [merged] = rows(
        driver, "MATCH (n {id: $id}) RETURN properties(n) AS p", id=package_arn("churn", 1)
    )
    assert merged["p"]["key"] == package_arn("churn", 1)
    assert merged["p"]["approval_status"] == merged["p"]["model_approval_status"] == "Approved"
    assert merged["p"]["lastupdated"] == 1733300000
    # The account and the buckets: Cartography's node where it has one, else one of lineage.
    assert labels_of(driver, SYNCED) == [{"AWSAccount"}]
    assert labels_of(driver, UNSYNCED) == [{"AWSAccount"}]
    assert labels_of(driver, "public-data") == [{"S3Bucket", "ObjectStorage"}]
    assert labels_of(driver, "fraud-data") == [{"S3Bucket", "AWSS3Bucket"}]
    linked = rows(
        driver,
        "MATCH (a:Artifact)-[:IN_BUCKET]->(b:S3Bucket) RETURN a.key AS a, b.name AS b ORDER BY a",
    )
    assert {r["a"]: r["b"] for r in linked} == {
        r["a"]: bucket_of(r["a"]) for r in rows(driver, "MATCH (a:Artifact) RETURN a.key AS a")
    }
    [accounts] = rows(
        driver,
        "MATCH (n:ModelPackage)-[:IN_ACCOUNT]->(a:AWSAccount) RETURN collect(a.id) AS ids",
    )
    assert sorted(accounts["ids"]) == [SYNCED] * 3 + [UNSYNCED]
    # What Cartography wrote is still there, as it wrote it (its nodes carry more now).
    now = cartography_state(driver)
    assert now[1] == synced[1]
    assert len(now[0]) == len(synced[0])


def test_reloading_an_unchanged_scan_writes_nothing_next_to_cartography(
    joined: tuple[Driver, Any],
) -> None:
    driver, _ = joined
    report = load(driver, registry())
    assert (report.rows, report.removed) == (0, 0)


def test_cleanup_after_a_rescan_leaves_cartography_intact(
    joined: tuple[Driver, Any],
) -> None:
    driver, synced = joined
    # churn/1 (Cartography's too) and churn/3 (lineage's only) are gone from the registry
    load(driver, registry(package_arn("churn", 1), package_arn("churn", 3)))
    assert labels_of(driver, package_arn("churn", 1)) == [{"AWSSageMakerModelPackage"}]
    assert labels_of(driver, job_arn("churn", 1)) == [{"AWSSageMakerTrainingJob"}]
    assert labels_of(driver, package_arn("churn", 3)) == []
    assert labels_of(driver, job_arn("churn", 3)) == []
    assert labels_of(driver, package_arn("churn", 2)) == [
        {"ModelPackage", "AWSSageMakerModelPackage"}
    ]
    assert rows(driver, "MATCH (a:Artifact {key: 's3://live-data/churn/train.csv'}) RETURN a") == []
    assert labels_of(driver, "live-data") == [{"S3Bucket", "ObjectStorage"}]
    assert cartography_state(driver)[1] == synced[1]
    # Everything gone from the registry: the database is Cartography's again, exactly.
    load(driver, LineageGraph())
    assert cartography_state(driver) == synced
    assert rows(driver, "MATCH (n) WHERE n.lastupdated IS NULL RETURN n") == []
    assert rows(driver, "MATCH ()-[r]->() WHERE r.lastupdated IS NULL RETURN r") == []


def test_cartography_syncing_after_a_load_merges_onto_the_lineage_nodes(
    neo4j_driver: Driver,
) -> None:
    wipe(neo4j_driver)
    cartography_sync().run(neo4j_driver)
    alone = cartography_state(neo4j_driver)
    wipe(neo4j_driver)
    load(neo4j_driver, registry())
    cartography_sync().run(neo4j_driver)
    assert_no_duplicates(neo4j_driver)
    assert labels_of(neo4j_driver, package_arn("churn", 2)) == [
        {"ModelPackage", "AWSSageMakerModelPackage"}
    ]
    assert labels_of(neo4j_driver, "live-models") == [{"S3Bucket", "AWSS3Bucket", "ObjectStorage"}]
    load(neo4j_driver, LineageGraph())
    after = cartography_state(neo4j_driver)
    assert after[1] == alone[1]
    assert len(after[0]) == len(alone[0])


def audit(driver: Driver, name: str, **params: Any) -> list[dict[str, Any]]:
    columns, found = run_audit(driver, "neo4j", name, params)
    return [dict(zip(columns, row, strict=True)) for row in found]


def test_approved_models_on_public_data(joined: tuple[Driver, Any]) -> None:
    driver, _ = joined
    assert audit(driver, "approved-models-on-public-data") == [
        {
            "group": "churn",
            "version": 1,
            "package": package_arn("churn", 1),
            "job": "churn-1",
            "dataset": "s3://public-data/churn/train.csv",
            "bucket": "public-data",
            "anonymous_actions": PUBLIC_READ,
        }
    ]
    assert audit(driver, "approved-models-on-public-data", group="fraud") == []


def test_packages_without_cartography_account(joined: tuple[Driver, Any]) -> None:
    driver, _ = joined
    assert audit(driver, "packages-without-cartography-account") == [
        {
            "account": UNSYNCED,
            "region": REGION,
            "group": "fraud",
            "packages": 1,
            "approved": 1,
            "known_to_cartography": False,
        }
    ]
    assert audit(driver, "packages-without-cartography-account", group="churn") == []


def test_a_group_read_incompletely_merges_and_is_released_the_same_way(
    neo4j_driver: Driver,
) -> None:
    wipe(neo4j_driver)
    cartography_sync().run(neo4j_driver)
    synced = cartography_state(neo4j_driver)
    graph = registry()
    group = arn(SYNCED, "model-package-group/churn")
    graph.add_node(Kind.MODEL_PACKAGE_GROUP, group, partial=True)
    load(neo4j_driver, graph)
    assert labels_of(neo4j_driver, group) == [
        {"ModelPackageGroup", "AWSSageMakerModelPackageGroup"}
    ]
    [stored] = rows(neo4j_driver, "MATCH (n {id: $id}) RETURN properties(n) AS p", id=group)
    assert stored["p"]["model_package_group_name"] == stored["p"]["name"] == "churn"
    assert "name" in stored["p"]["lineage_props"]
    load(neo4j_driver, LineageGraph())
    assert cartography_state(neo4j_driver) == synced
