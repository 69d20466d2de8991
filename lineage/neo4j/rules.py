"""Graph rules run as Cypher in Neo4j (cypher/rules/<CODE>.cypher), same violations as memory."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from neo4j import Driver, RoutingControl

from lineage.graph.lineage_graph import Kind, LineageGraph
from lineage.neo4j.cypher_files import CYPHER_DIR, read, used
from lineage.rules.engine.model import CheckContext, Rule, Violation
from lineage.rules.l3_live_registry import live_packages

SESSIONS = 2
"""How many rule queries run at once: their planning dominates a first scan on a fresh server,
and it is CPU-bound in the server (one thread a query)."""
Records = list[dict[str, Any]]


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


class Neo4jRuleBackend:
    """Runs each graph rule's Cypher over the pipelines and registries just loaded into Neo4j.

    Registry rules check every live package of the scope's registries (an index seek by
    account and region, not a list of every package key); rows about nodes this scan does not
    hold are dropped, so both backends report the same packages. A rule whose scope parameters
    are all empty is not sent (every rule query starts from its scope: it has no rows), and the
    rules `prepare` is given run `SESSIONS` at a time."""

    def __init__(self, driver: Driver, database: str, pipelines: list[str]) -> None:
        self.driver = driver
        self.database = database
        self.pipelines = sorted(pipelines)
        self._parameters: tuple[LineageGraph, dict[str, Any]] | None = None
        self._prepared: dict[str, Future[Records]] = {}

    def parameters(self, graph: LineageGraph) -> dict[str, Any]:
        """The scope's parameters for this graph (worked out once per graph)."""
        if self._parameters is None or self._parameters[0] is not graph:
            self._parameters = (graph, scope_parameters(graph, self.pipelines))
        return self._parameters[1]

    def prepare(self, rules: list[Rule], context: CheckContext) -> None:
        """Run the queries of `rules` now, `SESSIONS` at a time; `violations` reads their rows
        (or raises what a query raised)."""
        self.parameters(context.graph)  # worked out here, not by each thread
        with ThreadPoolExecutor(SESSIONS, thread_name_prefix="lineage-rule") as pool:
            for rule in rules:
                self._prepared[rule.code] = pool.submit(self._records, rule, context.graph)

    def violations(self, rule: Rule, context: CheckContext) -> Iterator[Violation]:
        """Rows of `kind, key, pointer, args`, formatted by the rule's shared message format."""
        assert rule.message is not None, f"graph rule {rule.code} has no message format"
        prepared = self._prepared.pop(rule.code, None)
        records = self._records(rule, context.graph) if prepared is None else prepared.result()
        for record in records:
            kind, key = Kind(record["kind"]), record["key"]
            if not context.graph.has(kind, key):
                continue  # another scan's node, or one under a part this scan skipped
            node = context.graph.node(kind, key)
            yield Violation(node, rule.message(dict(record["args"])), record["pointer"])

    def _records(self, rule: Rule, graph: LineageGraph) -> Records:
        """The rows of a rule's query over the scope of `graph` (none when the scope is empty)."""
        query = rule_query(rule.code)
        parameters = used(query, self.parameters(graph))
        if parameters and all(value == [] for value in parameters.values()):
            return []
        records, _, keys = self.driver.execute_query(
            query, parameters, database_=self.database, routing_=RoutingControl.READ
        )
        # Rows hold scalars, lists and maps only: `record.data()` would copy each value again,
        # checking it for graph types (~40 us a row of L319's drifts).
        return [dict(zip(keys, record, strict=True)) for record in records]
