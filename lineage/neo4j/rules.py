"""Graph rules run as Cypher in Neo4j (cypher/rules/<CODE>.cypher), same violations as memory."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from neo4j import Driver, RoutingControl

from lineage.graph.lineage_graph import Kind, LineageGraph
from lineage.neo4j.cypher_files import CYPHER_DIR, read, statements
from lineage.rules.engine.model import CheckContext, Rule, Violation
from lineage.rules.l3_live_registry import live_packages

_PARAMETER = re.compile(r"\$(\w+)")


def rule_query(code: str) -> str:
    """The findings query of a graph rule."""
    return read(f"rules/{code}.cypher")


def has_cypher(code: str) -> bool:
    """Whether a graph rule has its Cypher findings query."""
    return (CYPHER_DIR / "rules" / f"{code}.cypher").is_file()


def scope_parameters(graph: LineageGraph, scope: list[str]) -> dict[str, Any]:
    """The rules' parameters for a scan's scope (pipeline keys and live package keys):
    `$pipelines`, the keys that are not live packages, and `$registries`, the `{account,
    region}` of each registry the scope's live packages were read from."""
    scoped = set(scope)
    packages = [p for p in live_packages(graph) if p.key in scoped]
    registries = sorted({(str(p.get("account")), str(p.get("region"))) for p in packages})
    read_keys = {p.key for p in packages}
    return {
        "pipelines": [key for key in scope if key not in read_keys],
        "registries": [{"account": account, "region": region} for account, region in registries],
    }


def used(query: str, parameters: dict[str, Any]) -> dict[str, Any]:
    """The parameters the query's statements name, outside `//` comments (the others are not
    sent: a scope's lists can be long)."""
    names = set(_PARAMETER.findall(" ".join(statements(query))))
    return {name: value for name, value in parameters.items() if name in names}


class Neo4jRuleBackend:
    """Runs each graph rule's Cypher over the pipelines and registries just loaded into Neo4j.

    Registry rules check every live package of the scope's registries (an index seek by
    account and region, not a list of every package key); rows about nodes this scan does not
    hold are dropped, so both backends report the same packages."""

    def __init__(self, driver: Driver, database: str, pipelines: list[str]) -> None:
        self.driver = driver
        self.database = database
        self.pipelines = sorted(pipelines)
        self._parameters: tuple[LineageGraph, dict[str, Any]] | None = None

    def parameters(self, graph: LineageGraph) -> dict[str, Any]:
        """The scope's parameters for this graph (worked out once per graph)."""
        if self._parameters is None or self._parameters[0] is not graph:
            self._parameters = (graph, scope_parameters(graph, self.pipelines))
        return self._parameters[1]

    def violations(self, rule: Rule, context: CheckContext) -> Iterator[Violation]:
        """Rows of `kind, key, pointer, args`, formatted by the rule's shared message format."""
        assert rule.message is not None, f"graph rule {rule.code} has no message format"
        query = rule_query(rule.code)
        records, _, _ = self.driver.execute_query(
            query,
            used(query, self.parameters(context.graph)),
            database_=self.database,
            routing_=RoutingControl.READ,
        )
        for record in records:
            kind, key = Kind(record["kind"]), record["key"]
            if not context.graph.has(kind, key):
                continue  # another scan's node, or one under a part this scan skipped
            node = context.graph.node(kind, key)
            yield Violation(node, rule.message(dict(record["args"])), record["pointer"])
