"""Positions computed once, in Python: layered top to bottom along the flow of data.

Each connected component is layered (sources at the top, each node just above its first
consumer), ordered within layers by barycentres, and wide layers wrap onto several rows;
components are then packed side by side in shelves. The browser runs no physics and no layout.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterable

import networkx as nx

from lineage.graph.lineage_graph import LineageGraph
from lineage.graph.trace import flow_graph

GAP_X = 40.0  # horizontal space between neighbouring nodes of a row
GAP_Y = 60.0  # vertical space between rows
TYPICAL_WIDTH = 200.0  # a node's width with its gap, for choosing where wide layers wrap
TYPICAL_HEIGHT = 100.0
MARGIN = 240.0  # between packed components
SWEEPS = 4  # barycentre passes (each one down and one up)

Position = tuple[float, float]
Size = tuple[float, float]
Block = tuple[dict[str, Position], float, float]


def layered_layout(graph: LineageGraph, sizes: dict[str, Size]) -> dict[str, Position]:
    """The centre (x, y) of every node of `graph`, given each node's drawn width and height."""
    flow = flow_graph(graph)
    slots = max(24, math.ceil(math.sqrt(flow.number_of_nodes() * TYPICAL_HEIGHT / TYPICAL_WIDTH)))
    components = sorted(nx.weakly_connected_components(flow), key=lambda c: (-len(c), min(c)))
    return _pack([_component(flow.subgraph(c), sizes, slots) for c in components])


def _layers(flow: nx.DiGraph) -> dict[str, int]:
    """Layer of each node: as late as its consumers allow, cycles sharing one layer."""
    condensed = nx.condensation(flow)
    order = list(nx.topological_sort(condensed))
    layer: dict[int, int] = {}
    for scc in order:
        layer[scc] = max((layer[p] + 1 for p in condensed.predecessors(scc)), default=0)
    for scc in reversed(order):
        successors = [layer[s] for s in condensed.successors(scc)]
        if successors:
            layer[scc] = min(successors) - 1
    mapping = condensed.graph["mapping"]
    return {nid: layer[mapping[nid]] for nid in flow.nodes}


def _component(flow: nx.DiGraph, sizes: dict[str, Size], slots: int) -> Block:
    """Positions of one component relative to its top-left corner, its width and height."""
    layer_of = _layers(flow)
    grouped: dict[int, list[str]] = defaultdict(list)
    for nid in sorted(flow.nodes):
        grouped[layer_of[nid]].append(nid)
    layers = [grouped[i] for i in sorted(grouped)]
    _order_by_barycentre(flow, layers)
    rows: list[tuple[list[float], list[str], float]] = []
    for members in layers:
        wrap = math.ceil(len(members) / slots)
        for sub in range(wrap):
            row = members[sub::wrap]
            xs = _row_positions(row, sizes, uniform=wrap > 1)
            rows.append((xs, row, max(sizes[nid][1] for nid in row)))
    width = max(xs[-1] + sizes[row[-1]][0] / 2 for xs, row, _ in rows)
    positions: dict[str, Position] = {}
    y = 0.0
    for xs, row, height in rows:
        offset = (width - (xs[-1] + sizes[row[-1]][0] / 2)) / 2
        positions.update(
            {nid: (x + offset, y + height / 2) for x, nid in zip(xs, row, strict=True)}
        )
        y += height + GAP_Y
    return positions, width, y - GAP_Y


def _row_positions(row: list[str], sizes: dict[str, Size], uniform: bool) -> list[float]:
    """Centres along a row: packed by width, or in equal slots when a layer wraps."""
    if uniform:
        slot = max(sizes[nid][0] for nid in row) + GAP_X
        return [(i + 0.5) * slot - GAP_X / 2 for i in range(len(row))]
    xs, x = [], 0.0
    for nid in row:
        xs.append(x + sizes[nid][0] / 2)
        x += sizes[nid][0] + GAP_X
    return xs


def _order_by_barycentre(flow: nx.DiGraph, layers: list[list[str]]) -> None:
    """Reorder layers in place by the mean relative position of each node's neighbours."""
    place = {nid: _relative(i, len(members)) for members in layers for i, nid in enumerate(members)}
    for _ in range(SWEEPS):
        _sweep(layers[1:], flow.predecessors, place)
        _sweep(layers[-2::-1], flow.successors, place)


def _sweep(
    layers: list[list[str]], neighbours: Callable[[str], Iterable[str]], place: dict[str, float]
) -> None:
    for members in layers:
        keyed = []
        for nid in members:
            near = [place[n] for n in neighbours(nid)]
            keyed.append((sum(near) / len(near) if near else place[nid], place[nid], nid))
        members[:] = [nid for _, _, nid in sorted(keyed)]
        place.update({nid: _relative(i, len(members)) for i, nid in enumerate(members)})


def _relative(index: int, size: int) -> float:
    """A node's place in its layer as a fraction, so layers of different sizes compare."""
    return (index + 0.5) / size


def _pack(blocks: list[Block]) -> dict[str, Position]:
    """Place components in shelves no wider than about the square root of their total area."""
    area = sum((w + MARGIN) * (h + MARGIN) for _, w, h in blocks)
    limit = max([math.sqrt(area) * 1.6] + [w for _, w, _ in blocks])
    result: dict[str, Position] = {}
    x = y = shelf = 0.0
    for positions, width, height in blocks:
        if x > 0 and x + width > limit:
            x, y, shelf = 0.0, y + shelf + MARGIN, 0.0
        result.update({nid: (x + px, y + py) for nid, (px, py) in positions.items()})
        x += width + MARGIN
        shelf = max(shelf, height)
    return result
