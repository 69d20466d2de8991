"""Load a scan into Neo4j: schema first, batched idempotent MERGEs, then a scoped cleanup."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol

from neo4j import Driver, ManagedTransaction

from lineage.backends import NEO4J_BATCH_SIZE
from lineage.backends.neo4j_rows import edge_rows, finding_rows, node_rows
from lineage.checks.model import Finding
from lineage.cypher import read, statements
from lineage.graph import Kind, LineageGraph

# Nodes several pipelines may share; removed only when nothing links to them any more.
SHARED_KINDS = (Kind.ARTIFACT, Kind.MODEL_PACKAGE_GROUP)
# Nodes that belong to exactly one pipeline (their `pipeline` property).
OWNED_KINDS = (Kind.STEP, Kind.PARAMETER, Kind.PROPERTY_REF, Kind.MODEL_PACKAGE)

# Live registry nodes (they have an `arn`) of one account and region.
_LIVE = "n.arn IS NOT NULL AND n.account = $account AND n.region = $region"
_STALE = "n.last_scan_id <> $scan_id"
_STALE_GROUPS = f"MATCH (n:ModelPackageGroup) WHERE {_LIVE} AND {_STALE} "
_GROUP_PACKAGES = f"MATCH (n:ModelPackage) WHERE {_LIVE} AND n.group IN $groups "
# The stale relationships of the complete groups' packages; their stale findings and packages;
# the stale groups of a region (with their packages and findings) when its list was complete.
_GROUP_EDGES = _GROUP_PACKAGES + "MATCH (n)-[r]->() WHERE r.last_scan_id <> $scan_id DELETE r"
_GROUP_CLEANUP = (
    f"MATCH (f:Finding)-[:ABOUT]->(n) WHERE {_LIVE} AND f.last_scan_id <> $scan_id "
    "AND (n:ModelPackage AND n.group IN $groups OR n:ModelPackageGroup AND n.name IN $groups) "
    "DETACH DELETE f",
    _GROUP_PACKAGES + f"AND {_STALE} DETACH DELETE n",
)
_REGION_CLEANUP = (
    _STALE_GROUPS + "MATCH (f:Finding)-[:ABOUT]->(x) "
    "WHERE x = n OR (x:ModelPackage AND (x)-[:IN_GROUP]->(n)) DETACH DELETE f",
    _STALE_GROUPS + "MATCH (x:ModelPackage)-[:IN_GROUP]->(n) DETACH DELETE x",
    _STALE_GROUPS + "DETACH DELETE n",
)
# Stale executions and jobs no package links to any more, then the S3 objects only they named.
_ORPHAN_EXECUTIONS = (
    f"MATCH (n:PipelineExecution) WHERE {_LIVE} AND {_STALE} "
    "AND NOT EXISTS { (:ModelPackage)-[:GENERATED_BY]->(n) } DETACH DELETE n"
)
_ORPHAN_JOBS = (
    f"MATCH (n:Job) WHERE {_LIVE} AND {_STALE} "
    "AND NOT EXISTS { (:ModelPackage)-[:GENERATED_BY]->(n) } "
    "AND NOT EXISTS { (n)-[:GENERATED_BY]->(:PipelineExecution) } "
)


class RegistryScope(Protocol):
    """A completely collected part of a registry: an account and region, and one group of it
    (or None: the region's whole list of groups)."""

    @property
    def account(self) -> str: ...

    @property
    def region(self) -> str: ...

    @property
    def group(self) -> str | None: ...


@dataclass
class LoadReport:
    """What a load did: the scan stamp, rows written, nodes removed, warnings."""

    scan_id: str
    scanned_at: str
    rows: int = 0
    removed: int = 0
    warnings: list[str] = field(default_factory=list)


def _batches(rows: list[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


class Neo4jLoader:
    """Writes graphs and findings to one database of a Neo4j server."""

    def __init__(self, driver: Driver, database: str, batch_size: int = NEO4J_BATCH_SIZE):
        self.driver = driver
        self.database = database
        self.batch_size = batch_size

    def _write(self, query: str, **params: Any) -> list[dict[str, Any]]:
        def work(tx: ManagedTransaction) -> list[dict[str, Any]]:
            return [record.data() for record in tx.run(query, params)]

        with self.driver.session(database=self.database) as session:
            return session.execute_write(work)

    def apply_schema(self) -> None:
        """Create the constraints and indexes of cypher/schema.cypher (idempotent)."""
        for statement in statements(read("schema.cypher")):
            self._write(statement)

    def _unwind(self, query: str, rows: list[dict[str, Any]], **params: Any) -> int:
        for batch in _batches(rows, self.batch_size):
            self._write(query, rows=batch, **params)
        return len(rows)

    def load(
        self,
        graph: LineageGraph,
        findings: list[Finding],
        complete_pipelines: set[str],
        scan_id: str | None = None,
    ) -> LoadReport:
        """MERGE the graph and findings, then clean up what vanished from complete pipelines."""
        report = self.load_graph(graph, scan_id)
        self.load_findings(findings, report)
        self.finish(complete_pipelines, report)
        return report

    def load_graph(self, graph: LineageGraph, scan_id: str | None = None) -> LoadReport:
        """Apply the schema and MERGE every node and relationship, stamped with a new scan."""
        report = LoadReport(scan_id or uuid.uuid4().hex, datetime.now(UTC).isoformat())
        stamp = {"scan_id": report.scan_id, "at": report.scanned_at}
        self.apply_schema()
        for kind, rows in node_rows(graph).items():
            query = (
                f"UNWIND $rows AS row MERGE (n:{kind.value} {{key: row.key}}) "
                "SET n = row.props, n.key = row.key, "
                "n.last_scan_id = $scan_id, n.last_scanned_at = $at"
            )
            report.rows += self._unwind(query, rows, **stamp)
        for group, rows in edge_rows(graph).items():
            query = (
                f"UNWIND $rows AS row MATCH (a:{group.source.value} {{key: row.source}}) "
                f"MATCH (b:{group.target.value} {{key: row.target}}) "
                f"MERGE (a)-[r:{group.rel.value} {{arg: row.arg}}]->(b) "
                "SET r += row.props, r.last_scan_id = $scan_id"
            )
            report.rows += self._unwind(query, rows, **stamp)
        return report

    def load_findings(self, findings: list[Finding], report: LoadReport) -> None:
        """MERGE the findings of the scan `report` stamps, each linked to its node."""
        stamp = {"scan_id": report.scan_id, "at": report.scanned_at}
        for kind, rows in finding_rows(findings).items():
            query = (
                f"UNWIND $rows AS row MATCH (n:{kind.value} {{key: row.node}}) "
                "MERGE (f:Finding {key: row.key}) "
                "SET f = row.props, f.key = row.key, "
                "f.last_scan_id = $scan_id, f.last_scanned_at = $at "
                "MERGE (f)-[:ABOUT]->(n)"
            )
            report.rows += self._unwind(query, rows, **stamp)

    def finish(self, complete_pipelines: set[str], report: LoadReport) -> None:
        """Clean up each completely collected pipeline after the scan `report` stamps."""
        for pipeline in sorted(complete_pipelines):
            report.removed += self.cleanup(pipeline, report.scan_id)

    def cleanup(self, pipeline: str, scan_id: str) -> int:
        """Remove what an earlier scan of `pipeline` wrote and this one did not; count it."""
        params = {"pipeline": pipeline, "scan_id": scan_id}
        owners = ["MATCH (n:Pipeline {key: $pipeline}) "] + [
            f"MATCH (n:{kind.value} {{pipeline: $pipeline}}) "
            for kind in (*OWNED_KINDS, Kind.ARTIFACT)
        ]
        shared: list[dict[str, Any]] = []
        for owner in owners:
            shared += self._write(
                owner + "MATCH (n)-[r]->(s) WHERE r.last_scan_id <> $scan_id "
                "AND (s:Artifact OR s:ModelPackageGroup) "
                "RETURN DISTINCT labels(s)[0] AS label, s.key AS key",
                **params,
            )
            self._write(
                owner + "MATCH (n)-[r]->() WHERE r.last_scan_id <> $scan_id DELETE r", **params
            )
        removed = self._count(
            "MATCH (f:Finding {pipeline_key: $pipeline}) WHERE f.last_scan_id <> $scan_id "
            "DETACH DELETE f",
            **params,
        )
        for kind in OWNED_KINDS:
            removed += self._count(
                f"MATCH (n:{kind.value} {{pipeline: $pipeline}}) WHERE n.last_scan_id <> $scan_id "
                "DETACH DELETE n",
                **params,
            )
        removed += self._count(
            "MATCH (n:Artifact {pipeline: $pipeline}) WHERE n.producer IS NOT NULL "
            "AND n.last_scan_id <> $scan_id DETACH DELETE n",
            **params,
        )
        for kind in SHARED_KINDS:
            keys = sorted({row["key"] for row in shared if row["label"] == kind.value})
            removed += self._count(
                f"MATCH (s:{kind.value}) WHERE s.key IN $keys AND NOT (s)--() DELETE s", keys=keys
            )
        return removed

    def cleanup_registry(self, scopes: Iterable[RegistryScope], scan_id: str) -> int:
        """Remove the live registry nodes an earlier scan wrote and this one did not, within the
        completely collected `scopes` only; count them. Incomplete parts are never passed."""
        groups: dict[tuple[str, str], list[str]] = {}
        whole: set[tuple[str, str]] = set()
        for scope in scopes:
            where = (scope.account, scope.region)
            groups.setdefault(where, [])
            if scope.group is None:
                whole.add(where)
            else:
                groups[where].append(scope.group)
        removed = 0
        for (account, region), names in sorted(groups.items()):
            params = {"account": account, "region": region, "scan_id": scan_id, "groups": names}
            self._write(_GROUP_EDGES, **params)
            queries = _GROUP_CLEANUP + (_REGION_CLEANUP if (account, region) in whole else ())
            removed += sum(self._count(query, **params) for query in queries)
            removed += self._count(_ORPHAN_EXECUTIONS, **params)
            keys = self._write(
                _ORPHAN_JOBS + "OPTIONAL MATCH (n)-[:CONSUMES|PRODUCES]->(a:Artifact) "
                "RETURN collect(DISTINCT a.key) AS keys",
                **params,
            )[0]["keys"]
            removed += self._count(_ORPHAN_JOBS + "DETACH DELETE n", **params)
            removed += self._count(
                "MATCH (a:Artifact) WHERE a.key IN $keys AND NOT (a)--() DELETE a", keys=keys
            )
        return removed

    def _count(self, query: str, **params: Any) -> int:
        """Run a deleting query; return how many rows it matched."""
        return int(self._write(query + " RETURN count(*) AS n", **params)[0]["n"])
