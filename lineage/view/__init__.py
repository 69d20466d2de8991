"""Interactive HTML views of a lineage graph: one self-contained page per view."""

from __future__ import annotations

from lineage.graph.lineage_graph import LineageGraph
from lineage.graph.trace import Direction, resolve, trace
from lineage.rules.engine.model import Finding
from lineage.view.data import view_payload
from lineage.view.html import render_html


def render_view(
    graph: LineageGraph,
    findings: list[Finding],
    title: str,
    highlight: frozenset[str] = frozenset(),
) -> str:
    """The HTML page drawing `graph` with its findings (`highlight`: node ids to mark)."""
    return render_html(view_payload(graph, findings, title, highlight))


def focus(graph: LineageGraph, node: str, depth: int | None) -> tuple[LineageGraph, frozenset[str]]:
    """The sub-graph within `depth` hops around every node `node` names, and those nodes' ids.

    Raises `lineage.graph.trace.NodeMatchError` when `node` names no node.
    """
    starts = resolve(graph, node)
    around = trace(graph, starts, Direction.BOTH, depth).subgraph(graph)
    return around, frozenset(s.id for s in starts)
