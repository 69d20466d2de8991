"""Level 1 step-configuration rules: each fires on its defect and is quiet on real definitions."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from lineage.rules.engine.rulebook import get_rule
from tests.support.builders import get, governed_pipeline, rule_findings, write
from tests.support.paths import CORPUS, SDK_FIXTURES

Mutation = Callable[[dict[str, Any]], Any]
L1_CODES = ("L101", "L102", "L103", "L104", "L107", "L108")


def args(doc: dict[str, Any], index: int) -> dict[str, Any]:
    """The arguments of top-level step `index`."""
    arguments: dict[str, Any] = doc["Steps"][index]["Arguments"]
    return arguments


def fixture(name: str) -> dict[str, Any]:
    """An SDK-generated definition."""
    document: dict[str, Any] = json.loads((SDK_FIXTURES / name).read_text(encoding="utf-8"))
    return document


def code_under_input_dir(item: dict[str, Any]) -> None:
    """A code input under another name, downloaded to the code directory."""
    item["InputName"] = "input-2"
    item["S3Input"]["LocalPath"] = "/opt/ml/processing/input/code/"


def entrypoint_instead_of_code(arguments: dict[str, Any]) -> None:
    """No code input; the image carries the script the entrypoint runs."""
    arguments["ProcessingInputs"].pop()
    arguments["AppSpecification"]["ContainerEntrypoint"] = ["python3", "/opt/program/prep.py"]


@pytest.mark.parametrize("code", L1_CODES)
def test_quiet_on_a_governed_pipeline_and_every_sdk_fixture(tmp_path: Path, code: str) -> None:
    assert rule_findings(write(tmp_path, governed_pipeline()), code) == []
    assert rule_findings(SDK_FIXTURES, code) == []


@pytest.mark.parametrize(
    ("code", "mutate", "message", "pointer"),
    [
        (
            "L101",
            lambda d: args(d, 1).pop("RoleArn"),
            "Training step 'Train' has no execution role (RoleArn)",
            "/Steps/1/Arguments/RoleArn",
        ),
        (
            "L101",
            lambda d: args(d, 3).update(ExecutionRoleArn=""),
            "Model step 'CreateModel' has no execution role (ExecutionRoleArn)",
            "/Steps/3/Arguments/ExecutionRoleArn",
        ),
        (
            "L102",
            lambda d: args(d, 4)["InferenceSpecification"]["Containers"][0].pop("Image"),
            "RegisterModel step 'Register' has no image "
            "(InferenceSpecification.Containers[0].Image)",
            "/Steps/4/Arguments/InferenceSpecification/Containers/0/Image",
        ),
        (
            "L102",
            lambda d: args(d, 1)["AlgorithmSpecification"].pop("TrainingImage"),
            "Training step 'Train' has no image (AlgorithmSpecification.TrainingImage or "
            "AlgorithmName)",
            "/Steps/1/Arguments/AlgorithmSpecification/TrainingImage",
        ),
        (
            "L102",
            lambda d: args(d, 0)["AppSpecification"].update(ImageUri=" "),
            "Processing step 'Prep' has no image (AppSpecification.ImageUri)",
            "/Steps/0/Arguments/AppSpecification/ImageUri",
        ),
        (
            "L102",
            lambda d: args(d, 3).pop("PrimaryContainer"),
            "Model step 'CreateModel' has no image (PrimaryContainer or Containers)",
            "/Steps/3/Arguments/PrimaryContainer",
        ),
        (
            "L102",
            lambda d: args(d, 4)["InferenceSpecification"].update(Containers=[]),
            "RegisterModel step 'Register' has no image (InferenceSpecification.Containers)",
            "/Steps/4/Arguments/InferenceSpecification/Containers",
        ),
        (
            "L103",
            lambda d: args(d, 3)["PrimaryContainer"].pop("ModelDataUrl"),
            "Model step 'CreateModel' has no model data (PrimaryContainer.ModelDataUrl or "
            "ModelDataSource or ModelPackageName)",
            "/Steps/3/Arguments/PrimaryContainer/ModelDataUrl",
        ),
        (
            "L103",
            lambda d: args(d, 4)["InferenceSpecification"]["Containers"].append(
                {"Image": "111122223333.dkr.ecr.us-east-1.amazonaws.com/postprocess:1.0"}
            ),
            "RegisterModel step 'Register' has no model data "
            "(InferenceSpecification.Containers[1].ModelDataUrl or ModelDataSource)",
            "/Steps/4/Arguments/InferenceSpecification/Containers/1/ModelDataUrl",
        ),
        (
            "L104",
            lambda d: args(d, 4).pop("ModelPackageGroupName"),
            "RegisterModel step 'Register' has no model package group (ModelPackageGroupName)",
            "/Steps/4/Arguments/ModelPackageGroupName",
        ),
        (
            "L107",
            lambda d: args(d, 0).update(ProcessingInputs=args(d, 0)["ProcessingInputs"][:1]),
            "Processing step 'Prep' has no code input or container entrypoint "
            "(AppSpecification.ContainerEntrypoint)",
            "/Steps/0/Arguments/AppSpecification/ContainerEntrypoint",
        ),
        (
            "L108",
            lambda d: args(d, 5).update(TransformOutput={"Accept": "text/csv"}),
            "Transform step 'Transform' has no output location (TransformOutput.S3OutputPath)",
            "/Steps/5/Arguments/TransformOutput/S3OutputPath",
        ),
    ],
)
def test_fires_with_message_and_pointer(
    tmp_path: Path, code: str, mutate: Mutation, message: str, pointer: str
) -> None:
    doc = governed_pipeline()
    mutate(doc)
    [finding] = rule_findings(write(tmp_path, doc), code)
    assert (finding.message, finding.pointer) == (message, pointer)
    assert finding.severity == get_rule(code).severity
    assert finding.line is not None


@pytest.mark.parametrize(
    ("code", "mutate"),
    [
        ("L101", lambda d: args(d, 1).update(RoleArn=get("Parameters.Role"))),
        (
            "L102",
            lambda d: args(d, 1)["AlgorithmSpecification"].update(
                TrainingImage=None, AlgorithmName="arn:aws:sagemaker:us-east-1:1:algorithm/xgb"
            ),
        ),
        (
            "L102",
            lambda d: args(d, 3)["PrimaryContainer"].update(
                Image=get("Steps.Train.AlgorithmSpecification.TrainingImage")
            ),
        ),
        (
            "L103",
            lambda d: args(d, 3).update(
                PrimaryContainer={
                    "ModelPackageName": "arn:aws:sagemaker:us-east-1:1:model-package/a/1"
                }
            ),
        ),
        (
            "L103",
            lambda d: args(d, 3)["PrimaryContainer"].update(
                ModelDataUrl=None,
                ModelDataSource={"S3DataSource": {"S3Uri": "s3://b/m/", "S3DataType": "S3Prefix"}},
            ),
        ),
        ("L104", lambda d: args(d, 4).update(ModelPackageGroupName=get("Parameters.Group"))),
        ("L107", lambda d: code_under_input_dir(args(d, 0)["ProcessingInputs"][1])),
        ("L107", lambda d: entrypoint_instead_of_code(args(d, 0))),
        (
            "L108",
            lambda d: args(d, 5)["TransformOutput"].update(
                S3OutputPath={
                    "Std:Join": {
                        "On": "/",
                        "Values": ["s3://b", get("Execution.PipelineExecutionId")],
                    }
                }
            ),
        ),
    ],
)
def test_quiet_on_valid_variants(tmp_path: Path, code: str, mutate: Mutation) -> None:
    doc = governed_pipeline()
    mutate(doc)
    assert rule_findings(write(tmp_path, doc), code) == []


def test_l101_and_l102_tuning_training_job_definitions(tmp_path: Path) -> None:
    doc = fixture("tuning_pipeline.json")
    job = args(doc, 1)["TrainingJobDefinition"]
    job.pop("RoleArn")
    job["AlgorithmSpecification"].pop("TrainingImage")
    path = write(tmp_path, doc)
    [role] = rule_findings(path, "L101")
    assert (role.message, role.pointer) == (
        "Tuning step 'AbaloneTuning' has no execution role (TrainingJobDefinition.RoleArn)",
        "/Steps/1/Arguments/TrainingJobDefinition/RoleArn",
    )
    [image] = rule_findings(path, "L102")
    assert (
        image.pointer
        == "/Steps/1/Arguments/TrainingJobDefinition/AlgorithmSpecification/TrainingImage"
    )
    args(doc, 1)["TrainingJobDefinitions"] = [args(doc, 1).pop("TrainingJobDefinition")]
    args(doc, 1)["TrainingJobDefinitions"][0]["RoleArn"] = get("Parameters.Role")
    assert rule_findings(write(tmp_path, doc), "L101") == []


@pytest.mark.corpus
def test_corpus_l101_hand_written_template_without_roles() -> None:
    found = rule_findings(CORPUS / "sn-infra-pipeline__pipeline-definition.tpl.json", "L101")
    assert [(f.step, f.pointer) for f in found] == [
        ("FeatureSelection", "/Steps/0/Arguments/RoleArn"),
        ("Training", "/Steps/1/Arguments/RoleArn"),
        ("Evaluation", "/Steps/2/Arguments/RoleArn"),
    ]
    assert found[0].message == "Processing step 'FeatureSelection' has no execution role (RoleArn)"


@pytest.mark.corpus
def test_corpus_l102_cloudformation_example_training_without_image() -> None:
    name = "aws-cloudformation-user-guide__aws-resource-sagemaker-pipeline.md"
    path = CORPUS / "odd" / f"{name}.PipelineDefinitionBody.json"
    [finding] = rule_findings(path, "L102")
    assert (finding.step, finding.pointer) == (
        "Training1",
        "/Steps/0/Arguments/AlgorithmSpecification/TrainingImage",
    )


def test_l107_entrypoint_runs_a_script_no_input_delivers(tmp_path: Path) -> None:
    doc = fixture("lambda_callback.json")
    args(doc, 2)["ProcessingInputs"].pop()  # the code input; the SDK's entrypoint stays
    [finding] = rule_findings(write(tmp_path, doc), "L107")
    assert (finding.message, finding.pointer) == (
        "Processing step 'AbaloneProcess' runs '/opt/ml/processing/input/code/preprocessing.py', "
        "but no processing input delivers it",
        "/Steps/2/Arguments/AppSpecification/ContainerEntrypoint",
    )


@pytest.mark.corpus
def test_l107_data_wrangler_and_clarify_jobs_run_their_configuration(tmp_path: Path) -> None:
    for name in (
        "aws-realtime-predictions__pipeline.json",
        "pyrepr_converted/amazon-sagemaker-examples__5-pipeline-e2e.json",
        "customer-churn-sagemaker-pipelines-sample__SageMaker_Pipelines_project.ipynb-extracted.json",
    ):
        assert rule_findings(CORPUS / name, "L107") == [], name
    doc = json.loads((CORPUS / "aws-realtime-predictions__pipeline.json").read_text())
    args(doc, 0)["ProcessingInputs"] = args(doc, 0)["ProcessingInputs"][1:]
    [finding] = rule_findings(write(tmp_path, doc), "L107")
    assert finding.message == (
        "Processing step 'Wrangling' has no flow input or container entrypoint "
        "(AppSpecification.ContainerEntrypoint)"
    )
