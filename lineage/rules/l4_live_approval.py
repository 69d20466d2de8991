"""Level 4 rules on the live registry's approvals: metrics, the approval's audit trail, versions
left pending, several versions approved at once."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

from lineage.graph.lineage_graph import Kind, Node
from lineage.rules.engine.model import CheckContext, Severity, Violation
from lineage.rules.engine.rulebook import node_check
from lineage.rules.l3_live_registry import APPROVED, is_live, version_label

PENDING = "PendingManualApproval"


def _label(node: Node) -> str:
    return version_label({"group": node.get("group"), "version": node.get("version")})


def _approved(node: Node) -> bool:
    return is_live(node) and node.get("approval_status") == APPROVED


def _who(node: Node) -> str:
    """` (last changed by X at T)`, as far as the registry records it."""
    by, at = node.get("modified_by"), node.get("modified_at")
    if not by and not at:
        return ""
    return " (last changed" + (f" by {by}" if by else "") + (f" at {at}" if at else "") + ")"


@node_check(
    "L410",
    "approved-without-metrics",
    Severity.ERROR,
    kinds=(Kind.MODEL_PACKAGE,),
    summary="An Approved version in the registry with no model metrics",
    rationale=(
        "Approving a version says it is good enough to deploy. The evidence for that are its "
        "`ModelMetrics` (model quality, data quality, bias, explainability reports); without "
        "any, nobody can later tell on what grounds it was approved, and Model Monitor has no "
        "baseline to compare the deployed model with."
    ),
    recommendation=(
        "Register versions with `model_metrics=ModelMetrics(...)` from the evaluation step, "
        "and approve only versions that carry them."
    ),
    example='{"ModelApprovalStatus": "Approved", "ModelMetrics": {}}',
    review="No live packages in the corpus or fixtures; on the tests' moto registry: exact.",
    basis=("the Model Registry: an Approved version's ModelMetrics (DescribeModelPackage)"),
)
def approved_without_metrics(node: Node, context: CheckContext) -> Iterator[Violation]:
    """Approved live packages whose ModelMetrics name no report."""
    if _approved(node) and not node.get("has_metrics"):
        yield Violation(
            node,
            f"{_label(node)} is Approved{_who(node)} but registers no model metrics "
            "(ModelQuality, ModelDataQuality, Bias or Explainability)",
            "/ModelMetrics",
        )


@node_check(
    "L411",
    "approved-without-description",
    Severity.WARNING,
    kinds=(Kind.MODEL_PACKAGE,),
    summary="An Approved version whose approval records no reason",
    rationale=(
        "`ApprovalDescription` is the approver's note: why this version, against which "
        "evidence, with which ticket. With the approver and the time the registry records, it "
        "is the audit trail of the decision that sent a model to production."
    ),
    recommendation=(
        "Approve with `update_model_package(ModelApprovalStatus='Approved', "
        "ApprovalDescription='…')`, naming the review or ticket."
    ),
    example='{"ModelApprovalStatus": "Approved", "ApprovalDescription": null}',
    review="No live packages in the corpus or fixtures; on the tests' moto registry: exact.",
    basis=("the Model Registry: ApprovalDescription of an Approved version"),
)
def approved_without_description(node: Node, context: CheckContext) -> Iterator[Violation]:
    """Approved live packages without an ApprovalDescription."""
    if _approved(node) and not node.get("approval_description"):
        yield Violation(
            node,
            f"{_label(node)} is Approved{_who(node)} without an ApprovalDescription",
            "/ApprovalDescription",
        )


@node_check(
    "L412",
    "pending-approval-stale",
    Severity.INFO,
    kinds=(Kind.MODEL_PACKAGE,),
    summary="A version waiting for approval longer than the configured number of days",
    rationale=(
        "A version left in `PendingManualApproval` is either forgotten (nobody reviews the "
        "registry) or silently rejected; both leave the registry's state saying less than the "
        "team knows. The age is configurable: `pending-approval-max-age-days` in "
        "`[tool.lineage]` (default 30)."
    ),
    recommendation="Approve or reject the version; reject versions nobody will review.",
    example='{"ModelApprovalStatus": "PendingManualApproval", "CreationTime": "90 days ago"}',
    review=(
        "No live packages in the corpus or fixtures; on the tests' moto registry every pending "
        "version is found with a maximum age of 0 days and none with the default."
    ),
    basis=("the Model Registry: PendingManualApproval versions and their creation time"),
)
def pending_approval_stale(node: Node, context: CheckContext) -> Iterator[Violation]:
    """Pending live packages created longer ago than the configured maximum age."""
    created = node.get("created_at")
    if not is_live(node) or node.get("approval_status") != PENDING or not created:
        return
    registered = datetime.fromisoformat(str(created))
    age = datetime.now(UTC) - (registered if registered.tzinfo else registered.replace(tzinfo=UTC))
    limit = context.settings.pending_approval_max_age_days
    if age > timedelta(days=limit):
        yield Violation(
            node,
            f"{_label(node)} has waited for approval since {created} ({age.days} day(s), "
            f"more than the {limit} allowed)",
            "/ModelApprovalStatus",
        )


@node_check(
    "L413",
    "several-approved-versions",
    Severity.INFO,
    kinds=(Kind.MODEL_PACKAGE_GROUP,),
    summary="A model package group with more than one Approved version",
    rationale=(
        "Deployment automation usually deploys 'the approved version' of a group. With several "
        "approved, which one runs depends on how each consumer picks (latest, first, by tag), "
        "and a version superseded long ago can still be deployed."
    ),
    recommendation=(
        "Keep one version approved per group and reject (or archive) the versions it replaces."
    ),
    example="group 'churn': versions 3, 7 and 9 Approved",
    review="No live groups in the corpus or fixtures; on the tests' moto registry: exact.",
    basis=("the Model Registry: the Approved versions of a model package group"),
)
def several_approved_versions(node: Node, context: CheckContext) -> Iterator[Violation]:
    """Live groups whose listing shows more than one Approved version."""
    versions = node.get("approved_versions") or []
    if is_live(node) and len(versions) > 1:
        listed = ", ".join(str(v) for v in versions)
        yield Violation(
            node,
            f"group {node.get('name')!r} has {len(versions)} Approved versions ({listed}); "
            f"the latest is {max(versions)}",
            "",
        )
