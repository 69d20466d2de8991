"""Level 3 rule L305: no cycle through `DependsOn` and data references (RUNS_AFTER edges)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from lineage.graph.lineage_graph import Kind, Node, Rel
from lineage.jsondoc.pointer import child
from lineage.rules.engine.model import CheckContext, Severity, Violation
from lineage.rules.engine.rulebook import graph_rule, violation


def _cycle_message(args: dict[str, Any]) -> str:
    """One cycle through the group's steps, starting at its first step by name."""
    import networkx as nx  # only when there is a cycle to describe

    order = nx.DiGraph()
    order.add_edges_from(sorted(tuple(edge) for edge in args["edges"]))
    first = min(args["members"])
    names = [u for u, _ in nx.find_cycle(order, source=first)]
    return "steps depend on each other in a cycle: " + " -> ".join([*names, names[0]])


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
    message=_cycle_message,
    basis=(
        "SageMaker Pipelines runs steps as a directed acyclic graph of DependsOn and property "
        "references"
    ),
)
def dependency_cycle(context: CheckContext) -> Iterator[Violation]:
    """One finding per strongly connected group of steps: at its first DependsOn entry inside
    the group, or at its first step by key when references alone make the cycle."""
    graph = context.graph
    order = {
        step.key: [target.key for target in graph.out(step, Rel.RUNS_AFTER)]
        for step in graph.nodes(Kind.STEP)
    }
    for component in strongly_connected(order):
        first = min(component)
        if len(component) == 1 and first not in order[first]:
            continue
        name = {key: graph.node(Kind.STEP, key).get("name") for key in component}
        edges = [[name[u], name[v]] for u in component for v in set(order[u]) & component]
        args = {"members": sorted(name.values()), "edges": sorted(edges)}
        entry = _depends_on_entry(context, component)
        if entry is None:
            yield violation("L305", graph.node(Kind.STEP, first), args)
        else:
            yield violation("L305", entry[0], args, entry[1])


def strongly_connected(successors: Mapping[str, list[str]]) -> Iterator[set[str]]:
    """The strongly connected components of a directed graph given as each node's successors
    (every successor is a key): Tarjan's algorithm, without recursion."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    for root in successors:
        if root in index:
            continue
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        path = [(root, iter(successors[root]))]
        while path:
            node, pending = path[-1]
            for other in pending:
                if other not in index:
                    index[other] = low[other] = len(index)
                    stack.append(other)
                    on_stack.add(other)
                    path.append((other, iter(successors[other])))
                    break
                if other in on_stack:
                    low[node] = min(low[node], index[other])
            else:
                path.pop()
                if path:
                    parent = path[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == index[node]:
                    component: set[str] = set()
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.add(member)
                        if member == node:
                            break
                    yield component


def _depends_on_entry(context: CheckContext, component: set[str]) -> tuple[Node, str] | None:
    """The first `DependsOn` entry (by step key) inside the cycle: the likeliest mistake, as
    data references follow the data; None when the cycle is made of references alone."""
    graph = context.graph
    for key in sorted(component):
        step = graph.node(Kind.STEP, key)
        for edge in sorted(graph.out_edges(step, Rel.DEPENDS_ON), key=lambda e: e.props["arg"]):
            if edge.target.key in component:
                pointer = child(child(step.get("pointer"), "DependsOn"), edge.props["arg"])
                return step, pointer
    return None
