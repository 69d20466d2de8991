"""Load a scan into Neo4j: schema first, then batched idempotent MERGEs of what changed.

A node is rewritten (with its outgoing relationships) only when its stored content hash or
its number of outgoing relationships differs from the scan's, so re-loading an unchanged scan
reads and compares but writes nothing. A load has two phases with the graph rules between them:
`load_graph` writes the graph and removes what vanished from it, `load_findings` writes the
findings and removes the stale ones (`cleanup` says what is removed)."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from typing import Any, TypeVar

from neo4j import Driver, ManagedTransaction

from lineage.graph.lineage_graph import Kind, LineageGraph
from lineage.neo4j import NEO4J_BATCH_SIZE
from lineage.neo4j.cartography import (
    ADOPT,
    NODES,
    OWNED,
    PARTIAL_NODES,
    cartography_label,
    link_joins,
)
from lineage.neo4j.cleanup import (
    LoadReport,
    RegistryScope,
    cleanup_findings,
    cleanup_pipelines,
    cleanup_registry,
)
from lineage.neo4j.cypher_files import read, statements
from lineage.neo4j.rows import edge_rows, finding_rows, node_rows
from lineage.rules.engine.model import Finding

Row = TypeVar("Row")
_SCHEMA_NAME = re.compile(r"CREATE (?:CONSTRAINT|INDEX) (\w+) IF NOT EXISTS")
# Rows whose element is missing (`absent`), differs in content, lost an outgoing relationship of
# its own, lacks its Cartography label or does not list a pipeline that uses it.
_CHANGED = (
    "UNWIND $rows AS row OPTIONAL MATCH (n:{label} {{key: row.key}}) "
    "WITH row, n WHERE n IS NULL OR coalesce(n.content_hash <> row.hash, true) "
    "OR COUNT {{ (n)-[r]->(m) WHERE type(r) IN $lineage_rels "
    "AND any(l IN labels(m) WHERE l IN $lineage_kinds) }} <> row.degree "
    "OR NOT coalesce(row.clabel IN labels(n), true) "
    "OR any(p IN row.pipelines WHERE NOT p IN coalesce(n.pipelines, [])) "
    "RETURN row.key AS key, n IS NULL AS absent"
)
# Nodes replaced by the scan's, keeping the pipelines that use them besides the scan's.
_NODES = (
    "UNWIND $rows AS row MERGE (n:{label} {{key: row.key}}) "
    "WITH n, row, coalesce(n.pipelines, []) AS had "
    "SET n = row.props, n.key = row.key, n.content_hash = row.hash, "
    "n.pipelines = CASE WHEN size(had) + size(row.pipelines) = 0 THEN null "
    "ELSE had + [p IN row.pipelines WHERE NOT p IN had] END"
)
# Nodes read incompletely: what is stored stays, what is not stored yet is added.
_PARTIAL_NODES = (
    "UNWIND $rows AS row MERGE (n:{label} {{key: row.key}}) "
    "ON CREATE SET n.content_hash = row.hash WITH n, row, properties(n) AS stored "
    "SET n += row.props SET n += stored"
)
# Relationships between two labels, of any type (one statement a pair of labels: each distinct
# statement costs its planning on a fresh server), MERGEd by hand: the existing one is sought
# by expanding from `a` (`end = b`, not `(a)-[old]->(b)`). A MERGE, or a pattern with both ends
# bound, is planned as a scan of every relationship when the statement is first planned on a
# (nearly) empty database, and that plan would be kept while the load fills it: quadratic.
# Writing to `a` first locks it, so that two loads at once do not both create the relationship.
_EDGES = (
    "UNWIND $rows AS row MATCH (a:{source} {{key: row.source}}) "
    "MATCH (b:{target} {{key: row.target}}) SET a.key = a.key "
    "WITH a, b, row OPTIONAL MATCH (a)-[old]->(end) "
    "WHERE end = b AND type(old) = row.rel AND old.arg = row.arg "
    "WITH a, b, row, collect(old) AS found "
    "FOREACH (_ IN CASE WHEN found = [] THEN [1] ELSE [] END | "
    "CREATE (a)-[r:$(row.rel)]->(b) SET r = row.props, r.arg = row.arg) "
    "FOREACH (old IN found | SET old = row.props, old.arg = row.arg)"
)
_FINDINGS = (
    "UNWIND $rows AS row MATCH (n:{label} {{key: row.node}}) "
    "MERGE (f:Finding {{key: row.key}}) SET f = row.props, f.key = row.key, "
    "f.content_hash = row.hash MERGE (f)-[:ABOUT]->(n)"
)
_STAMP = (
    "UNWIND $rows AS key MATCH (p:Pipeline {key: key}) "
    "SET p.last_scan_id = $scan_id, p.last_scanned_at = $at"
)


def edge_statement(source: Kind, target: Kind) -> str:
    """The statement that writes relationships of any type from `source` to `target` nodes."""
    return _EDGES.format(source=source.value, target=target.value)


def _batches(rows: list[Row], size: int) -> Iterator[list[Row]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


class Neo4jLoader:
    """Writes graphs and findings to one database of a Neo4j server."""

    def __init__(self, driver: Driver, database: str, batch_size: int = NEO4J_BATCH_SIZE):
        self.driver = driver
        self.database = database
        self.batch_size = batch_size

    def run(self, query: str, *, write: bool = True, **params: Any) -> list[dict[str, Any]]:
        """Run one query in a managed transaction; return its records as dicts."""

        def work(tx: ManagedTransaction) -> list[dict[str, Any]]:
            return [record.data() for record in tx.run(query, params)]

        with self.driver.session(database=self.database) as session:
            return session.execute_write(work) if write else session.execute_read(work)

    def apply_schema(self) -> None:
        """Create the constraints and indexes of cypher/schema.cypher that do not exist yet."""
        # A uniqueness constraint's index has the constraint's name.
        have = {r["name"] for r in self.run("SHOW INDEXES YIELD name RETURN name", write=False)}
        for statement in statements(read("schema.cypher")):
            named = _SCHEMA_NAME.match(statement)
            if named is None or named[1] not in have:
                self.run(statement)

    def _unwind(self, query: str, rows: list[Any], **params: Any) -> int:
        for batch in _batches(rows, self.batch_size):
            self.run(query, rows=batch, **params)
        return len(rows)

    def _changed(
        self, label: str, rows: list[dict[str, Any]], absent: set[str] | None = None
    ) -> list[dict[str, Any]]:
        """The rows whose element differs from the stored one (compared by key, hash, degree and
        the pipelines using it); the keys of those not stored at all are added to `absent`."""
        query = _CHANGED.format(label=label)
        keys: set[str] = set()
        for batch in _batches(rows, self.batch_size):
            slim = [
                {
                    "key": r["key"],
                    "hash": r["hash"],
                    "degree": r["degree"],
                    "pipelines": r.get("pipelines", []),
                    "clabel": cartography_label(r),
                }
                for r in batch
            ]
            found = self.run(query, write=False, rows=slim, **OWNED)
            keys.update(record["key"] for record in found)
            if absent is not None:
                absent.update(record["key"] for record in found if record["absent"])
        return [row for row in rows if row["key"] in keys]

    def load(
        self,
        graph: LineageGraph,
        findings: list[Finding],
        complete_pipelines: set[str],
        scopes: Iterable[RegistryScope] = (),
    ) -> LoadReport:
        """Both phases at once, for findings that do not depend on the database."""
        report = self.load_graph(graph, pipelines=complete_pipelines, scopes=scopes)
        self.load_findings(findings, report)
        return report

    def load_graph(
        self,
        graph: LineageGraph,
        scan_id: str | None = None,
        *,
        pipelines: Iterable[str] = (),
        scopes: Iterable[RegistryScope] = (),
    ) -> LoadReport:
        """Apply the schema, MERGE the nodes that changed and their outgoing relationships, stamp
        the scan on its pipelines, then remove what vanished from the complete `pipelines` and
        registry `scopes` (nothing else: incomplete parts are never passed)."""
        report = LoadReport(scan_id or uuid.uuid4().hex, datetime.now(UTC).isoformat())
        report.graph, report.pipelines, report.scopes = graph, set(pipelines), list(scopes)
        self.apply_schema()
        changed: dict[Kind, set[str]] = {}
        edges = edge_rows(graph)
        for kind, rows in node_rows(graph, edges).items():
            fresh = self._changed(kind.value, rows, report.created.setdefault(kind, set()))
            report.rewritten[kind] = fresh
            changed[kind] = {row["key"] for row in fresh}
            report.rows += self._write_nodes(kind, fresh)
            report.unchanged += len(rows) - len(fresh)
        pairs: dict[tuple[Kind, Kind], list[dict[str, Any]]] = {}
        for group, rows in edges.items():
            sources = changed.get(group.source, set())
            fresh = [row for row in rows if row["source"] in sources]
            pairs.setdefault((group.source, group.target), []).extend(fresh)
            report.unchanged += len(rows) - len(fresh)
        for (source, target), fresh in pairs.items():
            report.rows += self._unwind(edge_statement(source, target), fresh)
        link_joins(self._unwind, graph)
        keys = [node.key for node in graph.nodes(Kind.PIPELINE)]
        self._unwind(_STAMP, keys, scan_id=report.scan_id, at=report.scanned_at)
        report.removed += cleanup_pipelines(self.run, report.pipelines, report)
        report.removed += cleanup_registry(self.run, report.scopes, report)
        return report

    def _write_nodes(self, kind: Kind, rows: list[dict[str, Any]]) -> int:
        """MERGE node rows; a row with a Cartography label first adopts Cartography's node for
        the resource, and keeps the properties the loader does not own."""
        groups: dict[tuple[bool, str | None], list[dict[str, Any]]] = {}
        for row in rows:
            groups.setdefault((row["partial"], cartography_label(row)), []).append(row)
        written = 0
        for (partial, clabel), mine in groups.items():
            queries = (_PARTIAL_NODES, PARTIAL_NODES) if partial else (_NODES, NODES)
            if clabel is not None:
                self._unwind(ADOPT.format(label=kind.value, clabel=clabel), mine)
            query = queries[clabel is not None].format(label=kind.value, clabel=clabel)
            written += self._unwind(query, mine)
        return written

    def load_findings(self, findings: list[Finding], report: LoadReport) -> None:
        """MERGE the findings that changed since the last load, each linked to its node; remove
        the stale ones of the complete pipelines and scopes of `report`."""
        report.findings = findings
        for kind, rows in finding_rows(findings).items():
            fresh = self._changed("Finding", rows)
            report.rows += self._unwind(_FINDINGS.format(label=kind.value), fresh)
            report.unchanged += len(rows) - len(fresh)
        report.removed += cleanup_findings(self.run, report)
