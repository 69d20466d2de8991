"""Compare two scans of one pipeline: steps, parameters, references, artifacts, findings, impact."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from lineage.diff.changes import changed_pointers, comparable_step
from lineage.graph.lineage_graph import Kind, LineageGraph, Node
from lineage.graph.trace import Direction, trace
from lineage.rules.engine.model import Finding

# Steps whose output is a served, transformed or registered model: what a change reaches.
SERVING_STEPS = frozenset({"RegisterModel", "Model", "CreateModel", "Transform"})


@dataclass(frozen=True)
class Side:
    """One version of the pipeline: its scanned graph and findings, and where it came from."""

    source: str
    graph: LineageGraph
    findings: list[Finding]


@dataclass(frozen=True)
class StepChange:
    """A step added, removed or changed; the pointers that changed; what it affects downstream."""

    name: str
    status: str
    step_type: str
    pointers: list[str] = field(default_factory=list)
    impact: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ParameterChange:
    """A parameter added, removed or changed (type, default or allowed values)."""

    name: str
    status: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None


@dataclass(frozen=True)
class PipelineDiff:
    """Everything that differs between two versions of a pipeline."""

    old: str
    new: str
    steps: list[StepChange]
    parameters: list[ParameterChange]
    references: dict[str, list[str]]
    artifacts: dict[str, list[str]]
    findings: dict[str, list[Finding]]

    @property
    def equal(self) -> bool:
        """Whether nothing differs."""
        lists: list[list[Any]] = [self.steps, self.parameters]
        lists += [*self.references.values(), *self.artifacts.values(), *self.findings.values()]
        return not any(lists)


def compare(old: Side, new: Side) -> PipelineDiff:
    """The differences from `old` to `new` (both scanned under the same pipeline name)."""
    return PipelineDiff(
        old=old.source,
        new=new.source,
        steps=_steps(old.graph, new.graph),
        parameters=_parameters(old.graph, new.graph),
        references=_gained_lost(_references(old.graph), _references(new.graph)),
        artifacts=_gained_lost(_artifacts(old.graph), _artifacts(new.graph)),
        findings=_findings(old.findings, new.findings),
    )


def _by_name(graph: LineageGraph, kind: Kind) -> dict[str, Node]:
    return {str(n.get("name")): n for n in graph.nodes(kind) if n.get("name") is not None}


def _steps(old: LineageGraph, new: LineageGraph) -> list[StepChange]:
    before, after = _by_name(old, Kind.STEP), _by_name(new, Kind.STEP)
    changes = []
    for name in sorted(set(before) | set(after)):
        if name not in after:
            gone = before[name]
            pointer = [str(gone.get("pointer") or "")]
            changes.append(StepChange(name, "removed", str(gone.get("step_type")), pointer))
            continue
        step = after[name]
        if name in before:
            raw_old, raw_new = (comparable_step(n.get("raw")) for n in (before[name], step))
            base = str(step.get("pointer") or "")
            pointers = [base + p for p in changed_pointers(raw_old, raw_new)]
            if not pointers:
                continue
            status = "changed"
        else:
            pointers, status = [str(step.get("pointer") or "")], "added"
        impact = _impact(new, step)
        changes.append(StepChange(name, status, str(step.get("step_type")), pointers, impact))
    return changes


def _impact(graph: LineageGraph, step: Node) -> list[str]:
    """The serving steps and model packages downstream of `step`, by name or key."""
    reached = trace(graph, [step], Direction.DOWN).reached
    names = {
        str(r.node.get("name"))
        for r in reached
        if r.node.kind is Kind.STEP and r.node.get("step_type") in SERVING_STEPS
    }
    for r in reached:
        registering = r.node.get("step")
        if r.node.kind is Kind.MODEL_PACKAGE and registering and graph.has(Kind.STEP, registering):
            names.add(
                f"the model package {graph.node(Kind.STEP, registering).get('name')} registers"
            )
    return sorted(names)


def _parameters(old: LineageGraph, new: LineageGraph) -> list[ParameterChange]:
    before, after = _by_name(old, Kind.PARAMETER), _by_name(new, Kind.PARAMETER)
    changes = []
    for name in sorted(set(before) | set(after)):
        was = _parameter(before[name]) if name in before else None
        now = _parameter(after[name]) if name in after else None
        if was != now:
            status = "added" if was is None else "removed" if now is None else "changed"
            changes.append(ParameterChange(name, status, was, now))
    return changes


def _parameter(node: Node) -> dict[str, Any]:
    return {
        "type": node.get("param_type"),
        "default": node.get("default"),
        "enum": node.get("enum_values"),
    }


def _references(graph: LineageGraph) -> set[str]:
    """`Step reads Steps.X.…` for every property reference."""
    found = set()
    for ref in graph.nodes(Kind.PROPERTY_REF):
        owner = ref.get("step")
        reader = (
            graph.node(Kind.STEP, owner).get("name")
            if owner and graph.has(Kind.STEP, owner)
            else None
        )
        found.add(f"{reader or '(pipeline)'} reads {ref.get('expression')}")
    return found


def _artifacts(graph: LineageGraph) -> set[str]:
    """Every artifact by its URI, or by its key for step outputs named only by reference."""
    return {str(a.get("uri") or a.key) for a in graph.nodes(Kind.ARTIFACT)}


def _gained_lost(before: set[str], after: set[str]) -> dict[str, list[str]]:
    return {"gained": sorted(after - before), "lost": sorted(before - after)}


def _findings(old: list[Finding], new: list[Finding]) -> dict[str, list[Finding]]:
    before = {f.fingerprint for f in old}
    after = {f.fingerprint for f in new}
    return {
        "introduced": [f for f in new if f.fingerprint not in before],
        "resolved": [f for f in old if f.fingerprint not in after],
    }
