"""Helpers for tests against the session's real Neo4j server."""

from __future__ import annotations

from typing import Any

from neo4j import Driver

STAMPS = frozenset({"last_scan_id", "last_scanned_at"})


def wipe(driver: Driver) -> None:
    """Empty the test server's database (a server these tests started themselves)."""
    driver.execute_query("MATCH (n) DETACH DELETE n", database_="neo4j")


def snapshot(driver: Driver) -> tuple[list[Any], list[Any]]:
    """Every node and relationship with its properties, scan stamps left out, in a stable order."""
    nodes, _, _ = driver.execute_query(
        "MATCH (n) RETURN labels(n) AS labels, properties(n) AS props", database_="neo4j"
    )
    rels, _, _ = driver.execute_query(
        "MATCH (a)-[r]->(b) RETURN a.key AS a, type(r) AS t, b.key AS b, properties(r) AS props",
        database_="neo4j",
    )

    def clean(props: dict[str, Any]) -> list[tuple[str, str]]:
        return sorted((k, repr(v)) for k, v in props.items() if k not in STAMPS)

    return (
        sorted((r["labels"], clean(r["props"])) for r in nodes),
        sorted((r["a"], r["t"], r["b"], clean(r["props"])) for r in rels),
    )
