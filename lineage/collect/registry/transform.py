"""Transform: API records into node properties. Container `Environment` values are never kept."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from lineage.collect.registry.arns import Arn
from lineage.graph.secrets import SECRETS_KEY

Record = dict[str, Any]
APPROVED = "Approved"
MODEL_ARTIFACT = "/ModelArtifacts/S3ModelArtifacts"
# Cartography's labels for the same resources, so one Neo4j can hold both graphs.
CARTOGRAPHY_LABELS = {
    "model-package-group": "AWSSageMakerModelPackageGroup",
    "model-package": "AWSSageMakerModelPackage",
    "training-job": "AWSSageMakerTrainingJob",
    "transform-job": "AWSSageMakerTransformJob",
}
# Execution step metadata that names a job, and the job type it is.
STEP_JOBS = {
    "TrainingJob": "Training",
    "ProcessingJob": "Processing",
    "TransformJob": "Transform",
    "TuningJob": "Tuning",
    "AutoMLJob": "AutoML",
}


def iso(value: Any) -> str | None:
    """A timestamp as ISO 8601 text in UTC."""
    if isinstance(value, datetime):
        aware = value if value.tzinfo else value.replace(tzinfo=UTC)
        return aware.astimezone(UTC).isoformat()
    return value if isinstance(value, str) else None


def parse_time(text: Any) -> datetime | None:
    """An ISO 8601 timestamp back as an aware datetime."""
    if not isinstance(text, str):
        return None
    parsed = datetime.fromisoformat(text)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def user(context: Any) -> str | None:
    """Who a `UserContext` names: the Studio user profile, else the IAM identity."""
    if not isinstance(context, dict):
        return None
    identity = context.get("IamIdentity") or {}
    found = context.get("UserProfileName") or identity.get("Arn") or context.get("UserProfileArn")
    return str(found) if found else None


def live(arn: Arn) -> dict[str, Any]:
    """The properties every live node has: ARN, account, region, and Cartography's label."""
    return {
        "arn": arn.text,
        "account": arn.account,
        "region": arn.region,
        "cartography_label": CARTOGRAPHY_LABELS.get(arn.resource_type),
    }


def group_props(summary: Record, arn: Arn, versions: list[Record] | None) -> dict[str, Any]:
    """A ModelPackageGroup; version counts only when its listing was read, else it is partial
    (a store keeps the counts it has)."""
    props = {
        **live(arn),
        "name": summary.get("ModelPackageGroupName"),
        "description": summary.get("ModelPackageGroupDescription"),
        "status": summary.get("ModelPackageGroupStatus"),
        "created_at": iso(summary.get("CreationTime")),
        "secrets": tuple(summary.get(SECRETS_KEY) or ()) or None,
    }
    if versions is not None:
        props["package_count"] = len(versions)
        props["approved_versions"] = sorted(
            int(v["ModelPackageVersion"])
            for v in versions
            if v.get("ModelApprovalStatus") == APPROVED and v.get("ModelPackageVersion") is not None
        )
    else:
        props["partial"] = True
    return props


def containers(record: Record) -> list[Record]:
    """The inference containers of a package."""
    found = (record.get("InferenceSpecification") or {}).get("Containers") or []
    return [c for c in found if isinstance(c, dict)]


def model_data(container: Record) -> str:
    """Where a container's model comes from (`ModelDataUrl` or `ModelDataSource`), or ''."""
    source = ((container.get("ModelDataSource") or {}).get("S3DataSource") or {}).get("S3Uri")
    return str(container.get("ModelDataUrl") or source or "")


def metric_sources(metrics: Any) -> list[str]:
    """`Section.Kind` of every metrics or baseline source that names an S3 object."""
    if not isinstance(metrics, dict):
        return []
    return sorted(
        f"{section}.{kind}"
        for section, sources in metrics.items()
        if isinstance(sources, dict)
        for kind, source in sources.items()
        if isinstance(source, dict) and source.get("S3Uri")
    )


