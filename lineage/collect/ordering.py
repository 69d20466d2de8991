"""Run order: each step RUNS_AFTER the steps it names in DependsOn or reads properties of."""

from __future__ import annotations

from lineage.collect.builder import Builder
from lineage.graph.lineage_graph import Node, Rel


def add_run_order(builder: Builder, step: Node) -> None:
    """`(step)-[:RUNS_AFTER {via}]->(other)`, `via` listing `data` and/or `depends_on`."""
    targets: dict[str, tuple[Node, set[str]]] = {}
    for target in builder.graph.out(step, Rel.DEPENDS_ON):
        targets.setdefault(target.key, (target, set()))[1].add("depends_on")
    for ref in builder.graph.out(step, Rel.USES):
        read = builder.steps.get(ref.get("target_step")) if ref.get("root") == "Steps" else None
        if read is not None:
            targets.setdefault(read.key, (read, set()))[1].add("data")
    for key in sorted(targets):
        target, via = targets[key]
        builder.graph.add_edge(step, Rel.RUNS_AFTER, target, via=sorted(via))
