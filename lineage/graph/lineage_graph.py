"""The lineage graph: typed nodes with stable keys and typed edges, exported to networkx."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Collection, Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, TypeVar, cast

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


EdgeData = dict[str, Any]  # an edge's properties (its Edge view holds them)


class LineageGraph:
    """Pipelines, steps, references, artifacts and registry objects as one typed graph: node and
    edge views, each node's edges of a type kept in order as they are added; `nx` exports it."""

    def __init__(self) -> None:
        self._clear()

    def _clear(self) -> None:
        """Empty the graph."""
        self._nodes: dict[str, Node] = {}  # in insertion order
        self._props: dict[str, dict[str, Any]] = {}  # what each view's props show
        self._kinds: dict[Kind, list[Node]] = {}  # each kind's nodes, in insertion order
        self._out: dict[tuple[str, Rel], list[Edge]] = {}  # by target id, then argument
        self._in: dict[tuple[str, Rel], list[Node]] = {}  # distinct sources, by id
        self._repeats: set[tuple[str, Rel]] = set()  # (source, type)s with two edges to a target
        self._edges: list[Edge] = []  # in insertion order
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
        for edge in self._edges:
            graph.add_edge(
                edge.source.id,
                edge.target.id,
                key=_edge_key(edge.rel, edge.props),
                rel=edge.rel,
                **edge.props,
            )
        return graph

    def memo(self, key: Any, compute: Callable[[], T]) -> T:
        """`compute()`, remembered under `key` until the graph next changes."""
        result: T = self._memo.get(key, _MISSING)
        if result is _MISSING:
            result = self._memo[key] = compute()
        return result

    def memo_in(self, family: str, key: Any, compute: Callable[[], T]) -> T:
        """`compute()`, remembered under `key` in the `family`'s table until the graph next
        changes (one table a family, for values remembered per node or pipeline)."""
        table: dict[Any, T] = self.memo(family, dict)
        result: T = table.get(key, _MISSING)
        if result is _MISSING:
            result = table[key] = compute()
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
        self._kinds.setdefault(kind, []).append(view)
        return view

    def add_edge(self, source: Node, rel: Rel, target: Node, **props: Any) -> None:
        """Add a typed edge; the same (source, rel, target, arg) is stored once."""
        self._changed()
        u, v = source.id, target.id
        source = self._nodes.get(u) or self.add_node(source.kind, source.key)
        target = self._nodes.get(v) or self.add_node(target.kind, target.key)
        linked = self._out.get((u, rel))
        if linked is None:  # the usual case: the source's first edge of the type
            linked = self._out[u, rel] = []
            at = 0
        else:
            order = (v, str(props.get("arg", "")))
            at = bisect_left(linked, order, key=_out_order)
            if at < len(linked) and _out_order(linked[at]) == order:
                _data(linked[at]).update(props)
                return
            if (at and linked[at - 1].target.id == v) or (
                at < len(linked) and linked[at].target.id == v
            ):
                self._repeats.add((u, rel))
        edge = Edge(source, target, rel, props)
        linked.insert(at, edge)
        self._edges.append(edge)
        sources = self._in.get((v, rel))
        if sources is None:
            self._in[v, rel] = [source]
            return
        at = bisect_left(sources, u, key=node_key_order)
        if at == len(sources) or sources[at].id != u:
            sources.insert(at, source)

    def update_out_edges(
        self,
        node: Node,
        rels: Collection[Rel],
        select: Callable[[Mapping[str, Any]], bool],
        **props: Any,
    ) -> None:
        """Merge `props` into `node`'s outgoing edges of types `rels` whose data `select` takes
        (not their `arg`: the edges' order depends on it)."""
        self._changed()
        for rel in rels:
            for edge in self._out.get((node.id, rel), ()):
                if select(edge.props):
                    _data(edge).update(props)

    def has(self, kind: Kind, key: str) -> bool:
        """Whether a node of `kind` with `key` exists."""
        return node_id(kind, key) in self._nodes

    def node(self, kind: Kind, key: str) -> Node:
        """The node of `kind` with `key` (KeyError when absent)."""
        return self._nodes[node_id(kind, key)]

    def nodes(self, kind: Kind | None = None) -> Iterator[Node]:
        """All nodes, or those of one kind, in key order."""

        def views() -> list[Node]:
            found = self._nodes.values() if kind is None else self._kinds.get(kind, [])
            return sorted(found, key=node_key_order)

        return iter(self.memo(("nodes", kind), views))

    def edges(self, rel: Rel | None = None) -> Iterator[Edge]:
        """All edges, or those of one type, in a stable order."""

        def views() -> list[Edge]:
            found = [e for e in self._edges if rel is None or e.rel == rel]
            return sorted(found, key=_edge_sort_key)

        return iter(self.memo(("edges", rel), views))

    def out(self, node: Node, rel: Rel) -> list[Node]:
        """Targets of `node`'s outgoing edges of type `rel`, in key order."""
        key = (node.id, rel)
        linked = self._out.get(key)
        if not linked:
            return []
        if len(linked) > 1 and key in self._repeats:
            return list({edge.target.id: edge.target for edge in linked}.values())
        return [edge.target for edge in linked]

    def into(self, node: Node, rel: Rel) -> list[Node]:
        """Sources of `node`'s incoming edges of type `rel`, in key order."""
        return list(self._in.get((node.id, rel), ()))

    def out_edges(self, node: Node, rel: Rel) -> list[Edge]:
        """Outgoing edges of type `rel`, by target key, then argument."""
        return list(self._out.get((node.id, rel), ()))

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
        for edge in self._edges:
            result[edge.rel.value] = result.get(edge.rel.value, 0) + 1
        return dict(sorted(result.items()))


def _edge_key(rel: Rel, props: Mapping[str, Any]) -> str:
    """What makes an edge one of its kind between two nodes: its type and argument."""
    return f"{rel}:{props.get('arg', '')}"


def node_key_order(node: Node) -> str:
    """The order of nodes the graph lists them in: by id (kind, then key)."""
    return node.id


def _data(edge: Edge) -> EdgeData:
    """The properties an edge view shows, to change them."""
    return cast(EdgeData, edge.props)


def _out_order(edge: Edge) -> tuple[str, str]:
    """The order of a node's edges of one type: by target id, then argument."""
    return (edge.target.id, str(edge.props.get("arg", "")))


def _edge_sort_key(edge: Edge) -> tuple[str, str, str, str]:
    return (edge.source.id, edge.rel.value, *_out_order(edge))
