"""Level 3 rule L305: no cycle through `DependsOn` and data references."""

from __future__ import annotations

from collections.abc import Iterator

import networkx as nx

from lineage.checks.model import CheckContext, Severity, Violation
from lineage.checks.registry import graph_rule
from lineage.graph import Kind, LineageGraph, Node, Rel


def step_dependencies(graph: LineageGraph, step: Node) -> set[str]:
    """Keys of the steps `step` must run after: explicit DependsOn plus steps it reads from."""
    found = {s.key for s in graph.out(step, Rel.DEPENDS_ON)}
    for ref in graph.out(step, Rel.USES):
        for target in graph.out(ref, Rel.RESOLVES_TO):
            if target.kind is Kind.STEP:
                found.add(target.key)
            elif target.kind is Kind.ARTIFACT:
                found.update(p.key for p in graph.into(target, Rel.PRODUCES))
    return found


@graph_rule(
    "L305",
    "dependency-cycle",
    Severity.ERROR,
    applies_to="Step dependencies (DependsOn and data references)",
    summary="Steps that depend on each other in a cycle",
    rationale=(
        "SageMaker runs a pipeline as a directed acyclic graph built from `DependsOn` and from "
        "the property references between steps. A cycle (A reads B, B depends on A) makes the "
        "definition invalid: no step of the cycle can ever start."
    ),
    recommendation="Break the cycle: remove the `DependsOn` entry or the reference that points "
    "back to a later step.",
    example='[{"Name": "A", "DependsOn": ["B"]}, {"Name": "B", "DependsOn": ["A"]}]',
)
def dependency_cycle(context: CheckContext) -> Iterator[Violation]:
    """One finding per strongly connected group of steps, at its first step by key."""
    graph = context.graph
    deps = nx.DiGraph()
    for step in graph.nodes(Kind.STEP):
        deps.add_node(step.key)
        deps.add_edges_from((step.key, target) for target in step_dependencies(graph, step))
    for component in nx.strongly_connected_components(deps):
        first = min(component)
        if len(component) == 1 and not deps.has_edge(first, first):
            continue
        cycle = nx.find_cycle(deps.subgraph(component), source=first)
        names = [graph.node(Kind.STEP, u).get("name") for u, _ in cycle]
        names.append(names[0])
        yield Violation(
            graph.node(Kind.STEP, first),
            "steps depend on each other in a cycle: " + " -> ".join(names),
        )
