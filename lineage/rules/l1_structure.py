"""Level 1 rules on the shape of a definition: unknown step types and malformed entries."""

from __future__ import annotations

from collections.abc import Iterator

from lineage.graph.lineage_graph import Kind, Node
from lineage.rules.engine.model import CheckContext, Severity, Violation
from lineage.rules.engine.rulebook import node_check
from lineage.sagemaker.step_types import KNOWN_STEP_TYPES


@node_check(
    "L109",
    "unknown-step-type",
    Severity.INFO,
    kinds=(Kind.STEP,),
    summary="A step type the scanner does not know",
    rationale=(
        "The scanner knows the step types SageMaker Pipelines documents (Processing, Training, "
        "Tuning, Model, RegisterModel, Transform, Condition, Fail, Lambda, Callback, QualityCheck, "
        "ClarifyCheck, EMR, AutoML). A step of another type is kept in the graph as a generic step "
        "and its references are followed, but its arguments are not checked, so problems in it go "
        "unnoticed. It may also be a typo that SageMaker will reject."
    ),
    recommendation=(
        "Check the spelling of the step's `Type`. If it is a newer step type, the finding is "
        "informational: ignore it with `--ignore L109` until the scanner learns the type."
    ),
    example='{"Name": "Export", "Type": "Exporting", "Arguments": {}}',
    basis=("the step types of the SageMaker Pipelines definition schema"),
)
def unknown_step_type(node: Node, context: CheckContext) -> Iterator[Violation]:
    """Steps whose type is not in the known set."""
    step_type = node.get("step_type")
    if step_type is not None and step_type not in KNOWN_STEP_TYPES:
        yield Violation(
            node,
            f"step {node.get('name')!r} has type {step_type!r}, which the scanner does not "
            "know; it is kept as a generic step and its arguments are not checked",
            pointer=f"{node.get('pointer')}/Type",
        )


@node_check(
    "L110",
    "malformed-definition",
    Severity.ERROR,
    kinds=(Kind.PIPELINE,),
    summary="A definition entry that is missing required fields or is not of the right shape",
    rationale=(
        "SageMaker rejects a definition whose steps lack a `Name` or `Type`, whose step or "
        "parameter names repeat, or whose lists are not lists. The scanner skips such entries and "
        "checks everything else, so the rest of the report stays useful."
    ),
    recommendation="Fix the entry at the reported JSON pointer; every step needs a unique Name "
    "and a Type, every parameter a unique Name.",
    example='{"Steps": [{"Type": "Training", "Arguments": {}}]}',
    basis=(
        "the SageMaker Pipelines definition schema (unique step and parameter names, Name and "
        "Type on every step)"
    ),
)
def malformed_definition(node: Node, context: CheckContext) -> Iterator[Violation]:
    """The structural defects the collector recorded on the pipeline."""
    for problem in node.get("problems") or []:
        yield Violation(node, problem["message"], pointer=problem["pointer"])
