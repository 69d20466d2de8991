"""Level 1 rules on Condition steps: condition types, their operands, and comparable values."""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from lineage.graph.lineage_graph import Kind, LineageGraph, Node, Rel
from lineage.jsondoc.names import did_you_mean
from lineage.jsondoc.pointer import child
from lineage.rules.engine.arguments import describe
from lineage.rules.engine.model import CheckContext, Severity, Violation
from lineage.rules.engine.rulebook import node_check
from lineage.sagemaker.api_model import has_properties_model, property_type
from lineage.sagemaker.expressions import JOIN, JSON_GET, is_expression
from lineage.sagemaker.property_path import PathSyntaxError, tokenize

COMPARISONS = ("Equals", "GreaterThan", "GreaterThanOrEqualTo", "LessThan", "LessThanOrEqualTo")
# The members each condition type takes, as the SageMaker SDK writes them (conditions.py).
OPERANDS: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(COMPARISONS, ("LeftValue", "RightValue")),
    "In": ("QueryValue", "Values"),
    "Not": ("Condition",),
    "Or": ("Conditions",),
}
BASIS = (
    "SageMaker Python SDK sagemaker/workflow/conditions.py (ConditionTypeEnum and each "
    "condition's to_request) and the Pipelines definition schema's Condition step"
)
# Execution variables that are text when a pipeline runs.
TEXT_VARIABLES = frozenset(
    {"ExecutionId", "PipelineName", "PipelineExecutionArn", "PipelineExecutionId"}
)
NUMBER, TEXT, BOOLEAN = "a number", "a string", "a boolean"
BOTOCORE_KINDS = {
    "integer": NUMBER,
    "long": NUMBER,
    "float": NUMBER,
    "double": NUMBER,
    "string": TEXT,
    "boolean": BOOLEAN,
}
PARAMETER_KINDS = {"Integer": NUMBER, "Float": NUMBER, "String": TEXT, "Boolean": BOOLEAN}


@dataclass(frozen=True, slots=True)
class ConditionAt:
    """One condition object of a Condition step, wherever it is nested, and its pointer."""

    value: Any
    pointer: str


def conditions(step: Node) -> Iterator[ConditionAt]:
    """Every condition of a Condition step: the top-level ones and those inside Not and Or."""
    raw = step.get("raw")
    arguments = raw.get("Arguments") if isinstance(raw, dict) else None
    listed = arguments.get("Conditions") if isinstance(arguments, dict) else None
    base = child(child(step.get("pointer"), "Arguments"), "Conditions")
    listed = listed if isinstance(listed, list) else []
    stack = [ConditionAt(v, child(base, i)) for i, v in enumerate(listed)][::-1]
    while stack:
        current = stack.pop()
        yield current
        if not isinstance(current.value, dict):
            continue
        kind = current.value.get("Type")
        if kind == "Not" and isinstance(current.value.get("Condition"), dict):
            stack.append(
                ConditionAt(current.value["Condition"], child(current.pointer, "Condition"))
            )
        inner = current.value.get("Conditions") if kind == "Or" else None
        if isinstance(inner, list):
            where = child(current.pointer, "Conditions")
            stack += [ConditionAt(v, child(where, i)) for i, v in enumerate(inner)][::-1]


@node_check(
    "L111",
    "unknown-condition-type",
    Severity.ERROR,
    kinds=(Kind.STEP,),
    step_types=("Condition",),
    summary="A condition whose Type SageMaker does not know",
    rationale=(
        "A Condition step's conditions are one of Equals, GreaterThan, GreaterThanOrEqualTo, "
        "LessThan, LessThanOrEqualTo, In, Not and Or. Any other `Type` (a typo such as "
        "`GreaterThanOrEqual`, or a missing Type) makes the service reject the definition at "
        "`upsert()`, so no execution starts."
    ),
    recommendation="Use one of the condition types (the message suggests the closest).",
    example='{"Type": "GreaterThanOrEqual", "LeftValue": 0.7, "RightValue": {"Get": "…"}}',
    review=(
        "Corpus: 0 findings on 37 definitions, among them the SDK's own test of every condition "
        "type and the airflow example's 30 nested Conditions. Defect fixture: a hand-edited "
        "`LessThanOrEqual`."
    ),
    basis=BASIS,
)
def unknown_condition_type(node: Node, context: CheckContext) -> Iterator[Violation]:
    """Conditions whose Type is missing or not a known condition type."""
    for condition in conditions(node):
        if not isinstance(condition.value, dict):
            continue
        kind = condition.value.get("Type")
        if isinstance(kind, str) and kind in OPERANDS:
            continue
        where = child(condition.pointer, "Type")
        if not isinstance(kind, str):
            yield Violation(node, f"a condition of {describe(node)} has no Type", where)
            continue
        yield Violation(
            node,
            f"condition type {kind!r} of {describe(node)} is not one SageMaker knows "
            f"({', '.join(OPERANDS)}){did_you_mean(kind, OPERANDS)}",
            where,
        )


