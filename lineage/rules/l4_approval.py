"""Level 4 rules on package creation and approval: status, default approval, audit, metrics."""

from __future__ import annotations

from collections.abc import Iterator

from lineage.graph.lineage_graph import Kind, LineageGraph, Node, Rel
from lineage.jsondoc.names import did_you_mean
from lineage.jsondoc.pointer import child
from lineage.rules.engine.arguments import (
    Part,
    arguments,
    describe,
    is_set,
    literal,
    metrics_sources,
    parameter_read,
)
from lineage.rules.engine.model import CheckContext, Severity, Violation
from lineage.rules.engine.queries import pipeline_steps
from lineage.rules.engine.rulebook import node_check

STATUS = "ModelApprovalStatus"
APPROVAL_STATUSES = ("Approved", "Rejected", "PendingManualApproval")
CHECK_STEPS = ("QualityCheck", "ClarifyCheck")


def _registration(graph: LineageGraph, package: Node) -> tuple[Node, Part] | None:
    """The RegisterModel step that creates the package, and the step's arguments."""
    step = next(iter(graph.into(package, Rel.REGISTERS)), None)
    return (step, arguments(step)) if step is not None else None


def _approval_parameter(graph: LineageGraph, step: Node, args: Part) -> Node | None:
    """The parameter the registration's ModelApprovalStatus reads, if it reads one."""
    return parameter_read(graph, step, child(args.pointer, STATUS))


@node_check(
    "L401",
    "invalid-approval-status",
    Severity.ERROR,
    kinds=(Kind.MODEL_PACKAGE,),
    summary="An approval status SageMaker does not accept",
    rationale=(
        "A model package's `ModelApprovalStatus` is one of `Approved`, `Rejected` or "
        "`PendingManualApproval` (case-sensitive). Any other value, given literally or as the "
        "default of the pipeline parameter the registration reads, fails the registration step "
        "at the end of a run, after training and evaluation have been paid for; deployment "
        "automation that waits for `Approved` never fires."
    ),
    recommendation=(
        "Use one of the three values; for the parameter, default to `PendingManualApproval` "
        "(the message suggests the closest valid value)."
    ),
    example='{"Name": "ModelApprovalStatus", "Type": "String", "DefaultValue": "Pending"}',
    review=(
        "Corpus and fixtures: no findings; literal statuses and approval-parameter defaults are "
        "all valid."
    ),
    basis=(
        "ModelApprovalStatus enum in botocore's service model (Approved, Rejected, "
        "PendingManualApproval)"
    ),
)
def invalid_approval_status(node: Node, context: CheckContext) -> Iterator[Violation]:
    """Literal approval statuses, or the defaults of the parameters read, outside the valid set."""
    found = _registration(context.graph, node)
    if found is None:
        return
    step, args = found
    status, pointer, origin = literal(args.get(STATUS)), child(args.pointer, STATUS), ""
    parameter = _approval_parameter(context.graph, step, args) if status is None else None
    if parameter is not None:
        status = literal(parameter.get("default"))
        pointer = child(parameter.get("pointer"), "DefaultValue")
        origin = f" (the default of parameter {parameter.get('name')!r})"
    if status is not None and status not in APPROVAL_STATUSES:
        yield Violation(
            node,
            f"{describe(step)} sets approval status {status!r}{origin}, which is not "
            f"one of {', '.join(APPROVAL_STATUSES)}{did_you_mean(status, APPROVAL_STATUSES)}",
            pointer,
        )


@node_check(
    "L402",
    "approved-by-default",
    Severity.WARNING,
    kinds=(Kind.MODEL_PACKAGE,),
    summary="The approval parameter a registration reads defaults to Approved",
    rationale=(
        "Pipelines read the approval status from a parameter so that a run can be started with "
        "another value. When its default is `Approved`, every run that does not override it "
        "approves the new model version on registration, so it may be deployed with no human "
        "review, and the registry records no approver and no reason."
    ),
    recommendation=(
        "Default the parameter to `PendingManualApproval` and approve versions in the registry "
        "(`update_model_package`) after review; pass `Approved` explicitly where automatic "
        "approval is intended."
    ),
    example='{"Name": "ModelApprovalStatus", "Type": "String", "DefaultValue": "Approved"}',
    review=(
        "5 findings, all true positives: 4 corpus pipelines (the serial batch inference demo, "
        "text classification, two sm-terraform-poc pipelines) and the approved_by_default fixture "
        "default their ModelApprovalStatus parameter to Approved."
    ),
    basis=(
        "ParameterString defaults: every execution that does not override the parameter uses "
        "the default"
    ),
)
def approved_by_default(node: Node, context: CheckContext) -> Iterator[Violation]:
    """Registrations whose approval parameter defaults to Approved."""
    found = _registration(context.graph, node)
    if found is None:
        return
    step, args = found
    parameter = _approval_parameter(context.graph, step, args)
    if parameter is not None and parameter.get("default") == "Approved":
        yield Violation(
            node,
            f"{describe(step)} reads its approval status from parameter "
            f"{parameter.get('name')!r}, which defaults to 'Approved': every run that does not "
            "override it approves its model version without review",
            child(parameter.get("pointer"), "DefaultValue"),
        )


