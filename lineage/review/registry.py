"""Registry baselines: the model package versions a scan read, compared with an earlier scan's.

A version is `new` (not in the baseline), `removed` (in the baseline, gone from a part of the
registry this scan read completely), `regressed` (its approval was withdrawn, or it gained an
error finding) or `changed` (another approval or status change). Parts of the registry the scan
did not read completely (a skipped group, `--since`), and pipelines it did not read, never yield
removed versions or resolved findings: they were not looked at again.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from lineage.collect.registry.arns import parse_arn
from lineage.collect.registry.model import Scope
from lineage.graph.lineage_graph import Kind, LineageGraph
from lineage.review.suppress import group_of
from lineage.rules.engine.model import Finding, Severity

APPROVED = "Approved"
CHANGES = ("new", "removed", "regressed", "changed")


@dataclass(frozen=True)
class PackageState:
    """What a governance review compares of one live model package version."""

    arn: str
    account: str
    region: str
    group: str
    version: int | None
    approval_status: str | None
    status: str | None

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> PackageState | None:
        """A state from a JSON report or Neo4j node properties; None without a package ARN."""
        arn = parse_arn(data.get("arn"))
        if arn is None or arn.resource_type != "model-package":
            return None
        version = str(data.get("version"))
        return cls(
            arn=arn.text,
            account=arn.account,
            region=arn.region,
            group=str(data.get("group") or arn.resource_id.rsplit("/", 1)[0]),
            version=int(version) if version.isdigit() else None,
            approval_status=data.get("approval_status"),
            status=data.get("status"),
        )

    def as_dict(self) -> dict[str, Any]:
        """The state in the JSON report (`registry.packages`)."""
        return asdict(self)

    @property
    def label(self) -> str:
        """`churn/3`."""
        return f"{self.group}/{self.version}"


def package_states(graph: LineageGraph) -> list[PackageState]:
    """The live model package versions of a scan's graph (those read from the registry)."""
    found = (PackageState.from_dict(node.props) for node in graph.nodes(Kind.MODEL_PACKAGE))
    return sorted((s for s in found if s is not None), key=lambda s: s.arn)


@dataclass(frozen=True)
class Coverage:
    """What a scan looked at: the pipelines it read, the parts of the registry it read
    completely, and the groups it found."""

    pipelines: frozenset[str] = frozenset()
    groups: frozenset[tuple[str, str, str]] = frozenset()
    regions: frozenset[tuple[str, str]] = frozenset()
    listed: frozenset[tuple[str, str, str]] = frozenset()

    @classmethod
    def of(cls, scopes: Iterable[Scope], graph: LineageGraph) -> Coverage:
        """From a scan's graph and the complete scopes of its registry collection, if any."""
        scopes = list(scopes)
        pipelines = {str(n.get("name")) for n in graph.nodes(Kind.PIPELINE)}
        listed = {
            (str(n.get("account")), str(n.get("region")), str(n.get("name")))
            for n in graph.nodes(Kind.MODEL_PACKAGE_GROUP)
            if n.get("arn")
        }
        return cls(
            frozenset(pipelines),
            frozenset((s.account, s.region, s.group) for s in scopes if s.group is not None),
            frozenset((s.account, s.region) for s in scopes if s.group is None),
            frozenset(listed),
        )

    def covers(self, account: str, region: str, group: str) -> bool:
        """Whether the scan read this group completely, or read its region's whole list of
        groups without finding it (the group is gone)."""
        where = (account, region, group)
        return where in self.groups or (
            (account, region) in self.regions and where not in self.listed
        )

    def covers_finding(self, item: dict[str, Any]) -> bool:
        """Whether a baseline finding could have been found again: a pipeline's when the scan
        read that pipeline, a registry finding when it read the group completely."""
        if item.get("pipeline") is not None:
            return item["pipeline"] in self.pipelines
        arn = parse_arn(item.get("node"))
        if arn is None:
            return True
        group = group_of(Finding.from_dict(item))
        return group is not None and self.covers(arn.account, arn.region, group)


@dataclass(frozen=True)
class PackageChange:
    """One version that changed since the baseline, how, and why it counts as that."""

    change: str
    before: PackageState | None
    after: PackageState | None
    reasons: list[str] = field(default_factory=list)

    @property
    def state(self) -> PackageState:
        """The version as it is now, or as it was when removed."""
        state = self.after or self.before
        assert state is not None
        return state

    def as_dict(self) -> dict[str, Any]:
        """The change in the JSON report (`registry_changes`)."""
        state = self.state
        return {
            "package": state.label,
            "arn": state.arn,
            "approval_status": state.approval_status,
            "before": self.before.approval_status if self.before else None,
            "reasons": self.reasons,
        }

    def describe(self) -> str:
        """`model package churn/3 regressed: approval withdrawn (Approved → Rejected)`."""
        why = f": {'; '.join(self.reasons)}" if self.reasons else ""
        return f"model package {self.state.label} {self.change}{why}"


def compare_packages(
    before: dict[str, PackageState],
    now: list[PackageState],
    findings: list[Finding],
    coverage: Coverage,
) -> list[PackageChange]:
    """The versions new, removed, regressed or changed since `before`; `findings` are this
    scan's, already marked new or unchanged against the same baseline."""
    errors: dict[str, list[str]] = {}
    for f in findings:
        if f.baseline == "new" and f.severity is Severity.ERROR and f.suppressed is None:
            errors.setdefault(f.node, []).append(f.code)
    changes = []
    current = {state.arn: state for state in now}
    for state in now:
        old = before.get(state.arn)
        if old is None:
            changes.append(PackageChange("new", None, state, _approval(None, state)))
            continue
        change = _compared(old, state, sorted(set(errors.get(state.arn, ()))))
        if change is not None:
            changes.append(change)
    for arn, old in sorted(before.items()):
        if arn not in current and coverage.covers(old.account, old.region, old.group):
            changes.append(PackageChange("removed", old, None, _approval(old, None)))
    return sorted(changes, key=lambda c: (CHANGES.index(c.change), c.state.arn))


def _compared(old: PackageState, new: PackageState, errors: list[str]) -> PackageChange | None:
    reasons = []
    if old.approval_status == APPROVED and new.approval_status != APPROVED:
        reasons.append(f"approval withdrawn ({old.approval_status} → {new.approval_status})")
    reasons += [f"new error finding {code}" for code in errors]
    if reasons:
        return PackageChange("regressed", old, new, reasons)
    changed = _approval(old, new) if old.approval_status != new.approval_status else []
    if old.status != new.status:
        changed.append(f"status {old.status} → {new.status}")
    return PackageChange("changed", old, new, changed) if changed else None


def _approval(old: PackageState | None, new: PackageState | None) -> list[str]:
    was = old.approval_status if old else None
    now = new.approval_status if new else None
    if old is None:
        return [f"approval {now}"]
    if new is None:
        return [f"was {was}"]
    return [f"approval {was} → {now}"]


def changes_json(changes: list[PackageChange]) -> dict[str, list[dict[str, Any]]]:
    """The changes by kind, as the JSON report's `registry_changes`."""
    return {kind: [c.as_dict() for c in changes if c.change == kind] for kind in CHANGES}
