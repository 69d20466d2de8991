"""The `--format json` report: a stable, documented schema (docs/output.md)."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from lineage.errors import InputError
from lineage.rules.engine.model import Finding

SCHEMA_VERSION = 1


def summary(findings: list[Finding]) -> dict[str, Any]:
    """Counts by severity and by level."""
    by_severity = Counter(f.severity.value for f in findings)
    by_level = Counter(f"L{f.level}" for f in findings)
    return {
        "total": len(findings),
        "suppressed": sum(1 for f in findings if f.suppressed is not None),
        "by_severity": {s: by_severity.get(s, 0) for s in ("error", "warning", "info")},
        "by_level": {f"L{n}": by_level.get(f"L{n}", 0) for n in (1, 2, 3, 4)},
    }


def json_report(
    findings: list[Finding],
    errors: list[InputError],
    pipelines: list[dict[str, Any]],
    skipped: list[str],
    version: str,
    review: dict[str, Any] | None = None,
) -> str:
    """The report as JSON text; `review` adds the baseline, resolved findings and warnings."""
    document: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "lineage", "version": version},
        "pipelines": pipelines,
        "errors": [
            {
                "source": e.source,
                "message": e.message,
                "line": e.line,
                "column": e.column,
                "pointer": e.pointer,
            }
            for e in errors
        ],
        "skipped": skipped,
        "findings": [f.as_dict() for f in findings],
        "summary": summary(findings),
        **(review or {}),
    }
    return json.dumps(document, indent=2) + "\n"