@node_check(
    "L403",
    "missing-package-description",
    Severity.INFO,
    kinds=(Kind.MODEL_PACKAGE,),
    summary="A model package without a description",
    rationale=(
        "`ModelPackageDescription` is the line an approver and an auditor read first in the "
        "registry: what the version is and how it was produced. Without it the audit trail of "
        "a version relies on its tags and metrics alone."
    ),
    recommendation="Pass `description=` to `model.register(...)`.",
    example='{"ModelPackageGroupName": "abalone", "ModelApprovalStatus": "PendingManualApproval"}',
    review=(
        "Corpus: 11 findings in 10 files, fixtures: 0, all true positives (registrations with no "
        "description). Descriptions given as expressions count as set, which the package node's "
        "literal-only `description` would miss."
    ),
    basis=("CreateModelPackage's ModelPackageDescription"),
)
def missing_package_description(node: Node, context: CheckContext) -> Iterator[Violation]:
    """Registrations with no description, literal or expression."""
    found = _registration(context.graph, node)
    if found is None:
        return
    step, args = found
    if not is_set(args.get("ModelPackageDescription")):
        yield Violation(
            node,
            f"{describe(step)} registers a package without a ModelPackageDescription",
            child(args.pointer, "ModelPackageDescription"),
        )


@node_check(
    "L404",
    "incomplete-model-quality-metrics",
    Severity.INFO,
    kinds=(Kind.MODEL_PACKAGE,),
    summary="Model quality metrics with statistics but no constraints, or the reverse",
    rationale=(
        "Model quality `Statistics` record how the version performed; `Constraints` record the "
        "thresholds it must keep. Model Monitor and approval reviews compare one with the other: "
        "statistics without constraints say nothing about what is acceptable, constraints "
        "without statistics say nothing about how the version did."
    ),
    recommendation=(
        "Register both: `ModelMetrics(model_statistics=MetricsSource(...), "
        "model_constraints=MetricsSource(...))`."
    ),
    example='{"ModelMetrics": {"ModelQuality": {"Statistics": {"ContentType": '
    '"application/json", "S3Uri": "s3://…/evaluation.json"}}}}',
    review=(
        "18 findings (8 corpus, 10 fixtures), all true but a completeness check, not a defect: "
        "each registers ModelQuality Statistics without Constraints, as the AWS abalone example "
        'does. Info by default; raise it with `severity = { L404 = "warning" }`.'
    ),
    basis=(
        "CreateModelPackage's ModelQuality (Statistics and Constraints) as Model Monitor and "
        "approvers read them"
    ),
)
def incomplete_model_quality_metrics(node: Node, context: CheckContext) -> Iterator[Violation]:
    """ModelQuality sections with only one of Statistics and Constraints."""
    found = _registration(context.graph, node)
    if found is None:
        return
    step, args = found
    quality = args.at("ModelMetrics").at("ModelQuality")
    given = [f for f in ("Statistics", "Constraints") if is_set(quality.get(f))]
    if len(given) == 1:
        lacking = "Constraints" if given == ["Statistics"] else "Statistics"
        yield Violation(
            node,
            f"{describe(step)} registers ModelQuality {given[0]} without {lacking}",
            child(quality.pointer, lacking),
        )


@node_check(
    "L405",
    "missing-drift-check-baselines",
    Severity.INFO,
    kinds=(Kind.MODEL_PACKAGE,),
    summary="The pipeline runs quality or clarify checks but the registration carries no "
    "drift check baselines",
    rationale=(
        "QualityCheck and ClarifyCheck steps compute baselines so that the next version is "
        "compared with the one approved before it. Those baselines only reach the registry as "
        "the package's `DriftCheckBaselines`; without them the next run has nothing to check "
        "drift against, and the checks' results are not part of the package's lineage."
    ),
    recommendation=(
        "Pass `drift_check_baselines=DriftCheckBaselines(...)` built from the check steps' "
        "`BaselineUsedForDriftCheck*` properties to `model.register(...)`."
    ),
    example='{"ModelMetrics": {…}, "ModelPackageGroupName": "abalone"}',
    review=(
        "Corpus and fixtures: no findings; the only pipelines with check steps (the "
        "model-monitor-clarify example and the quality_checks fixture) register their baselines."
    ),
    basis=(
        "the SDK's QualityCheckStep/ClarifyCheckStep and CreateModelPackage's DriftCheckBaselines"
    ),
)
def missing_drift_check_baselines(node: Node, context: CheckContext) -> Iterator[Violation]:
    """Registrations in pipelines with check steps that register no drift baselines."""
    found = _registration(context.graph, node)
    if found is None:
        return
    step, args = found
    baselines = args.at("DriftCheckBaselines")
    if metrics_sources(baselines):
        return
    steps = pipeline_steps(context.graph, node.get("pipeline")).values()
    checks = sorted(str(s.get("name")) for s in steps if s.get("step_type") in CHECK_STEPS)
    if checks:
        yield Violation(
            node,
            f"{describe(step)} registers no DriftCheckBaselines although the pipeline runs "
            f"check step(s) {', '.join(repr(c) for c in checks)}",
            baselines.pointer,
        )
