"""Re-check a registry offline: a snapshot's live definitions, resources and relationships back
into the graph as the collector put them (its values were masked when they were collected)."""

from __future__ import annotations

from typing import Any

from lineage.collect.registry.load import RegistryGraph
from lineage.collect.snapshot_file import SnapshotFile
from lineage.collect.sources import Definition
from lineage.errors import InputError, SourceError
from lineage.graph.lineage_graph import Kind, LineageGraph, Rel
from lineage.graph.secrets import SecretSite

FORM = "registry-snapshot"


def load_snapshot(snapshot: SnapshotFile, graph: LineageGraph) -> dict[str, Definition]:
    """Add a snapshot to `graph`; its live definitions by pipeline key (SourceError when it
    cannot be read)."""
    try:
        return _load(snapshot.document, graph)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        why = f"{type(exc).__name__}: {exc}"[:200]
        raise SourceError(
            InputError(snapshot.source, f"unreadable registry snapshot: {why}")
        ) from None


def _load(document: dict[str, Any], graph: LineageGraph) -> dict[str, Definition]:
    registry = RegistryGraph(graph)
    definitions = {}
    for entry in document["pipelines"]:
        name = str(entry["key"]).removeprefix("pipeline:")
        definition = Definition(name, str(entry["source"]), entry["definition"], FORM)
        node = registry.pipeline(definition, node_props(entry["properties"]))
        definitions[node.key] = definition
    for entry in document["resources"]:
        graph.add_node(Kind(entry["kind"]), str(entry["key"]), **node_props(entry["properties"]))
    for entry in document["relationships"]:
        (source_kind, source_key), (target_kind, target_key) = entry["from"], entry["to"]
        if graph.has(Kind(source_kind), source_key) and graph.has(Kind(target_kind), target_key):
            graph.add_edge(
                graph.node(Kind(source_kind), source_key),
                Rel(entry["rel"]),
                graph.node(Kind(target_kind), target_key),
                **entry.get("properties", {}),
            )
    return definitions


def node_props(written: dict[str, Any]) -> dict[str, Any]:
    """Node properties as written, with their secret sites as `SecretSite`s again."""
    props = dict(written)
    if props.get("secrets"):
        props["secrets"] = tuple(
            SecretSite(s["pointer"], s["what"], s.get("key"), tuple(s.get("read_at") or ()))
            for s in props["secrets"]
        )
    return props
