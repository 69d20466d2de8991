"""Baselines: compare a scan with an earlier JSON report, by the findings' fingerprints."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from lineage.review.registry import PackageState
from lineage.rules.engine.model import Finding

NEW, UNCHANGED = "new", "unchanged"


class BaselineError(ValueError):
    """A baseline report that cannot be used; the message names the file and the problem."""


@dataclass(frozen=True)
class Baseline:
    """The findings of an earlier scan, by fingerprint; the live model package versions it read,
    by ARN (None when it did not read the registry)."""

    source: str
    findings: dict[str, dict[str, Any]]
    packages: dict[str, PackageState] | None = None


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
    return Baseline(str(path), findings, _packages(document.get("registry")))


def _packages(registry: Any) -> dict[str, PackageState] | None:
    """`registry.packages` of a report written by `lineage scan --registry -f json`."""
    listed = registry.get("packages") if isinstance(registry, dict) else None
    if not isinstance(listed, list):
        return None
    states = (PackageState.from_dict(item) for item in listed if isinstance(item, dict))
    return {state.arn: state for state in states if state is not None}


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
