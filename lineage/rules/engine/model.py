"""Rules, the violations their checks yield, and the findings a scan reports."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Protocol

from lineage.graph.lineage_graph import Kind, LineageGraph, Node


class Severity(StrEnum):
    """How bad a finding is; ordered info < warning < error."""

    INFO = "info"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        """0 for info, 1 for warning, 2 for error."""
        return ("info", "warning", "error").index(self.value)


class RuleSettings(Protocol):
    """What rules read of a scan's settings (`lineage.config.Settings` provides it)."""

    @property
    def required_metadata_keys(self) -> tuple[str, ...]:
        """The metadata keys L203 asks of every registration."""

    @property
    def pending_approval_max_age_days(self) -> int:
        """How long a package may wait for approval (L412)."""

    def enabled(self, code: str) -> bool:
        """Whether rule `code` runs."""

    def severity_of(self, code: str, default: Severity) -> Severity:
        """The severity rule `code` reports at."""


@dataclass(frozen=True)
class Violation:
    """What a check yields: the offending node, a message, and optionally a finer pointer."""

    node: Node
    message: str
    pointer: str | None = None


@dataclass(frozen=True)
class CheckContext:
    """What a check may look at besides its node: the whole graph and the scan settings."""

    graph: LineageGraph
    settings: RuleSettings


NodeCheck = Callable[[Node, CheckContext], Iterable[Violation]]
GraphCheck = Callable[[CheckContext], Iterable[Violation]]
# Turns a graph rule's message arguments into its message; shared by every backend.
MessageFormat = Callable[[dict[str, Any]], str]


@dataclass(frozen=True)
class Rule:
    """One rule of the catalogue: a stable code, a name, its documentation and its check."""

    code: str
    name: str
    severity: Severity
    summary: str
    rationale: str
    recommendation: str
    applies_to: str
    node_check: NodeCheck | None = None
    graph_check: GraphCheck | None = None
    kinds: tuple[Kind, ...] = ()
    step_types: tuple[str, ...] = ()
    example: str = ""
    review: str = ""
    message: MessageFormat | None = None
    # Codes whose findings share this rule's cause: reported once, as this rule's finding.
    absorbs: tuple[str, ...] = ()
    # Where the check's knowledge comes from: a botocore shape, SDK source, service docs.
    basis: str = ""

    @property
    def level(self) -> int:
        """The alignment level: the first digit of the code."""
        return int(self.code[1])

    @property
    def is_graph_rule(self) -> bool:
        """Graph rules query the whole graph; node checks look at one node at a time."""
        return self.graph_check is not None

    @property
    def module(self) -> str:
        """The module that defines the rule's check (`lineage.rules.l3_gates`)."""
        check = self.graph_check or self.node_check
        return check.__module__ if check is not None else ""

    def metadata(self) -> dict[str, Any]:
        """The rule's documentation as plain data (for `lineage rules --format json`)."""
        return {
            "code": self.code,
            "name": self.name,
            "level": self.level,
            "severity": self.severity.value,
            "kind": "graph" if self.is_graph_rule else "node",
            "applies_to": self.applies_to,
            "summary": self.summary,
            "rationale": self.rationale,
            "recommendation": self.recommendation,
            "absorbs": list(self.absorbs),
            "basis": self.basis,
        }


def natural_key(text: str) -> tuple[tuple[str, int, str], ...]:
    """`text` as (text, digit run) pairs compared so that `group/10` sorts after `group/9`."""
    parts = re.split(r"(\d+)", text)
    pairs = []
    for i in range(0, len(parts), 2):
        digits = parts[i + 1] if i + 1 < len(parts) else ""
        significant = digits.lstrip("0")
        pairs.append((parts[i], len(significant), significant))
    return tuple(pairs)


@dataclass(frozen=True)
class Suppressed:
    """Why a finding is accepted (`[tool.lineage] suppress`), and until when."""

    reason: str
    expires: str | None


@dataclass(frozen=True)
class Finding:
    """One rule violation, located in the graph and in the source.

    `fingerprint` identifies it across runs, reorderings and reformatting; `baseline` ("new" or
    "unchanged") is set when a scan is compared with a baseline report, `suppressed` when accepted,
    `origin` when the pipeline came from SDK code (the line that created the step).
    """

    code: str
    name: str
    level: int
    severity: Severity
    message: str
    pipeline: str | None
    step: str | None
    node: str
    kind: str
    pointer: str
    source: str | None
    line: int | None
    fingerprint: str = ""
    baseline: str | None = None
    suppressed: Suppressed | None = None
    origin: tuple[str, int] | None = None  # SDK sources: the Python file and line of the step
    related: tuple[str, ...] = ()  # codes of findings of the same cause folded into this one

    def sort_key(self) -> tuple[Any, ...]:
        """Report order: by source, line, pointer, code, then node; numbers in them as numbers."""
        return (
            self.source or "",
            self.line or 0,
            natural_key(self.pointer),
            self.code,
            natural_key(self.node),
        )

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Finding:
        """A finding from its JSON form or Neo4j properties (missing values as empty)."""
        suppressed = data.get("suppressed")
        return cls(
            code=str(data.get("code")),
            name=str(data.get("name")),
            level=int(data.get("level") or 0),
            severity=Severity(data.get("severity", "info")),
            message=str(data.get("message")),
            pipeline=data.get("pipeline"),
            step=data.get("step"),
            node=str(data.get("node")),
            kind=str(data.get("kind")),
            pointer=str(data.get("pointer") or ""),
            source=data.get("source"),
            line=data.get("line"),
            fingerprint=str(data.get("fingerprint") or ""),
            baseline=data.get("baseline"),
            related=tuple(data.get("related") or ()),
            suppressed=(
                Suppressed(str(suppressed.get("reason")), suppressed.get("expires"))
                if isinstance(suppressed, dict)
                else None
            ),
        )

    def as_dict(self) -> dict[str, Any]:
        """The finding in the JSON output schema."""
        return {
            "code": self.code,
            "name": self.name,
            "level": self.level,
            "severity": self.severity.value,
            "message": self.message,
            "pipeline": self.pipeline,
            "step": self.step,
            "node": self.node,
            "kind": self.kind,
            "pointer": self.pointer,
            "source": self.source,
            "line": self.line,
            "fingerprint": self.fingerprint,
            **({"related": list(self.related)} if self.related else {}),
            **({"origin": {"file": self.origin[0], "line": self.origin[1]}} if self.origin else {}),
            **({"baseline": self.baseline} if self.baseline else {}),
            **(
                {
                    "suppressed": {
                        "reason": self.suppressed.reason,
                        "expires": self.suppressed.expires,
                    }
                }
                if self.suppressed
                else {}
            ),
        }
