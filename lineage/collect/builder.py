"""What the collectors of one definition share while they add its nodes to the graph
(`PipelineBuilder` in definition.py is the implementation)."""

from __future__ import annotations

from typing import Protocol

from lineage.collect.sources import Definition
from lineage.graph.lineage_graph import LineageGraph, Node
from lineage.jsondoc.subtree_memo import SubtreeMemo


class Builder(Protocol):
    """One definition being collected: its source, the graph, its pipeline node, its steps."""

    @property
    def definition(self) -> Definition:
        """The definition being collected."""

    @property
    def graph(self) -> LineageGraph:
        """The graph its nodes go into."""

    @property
    def pipeline(self) -> Node:
        """Its Pipeline node."""

    @property
    def steps(self) -> dict[str, Node]:
        """Its Step nodes by step name."""

    @property
    def walks(self) -> SubtreeMemo:
        """The pure walks over step JSON, shared by the definitions collected together."""
