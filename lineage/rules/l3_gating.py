"""Level 3 rules on Condition branches: registrations behind a quality gate, exclusive branches."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from lineage.graph.lineage_graph import Kind, LineageGraph, Node, Rel
from lineage.jsondoc.pointer import child
from lineage.rules.engine.model import CheckContext, Severity, Violation
from lineage.rules.engine.queries import (
    BRANCH_FIELDS,
    depends_on,
    enclosing_branches,
    pipeline_parameters,
    referenced_steps,
    steps_of_type,
)
from lineage.rules.engine.rulebook import graph_rule, violation


def is_gated(graph: LineageGraph, step: Node) -> bool:
    """Whether a Condition around `step` reads a property file (an evaluation metric)."""
    return any(
        ref.get("output_family") == "property_files"
        for condition, _ in enclosing_branches(graph, step)
        for ref in graph.out(condition, Rel.USES)
    )


@graph_rule(
    "L310",
    "ungated-registration",
    Severity.WARNING,
    applies_to="RegisterModel steps",
    summary="A RegisterModel step that no Condition on an evaluation metric gates",
    rationale=(
        "A registration at the top level of a pipeline, or only under Conditions that test "
        "parameters or constants, adds a model package in every run, however bad the model. "
        "The usual guard is a Condition step whose condition reads the evaluation step's report "
        "(`Std:JsonGet` on its property file), with the registration in one of its branches; "
        "Conditions count at any nesting depth."
    ),
    recommendation=(
        "Put the registration (and any deployment steps) in the `if_steps` of a ConditionStep "
        "that compares `JsonGet(step_name=step_eval.name, property_file=report, json_path=…)` "
        "with a threshold, and a FailStep in its `else_steps`."
    ),
    example="RegisterModel in the pipeline's top-level Steps, next to the evaluation step",
    message=lambda a: (
        f"step {a['step']!r} registers a model in every run: no Condition around it reads an "
        "evaluation metric (Std:JsonGet on a property file)"
    ),
    review=(
        "Corpus and fixtures: 6 findings, all kept: ungated_registration, approved_by_default, "
        "and top-level registrations in dynamic-sagemaker-pipelines-framework (2), the e2e "
        "notebook and the PyTorch serial batch demo. The other 18 registrations sit in a branch"
        " of a Condition on an evaluation property file."
    ),
    basis=(
        "the Condition step (SDK ConditionStep) reading an evaluation metric with Std:JsonGet "
        "on a property file"
    ),
)
def ungated_registration(context: CheckContext) -> Iterator[Violation]:
    """RegisterModel steps with no enclosing Condition that reads a property file."""
    graph = context.graph
    for step in steps_of_type(graph, "RegisterModel"):
        if not is_gated(graph, step):
            yield violation("L310", step, {"step": step.get("name")})


def _approved(graph: LineageGraph, step: Node) -> dict[str, Any] | None:
    """Message arguments when a registration's status is, or defaults to, `Approved`."""
    for package in graph.out(step, Rel.REGISTERS):
        if package.get("approval_status") == "Approved":
            return {"step": step.get("name"), "parameter": None}
        expression = str(package.get("approval_status_expression"))
        name = expression.removeprefix("Parameters.")
        parameter = pipeline_parameters(graph, step.get("pipeline")).get(name)
        if name != expression and parameter and parameter.get("default") == "Approved":
            return {"step": step.get("name"), "parameter": name}
    return None


@graph_rule(
    "L311",
    "auto-approval-without-gate",
    Severity.ERROR,
    applies_to="RegisterModel steps (ModelApprovalStatus)",
    absorbs=("L310", "L402"),
    summary="A registration approved automatically, with no quality gate in front of it",
    rationale=(
        "`ModelApprovalStatus` `Approved`, written literally or as the default of the parameter "
        "the status reads, makes every registered version deployable at once; deployment "
        "pipelines that trigger on approval ship it. Without a Condition on an evaluation "
        "metric before the registration, every model the pipeline trains is approved, "
        "however bad."
    ),
    recommendation=(
        "Register with `PendingManualApproval` (as the parameter's default) and approve after "
        "review, or gate the registration on an evaluation metric."
    ),
    example='{"Name": "ModelApprovalStatus", "Type": "String", "DefaultValue": "Approved"}',
    message=lambda a: (
        f"step {a['step']!r} approves every model it registers ("
        + (
            f"parameter {a['parameter']!r} defaults to 'Approved'"
            if a["parameter"]
            else "ModelApprovalStatus 'Approved'"
        )
        + ") and no Condition around it reads an evaluation metric"
    ),
    review=(
        "Corpus and fixtures: 2 findings, both kept: approved_by_default and the PyTorch serial"
        " batch demo (parameter default `Approved`, registration at the top level). "
        "rstudio-on-sagemaker-workshop approves literally but behind an RMSE gate and stays "
        "quiet."
    ),
    basis=(
        "ModelApprovalStatus (botocore enum) with no metric gate (Condition step) in front of "
        "the registration"
    ),
)
def auto_approval_without_gate(context: CheckContext) -> Iterator[Violation]:
    """Ungated registrations whose approval status is, or defaults to, `Approved`."""
    graph = context.graph
    for step in steps_of_type(graph, "RegisterModel"):
        args = _approved(graph, step)
        if args is not None and not is_gated(graph, step):
            pointer = child(child(step.get("pointer"), "Arguments"), "ModelApprovalStatus")
            yield violation("L311", step, args, pointer)


@graph_rule(
    "L317",
    "branch-reference",
    Severity.ERROR,
    applies_to="Steps in Condition branches (references and DependsOn)",
    summary="A step references a step that only runs in the other branch of the same Condition",
    rationale=(
        "The `IfSteps` and `ElseSteps` of a Condition exclude each other: in an execution only "
        "one branch runs. A step in one branch that reads a property of, or depends on, a step "
        "in the other branch waits for a step that can never have run, and the execution "
        "fails."
    ),
    recommendation=(
        "Move the referenced step before the Condition, or the referencing step into the same "
        "branch."
    ),
    example='IfSteps: [Deploy reads {"Get": "Steps.Fallback.ModelName"}], ElseSteps: [Fallback]',
    message=lambda a: (
        f"step {a['step']!r} ({a['branch']} of {a['condition']!r}) references step "
        f"{a['target']!r}, which only runs in the {a['target_branch']} of {a['condition']!r}: "
        "it can never have run"
    ),
    review=(
        "Corpus and fixtures: no findings; no definition references a step in the other branch "
        "of a Condition (including the airflow example's 30 nested Conditions), so the rule is "
        "tested on built cases."
    ),
    basis=("Condition step semantics: only one of IfSteps and ElseSteps runs"),
)
def branch_reference(context: CheckContext) -> Iterator[Violation]:
    """References and DependsOn entries to a step in the other branch of a shared Condition."""
    graph = context.graph
    for step in graph.nodes(Kind.STEP):
        mine = {condition.key: branch for condition, branch in enclosing_branches(graph, step)}
        if not mine:
            continue
        links = [(ref.get("pointer"), target) for ref, target in referenced_steps(graph, step)]
        for pointer, target in links + depends_on(graph, step):
            for condition, branch in enclosing_branches(graph, target):
                if mine.get(condition.key) not in (None, branch):
                    args = {
                        "step": step.get("name"),
                        "branch": BRANCH_FIELDS[mine[condition.key]],
                        "condition": condition.get("name"),
                        "target": target.get("name"),
                        "target_branch": BRANCH_FIELDS[branch],
                    }
                    yield violation("L317", step, args, pointer)
