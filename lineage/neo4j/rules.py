"""Graph rules run as Cypher in Neo4j (cypher/rules/<CODE>.cypher), same violations as memory."""

from __future__ import annotations

from collections.abc import Iterator

from neo4j import Driver, RoutingControl

from lineage.graph.lineage_graph import Kind
from lineage.neo4j.cypher_files import CYPHER_DIR, read
from lineage.rules.engine.model import CheckContext, Rule, Violation


def rule_query(code: str) -> str:
    """The findings query of a graph rule."""
    return read(f"rules/{code}.cypher")


def has_cypher(code: str) -> bool:
    """Whether a graph rule has its Cypher findings query."""
    return (CYPHER_DIR / "rules" / f"{code}.cypher").is_file()


class Neo4jRuleBackend:
    """Runs each graph rule's Cypher over the pipelines just loaded into Neo4j."""

    def __init__(self, driver: Driver, database: str, pipelines: list[str]) -> None:
        self.driver = driver
        self.database = database
        self.pipelines = sorted(pipelines)

    def violations(self, rule: Rule, context: CheckContext) -> Iterator[Violation]:
        """Rows of `kind, key, pointer, args`, formatted by the rule's shared message format."""
        assert rule.message is not None, f"graph rule {rule.code} has no message format"
        records, _, _ = self.driver.execute_query(
            rule_query(rule.code),
            {"pipelines": self.pipelines},
            database_=self.database,
            routing_=RoutingControl.READ,
        )
        for record in records:
            kind, key = Kind(record["kind"]), record["key"]
            if not context.graph.has(kind, key):
                continue  # another scan's node, or one under a part this scan skipped
            node = context.graph.node(kind, key)
            yield Violation(node, rule.message(dict(record["args"])), record["pointer"])
