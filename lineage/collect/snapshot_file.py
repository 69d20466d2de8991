"""The registry snapshot file's format, recognised among `lineage scan` sources."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

FORMAT = "lineage-registry-snapshot/1"


@dataclass(frozen=True)
class SnapshotFile:
    """A registry snapshot read as a source: its path, its text and its JSON document."""

    source: str
    text: str
    document: dict[str, Any]


def is_snapshot(document: Any) -> bool:
    """Whether a JSON document is a registry snapshot that `lineage scan --registry` wrote."""
    return isinstance(document, dict) and document.get("format") == FORMAT
