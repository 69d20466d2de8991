"""The botocore API model: step arguments against request shapes, paths against properties."""

from __future__ import annotations

from typing import Any

import pytest

from lineage.sagemaker.api_model import (
    REQUEST_SHAPES,
    RESPONSE_SHAPES,
    SAGEMAKER,
    SERVICE_FILLED,
    ArgumentProblem,
    ProblemKind,
    check_arguments,
    shape,
    validate_arguments,
    validate_property_path,
)
from lineage.sagemaker.property_path import tokenize
from tests.support.builders import get, model, processing, register_model, training, transform

ARGS = "/Steps/1/Arguments"


def problems(step: dict[str, Any]) -> list[ArgumentProblem]:
    return validate_arguments(step["Type"], step["Arguments"], ARGS)


def train_step() -> dict[str, Any]:
    return training("Train", "s3://bucket/train")


def test_every_mapped_shape_is_in_the_model() -> None:
    for name in REQUEST_SHAPES.values():
        assert shape(SAGEMAKER, name).type == "structure"
    for roots in RESPONSE_SHAPES.values():
        for service, name in roots:
            assert shape(service, name).type == "structure"
    for request, names in SERVICE_FILLED.items():
        assert names <= shape(SAGEMAKER, request).required


@pytest.mark.parametrize(
    "step",
    [
        train_step(),
        processing("Prep", outputs=("train",), inputs={"raw": "s3://bucket/raw"}),
        model("Model", "s3://bucket/model.tar.gz"),
        register_model("Register", "s3://bucket/model.tar.gz", "abalone", "PendingManualApproval"),
        transform("Score", "abalone-model", "s3://bucket/batch"),
    ],
    ids=lambda s: s["Type"],
)
def test_realistic_arguments_are_valid_without_the_service_filled_names(
    step: dict[str, Any],
) -> None:
    assert problems(step) == []


def test_unknown_key_with_a_suggestion() -> None:
    step = train_step()
    resources = step["Arguments"]["ResourceConfig"]
    resources["InstanceTyp"] = resources.pop("InstanceType")
    assert problems(step) == [
        ArgumentProblem(
            ProblemKind.UNKNOWN_KEY,
            f"{ARGS}/ResourceConfig/InstanceTyp",
            "Arguments.ResourceConfig.InstanceTyp is not a member of ResourceConfig "
            "(did you mean 'InstanceType'?)",
        )
    ]


def test_missing_members_point_where_they_belong() -> None:
    step = train_step()
    del step["Arguments"]["RoleArn"]
    del step["Arguments"]["OutputDataConfig"]["S3OutputPath"]
    assert problems(step) == [
        ArgumentProblem(
            ProblemKind.MISSING_MEMBER,
            f"{ARGS}/OutputDataConfig/S3OutputPath",
            "Arguments.OutputDataConfig.S3OutputPath is required by OutputDataConfig and missing",
        ),
        ArgumentProblem(
            ProblemKind.MISSING_MEMBER,
            f"{ARGS}/RoleArn",
            "Arguments.RoleArn is required by CreateTrainingJobRequest and missing",
        ),
    ]


def test_service_filled_name_is_exempt_only_at_the_top() -> None:
    step = train_step()
    assert "TrainingJobName" not in step["Arguments"]
    del step["Arguments"]["InputDataConfig"][0]["ChannelName"]
    assert [p.message for p in problems(step)] == [
        "Arguments.InputDataConfig[0].ChannelName is required by Channel and missing"
    ]


