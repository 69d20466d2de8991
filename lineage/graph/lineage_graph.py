"""The lineage graph: typed nodes with stable keys and typed edges, exported to networkx."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from networkx import MultiDiGraph

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
    """The id of a node (and its networkx id): keys are unique per kind, ids across kinds."""
    return f"{kind}|{key}"


@dataclass(frozen=True, slots=True)
class Node:
    """A read-only view of one node: its kind, key and properties."""

    kind: Kind
    key: str
    props: Mapping[str, Any]
    id: str = field(default="", repr=False, compare=False)  # the networkx node id

    def __post_init__(self) -> None:
        """Compute the id once, unless given (a graph computes it to look the node up)."""
        if not self.id:
            object.__setattr__(self, "id", node_id(self.kind, self.key))

    def get(self, name: str, default: Any = None) -> Any:
        """A property, or `default` when the node lacks it."""
        return self.props.get(name, default)


@dataclass(frozen=True, slots=True)
class Edge:
    """A read-only view of one edge."""

    source: Node
    target: Node
    rel: Rel
    props: Mapping[str, Any]


EdgeData = dict[str, Any]  # an edge's properties (its Edge views share them)
Linked = list[tuple[str, EdgeData]]  # (other node's id, edge data) of one node's edges of a type


class LineageGraph:
    """Pipelines, steps, references, artifacts and registry objects as one typed graph: node
    views with per-(node, relationship) adjacency; `nx` exports it to networkx."""

    def __init__(self) -> None:
        self._clear()

    def _clear(self) -> None:
        """Empty the graph."""
        self._nodes: dict[str, Node] = {}  # in insertion order
        self._props: dict[str, dict[str, Any]] = {}  # what each view's props show
        self._out: dict[tuple[str, Rel], Linked] = {}
        self._in: dict[tuple[str, Rel], list[str]] = {}  # sources of each node's edges
        self._edges: list[tuple[str, str, Rel, EdgeData]] = []  # in insertion order
        self._sorted: dict[tuple[str, Rel, str], Any] = {}  # sorted neighbours and edge views
        self._memo: dict[Any, Any] = {}
        self._export: MultiDiGraph | None = None

    @property
    def nx(self) -> MultiDiGraph:
        """The graph as a networkx MultiDiGraph (node data kind, key, props; edge data rel and
        properties), rebuilt after a change: change the graph through these methods."""
        if self._export is None:
            self._export = self.to_networkx()
        return self._export

    @nx.setter
    def nx(self, graph: MultiDiGraph) -> None:
        self._clear()
        for data in graph._node.values():
            self.add_node(data["kind"], data["key"], **data["props"])
        for u, v, data in graph.edges(data=True):
            props = {k: value for k, value in data.items() if k != "rel"}
            self.add_edge(self._nodes[u], Rel(data["rel"]), self._nodes[v], **props)

    def to_networkx(self) -> MultiDiGraph:
        """A networkx copy with the same node and edge order (node props shared)."""
        from networkx import MultiDiGraph  # only for an export: a scan never loads networkx

        graph = MultiDiGraph()
        graph.add_nodes_from(
            (nid, {"kind": node.kind, "key": node.key, "props": self._props[nid]})
            for nid, node in self._nodes.items()
        )
        for u, v, rel, data in self._edges:
            graph.add_edge(u, v, key=_edge_key(rel, data), rel=rel, **data)
        return graph

    def memo(self, key: Any, compute: Callable[[], T]) -> T:
        """`compute()`, remembered under `key` until the graph next changes."""
        result: T = self._memo.get(key, _MISSING)
        if result is _MISSING:
            result = self._memo[key] = compute()
        return result

    def _changed(self) -> None:
        if self._memo:
            self._memo.clear()
        self._export = None

    def add_node(self, kind: Kind, key: str, **props: Any) -> Node:
        """Add a node or merge `props` into the existing one; return its view."""
        self._changed()
        nid = node_id(kind, key)
        view = self._nodes.get(nid)
        if view is not None:
            self._props[nid].update({k: v for k, v in props.items() if v is not None})
            return view
        self._props[nid] = props
        view = self._nodes[nid] = Node(kind, key, MappingProxyType(props), nid)
        return view

    def add_edge(self, source: Node, rel: Rel, target: Node, **props: Any) -> None:
        """Add a typed edge; the same (source, rel, target, arg) is stored once."""
        self._changed()
        u, v = source.id, target.id
        if u not in self._nodes:
            self.add_node(source.kind, source.key)
        if v not in self._nodes:
            self.add_node(target.kind, target.key)
        arg = str(props.get("arg", ""))
        linked = self._out.get((u, rel))
        if linked is None:
            linked = self._out[(u, rel)] = []
        for other, data in linked:
            if other == v and str(data.get("arg", "")) == arg:
                data.update(props)
                break
        else:  # a new edge keeps the (fresh) dict of its keyword arguments
            linked.append((v, props))
            self._in.setdefault((v, rel), []).append(u)
            self._edges.append((u, v, rel, props))
            self._sorted.pop((v, rel, "in"), None)
            self._sorted.pop((u, rel, "out"), None)
        self._sorted.pop((u, rel, "out edges"), None)

    def update_out_edges(
        self,
        node: Node,
        rels: Collection[Rel],
        select: Callable[[Mapping[str, Any]], bool],
        **props: Any,
    ) -> None:
        """Merge `props` into `node`'s outgoing edges of types `rels` whose data `select` takes."""
        self._changed()
        for rel in rels:
            for _, data in self._out.get((node.id, rel), ()):
                if select(data):
                    data.update(props)
            self._sorted.pop((node.id, rel, "out edges"), None)

    def has(self, kind: Kind, key: str) -> bool:
        """Whether a node of `kind` with `key` exists."""
        return node_id(kind, key) in self._nodes

    def node(self, kind: Kind, key: str) -> Node:
        """The node of `kind` with `key` (KeyError when absent)."""
        return self._nodes[node_id(kind, key)]

    def nodes(self, kind: Kind | None = None) -> Iterator[Node]:
        """All nodes, or those of one kind, in key order."""

        def views() -> list[Node]:
            found: Collection[Node] = self._nodes.values()
            if kind is not None:  # the kind's first: sorting every node for each kind costs more
                found = [node for node in found if node.kind == kind]
            return sorted(found, key=node_key_order)

        return iter(self.memo(("nodes", kind), views))

    def edges(self, rel: Rel | None = None) -> Iterator[Edge]:
        """All edges, or those of one type, in a stable order."""

        def views() -> list[Edge]:
            found = [e for e in self._edges if rel is None or e[2] == rel]
            return [
                Edge(self._nodes[u], self._nodes[v], kind, data)
                for u, v, kind, data in sorted(found, key=_edge_sort_key)
            ]

        return iter(self.memo(("edges", rel), views))

    def _linked_nodes(self, node: Node, rel: Rel, direction: str) -> list[Node]:
        """The nodes at the other end of `node`'s `rel` edges, in key order."""
        cache_key = (node.id, rel, direction)
        found: list[Node] | None = self._sorted.get(cache_key)
        if found is None:
            if direction == "in":
                others = set(self._in.get((node.id, rel), ()))
            else:
                others = {other for other, _ in self._out.get((node.id, rel), ())}
            found = [self._nodes[other] for other in sorted(others)]
            self._sorted[cache_key] = found
        return list(found)

    def out(self, node: Node, rel: Rel) -> list[Node]:
        """Targets of `node`'s outgoing edges of type `rel`, in key order."""
        return self._linked_nodes(node, rel, "out")

    def into(self, node: Node, rel: Rel) -> list[Node]:
        """Sources of `node`'s incoming edges of type `rel`, in key order."""
        return self._linked_nodes(node, rel, "in")

    def out_edges(self, node: Node, rel: Rel) -> list[Edge]:
        """Outgoing edges of type `rel`, in a stable order."""
        cache_key = (node.id, rel, "out edges")
        found: list[Edge] | None = self._sorted.get(cache_key)
        if found is None:
            linked = sorted(
                self._out.get((node.id, rel), ()), key=lambda e: (e[0], str(e[1].get("arg", "")))
            )
            found = [Edge(node, self._nodes[v], rel, data) for v, data in linked]
            self._sorted[cache_key] = found
        return list(found)

    def number_of_nodes(self) -> int:
        """How many nodes the graph holds."""
        return len(self._nodes)

    def number_of_edges(self) -> int:
        """How many edges the graph holds."""
        return len(self._edges)

    def counts(self) -> dict[str, int]:
        """Number of nodes per kind and edges per type."""
        result: dict[str, int] = {}
        for node in self._nodes.values():
            result[node.kind.value] = result.get(node.kind.value, 0) + 1
        for _, _, rel, _ in self._edges:
            result[rel.value] = result.get(rel.value, 0) + 1
        return dict(sorted(result.items()))


def _edge_key(rel: Rel, props: Mapping[str, Any]) -> str:
    """What makes an edge one of its kind between two nodes: its type and argument."""
    return f"{rel}:{props.get('arg', '')}"


def node_key_order(node: Node) -> str:
    """The order of nodes the graph lists them in: by id (kind, then key)."""
    return node.id


def _edge_sort_key(edge: tuple[str, str, Rel, EdgeData]) -> tuple[str, str, str, str]:
    u, v, rel, data = edge
    return (u, rel.value, v, str(data.get("arg", "")))