def package_props(record: Record, summary: Record, arn: Arn) -> dict[str, Any]:
    """A live ModelPackage: approval, audit trail, containers, metrics, metadata and tags."""
    metadata = record.get("MetadataProperties") or {}
    group, version = record.get("ModelPackageGroupName"), record.get("ModelPackageVersion")
    metrics = metric_sources(record.get("ModelMetrics"))
    tags = {t["Key"]: t["Value"] for t in record.get("Tags") or [] if "Key" in t}
    return {
        **live(arn),
        "name": f"{group}/{version}",
        "group": group,
        "version": version,
        "approval_status": summary.get("ModelApprovalStatus") or record.get("ModelApprovalStatus"),
        "status": record.get("ModelPackageStatus"),
        "description": record.get("ModelPackageDescription"),
        "approval_description": record.get("ApprovalDescription"),
        "created_at": iso(record.get("CreationTime")),
        "created_by": user(record.get("CreatedBy")),
        "modified_at": iso(record.get("LastModifiedTime")),
        "modified_by": user(record.get("LastModifiedBy")),
        "images": [str(c.get("Image") or "") for c in containers(record)],
        "model_data_urls": [model_data(c) for c in containers(record)],
        "metrics": metrics,
        "has_metrics": bool(metrics),
        "drift_baselines": metric_sources(record.get("DriftCheckBaselines")),
        "generated_by": metadata.get("GeneratedBy"),
        "project_id": metadata.get("ProjectId"),
        "repository": metadata.get("Repository"),
        "commit_id": metadata.get("CommitId"),
        "customer_metadata": record.get("CustomerMetadataProperties") or None,
        "tags": tags or None,
        "secrets": tuple(record.get(SECRETS_KEY) or ()) or None,
    }


def changed_since(props: dict[str, Any], since: datetime) -> bool:
    """Whether a package was created or modified at or after `since`."""
    times = (parse_time(props.get("created_at")), parse_time(props.get("modified_at")))
    return any(t is not None and t >= since for t in times)


def execution_props(record: Record, arn: Arn) -> dict[str, Any]:
    """A PipelineExecution: status, why it failed, its pipeline and times."""
    return {
        **live(arn),
        "name": record.get("PipelineExecutionDisplayName") or arn.resource_id.rsplit("/", 1)[-1],
        "status": record.get("PipelineExecutionStatus"),
        "failure_reason": record.get("FailureReason") or None,
        "pipeline_arn": record.get("PipelineArn"),
        "created_at": iso(record.get("CreationTime")),
        "modified_at": iso(record.get("LastModifiedTime")),
    }


@dataclass(frozen=True)
class StepRun:
    """A job one step of an execution ran, and when the step started and ended."""

    step_name: str
    job_type: str
    arn: str
    status: str | None
    started: str | None = None
    ended: str | None = None


def step_runs(steps: list[Record]) -> list[StepRun]:
    """The jobs an execution's steps ran, from the steps' metadata."""
    runs = []
    for step in steps:
        metadata = step.get("Metadata") or {}
        for field, job_type in STEP_JOBS.items():
            arn = (metadata.get(field) or {}).get("Arn")
            if isinstance(arn, str):
                runs.append(
                    StepRun(
                        str(step.get("StepName")),
                        job_type,
                        arn,
                        step.get("StepStatus"),
                        iso(step.get("StartTime")),
                        iso(step.get("EndTime")),
                    )
                )
    return runs


def registrations(steps: list[Record]) -> dict[str, str]:
    """Package ARN → the name of the RegisterModel step of the execution that created it."""
    found = {}
    for step in steps:
        arn = ((step.get("Metadata") or {}).get("RegisterModel") or {}).get("Arn")
        if isinstance(arn, str):
            found[arn] = str(step.get("StepName"))
    return found


def job_props(
    arn: Arn, job_type: str, run: StepRun | None, execution: str | None
) -> dict[str, Any]:
    """A Job; `run` and `execution` when an execution's step ran it."""
    return {
        **live(arn),
        "name": arn.resource_id,
        "job_type": job_type,
        "status": run.status if run else None,
        "step_name": run.step_name if run else None,
        "execution": execution,
        "started_at": run.started if run else None,
        "ended_at": run.ended if run else None,
    }


def training_props(record: Record) -> dict[str, Any]:
    """What describe_training_job adds to a training Job (no hyperparameters, no Environment)."""
    algorithm = record.get("AlgorithmSpecification") or {}
    return {
        "status": record.get("TrainingJobStatus"),
        "image": algorithm.get("TrainingImage") or algorithm.get("AlgorithmName"),
        "model_artifact": (record.get("ModelArtifacts") or {}).get("S3ModelArtifacts"),
        "created_at": iso(record.get("CreationTime")),
    }


def training_inputs(record: Record) -> list[tuple[str, str, str]]:
    """(pointer, channel name, S3 URI) of each training channel that reads from S3."""
    found = []
    for index, channel in enumerate(record.get("InputDataConfig") or []):
        uri = ((channel.get("DataSource") or {}).get("S3DataSource") or {}).get("S3Uri")
        if isinstance(uri, str) and uri:
            pointer = f"/InputDataConfig/{index}/DataSource/S3DataSource/S3Uri"
            found.append((pointer, str(channel.get("ChannelName")), uri))
    return found
