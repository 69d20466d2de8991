"""Property references: each `Get` in a step becomes a PropertyRef, resolved where it can be."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from lineage.collect.artifacts import model_key, output_key
from lineage.collect.builder import Builder
from lineage.graph.lineage_graph import Kind, Node, Rel
from lineage.sagemaker.api_model import has_properties_model, validate_property_path
from lineage.sagemaker.expressions import GetExpression, find_gets
from lineage.sagemaker.property_path import Attr, Index, MapKey, PathSyntaxError, Token, render
from lineage.sagemaker.property_path import tokenize as tokenize_path

# Roots that name run-time values with no node in the graph.
RUNTIME_ROOTS = frozenset({"Execution", "PipelineExperimentConfig"})
# Step fields that hold nested steps, not expressions of the step itself.
NESTED_STEP_FIELDS = frozenset({"IfSteps", "ElseSteps"})
# Output families a step has by its type rather than by declaring them by name.
IMPLIED_FAMILIES = frozenset({"model", "transform_output"})


@dataclass(frozen=True)
class OutputSelector:
    """The declared output a path names: its family (`outputs`, `property_files`, …) and name."""

    family: str
    name: str | None
    index: int | None = None


def add_references(builder: Builder, step: Node) -> None:
    """A PropertyRef for every `Get` in the step (nested steps excluded), with USES/RESOLVES_TO."""
    raw = step.get("raw")
    skip = NESTED_STEP_FIELDS if step.get("step_type") == "Condition" else frozenset()
    for get in builder.walks(find_gets, raw, step.get("pointer"), skip):
        root = get.expression.split(".", 1)[0]
        if root in RUNTIME_ROOTS:
            continue
        ref = _add_ref(builder, step, get)
        builder.graph.add_edge(step, Rel.USES, ref, arg=get.pointer)


def _add_ref(builder: Builder, step: Node, get: GetExpression) -> Node:
    key = f"{step.key}#{get.pointer}"
    props: dict[str, Any] = {
        "expression": get.expression,
        "pointer": get.pointer,
        "pipeline": builder.pipeline.key,
        "step": step.key,
        "json_path": get.json_path,
        "resolved": False,
        "path_error": None,
        "path_valid": None,
    }
    try:
        tokens = tokenize_path(get.expression)
    except PathSyntaxError as exc:
        guess = get.expression.split(".", 1)[0]
        props.update(root=guess, path_error=exc.reason, path_valid=_invalid_if_steps(guess))
        return builder.graph.add_node(Kind.PROPERTY_REF, key, **props)
    root = tokens[0].name if isinstance(tokens[0], Attr) else None
    props["root"] = root
    if root == "Parameters" and len(tokens) == 2 and isinstance(tokens[1], Attr):
        props["target_parameter"] = tokens[1].name
        param_key = f"{builder.definition.name}/parameters/{tokens[1].name}"
        known = builder.graph.has(Kind.PARAMETER, param_key)
        param = builder.graph.node(Kind.PARAMETER, param_key) if known else None
        return _add_resolved(builder, key, props, param, consumer=None)
    if root == "Steps" and len(tokens) >= 2 and isinstance(tokens[1], Attr):
        return _add_step_ref(builder, step, key, props, tokens[1].name, tokens[2:])
    props["path_error"] = "expected Steps.<step>.<path> or Parameters.<name>"
    props["path_valid"] = _invalid_if_steps(root)
    return builder.graph.add_node(Kind.PROPERTY_REF, key, **props)


def _invalid_if_steps(root: str | None) -> bool | None:
    """A malformed path under `Steps` is invalid; under other roots it is not checked here."""
    return False if root == "Steps" else None


def _add_step_ref(
    builder: Builder,
    step: Node,
    key: str,
    props: dict[str, Any],
    target_name: str,
    path: list[Token],
) -> Node:
    selector = select_output(path)
    props.update(
        target_step=target_name,
        path=render(path),
        output_family=selector.family if selector else None,
        output_name=selector.name if selector else None,
    )
    target = builder.steps.get(target_name)
    step_type = target.get("step_type") if target is not None else None
    if has_properties_model(step_type):
        error = validate_property_path(step_type, path)
        props.update(path_valid=error is None, path_error=error)
    destination: Node | None = target
    if target is not None and selector is not None:
        destination = _declared_output(builder, target, selector)
    consumer = step if destination is not None and destination.kind is Kind.ARTIFACT else None
    return _add_resolved(builder, key, props, destination, consumer)


def _add_resolved(
    builder: Builder,
    key: str,
    props: dict[str, Any],
    destination: Node | None,
    consumer: Node | None,
) -> Node:
    """The PropertyRef, RESOLVES_TO its `destination` if found (which `consumer` CONSUMES)."""
    props["resolved"] = destination is not None
    ref = builder.graph.add_node(Kind.PROPERTY_REF, key, **props)
    if destination is not None:
        builder.graph.add_edge(ref, Rel.RESOLVES_TO, destination)
        if consumer is not None:
            builder.graph.add_edge(consumer, Rel.CONSUMES, destination, arg=ref.get("pointer"))
    return ref


def select_output(path: list[Token]) -> OutputSelector | None:
    """Which declared output, if any, a property path (after `Steps.<name>`) reads."""
    head = path[:3]
    if len(head) >= 3 and head[:2] == [Attr("ProcessingOutputConfig"), Attr("Outputs")]:
        third = head[2]
        if isinstance(third, MapKey):
            return OutputSelector("outputs", third.key)
        if isinstance(third, Index):
            return OutputSelector("outputs", None, third.index)
    if len(head) >= 2 and head[0] == Attr("PropertyFiles") and isinstance(head[1], Attr):
        return OutputSelector("property_files", head[1].name)
    if len(head) >= 2 and head[0] == Attr("OutputParameters") and isinstance(head[1], MapKey):
        return OutputSelector("output_parameters", head[1].key)
    if head[:1] in (
        [Attr("ModelArtifacts")],
        [Attr("TrainingJobSummaries")],
        [Attr("BestTrainingJob")],
    ):
        return OutputSelector("model", None)
    if head[:2] == [Attr("TransformOutput"), Attr("S3OutputPath")]:
        return OutputSelector("transform_output", None)
    return None


def _declared_output(builder: Builder, target: Node, selector: OutputSelector) -> Node | None:
    graph = builder.graph
    if selector.family in IMPLIED_FAMILIES:
        key = (
            model_key(target.key)
            if selector.family == "model"
            else output_key(target.key, "outputs", "transform")
        )
        return graph.node(Kind.ARTIFACT, key) if graph.has(Kind.ARTIFACT, key) else target
    if selector.index is not None:
        produced = [
            a
            for a in graph.out(target, Rel.PRODUCES)
            if a.key.startswith(f"{target.key}/outputs/") and a.get("position") == selector.index
        ]
        return produced[0] if produced else None
    key = output_key(target.key, selector.family, selector.name or "")
    return graph.node(Kind.ARTIFACT, key) if graph.has(Kind.ARTIFACT, key) else None
