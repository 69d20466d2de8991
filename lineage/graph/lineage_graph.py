"""The lineage graph: typed nodes with stable keys and typed edges over a networkx MultiDiGraph."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType
from typing import Any, TypeVar

import networkx as nx

T = TypeVar("T")
_MISSING: Any = object()


class Kind(StrEnum):
    """Node kinds; each is also the node's Neo4j label."""

    PIPELINE = "Pipeline"
    STEP = "Step"
    PARAMETER = "Parameter"
    PROPERTY_REF = "PropertyRef"
    ARTIFACT = "Artifact"
    MODEL_PACKAGE_GROUP = "ModelPackageGroup"
    MODEL_PACKAGE = "ModelPackage"
    PIPELINE_EXECUTION = "PipelineExecution"
    JOB = "Job"


class Rel(StrEnum):
    """Relationship types."""

    HAS_STEP = "HAS_STEP"
    HAS_PARAMETER = "HAS_PARAMETER"
    DEPENDS_ON = "DEPENDS_ON"
    RUNS_AFTER = "RUNS_AFTER"
    USES = "USES"
    RESOLVES_TO = "RESOLVES_TO"
    CONSUMES = "CONSUMES"
    PRODUCES = "PRODUCES"
    IF_TRUE = "IF_TRUE"
    IF_FALSE = "IF_FALSE"
    REGISTERS = "REGISTERS"
    IN_GROUP = "IN_GROUP"
    GENERATED_BY = "GENERATED_BY"
    RUN_OF = "RUN_OF"


def node_id(kind: Kind, key: str) -> str:
    """The networkx node id of a node: keys are unique per kind, ids across kinds."""
    return f"{kind}|{key}"


@dataclass(frozen=True)
class Node:
    """A read-only view of one node: its kind, key and properties."""

    kind: Kind
    key: str
    props: Mapping[str, Any]
    id: str = field(init=False, repr=False, compare=False)  # the networkx node id

    def __post_init__(self) -> None:
        """Compute the id once: a graph builds one view per node."""
        object.__setattr__(self, "id", node_id(self.kind, self.key))

    def get(self, name: str, default: Any = None) -> Any:
        """A property, or `default` when the node lacks it."""
        return self.props.get(name, default)


@dataclass(frozen=True)
class Edge:
    """A read-only view of one edge."""

    source: Node
    target: Node
    rel: Rel
    props: Mapping[str, Any]


