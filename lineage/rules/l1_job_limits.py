"""Level 1 rules the service enforces across members of one job: managed spot training's wait."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from lineage.graph.lineage_graph import Kind, LineageGraph, Node
from lineage.jsondoc.pointer import child
from lineage.rules.engine.arguments import (
    Part,
    arguments,
    describe,
    parameter_read,
    training_job_definitions,
)
from lineage.rules.engine.model import CheckContext, Severity, Violation
from lineage.rules.engine.rulebook import node_check
from lineage.sagemaker.expressions import is_expression

# CreateTrainingJob's documented default when StoppingCondition sets no MaxRuntimeInSeconds.
DEFAULT_MAX_RUNTIME = 86400


@node_check(
    "L118",
    "spot-training-without-max-wait",
    Severity.ERROR,
    kinds=(Kind.STEP,),
    step_types=("Training", "Tuning"),
    summary="Managed spot training without a MaxWaitTimeInSeconds of at least the run time",
    rationale=(
        "With `EnableManagedSpotTraining`, a job may wait for spare capacity, so SageMaker "
        "requires `StoppingCondition.MaxWaitTimeInSeconds`, equal to or greater than "
        "`MaxRuntimeInSeconds` (86400 when not set). The SDK writes neither unless `max_wait` "
        "is passed with `use_spot_instances=True`; the training or tuning job is then rejected "
        "when the step runs."
    ),
    recommendation=(
        "Pass `max_wait` (seconds, at least `max_run`) to the estimator along with "
        "`use_spot_instances=True`, or turn spot training off."
    ),
    example='{"EnableManagedSpotTraining": true, '
    '"StoppingCondition": {"MaxRuntimeInSeconds": 3600}}',
    review=(
        "Corpus: 0 findings (no corpus pipeline trains on spot capacity). Defect fixtures: spot "
        "training turned on without MaxWait, and a MaxWait below the run time."
    ),
    basis=(
        "CreateTrainingJob API reference (StoppingCondition.MaxWaitTimeInSeconds: required for "
        "managed spot training, and must be equal to or greater than MaxRuntimeInSeconds) and "
        "the SDK's EstimatorBase (max_wait)"
    ),
)
def spot_training_without_max_wait(node: Node, context: CheckContext) -> Iterator[Violation]:
    """Spot training jobs whose stopping condition lacks a sufficient MaxWaitTimeInSeconds."""
    jobs = (
        training_job_definitions(node) if node.get("step_type") == "Tuning" else [arguments(node)]
    )
    for job in jobs:
        if _value(context.graph, node, job, "EnableManagedSpotTraining") is not True:
            continue
        stopping = job.at("StoppingCondition")
        wait = _value(context.graph, node, stopping, "MaxWaitTimeInSeconds")
        runtime = _value(context.graph, node, stopping, "MaxRuntimeInSeconds")
        limit = runtime if isinstance(runtime, int) and not isinstance(runtime, bool) else None
        if wait is None and "MaxWaitTimeInSeconds" not in stopping.value:
            yield Violation(
                node,
                f"{describe(node)} trains on spot capacity without "
                "StoppingCondition.MaxWaitTimeInSeconds",
                child(stopping.pointer, "MaxWaitTimeInSeconds"),
            )
        elif isinstance(wait, int) and wait < (limit or DEFAULT_MAX_RUNTIME):
            yield Violation(
                node,
                f"{describe(node)} waits at most {wait} s for spot capacity, less than its "
                f"MaxRuntimeInSeconds ({limit or DEFAULT_MAX_RUNTIME} s"
                + (")" if limit else ", the default)"),
                child(stopping.pointer, "MaxWaitTimeInSeconds"),
            )


def _value(graph: LineageGraph, step: Node, owner: Part, field: str) -> Any:
    """A member's literal value, or the default of the parameter it reads (None if unknown)."""
    value = owner.get(field)
    if not is_expression(value):
        return value
    parameter = parameter_read(graph, step, child(owner.pointer, field))
    return parameter.get("default") if parameter is not None else None