def test_missing_arguments() -> None:
    assert validate_arguments("Model", None, ARGS) == [
        ArgumentProblem(
            ProblemKind.MISSING_MEMBER, ARGS, "a Model step needs Arguments (CreateModelInput)"
        )
    ]


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        (
            ("ResourceConfig", "InstanceCount"),
            "1",
            'Arguments.ResourceConfig.InstanceCount must be an integer, not a string ("1")',
        ),
        (
            ("ResourceConfig", "VolumeSizeInGB"),
            True,
            "Arguments.ResourceConfig.VolumeSizeInGB must be an integer, not a boolean (true)",
        ),
        (
            ("StoppingCondition", "MaxRuntimeInSeconds"),
            1.5,
            "Arguments.StoppingCondition.MaxRuntimeInSeconds must be an integer, "
            "not a number (1.5)",
        ),
        (
            ("HyperParameters",),
            {"max_depth": 5},
            "Arguments.HyperParameters['max_depth'] must be a string, not a number (5)",
        ),
        (
            ("EnableNetworkIsolation",),
            "true",
            'Arguments.EnableNetworkIsolation must be a boolean, not a string ("true")',
        ),
        (
            ("InputDataConfig",),
            {"ChannelName": "train"},
            "Arguments.InputDataConfig must be a list (InputDataConfig), not an object",
        ),
        (
            ("OutputDataConfig",),
            "s3://bucket/models",
            "Arguments.OutputDataConfig must be an object (OutputDataConfig), "
            'not a string ("s3://bucket/models")',
        ),
        (
            ("Environment",),
            None,
            "Arguments.Environment must be an object (TrainingEnvironmentMap), not null",
        ),
    ],
)
def test_wrong_types(path: tuple[str, ...], value: Any, message: str) -> None:
    step = train_step()
    parent = step["Arguments"]
    for name in path[:-1]:
        parent = parent[name]
    parent[path[-1]] = value
    [problem] = problems(step)
    assert (problem.kind, problem.message) == (ProblemKind.WRONG_TYPE, message)
    pointer = "/".join((ARGS, *path)) + ("/max_depth" if path == ("HyperParameters",) else "")
    assert problem.pointer == pointer


def test_bad_enum_lists_small_enums_and_counts_large_ones() -> None:
    step = train_step()
    step["Arguments"]["AlgorithmSpecification"]["TrainingInputMode"] = "file"
    step["Arguments"]["ResourceConfig"]["InstanceType"] = "ml.m5.xlarg"
    count = len(shape(SAGEMAKER, "TrainingInstanceType").enum)
    assert problems(step) == [
        ArgumentProblem(
            ProblemKind.BAD_ENUM,
            f"{ARGS}/AlgorithmSpecification/TrainingInputMode",
            "Arguments.AlgorithmSpecification.TrainingInputMode is 'file', not a valid "
            "TrainingInputMode (one of 'Pipe', 'File', 'FastFile') (did you mean 'File'?)",
        ),
        ArgumentProblem(
            ProblemKind.BAD_ENUM,
            f"{ARGS}/ResourceConfig/InstanceType",
            "Arguments.ResourceConfig.InstanceType is 'ml.m5.xlarg', not a valid "
            f"TrainingInstanceType (one of {count} values) (did you mean 'ml.m5.xlarge'?)",
        ),
    ]


def test_expressions_and_template_placeholders_are_accepted_anywhere() -> None:
    step = train_step()
    args = step["Arguments"]
    args["ResourceConfig"]["InstanceCount"] = get("Parameters.Count")
    args["ResourceConfig"]["InstanceType"] = "${instance_type}"
    args["OutputDataConfig"]["S3OutputPath"] = {
        "Std:Join": {"On": "/", "Values": ["s3://bucket", get("Execution.PipelineExecutionId")]}
    }
    args["HyperParameters"] = {
        "max_depth": {"Std:JsonGet": {"PropertyFile": get("Steps.E.PropertyFiles.R"), "Path": "d"}}
    }
    args["StoppingCondition"] = get("Parameters.Stopping")
    args["InputDataConfig"] = get("Parameters.Channels")
    assert problems(step) == []


def test_enum_expressions_are_reported_for_parameter_checks() -> None:
    step = register_model("Register", "s3://m", "g", get("Parameters.Approval"))
    report = check_arguments("RegisterModel", step["Arguments"], ARGS)
    assert report.problems == []
    [slot] = report.enum_expressions
    assert (slot.pointer, slot.display, slot.shape.name) == (
        f"{ARGS}/ModelApprovalStatus",
        "Arguments.ModelApprovalStatus",
        "ModelApprovalStatus",
    )


