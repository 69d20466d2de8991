"""Suppressions: `[tool.lineage] suppress` entries accepting findings, with a reason and an end."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from lineage.collect.registry.arns import parse_arn
from lineage.jsondoc.pointer import within
from lineage.rules.engine.model import Finding, Suppressed

SELECTORS = ("step", "pointer", "pipeline", "group")
KEYS = frozenset({"code", "reason", "expires", *SELECTORS})


class SuppressionError(ValueError):
    """A `suppress` entry that cannot be used; the message names the entry and the key."""


@dataclass(frozen=True)
class Suppression:
    """Accept findings of `code` on what the selectors name, for `reason`, until `expires`."""

    code: str
    reason: str
    expires: date | None = None
    step: str | None = None
    pointer: str | None = None
    pipeline: str | None = None
    group: str | None = None

    def matches(self, finding: Finding) -> bool:
        """Whether this entry is about `finding`: its code, and every selector it gives."""
        if finding.code != self.code:
            return False
        if self.step is not None and finding.step != self.step:
            return False
        if self.pipeline is not None and finding.pipeline != self.pipeline:
            return False
        if self.pointer is not None and not within(finding.pointer, self.pointer.rstrip("/")):
            return False
        return self.group is None or group_of(finding) == self.group

    def expired(self, today: date) -> bool:
        """Whether its end date has passed (it then hides nothing)."""
        return self.expires is not None and self.expires < today

    def describe(self) -> str:
        """`suppression of L101 for step 'Train'`: how warnings name the entry."""
        chosen = [f"{key} {getattr(self, key)!r}" for key in SELECTORS if getattr(self, key)]
        what = f"{self.code} for {', '.join(chosen)}" if chosen else self.code
        return f"suppression of {what}"


def group_of(finding: Finding) -> str | None:
    """The model package group a registry finding is about (from its package or group ARN)."""
    arn = parse_arn(finding.node)
    if arn is None:
        return None
    if arn.resource_type == "model-package-group":
        return arn.resource_id
    if arn.resource_type == "model-package":
        return arn.resource_id.rsplit("/", 1)[0]
    return None


def parse_suppressions(value: Any, where: str) -> tuple[Suppression, ...]:
    """The `suppress` list of `[tool.lineage]`; SuppressionError names what is wrong."""
    if not isinstance(value, list):
        raise SuppressionError(f"{where} suppress: expected a list of tables")
    return tuple(_entry(item, f"{where} suppress[{n}]") for n, item in enumerate(value))


def _entry(item: Any, where: str) -> Suppression:
    if not isinstance(item, dict):
        raise SuppressionError(f"{where}: expected a table such as {{ code = ..., reason = ... }}")
    unknown = sorted(set(item) - KEYS)
    if unknown:
        raise SuppressionError(f"{where}: unknown key(s) {', '.join(unknown)}")
    for key in ("code", "reason"):
        if not isinstance(item.get(key), str) or not item[key].strip():
            raise SuppressionError(f"{where}: {key} is required (a non-empty string)")
    for key in SELECTORS:
        if key in item and not isinstance(item[key], str):
            raise SuppressionError(f"{where}: {key} must be a string")
    return Suppression(
        code=item["code"].strip().upper(),
        reason=item["reason"].strip(),
        expires=_date(item.get("expires"), where),
        **{key: item[key] for key in SELECTORS if key in item},
    )


def _date(value: Any, where: str) -> date | None:
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise SuppressionError(f"{where}: expires {value!r} is not a date (YYYY-MM-DD)") from None


def apply_suppressions(
    findings: list[Finding], suppressions: tuple[Suppression, ...], today: date
) -> tuple[list[Finding], list[Suppression]]:
    """Findings with the live suppressions applied, and the expired entries that no longer hide."""
    live = [s for s in suppressions if not s.expired(today)]
    marked = []
    for finding in findings:
        entry = next((s for s in live if s.matches(finding)), None)
        if entry is None:
            marked.append(finding)
            continue
        expires = entry.expires.isoformat() if entry.expires else None
        marked.append(replace(finding, suppressed=Suppressed(entry.reason, expires)))
    return marked, [s for s in suppressions if s.expired(today)]