@node_check(
    "L112",
    "malformed-condition",
    Severity.ERROR,
    kinds=(Kind.STEP,),
    step_types=("Condition",),
    summary="A condition without the operands its type takes",
    rationale=(
        "Each condition type takes its own members: comparisons a `LeftValue` and a "
        "`RightValue`, `In` a `QueryValue` and a list of `Values`, `Not` one `Condition`, `Or` "
        "a list of `Conditions`. A missing operand, an operand of another type's shape (such as "
        "`Conditions` on a `Not`), or `Conditions` that is not a list of conditions is rejected "
        "when the definition is upserted."
    ),
    recommendation=(
        "Give the condition the members its type takes; build conditions with the SDK's "
        "`ConditionGreaterThanOrEqualTo(left=..., right=...)`, `ConditionNot(expression=...)`, "
        "`ConditionOr(conditions=[...])`, `ConditionIn(value=..., in_values=[...])`."
    ),
    example='{"Type": "Not", "Conditions": [{"Type": "Equals", "LeftValue": 1, "RightValue": 1}]}',
    review=(
        "Corpus: 0 findings. Defect fixtures: an older SDK's `Not` with `Expression` (SDK issue "
        "2746, rejected by the service) and a comparison without its threshold. A foreign member "
        "in place of a missing one is one finding, not two."
    ),
    basis=BASIS,
)
def malformed_condition(node: Node, context: CheckContext) -> Iterator[Violation]:
    """Conditions of a known type with missing, foreign or wrongly shaped operands."""
    raw = node.get("raw")
    arguments = raw.get("Arguments") if isinstance(raw, dict) else None
    listed = arguments.get("Conditions") if isinstance(arguments, dict) else None
    if not isinstance(listed, list) or not listed:
        where = child(child(node.get("pointer"), "Arguments"), "Conditions")
        yield Violation(node, f"{describe(node)} needs Conditions: a non-empty list", where)
    for condition in conditions(node):
        if not isinstance(condition.value, dict):
            yield Violation(
                node, f"a condition of {describe(node)} is not an object", condition.pointer
            )
            continue
        kind = condition.value.get("Type")
        if isinstance(kind, str) and kind in OPERANDS:
            yield from _operand_problems(node, condition, kind)


def _operand_problems(node: Node, condition: ConditionAt, kind: str) -> Iterator[Violation]:
    """Missing and foreign members; a foreign member in place of a missing one is one finding."""
    value, wanted = condition.value, OPERANDS[kind]
    takes = " and ".join(wanted)
    missing = [m for m in wanted if m not in value]
    foreign = sorted(set(value) - {"Type", *wanted})
    replaced: set[str] = set()
    for member in foreign:
        # One member in place of the one that is missing is one mistake: its name.
        alone = len(foreign) == len(missing) == 1
        meant = missing if alone else difflib.get_close_matches(member, missing, n=1, cutoff=0.6)
        replaced.update(meant)
        hint = f" (did you mean {meant[0]!r}?)" if meant else ""
        yield Violation(
            node,
            f"{kind} condition of {describe(node)} has {member!r}, which a {kind} condition does "
            f"not take (it takes {takes}){hint}",
            child(condition.pointer, member),
        )
    for member in missing:
        if member not in replaced:
            yield Violation(
                node,
                f"{kind} condition of {describe(node)} lacks {member} (it takes {takes})",
                child(condition.pointer, member),
            )
    listed = {"In": "Values", "Or": "Conditions"}.get(kind)
    if (
        listed is not None
        and listed in value
        and not (isinstance(value[listed], list) and value[listed])
    ):
        yield Violation(
            node,
            f"{listed} of an {kind} condition of {describe(node)} must be a non-empty list",
            child(condition.pointer, listed),
        )
    if kind == "Not" and "Condition" in value and not isinstance(value["Condition"], dict):
        yield Violation(
            node,
            f"Condition of a Not condition of {describe(node)} must be one condition object",
            child(condition.pointer, "Condition"),
        )


