"""Upstream and downstream lineage: what a node depends on, and what depends on it."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from lineage.graph.lineage_graph import Kind, LineageGraph, Node, Rel
from lineage.jsondoc.names import close_matches

if TYPE_CHECKING:
    import networkx as nx

# Relationships along which data (or control) flows from source to target; every other
# relationship points from the consumer to what it depends on, against the flow.
FORWARD = frozenset(
    {
        Rel.HAS_STEP,
        Rel.HAS_PARAMETER,
        Rel.PRODUCES,
        Rel.IF_TRUE,
        Rel.IF_FALSE,
        Rel.REGISTERS,
        Rel.IN_GROUP,
    }
)


KIND_NAMES = frozenset(kind.value for kind in Kind)


class Direction(StrEnum):
    """Which way to trace: what a node depends on, what it affects, or both."""

    UP = "up"
    DOWN = "down"
    BOTH = "both"


class NodeMatchError(Exception):
    """NODE matched no node; the message lists close candidates."""


def flow_graph(graph: LineageGraph) -> nx.DiGraph:
    """The graph's node ids with one edge per related pair, pointing downstream."""
    import networkx as nx  # traces and views only: a scan never loads it

    flow = nx.DiGraph()
    flow.add_nodes_from(graph.nx.nodes)
    for u, v, rel in graph.nx.edges(data="rel"):
        up, down = (u, v) if rel in FORWARD else (v, u)
        if up != down:
            flow.add_edge(up, down, rel=rel)
    return flow


def _label(node: Node) -> str:
    return f"{node.kind.value}:{node.key}"


def resolve(graph: LineageGraph, text: str) -> list[Node]:
    """Every node `text` names: `Kind:key`, a key, a name, an ARN or an S3 URI (prefix).

    The most exact way of naming that matches anything wins; raises when nothing matches.
    """
    kind_name, _, rest = text.partition(":")
    if kind_name in KIND_NAMES and graph.has(Kind(kind_name), rest):
        return [graph.node(Kind(kind_name), rest)]
    nodes = list(graph.nodes())
    for matcher in (
        lambda n: n.key == text,
        lambda n: n.get("name") == text,
        lambda n: text.startswith("arn:") and n.get("arn") == text,
        lambda n: text.startswith("s3://") and n.get("uri") == text,
        lambda n: text.startswith("s3://") and str(n.get("uri") or "").startswith(text),
    ):
        found = sorted((n for n in nodes if matcher(n)), key=_label)
        if found:
            return found
    raise NodeMatchError(f"no node matches {text!r}{_suggestions(nodes, text)}")


def describe_matches(text: str, starts: list[Node]) -> str:
    """`'text' matches N nodes: …; tracing all of them`, for a NODE that named several."""
    listed = ", ".join(_label(n) for n in starts[:8])
    more = f" and {len(starts) - 8} more" if len(starts) > 8 else ""
    return f"{text!r} matches {len(starts)} nodes: {listed}{more}; tracing all of them"


def _suggestions(nodes: list[Node], text: str) -> str:
    """`; close matches: …` from keys, names and URIs that contain or resemble `text`."""
    candidates = {
        str(value)
        for n in nodes
        if n.kind is not Kind.PROPERTY_REF
        for value in (n.key, n.get("name"), n.get("uri"))
        if value
    }
    lowered = text.lower()
    hints = sorted(c for c in candidates if lowered in c.lower())[:5]
    hints += [c for c in close_matches(text, candidates) if c not in hints]
    return f"; close matches: {', '.join(hints[:5])}" if hints else ""


@dataclass(frozen=True)
class Reached:
    """A node found by a trace: how many hops away, and the edge it was first reached by."""

    node: Node
    distance: int
    via: Rel
    previous: Node


@dataclass(frozen=True)
class Trace:
    """The nodes upstream and/or downstream of the `starts`, nearest first."""

    starts: tuple[Node, ...]
    direction: Direction
    depth: int | None
    reached: list[Reached]

    def subgraph(self, graph: LineageGraph) -> LineageGraph:
        """The starts, the reached nodes and every edge between them."""
        return induced(graph, [*(s.id for s in self.starts), *(r.node.id for r in self.reached)])


def node_by_id(graph: LineageGraph, nid: str) -> Node:
    """The node whose networkx id is `nid`."""
    data = graph.nx.nodes[nid]
    return graph.node(data["kind"], data["key"])


def induced(graph: LineageGraph, node_ids: list[str]) -> LineageGraph:
    """A new graph with only `node_ids` and the edges among them."""
    result = LineageGraph()
    result.nx = graph.nx.subgraph(node_ids).copy()
    return result


def trace(
    graph: LineageGraph, starts: list[Node], direction: Direction, depth: int | None = None
) -> Trace:
    """Breadth-first from every start along the flow (against it for `up`), at most `depth` hops."""
    flow = flow_graph(graph)
    directions = [Direction.UP, Direction.DOWN] if direction is Direction.BOTH else [direction]
    origin = {s.id for s in starts}
    best: dict[str, tuple[int, Rel, str]] = {}
    for way in directions:
        for nid, found in _walk(flow, origin, way, depth).items():
            if nid not in best or found[0] < best[nid][0]:
                best[nid] = found
    views = {nid: node_by_id(graph, nid) for nid in [*origin, *best]}
    reached = [
        Reached(views[nid], distance, rel, views[previous])
        for nid, (distance, rel, previous) in best.items()
    ]
    reached.sort(key=lambda r: (r.distance, r.node.kind.value, r.node.key))
    return Trace(tuple(starts), direction, depth, reached)


def _walk(
    flow: nx.DiGraph, origin: set[str], way: Direction, depth: int | None
) -> dict[str, tuple[int, Rel, str]]:
    """Distance, edge type and previous node of everything reachable from `origin`."""
    found: dict[str, tuple[int, Rel, str]] = {}
    queue = deque((nid, 0) for nid in sorted(origin))
    while queue:
        nid, distance = queue.popleft()
        if depth is not None and distance >= depth:
            continue
        if way is Direction.UP:
            steps = sorted((u, rel) for u, _, rel in flow.in_edges(nid, data="rel"))
        else:
            steps = sorted((v, rel) for _, v, rel in flow.out_edges(nid, data="rel"))
        for other, rel in steps:
            if other not in origin and other not in found:
                found[other] = (distance + 1, rel, nid)
                queue.append((other, distance + 1))
    return found