@pytest.mark.parametrize(
    ("step_type", "path"),
    [
        ("Training", "ModelArtifacts.S3ModelArtifacts"),
        ("Training", "FinalMetricDataList['validation:rmse'].Value"),
        ("Training", "FinalMetricDataList[0].MetricName"),
        ("Training", "HyperParameters['max_depth']"),
        ("Processing", "ProcessingOutputConfig.Outputs['train'].S3Output.S3Uri"),
        ("Processing", "ProcessingOutputConfig.Outputs[1].S3Output.S3Uri"),
        ("Processing", "PropertyFiles.EvaluationReport"),
        ("Model", "ModelName"),
        ("Model", "PrimaryContainer.Environment['SAGEMAKER_PROGRAM']"),
        ("RegisterModel", "ModelPackageArn"),
        ("Transform", "TransformOutput.S3OutputPath"),
        ("Tuning", "TrainingJobSummaries[0].TrainingJobName"),
        ("Tuning", "BestTrainingJob.TrainingJobName"),
        ("AutoML", "BestCandidate.InferenceContainers[0].Environment['MODEL_NAME']"),
        ("AutoML", "BestCandidateProperties.ModelInsightsJsonReportPath"),
        ("QualityCheck", "CalculatedBaselineStatistics"),
        ("ClarifyCheck", "BaselineUsedForDriftCheckConstraints"),
        ("Lambda", "OutputParameters['row_count']"),
        ("Callback", "OutputParameters['approved_uri']"),
        ("EMR", "Status.State"),
        ("Condition", "Outcome"),
    ],
)
def test_valid_property_paths(step_type: str, path: str) -> None:
    assert validate_property_path(step_type, tokenize(path)) is None


@pytest.mark.parametrize(
    ("step_type", "path", "message"),
    [
        (
            "Training",
            "ModelArtifact.S3ModelArtifacts",
            "a Training step has no property 'ModelArtifact' (DescribeTrainingJobResponse) "
            "(did you mean 'ModelArtifacts'?)",
        ),
        (
            "Processing",
            "ProcessingOutputConfig.Outputs['train'].S3Output.S3Ur",
            "ProcessingOutputConfig.Outputs['train'].S3Output (ProcessingS3Output) has no "
            "member 'S3Ur' (did you mean 'S3Uri'?)",
        ),
        (
            "Training",
            "FinalMetricDataList.Value",
            "FinalMetricDataList is a list: select an item with [0] or ['name'] before .Value",
        ),
        (
            "Training",
            "ModelArtifacts[0].S3ModelArtifacts",
            "ModelArtifacts is a structure, not a list or map: [0] does not apply",
        ),
        (
            "Model",
            "PrimaryContainer.Environment[0]",
            "PrimaryContainer.Environment is a map: select a value with a quoted key, not [0]",
        ),
        (
            "Lambda",
            "OutputParameters.row_count",
            "OutputParameters is a map: select a value with ['key'] before .row_count",
        ),
        (
            "Training",
            "TrainingJobName.Arn",
            "TrainingJobName is a string and has no member 'Arn'",
        ),
        (
            "Tuning",
            "TrainingJobSummaries[0].TrainingJobNam",
            "TrainingJobSummaries[0] (HyperParameterTrainingJobSummary) has no member "
            "'TrainingJobNam' (did you mean 'TrainingJobName'?)",
        ),
        (
            "QualityCheck",
            "CalculatedBaselineStatistic",
            "a QualityCheck step has no property 'CalculatedBaselineStatistic' "
            "(did you mean 'CalculatedBaselineStatistics'?)",
        ),
        (
            "Processing",
            "PropertyFiles['EvaluationReport']",
            "a property file is read as PropertyFiles.<PropertyFileName>",
        ),
        (
            "Training",
            "PropertyFiles.Report",
            "a Training step has no property 'PropertyFiles' (DescribeTrainingJobResponse)",
        ),
        ("Training", "['x']", "a Training step's properties start with a name, not ['x']"),
        ("Fail", "ErrorMessage", "a Fail step has no properties"),
    ],
)
def test_invalid_property_paths(step_type: str, path: str, message: str) -> None:
    assert validate_property_path(step_type, tokenize(path)) == message


def test_a_step_itself_is_not_a_property() -> None:
    assert validate_property_path("Model", []) == (
        "the reference names the Model step itself, not one of its properties"
    )
