"""Transform and fault classification of the registry collector, on documented API shapes."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from botocore.exceptions import ClientError, EndpointConnectionError

from lineage.collect.registry import transform
from lineage.collect.registry.arns import parse_arn, training_job_of_model
from lineage.collect.registry.faults import is_access_denied, is_not_found, is_unsupported, reason

PACKAGE_ARN = "arn:aws:sagemaker:eu-west-1:111122223333:model-package/churn/7"
SECRET = "not-for-the-graph"


def describe_record() -> dict[str, Any]:
    """A DescribeModelPackage / Search record as the API reference documents it."""
    return {
        "ModelPackageGroupName": "churn",
        "ModelPackageVersion": 7,
        "ModelPackageArn": PACKAGE_ARN,
        "CreationTime": datetime(2024, 5, 1, 12, tzinfo=UTC),
        "LastModifiedTime": datetime(2024, 5, 2, 9, tzinfo=UTC),
        "LastModifiedBy": {"IamIdentity": {"Arn": "arn:aws:sts::111122223333:assumed-role/x/y"}},
        "ModelApprovalStatus": "Approved",
        "ApprovalDescription": "RISK-42",
        "InferenceSpecification": {
            "Containers": [
                {"Image": "img:1", "ModelDataUrl": "s3://b/job-1/output/model.tar.gz"},
                {
                    "Image": "img:2",
                    "ModelDataSource": {"S3DataSource": {"S3Uri": "s3://b/m2/"}},
                    "Environment": {"TOKEN": SECRET},
                },
            ]
        },
        "ModelMetrics": {
            "Bias": {"Report": {"ContentType": "application/json", "S3Uri": "s3://b/bias.json"}},
            "Explainability": {},
        },
        "DriftCheckBaselines": {"ModelQuality": {"Constraints": {"S3Uri": "s3://b/c.json"}}},
        "MetadataProperties": {"GeneratedBy": "arn:x", "Repository": "git@x", "CommitId": "abc"},
        "Tags": [{"Key": "team", "Value": "risk"}],
    }


def test_arns_name_account_region_and_resource() -> None:
    arn = parse_arn("arn:aws:sagemaker:us-east-1:123456789012:pipeline/churn/execution/abc")
    assert arn is not None and arn.is_execution
    assert (arn.account, arn.region, arn.pipeline_name) == ("123456789012", "us-east-1", "churn")
    group = parse_arn("arn:aws-cn:sagemaker:cn-north-1:1:model-package-group/g")
    assert group is not None and (group.resource_type, group.resource_id) == (
        "model-package-group",
        "g",
    )
    assert parse_arn("not an arn") is None and parse_arn(None) is None


def test_the_training_job_of_a_model_follows_sagemakers_output_layout() -> None:
    assert training_job_of_model("s3://b/models/xgb-2024-05-01/output/model.tar.gz") == (
        "xgb-2024-05-01"
    )
    assert training_job_of_model("s3://uploads/manual/model.tar.gz") is None


def test_package_properties_keep_the_audit_trail_and_drop_environment_values() -> None:
    record = describe_record()
    props = transform.package_props(record, {"ModelApprovalStatus": "Approved"}, _arn())
    assert props["name"] == "churn/7" and props["account"] == "111122223333"
    assert props["images"] == ["img:1", "img:2"]
    assert props["model_data_urls"] == ["s3://b/job-1/output/model.tar.gz", "s3://b/m2/"]
    assert props["metrics"] == ["Bias.Report"] and props["has_metrics"]
    assert props["drift_baselines"] == ["ModelQuality.Constraints"]
    assert props["modified_by"] == "arn:aws:sts::111122223333:assumed-role/x/y"
    assert props["modified_at"] == "2024-05-02T09:00:00+00:00"
    assert props["tags"] == {"team": "risk"} and props["commit_id"] == "abc"
    assert SECRET not in repr(props) and "TOKEN" not in repr(props)


def test_the_listing_decides_the_approval_status_and_the_approved_versions() -> None:
    props = transform.package_props(describe_record(), {"ModelApprovalStatus": "Rejected"}, _arn())
    assert props["approval_status"] == "Rejected"  # the list is read after the search index
    versions = [
        {"ModelPackageVersion": 1, "ModelApprovalStatus": "Approved"},
        {"ModelPackageVersion": 2, "ModelApprovalStatus": "Rejected"},
        {"ModelPackageVersion": 3, "ModelApprovalStatus": "Approved"},
    ]
    group = parse_arn("arn:aws:sagemaker:eu-west-1:111122223333:model-package-group/churn")
    assert group is not None
    props = transform.group_props({"ModelPackageGroupName": "churn"}, group, versions)
    assert props["approved_versions"] == [1, 3] and props["package_count"] == 3
    assert "approved_versions" not in transform.group_props({}, group, None)


def test_changed_since_reads_creation_and_modification() -> None:
    props = transform.package_props(describe_record(), {}, _arn())
    assert transform.changed_since(props, datetime(2024, 5, 2, tzinfo=UTC))
    assert not transform.changed_since(props, datetime(2024, 5, 3, tzinfo=UTC))


def test_execution_steps_name_their_jobs_and_the_package_registered() -> None:
    steps = [
        {"StepName": "Register", "Metadata": {"RegisterModel": {"Arn": PACKAGE_ARN}}},
        {"StepName": "Train", "StepStatus": "Succeeded", "Metadata": {"TrainingJob": {"Arn": "t"}}},
        {"StepName": "Check", "Metadata": {"Condition": {"Outcome": "True"}}},
    ]
    assert transform.registrations(steps) == {PACKAGE_ARN: "Register"}
    assert transform.step_runs(steps) == [transform.StepRun("Train", "Training", "t", "Succeeded")]


def _arn() -> Any:
    return parse_arn(PACKAGE_ARN)


def _client_error(status: int, code: str, message: str = "") -> ClientError:
    response: Any = {
        "Error": {"Code": code, "Message": message},
        "ResponseMetadata": {"HTTPStatusCode": status},
    }
    return ClientError(response, "Op")


@pytest.mark.parametrize(
    ("error", "unsupported", "denied", "missing"),
    [
        (_client_error(501, "NotImplemented"), True, False, False),
        (_client_error(500, "500", "<html>"), True, False, False),  # moto's unknown action
        (_client_error(500, "InternalFailure"), False, False, False),
        (_client_error(400, "AccessDeniedException"), False, True, False),
        (_client_error(400, "ValidationException", "Could not find job 'x'"), False, False, True),
        (_client_error(400, "ValidationException", "1 validation error"), False, False, False),
        (EndpointConnectionError(endpoint_url="http://x"), False, False, False),
    ],
)
def test_failures_are_told_apart(
    error: Exception, unsupported: bool, denied: bool, missing: bool
) -> None:
    assert (is_unsupported(error), is_access_denied(error), is_not_found(error)) == (
        unsupported,
        denied,
        missing,
    )
    assert "\n" not in reason(error)


def test_reasons_are_one_short_line() -> None:
    long = _client_error(400, "AccessDeniedException", "not authorized\n" * 100)
    text = reason(long)
    assert text.startswith("AccessDeniedException: not authorized") and len(text) <= 300
