"""Get: the SageMaker calls the collector makes, every listing through a paginator; every
record returned has its secrets masked (`lineage.graph.secrets.redact_record`)."""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from lineage.collect.registry.faults import (
    MalformedResponseError,
    is_access_denied,
    is_not_found,
    is_unsupported,
)
from lineage.graph.secrets import redact_record

PAGE_SIZE = 100
Record = dict[str, Any]


def _pages(client: Any, operation: str, key: str, **params: Any) -> list[Record]:
    """Every item of every page; a page without its list fails (it must not read as empty)."""
    paginator = client.get_paginator(operation)
    items: list[Record] = []
    for page in paginator.paginate(**params, PaginationConfig={"PageSize": PAGE_SIZE}):
        if not isinstance(page.get(key), list):
            name = client.meta.method_to_api_mapping.get(operation, operation)
            raise MalformedResponseError(f"unreadable {name} response (no {key} list)")
        items.extend(redact_record(item) if isinstance(item, dict) else item for item in page[key])
    return items


def list_groups(client: Any) -> list[Record]:
    """Every model package group of the region (summaries)."""
    return _pages(client, "list_model_package_groups", "ModelPackageGroupSummaryList")


def list_versions(client: Any, group: str) -> list[Record]:
    """Every version of a group (summaries): the authoritative list of what exists."""
    return _pages(
        client, "list_model_packages", "ModelPackageSummaryList", ModelPackageGroupName=group
    )


def search_versions(client: Any, group: str) -> dict[str, Record]:
    """The full records of a group's versions, 100 a call, by ARN; empty where the endpoint does
    not implement Search or the caller may not use it (the versions are then described)."""
    expression = {
        "Filters": [{"Name": "ModelPackageGroupName", "Operator": "Equals", "Value": group}]
    }
    try:
        results = _pages(
            client, "search", "Results", Resource="ModelPackage", SearchExpression=expression
        )
    except ClientError as exc:
        if is_unsupported(exc) or is_access_denied(exc):
            return {}
        raise
    records = (result.get("ModelPackage") for result in results)
    return {record["ModelPackageArn"]: redact_record(record) for record in records if record}


def describe_version(client: Any, arn: str) -> Record:
    """One version's full record."""
    return redact_record(dict(client.describe_model_package(ModelPackageName=arn)))


def _found(call: Any, **params: Any) -> Record | None:
    """A describe call's response, or None when the resource does not exist (any more)."""
    try:
        return redact_record(dict(call(**params)))
    except ClientError as exc:
        if is_not_found(exc):
            return None
        raise


def describe_execution(client: Any, arn: str) -> Record | None:
    """A pipeline execution (its pipeline, status and times), or None if there is none."""
    return _found(client.describe_pipeline_execution, PipelineExecutionArn=arn)


def list_steps(client: Any, arn: str) -> list[Record]:
    """The steps of a pipeline execution with the jobs and packages they made."""
    return _pages(
        client, "list_pipeline_execution_steps", "PipelineExecutionSteps", PipelineExecutionArn=arn
    )


def describe_pipeline(client: Any, name: str) -> Record | None:
    """A pipeline with its current definition, or None if there is none."""
    return _found(client.describe_pipeline, PipelineName=name)


def describe_training_job(client: Any, name: str) -> Record | None:
    """A training job, or None when there is no job of that name."""
    return _found(client.describe_training_job, TrainingJobName=name)
