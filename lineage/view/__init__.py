"""Interactive HTML views of a lineage graph: one self-contained page per view."""

from __future__ import annotations

from lineage.checks.model import Finding
from lineage.graph import LineageGraph
from lineage.trace import Direction, resolve, trace
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


def focus(graph: LineageGraph, node: str, depth: int | None) -> tuple[LineageGraph, str]:
    """The sub-graph within `depth` hops up- and downstream of `node`, and that node's id.

    Raises `lineage.trace.NodeMatchError` when `node` names no node or several.
    """
    start = resolve(graph, node)
    return trace(graph, start, Direction.BOTH, depth).subgraph(graph), start.id
