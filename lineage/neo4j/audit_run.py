"""Run saved audits in Neo4j and turn their results into plain values."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from neo4j import READ_ACCESS, Driver, ManagedTransaction, NotificationMinimumSeverity
from neo4j.graph import Node, Path, Relationship

from lineage.neo4j.audits import Audit, Rows, bind, load_audit


def execute(
    driver: Driver, database: str, audit: Audit, bound: Mapping[str, Any]
) -> tuple[list[str], Rows]:
    """Run a bound audit in a read transaction; its columns and rows as plain values."""

    def work(tx: ManagedTransaction) -> tuple[list[str], Rows]:
        result = tx.run(audit.query, dict(bound))
        columns = list(result.keys())
        return columns, [[plain(value) for value in record.values()] for record in result]

    with driver.session(
        database=database,
        default_access_mode=READ_ACCESS,
        notifications_min_severity=NotificationMinimumSeverity.OFF,
    ) as session:
        return session.execute_read(work)


def run_audit(
    driver: Driver, database: str, name: str, params: Mapping[str, Any]
) -> tuple[list[str], Rows]:
    """Run audit `name` with `params` (defaults filled in); its columns and rows."""
    audit = load_audit(name)
    return execute(driver, database, audit, bind(audit, params))


def plain(value: Any) -> Any:
    """A result value as plain data: nodes as their keys, relationships as types, paths as text."""
    if isinstance(value, Path):
        return path_text(value)
    if isinstance(value, Node):
        return value.get("key", value.element_id)
    if isinstance(value, Relationship):
        return value.type
    if isinstance(value, list):
        return [plain(item) for item in value]
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    return value


def path_text(path: Path) -> str:
    """`a <-[:REGISTERS]- b -[:CONSUMES]-> c`: node keys and relationship types, as traversed."""
    parts = [str(plain(path.start_node))]
    for before, rel, after in zip(path.nodes[:-1], path.relationships, path.nodes[1:], strict=True):
        forward = rel.start_node is not None and rel.start_node.element_id == before.element_id
        parts += [f"-[:{rel.type}]->" if forward else f"<-[:{rel.type}]-", str(plain(after))]
    return " ".join(parts)
