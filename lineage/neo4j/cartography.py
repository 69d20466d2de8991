"""Cartography's labels and keys on the live nodes, so that one Neo4j holds both graphs.

A live node with a Cartography label (`cartography_label`, from its ARN) MERGEs onto the node
Cartography keeps for the same resource (its `id` is the ARN), live nodes link to Cartography's
`AWSAccount` (`id` = account id) and URI-keyed artifacts to its `S3Bucket` (`id` = `name` =
bucket name). What the loader owns on a shared node is its lineage labels, the properties it
lists in `lineage_props` and relationships of its own types between lineage nodes; its cleanup
releases only those, and deletes a node only when nothing of Cartography's is left on it."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from lineage.collect.registry.transform import CARTOGRAPHY_LABELS
from lineage.graph.lineage_graph import Kind, LineageGraph, Rel

IN_ACCOUNT, IN_BUCKET = "IN_ACCOUNT", "IN_BUCKET"
# Properties that Cartography writes with the same values as the loader: never released.
SHARED_PROPS = ("id", "arn", "region")
# Bookkeeping of the loader on a node, released with its lineage labels.
LINEAGE_STAMPS = ("key", "content_hash", "pipelines", "lineage_props")
# Which relationships and labels are the loader's (query parameters of the queries below).
OWNED: dict[str, Any] = {
    "lineage_rels": sorted({rel.value for rel in Rel} | {"ABOUT"}),
    "lineage_kinds": sorted({kind.value for kind in Kind} | {"Finding"}),
}
# The lineage label among a node's labels (its first label may be another tool's).
KIND_OF = "head([l IN labels({node}) WHERE l IN $lineage_kinds])"
# A bucket name as S3 allows it, at the start of a literal `s3://` URI.
_BUCKET = re.compile(r"^s3://([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:/|$)")

# Adopt Cartography's node for a row before the MERGE on the lineage key finds it.
ADOPT = (
    "UNWIND $rows AS row MATCH (c:{clabel} {{id: row.props.arn}}) WHERE NOT c:{label} "
    "AND NOT EXISTS {{ MATCH (:{label} {{key: row.key}}) }} "
    "WITH row, head(collect(c)) AS c SET c:{label}, c.key = row.key"
)
# A complete row: Cartography's properties stay, the loader's stale ones go.
NODES = (
    "UNWIND $rows AS row MERGE (n:{label} {{key: row.key}}) "
    "WITH n, row, coalesce(n.pipelines, []) AS had "
    "FOREACH (k IN [p IN coalesce(n.lineage_props, []) WHERE NOT p IN keys(row.props)] | "
    "REMOVE n[k]) "
    "SET n += row.props, n:{clabel}, n.id = row.props.arn, n.content_hash = row.hash, "
    "n.lineage_props = keys(row.props), "
    "n.pipelines = CASE WHEN size(had) + size(row.pipelines) = 0 THEN null "
    "ELSE had + [p IN row.pipelines WHERE NOT p IN had] END"
)
# A row read incompletely: what is stored stays, what is not stored yet is added.
PARTIAL_NODES = (
    "UNWIND $rows AS row MERGE (n:{label} {{key: row.key}}) "
    "ON CREATE SET n.content_hash = row.hash WITH n, row, properties(n) AS stored "
    "SET n += row.props SET n += stored SET n:{clabel}, n.id = row.props.arn, "
    "n.lineage_props = coalesce(stored.lineage_props, []) "
    "+ [k IN keys(row.props) WHERE NOT k IN coalesce(stored.lineage_props, [])]"
)
_ACCOUNTS = (
    "UNWIND $rows AS row MATCH (n:{label} {{key: row.key}}) "
    "MERGE (a:AWSAccount {{id: row.join}}) MERGE (n)-[:IN_ACCOUNT]->(a)"
)
# A bucket lineage creates also gets AWSS3Bucket, the label newer Cartography releases MERGE on
# (they keep S3Bucket as a legacy label).
_BUCKETS = (
    "UNWIND $rows AS row MATCH (n:{label} {{key: row.key}}) "
    "MERGE (b:S3Bucket {{id: row.join}}) ON CREATE SET b:AWSS3Bucket, b.name = row.join "
    "MERGE (n)-[:IN_BUCKET]->(b)"
)
# Parts of the deletion of the matched nodes `n`: the findings about them; their links to
# accounts and buckets, with an account or bucket only the loader wrote and nothing links to.
FINDINGS_OF = "CALL (n) { MATCH (f:Finding)-[:ABOUT]->(n) DETACH DELETE f } "
JOINS_OF = (
    f"CALL (n) {{ MATCH (n)-[r:{IN_ACCOUNT}|{IN_BUCKET}]->(j) DELETE r WITH DISTINCT j "
    "WHERE NOT (j)--() AND all(k IN keys(j) WHERE k IN ['id', 'name']) DELETE j } "
)
# Release the matched live nodes `n`: the loader's relationships, properties and labels go; the
# node goes only when no other tool's property or relationship is left on it. (A node without
# `lineage_props` was written whole by the loader: all of it goes.)
RELEASE = (
    "CALL (n) { MATCH (n)-[r]-(m) WHERE n.lineage_props IS NULL OR type(r) IN $lineage_rels "
    "AND any(l IN labels(m) WHERE l IN $lineage_kinds) DELETE r } "
    "FOREACH (k IN CASE WHEN n.lineage_props IS NULL THEN keys(n) ELSE "
    f"[p IN n.lineage_props + {list(LINEAGE_STAMPS)} WHERE NOT p IN {list(SHARED_PROPS)}] END "
    "| REMOVE n[k]) "
    "FOREACH (l IN [l IN labels(n) WHERE l IN $lineage_kinds] | REMOVE n:$(l)) "
    "WITH n CALL (n) { WITH n WHERE NOT (n)--() "
    f"AND all(k IN keys(n) WHERE k IN {list(SHARED_PROPS)}) DELETE n }}"
)


def cartography_label(row: dict[str, Any]) -> str | None:
    """The Cartography label of a node row (live nodes whose ARN names a resource it maps); only
    one of the known labels, since it is written into the query text."""
    label = row["props"].get("cartography_label")
    known = label in CARTOGRAPHY_LABELS.values() and row["props"].get("arn")
    return str(label) if known else None


def bucket_of(uri: str) -> str | None:
    """The bucket a literal S3 URI names, or None (no S3 URI, or a symbolic bucket)."""
    found = _BUCKET.match(uri)
    return found[1] if found else None


def join_rows(graph: LineageGraph) -> dict[tuple[str, Kind], list[dict[str, str]]]:
    """`{key, join}` rows per (join query, label): each live node's account, and the bucket of
    each artifact keyed by a literal S3 URI."""
    rows: dict[tuple[str, Kind], list[dict[str, str]]] = {}
    for node in graph.nodes():
        account = node.get("account")
        if isinstance(account, str) and account and node.get("arn"):
            rows.setdefault((_ACCOUNTS, node.kind), []).append({"key": node.key, "join": account})
        bucket = bucket_of(node.key) if node.kind is Kind.ARTIFACT else None
        if bucket:
            rows.setdefault((_BUCKETS, node.kind), []).append({"key": node.key, "join": bucket})
    return rows


def link_joins(unwind: Callable[..., int], graph: LineageGraph) -> None:
    """MERGE the graph's accounts and buckets (onto Cartography's nodes when it has them) and the
    relationships to them; a re-load finds them all and writes nothing."""
    for (query, kind), rows in join_rows(graph).items():
        unwind(query.format(label=kind.value), rows)