@node_check(
    "L113",
    "incomparable-condition-operands",
    Severity.ERROR,
    kinds=(Kind.STEP,),
    step_types=("Condition",),
    summary="A comparison between values of different types",
    rationale=(
        "A comparison is evaluated when the Condition step runs. Comparing a number with a "
        'string (a String parameter against a metric, a quoted threshold such as `"0.7"` '
        "against a Float property) fails the step, so the branch the gate was meant to choose "
        "never runs. Strings may be ordered (the SDK's own tests order `Execution.StartDateTime` "
        "against dates), so only a mismatch of known types is reported. Operand types come from "
        "literals, parameter types, the botocore shape of the property a `Get` reads, and "
        "`Std:Join` (a string); "
        "`Std:JsonGet` values are typed only when the pipeline runs and are not judged."
    ),
    recommendation=(
        "Give both sides the same type: an unquoted number against a Float or Integer parameter "
        "or metric, or a parameter of the matching type (`ParameterFloat` for thresholds)."
    ),
    example='{"Type": "GreaterThan", "LeftValue": {"Get": "Parameters.Threshold"}, '
    '"RightValue": 0.5} with Threshold a String parameter',
    review=(
        "Corpus: 0 findings; the SDK's test that orders `Execution.StartDateTime` against date "
        "strings stays quiet. Defect fixture: a training metric (Float) against the quoted "
        '`"5.0"`.'
    ),
    basis=BASIS + "; operand types from botocore's sagemaker service model",
)
def incomparable_operands(node: Node, context: CheckContext) -> Iterator[Violation]:
    """Comparisons whose two operands have known, different types."""
    for condition in conditions(node):
        value = condition.value
        kind = value.get("Type") if isinstance(value, dict) else None
        if kind not in COMPARISONS or not {"LeftValue", "RightValue"} <= set(value):
            continue
        left, right = (
            operand_kind(context.graph, node, value[side], child(condition.pointer, side))
            for side in ("LeftValue", "RightValue")
        )
        if left is not None and right is not None and left != right:
            yield Violation(
                node,
                f"{kind} condition of {describe(node)} compares {left} (LeftValue) with "
                f"{right} (RightValue)",
                condition.pointer,
            )


def operand_kind(graph: LineageGraph, step: Node, value: Any, pointer: str) -> str | None:
    """`a number`, `a string` or `a boolean` when an operand's type is known, else None."""
    if isinstance(value, bool):
        return BOOLEAN
    if isinstance(value, int | float):
        return NUMBER
    if isinstance(value, str):
        return TEXT
    if not is_expression(value):
        return None
    if JOIN in value:
        return TEXT
    if JSON_GET in value or not isinstance(value.get("Get"), str):
        return None
    return _reference_kind(graph, step, value["Get"], pointer)


def _reference_kind(graph: LineageGraph, step: Node, expression: str, pointer: str) -> str | None:
    root, _, rest = expression.partition(".")
    if root == "Execution":
        return TEXT if rest in TEXT_VARIABLES else None
    if root == "Parameters":
        parameter = _linked(graph, step, pointer, Kind.PARAMETER)
        return PARAMETER_KINDS.get(str(parameter.get("param_type"))) if parameter else None
    if root != "Steps":
        return None
    name, _, path = rest.partition(".")
    target = _step_named(graph, step.get("pipeline"), name)
    step_type = target.get("step_type") if target is not None else None
    if not path or not has_properties_model(step_type):
        return None
    try:
        tokens = tokenize(path)
    except PathSyntaxError:
        return None
    found = property_type(step_type, tokens)
    return BOTOCORE_KINDS.get(found) if found else None


def _linked(graph: LineageGraph, step: Node, pointer: str, kind: Kind) -> Node | None:
    """What the reference at `pointer` of `step` resolves to, when it is of `kind`."""
    ref_key = f"{step.key}#{pointer}"
    if not graph.has(Kind.PROPERTY_REF, ref_key):
        return None
    targets = graph.out(graph.node(Kind.PROPERTY_REF, ref_key), Rel.RESOLVES_TO)
    return next((t for t in targets if t.kind is kind), None)


def _step_named(graph: LineageGraph, pipeline: str | None, name: str) -> Node | None:
    def compute() -> dict[tuple[str | None, str], Node]:
        return {(s.get("pipeline"), str(s.get("name"))): s for s in graph.nodes(Kind.STEP)}

    return graph.memo("steps by pipeline and name", compute).get((pipeline, name))
