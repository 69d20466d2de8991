"""A scan's findings after review: suppressions applied, compared with a baseline if given."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from lineage.config import Settings
from lineage.review.baseline import NEW, Baseline, compare
from lineage.review.suppress import Suppression, apply_suppressions
from lineage.rules.engine.model import Finding


@dataclass(frozen=True)
class Outcome:
    """Findings marked suppressed, new or unchanged; resolved baseline findings; expired entries."""

    findings: list[Finding]
    resolved: list[dict[str, Any]] = field(default_factory=list)
    expired: list[Suppression] = field(default_factory=list)
    baseline: str | None = None

    def counted(self) -> list[Finding]:
        """The findings that count for `--fail-on`: not suppressed, and new when diffing."""
        return [
            f
            for f in self.findings
            if f.suppressed is None and (self.baseline is None or f.baseline == NEW)
        ]

    def expiry_warnings(self) -> list[str]:
        """One line per expired suppression, naming it and its reason."""
        return [
            f"{s.describe()} expired on {s.expires}: its findings are reported again "
            f"(reason given: {s.reason})"
            for s in self.expired
        ]


def review(
    findings: list[Finding], settings: Settings, baseline: Baseline | None = None
) -> Outcome:
    """Apply the configured suppressions (as of today, UTC), then compare with `baseline`."""
    today = datetime.now(UTC).date()
    marked, expired = apply_suppressions(findings, settings.suppress, today)
    if baseline is None:
        return Outcome(marked, expired=expired)
    comparison = compare(marked, baseline)
    return Outcome(comparison.findings, comparison.resolved, expired, baseline.source)
