"""Baselines: compare a scan with an earlier JSON report, by the findings' fingerprints."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from lineage.rules.engine.model import Finding

NEW, UNCHANGED = "new", "unchanged"


class BaselineError(ValueError):
    """A baseline report that cannot be used; the message names the file and the problem."""


@dataclass(frozen=True)
class Baseline:
    """The findings of an earlier JSON report, by fingerprint."""

    source: str
    findings: dict[str, dict[str, Any]]


def read_baseline(path: Path) -> Baseline:
    """An earlier `lineage scan -f json` report."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise BaselineError(f"{path}: cannot read the baseline: {exc.strerror}") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BaselineError(f"{path}: the baseline is not a JSON report: {exc}") from None
    listed = document.get("findings") if isinstance(document, dict) else None
    if not isinstance(listed, list):
        raise BaselineError(f"{path}: not a `lineage scan -f json` report (no findings list)")
    findings: dict[str, dict[str, Any]] = {}
    for number, item in enumerate(listed):
        mark = item.get("fingerprint") if isinstance(item, dict) else None
        if not isinstance(mark, str) or not mark:
            raise BaselineError(
                f"{path}: /findings/{number} has no fingerprint; "
                "write the baseline again with this version of lineage"
            )
        findings[mark] = item
    return Baseline(str(path), findings)


@dataclass(frozen=True)
class Comparison:
    """This scan's findings marked new or unchanged, and the baseline's findings now gone."""

    findings: list[Finding]
    resolved: list[dict[str, Any]]


def compare(findings: list[Finding], baseline: Baseline) -> Comparison:
    """Mark each finding new or unchanged; list the baseline's findings that are resolved."""
    marked = [
        replace(f, baseline=UNCHANGED if f.fingerprint in baseline.findings else NEW)
        for f in findings
    ]
    current = {f.fingerprint for f in findings}
    resolved = [item for mark, item in baseline.findings.items() if mark not in current]
    return Comparison(marked, resolved)
