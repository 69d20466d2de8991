"""A scan's findings after review: suppressions applied, compared with a baseline if given."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from lineage.config import Settings
from lineage.review.baseline import NEW, Baseline, compare
from lineage.review.registry import Coverage, PackageChange, PackageState, compare_packages
from lineage.review.suppress import Suppression, apply_suppressions
from lineage.rules.engine.model import Finding


@dataclass(frozen=True)
class Outcome:
    """Findings marked suppressed, new or unchanged; resolved baseline findings; expired entries;
    the model package versions changed since the baseline (None unless both read the registry)."""

    findings: list[Finding]
    resolved: list[dict[str, Any]] = field(default_factory=list)
    expired: list[Suppression] = field(default_factory=list)
    baseline: str | None = None
    packages: list[PackageChange] | None = None

    def counted(self) -> list[Finding]:
        """The findings that count for `--fail-on`: not suppressed, and new when diffing."""
        return [
            f
            for f in self.findings
            if f.suppressed is None and (self.baseline is None or f.baseline == NEW)
        ]

    def regressions(self) -> list[str]:
        """One line per model package version that regressed since the baseline."""
        return [c.describe() for c in self.packages or [] if c.change == "regressed"]

    def expiry_warnings(self) -> list[str]:
        """One line per expired suppression, naming it and its reason."""
        return [
            f"{s.describe()} expired on {s.expires}: its findings are reported again "
            f"(reason given: {s.reason})"
            for s in self.expired
        ]


def review(
    findings: list[Finding],
    settings: Settings,
    baseline: Baseline | None = None,
    coverage: Coverage | None = None,
    packages: list[PackageState] | None = None,
) -> Outcome:
    """Apply the configured suppressions (as of today, UTC), then compare with `baseline`: the
    findings, and the live package versions the scan read (`packages`, None without
    `--registry`). Baseline findings count as resolved only where `coverage` says the scan
    looked again (every one, without it)."""
    today = datetime.now(UTC).date()
    marked, expired = apply_suppressions(findings, settings.suppress, today)
    if baseline is None:
        return Outcome(marked, expired=expired)
    comparison = compare(marked, baseline)
    resolved = comparison.resolved
    changes = None
    if coverage is not None:
        resolved = [item for item in resolved if coverage.covers_finding(item)]
        if packages is not None and baseline.packages is not None:
            changes = compare_packages(baseline.packages, packages, comparison.findings, coverage)
    return Outcome(comparison.findings, resolved, expired, baseline.source, changes)
