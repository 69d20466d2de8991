"""The registry snapshot: what `scan --registry` collected, written beside the report.

Every live resource (model package group, model package, execution, job, and the S3 artifacts
they read and write) and every live pipeline's definition has a stable place in it, so that a
SARIF result about one can point at its line, and `lineage scan SNAPSHOT` re-checks it offline.
Its values were masked when they were collected (`lineage.secrets`): it holds no secret.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lineage import __version__
from lineage.collect.snapshot_file import FORMAT, SnapshotFile
from lineage.graph.lineage_graph import Kind, LineageGraph, Node
from lineage.jsondoc.positions import LineIndex
from lineage.rules.engine.model import Finding, natural_key

if TYPE_CHECKING:
    from lineage.collect.registry.model import RegistryCollection

SUFFIX = ".registry.json"
STDOUT_NAME = "lineage-registry.json"  # SARIF on stdout: the snapshot goes to the cwd
ONE_PER_LINE = ("resources", "relationships")
LIVE_KINDS = (Kind.MODEL_PACKAGE_GROUP, Kind.MODEL_PACKAGE, Kind.PIPELINE_EXECUTION, Kind.JOB)


@dataclass(frozen=True)
class Snapshot:
    """A snapshot file indexed: the line of each resource, and where each definition sits."""

    path: Path
    lines: LineIndex
    resources: dict[tuple[str, str], str]  # (kind, key) -> pointer of the resource
    definitions: dict[str, str]  # a live definition's source (its ARN) -> pointer of it

    def line(self, finding: Finding) -> int | None:
        """The line of the snapshot a finding is about: in its definition, or its resource."""
        if finding.source is not None and finding.source in self.definitions:
            return self.lines.line(self.definitions[finding.source] + finding.pointer)
        pointer = self.resources.get((finding.kind, finding.node))
        return self.lines.line(pointer) if pointer is not None else None


def indexed(snapshot: SnapshotFile) -> Snapshot:
    """A snapshot file (written, or read as a source) with its resources' places."""
    document = snapshot.document
    return Snapshot(
        Path(snapshot.source),
        LineIndex(snapshot.text),
        {
            (str(r.get("kind")), str(r.get("key"))): f"/resources/{i}"
            for i, r in enumerate(document.get("resources") or [])
        },
        {
            str(p.get("source")): f"/pipelines/{i}/definition"
            for i, p in enumerate(document.get("pipelines") or [])
        },
    )


def snapshot_path(output: Path | None, sarif_on_stdout: bool) -> Path | None:
    """Where the snapshot goes by default: beside the report file (`report.sarif` →
    `report.registry.json`), `lineage-registry.json` for SARIF on stdout, else nowhere."""
    if output is not None:
        return output.with_name(output.stem + SUFFIX)
    return Path(STDOUT_NAME) if sarif_on_stdout else None


def write_snapshot(path: Path, graph: LineageGraph, collection: RegistryCollection) -> Snapshot:
    """Write the collected registry to `path` (OSError when it cannot) and index it."""
    live = [
        node
        for kind in LIVE_KINDS
        for node in sorted(graph.nodes(kind), key=lambda n: natural_key(n.key))
        if node.get("arn")
    ]
    ids = {node.id for node in live}
    touched = [e for e in graph.edges() if e.source.id in ids or e.target.id in ids]
    artifacts = {
        node.id: node
        for edge in touched
        for node in (edge.source, edge.target)
        if node.kind is Kind.ARTIFACT
    }
    resources = live + sorted(artifacts.values(), key=lambda n: natural_key(n.key))
    document = {
        "format": FORMAT,
        "tool": f"lineage {__version__}",
        "complete": [dataclasses.asdict(scope) for scope in collection.complete],
        "warnings": [str(warning) for warning in collection.warnings],
        "pipelines": [
            {
                "key": key,
                "source": definition.source,
                "properties": _props(graph.node(Kind.PIPELINE, key)),
                "definition": definition.document,
            }
            for key, definition in sorted(collection.definitions.items())
        ],
        "resources": [
            {"kind": node.kind.value, "key": node.key, "properties": _props(node)}
            for node in resources
        ],
        "relationships": [
            {
                "from": [edge.source.kind.value, edge.source.key],
                "rel": edge.rel.value,
                "to": [edge.target.kind.value, edge.target.key],
                **({"properties": dict(edge.props)} if edge.props else {}),
            }
            for edge in touched
        ],
    }
    text = _layout(document)
    path.write_text(text, encoding="utf-8")
    return indexed(SnapshotFile(str(path), text, document))


def _layout(document: dict[str, Any]) -> str:
    """Indented JSON, except that each resource and relationship takes one line of its own."""
    members = []
    for key, value in document.items():
        if key in ONE_PER_LINE and value:
            rows = ",\n".join(f"    {_json(item)}" for item in value)
            members.append(f"  {_json(key)}: [\n{rows}\n  ]")
        else:
            text = json.dumps(value, indent=2, ensure_ascii=False, default=_jsonable)
            members.append(f"  {_json(key)}: " + text.replace("\n", "\n  "))
    return "{\n" + ",\n".join(members) + "\n}\n"


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=_jsonable)


def _props(node: Node) -> dict[str, Any]:
    """A node's set properties, by name (a missing one reads as unset, as in the graph)."""
    return {name: node.props[name] for name in sorted(node.props) if node.props[name] is not None}


def _jsonable(value: Any) -> Any:
    """Values JSON lacks: secret sites as objects, anything else as text."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    return str(value)