class LineageGraph:
    """Pipelines, steps, references, artifacts and registry objects as one typed graph (change
    `nx` only through these methods or replace it whole: node views and look-ups are cached)."""

    def __init__(self) -> None:
        self._nx: nx.MultiDiGraph = nx.MultiDiGraph()
        self._memo: dict[Any, Any] = {}
        self._views: dict[str, Node] = {}

    @property
    def nx(self) -> nx.MultiDiGraph:
        """The underlying networkx graph."""
        return self._nx

    @nx.setter
    def nx(self, graph: nx.MultiDiGraph) -> None:
        self._nx = graph
        self._memo.clear()
        self._views.clear()

    def memo(self, key: Any, compute: Callable[[], T]) -> T:
        """`compute()`, remembered under `key` until the graph next changes."""
        result: T = self._memo.get(key, _MISSING)
        if result is _MISSING:
            result = self._memo[key] = compute()
        return result

    def add_node(self, kind: Kind, key: str, **props: Any) -> Node:
        """Add a node or merge `props` into the existing one; return its view."""
        self._memo.clear()
        nid = node_id(kind, key)
        data = self._nx._node.get(nid)
        if data is not None:
            data["props"].update({k: v for k, v in props.items() if v is not None})
        else:
            self._nx.add_node(nid, kind=kind, key=key, props=props)
        return self._view(nid)

    def add_edge(self, source: Node, rel: Rel, target: Node, **props: Any) -> None:
        """Add a typed edge; the same (source, rel, target, arg) is stored once."""
        self._memo.clear()
        edge_key = f"{rel}:{props.get('arg', '')}"
        self._nx.add_edge(source.id, target.id, key=edge_key, rel=rel, **props)

    def update_out_edges(
        self,
        node: Node,
        rels: Collection[Rel],
        select: Callable[[Mapping[str, Any]], bool],
        **props: Any,
    ) -> None:
        """Merge `props` into `node`'s outgoing edges of types `rels` whose data `select` takes."""
        self._memo.clear()
        for keyed in self._nx._succ[node.id].values():
            for data in keyed.values():
                if data["rel"] in rels and select(data):
                    data.update(props)

    def has(self, kind: Kind, key: str) -> bool:
        """Whether a node of `kind` with `key` exists."""
        return node_id(kind, key) in self._nx

    def node(self, kind: Kind, key: str) -> Node:
        """The node of `kind` with `key` (KeyError when absent)."""
        return self._view(node_id(kind, key))

    def _view(self, nid: str) -> Node:
        """The view of node `nid`, built once (its props are a live read-only proxy)."""
        view = self._views.get(nid)
        if view is None:
            data = self._nx._node[nid]
            view = Node(data["kind"], data["key"], MappingProxyType(data["props"]))
            self._views[nid] = view
        return view

    def nodes(self, kind: Kind | None = None) -> Iterator[Node]:
        """All nodes, or those of one kind, in key order."""

        def views() -> list[Node]:
            ids = sorted(n for n, k in self._nx.nodes(data="kind") if kind is None or k == kind)
            return [self._view(nid) for nid in ids]

        return iter(self.memo(("nodes", kind), views))

    def edges(self, rel: Rel | None = None) -> Iterator[Edge]:
        """All edges, or those of one type, in a stable order."""

        def views() -> list[Edge]:
            found = [e for e in self._nx.edges(data=True) if rel is None or e[2]["rel"] == rel]
            return [
                Edge(self._view(u), self._view(v), data["rel"], _edge_props(data))
                for u, v, data in sorted(found, key=_edge_sort_key)
            ]

        return iter(self.memo(("edges", rel), views))

    def _linked(
        self, node: Node, rel: Rel, incoming: bool = False
    ) -> list[tuple[str, dict[str, Any]]]:
        """(other node's id, networkx's own data dict) of `node`'s `rel` edges, unordered (none
        for a node the graph lacks)."""
        adjacency = self._nx._pred if incoming else self._nx._succ
        return [
            (other, data)
            for other, keyed in adjacency.get(node.id, {}).items()
            for data in keyed.values()
            if data["rel"] == rel
        ]

    def _linked_nodes(self, node: Node, rel: Rel, incoming: bool) -> list[Node]:
        """The nodes at the other end of `node`'s `rel` edges, in key order."""

        def views() -> list[Node]:
            ids = {other for other, _ in self._linked(node, rel, incoming)}
            return [self._view(other) for other in sorted(ids)]

        return list(self.memo(("linked", node.id, rel, incoming), views))

    def out(self, node: Node, rel: Rel) -> list[Node]:
        """Targets of `node`'s outgoing edges of type `rel`, in key order."""
        return self._linked_nodes(node, rel, incoming=False)

    def into(self, node: Node, rel: Rel) -> list[Node]:
        """Sources of `node`'s incoming edges of type `rel`, in key order."""
        return self._linked_nodes(node, rel, incoming=True)

    def out_edges(self, node: Node, rel: Rel) -> list[Edge]:
        """Outgoing edges of type `rel`, in a stable order."""

        def views() -> list[Edge]:
            found = sorted(self._linked(node, rel), key=lambda e: (e[0], str(e[1].get("arg", ""))))
            return [Edge(node, self._view(v), rel, _edge_props(data)) for v, data in found]

        return list(self.memo(("out edges", node.id, rel), views))

    def counts(self) -> dict[str, int]:
        """Number of nodes per kind and edges per type."""
        result: dict[str, int] = {}
        for _, kind in self._nx.nodes(data="kind"):
            result[kind.value] = result.get(kind.value, 0) + 1
        for _, _, rel in self._nx.edges(data="rel"):
            result[rel.value] = result.get(rel.value, 0) + 1
        return dict(sorted(result.items()))


def _edge_props(data: Mapping[str, Any]) -> dict[str, Any]:
    """An edge's properties: its data without the type."""
    return {k: v for k, v in data.items() if k != "rel"}


def _edge_sort_key(edge: tuple[str, str, dict[str, Any]]) -> tuple[str, str, str, str]:
    u, v, data = edge
    return (u, data["rel"].value, v, str(data.get("arg", "")))
