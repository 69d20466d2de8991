"""Small graph look-ups shared by rules."""

from __future__ import annotations

from collections.abc import Iterator

from lineage.graph import Kind, LineageGraph, Node, Rel


def pipeline_steps(graph: LineageGraph, pipeline_key: str) -> dict[str, Node]:
    """The steps of a pipeline by name."""
    pipeline = graph.node(Kind.PIPELINE, pipeline_key)
    return {str(step.get("name")): step for step in graph.out(pipeline, Rel.HAS_STEP)}


def step_refs(graph: LineageGraph, root: str) -> Iterator[tuple[Node, Node]]:
    """(step, property reference) pairs whose reference has the given root."""
    for step in graph.nodes(Kind.STEP):
        for ref in graph.out(step, Rel.USES):
            if ref.get("root") == root:
                yield step, ref
