"""The gate model: which steps publish or serve a model, which Conditions lead to them, what
metric each condition reads, and whether a comparison passes on a good or a bad metric."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from lineage.graph.lineage_graph import LineageGraph, Node, Rel
from lineage.jsondoc.pointer import child
from lineage.rules.engine.queries import consumed, enclosing_branches, pipeline_steps, steps_of_type
from lineage.rules.l1_conditions import ConditionAt
from lineage.sagemaker.expressions import JSON_GET

# Steps that publish (register) or serve (create, transform with, deploy) a model.
PUBLISHING = ("RegisterModel",)
SERVING = ("Model", "Transform")
# Metric names by nature, matched on the words of a JsonGet path or a step property path.
LOWER_IS_BETTER = frozenset(
    {"mse", "rmse", "mae", "mape", "loss", "error", "logloss", "wer", "perplexity"}
)
HIGHER_IS_BETTER = frozenset(
    {"accuracy", "auc", "f1", "precision", "recall", "r2", "ndcg", "map", "roc"}
)
# For each comparison: True when it holds with the left operand above the right one.
ABOVE = {
    "GreaterThan": True,
    "GreaterThanOrEqualTo": True,
    "LessThan": False,
    "LessThanOrEqualTo": False,
}
WORDS = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True, slots=True)
class MetricRead:
    """A condition operand that reads a step: a JsonGet on a property file, or a property."""

    pointer: str
    step: str
    path: str

    @property
    def better(self) -> str | None:
        """`higher` or `lower` when the metric's name says which is better, else None."""
        words = set(WORDS.findall(self.path.lower()))
        lower, higher = bool(words & LOWER_IS_BETTER), bool(words & HIGHER_IS_BETTER)
        if lower == higher:
            return None
        return "lower" if lower else "higher"


def metric_reads(graph: LineageGraph, condition: Node) -> list[MetricRead]:
    """Every operand of a Condition step that reads a property of a step, in pointer order."""
    reads = [
        MetricRead(
            str(ref.get("pointer")).removesuffix(f"/{JSON_GET}/PropertyFile"),
            str(ref.get("target_step")),
            str(ref.get("json_path") or ref.get("path") or ""),
        )
        for ref in graph.out(condition, Rel.USES)
        if ref.get("root") == "Steps" and ref.get("target_step")
    ]
    return sorted(reads, key=lambda read: read.pointer)


def passes_on_good_metric(condition: ConditionAt, reads: list[MetricRead]) -> bool | None:
    """Whether a condition holds when its metric is good (True) or bad (False); None when
    it compares no metric of known nature, or cannot be read that way (Equals, Or)."""
    value, negated = condition.value, False
    pointer = condition.pointer
    while isinstance(value, dict) and value.get("Type") == "Not":
        value, negated, pointer = value.get("Condition"), not negated, child(pointer, "Condition")
    kind = value.get("Type") if isinstance(value, dict) else None
    if not isinstance(kind, str) or kind not in ABOVE:
        return None
    above = ABOVE[kind]
    by_pointer = {read.pointer: read for read in reads}
    sides = [
        (side, by_pointer.get(child(pointer, side)))
        for side in ("LeftValue", "RightValue")
        if by_pointer.get(child(pointer, side)) is not None
    ]
    natures = {read.better for _, read in sides if read is not None}
    if len(sides) != 1 or None in natures:
        return None
    side, read = sides[0]
    assert read is not None
    metric_above = above if side == "LeftValue" else not above
    return (metric_above == (read.better == "higher")) != negated


@dataclass(frozen=True, slots=True)
class ModelInput:
    """A model a step registers, creates, transforms with or is handed: where it is named,
    the artifact, and the Model or RegisterModel step it comes through, if any."""

    pointer: str
    model: Node
    via: Node | None = None


def model_inputs(graph: LineageGraph, step: Node) -> list[ModelInput]:
    """Each model a step registers, creates, transforms with or is handed by reference (a
    Lambda given a model name, package or artifact URL), in pointer order."""
    found = [ModelInput(str(e.props.get("arg")), e.target) for e in consumed(graph, step, "model")]
    steps = pipeline_steps(graph, step.get("pipeline"))
    for ref in graph.out(step, Rel.USES):
        target = steps.get(str(ref.get("target_step"))) if ref.get("root") == "Steps" else None
        if target is None or target.key == step.key:
            continue
        pointer = str(ref.get("pointer"))
        if target.get("step_type") in ("Model", *PUBLISHING) and ref.get("path") in (
            "ModelName",
            "ModelPackageArn",
        ):
            found += [
                ModelInput(pointer, e.target, target) for e in consumed(graph, target, "model")
            ]
        if ref.get("output_family") == "model":
            produced = graph.out(target, Rel.PRODUCES)
            found += [ModelInput(pointer, a) for a in produced if a.get("artifact_kind") == "model"]
    return sorted(found, key=lambda item: (item.pointer, item.model.key))


def deployed_models(graph: LineageGraph, step: Node) -> dict[str, Node]:
    """The model artifacts of `model_inputs`, by key."""
    return dict(sorted((i.model.key, i.model) for i in model_inputs(graph, step)))


def gated_steps(graph: LineageGraph) -> list[Node]:
    """Steps that publish or serve a model: registrations, Model and Transform steps, and
    Lambda steps that receive a model by reference."""

    def compute() -> list[Node]:
        candidates = steps_of_type(graph, *PUBLISHING, *SERVING, "Lambda")
        return [
            step
            for step in candidates
            if step.get("step_type") != "Lambda" or deployed_models(graph, step)
        ]

    return list(graph.memo("gated_steps", compute))


def branch_steps(graph: LineageGraph, condition: Node, rel: Rel) -> Iterator[Node]:
    """The steps in one branch of a Condition, with those of the Conditions nested in it."""
    for edge in sorted(graph.out_edges(condition, rel), key=lambda e: int(e.props["arg"])):
        step = edge.target
        yield step
        if step.get("step_type") == "Condition":
            for nested in (Rel.IF_TRUE, Rel.IF_FALSE):
                yield from branch_steps(graph, step, nested)


def metric_gated(graph: LineageGraph, step: Node) -> bool:
    """Whether a Condition around `step` reads a property of a step (a metric)."""
    return any(metric_reads(graph, c) for c, _ in enclosing_branches(graph, step))


def step_names(steps: list[Node]) -> list[Any]:
    """The names of steps, for messages."""
    return [step.get("name") for step in steps]
