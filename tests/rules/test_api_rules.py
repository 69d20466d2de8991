"""Rules against the SageMaker API model: L105 arguments, L106 enum values, L302 property paths."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from lineage.config import Settings
from lineage.graph.lineage_graph import Kind
from lineage.rules.engine.model import Finding
from lineage.scan import scan
from tests.support.builders import (
    INVALID_PATHS,
    PREP_TRAIN,
    REGISTER,
    TRAIN_MODEL,
    abalone_like,
    deployment,
    document_findings,
    get,
    graph_of,
)
from tests.support.paths import EXAMPLE, SDK_FIXTURES


def api_findings(
    *sources: Path, codes: tuple[str, ...] = ("L105", "L106", "L302")
) -> list[Finding]:
    """The findings of the API rules (only) on `sources`."""
    return scan([str(s) for s in sources], Settings(select=codes)).findings


@pytest.mark.parametrize("document", [abalone_like(), deployment()], ids=["abalone", "deploy"])
def test_realistic_definitions_are_quiet(tmp_path: Path, document: dict[str, Any]) -> None:
    for code in ("L105", "L106", "L302"):
        assert document_findings(tmp_path, document, code) == []


def test_l105_one_finding_per_violation_at_its_pointer(tmp_path: Path) -> None:
    doc = abalone_like()
    del doc["Steps"][0]["Arguments"]["RoleArn"]
    resources = doc["Steps"][1]["Arguments"]["ResourceConfig"]
    resources["InstanceTyp"] = resources.pop("InstanceType")
    resources["InstanceCount"] = "1"
    doc["Steps"][3]["Arguments"]["IfSteps"][0]["Arguments"]["InferenceSpecification"][
        "SupportedContentTypes"
    ] = "text/csv"
    found = document_findings(tmp_path, doc, "L105")
    assert [(f.step, f.pointer, f.message) for f in found] == [
        (
            "Train",
            "/Steps/1/Arguments/ResourceConfig/InstanceCount",
            'Arguments.ResourceConfig.InstanceCount must be an integer, not a string ("1")',
        ),
        (
            "Train",
            "/Steps/1/Arguments/ResourceConfig/InstanceTyp",
            "Arguments.ResourceConfig.InstanceTyp is not a member of ResourceConfig "
            "(did you mean 'InstanceType'?)",
        ),
        (
            "Register",
            f"{REGISTER}/Arguments/InferenceSpecification/SupportedContentTypes",
            "Arguments.InferenceSpecification.SupportedContentTypes must be a list "
            '(ContentTypes), not a string ("text/csv")',
        ),
    ]
    assert all(f.line is not None and f.severity.value == "error" for f in found)
    # The missing role is L101's to report, not a second time here.
    assert [f.step for f in document_findings(tmp_path, doc, "L101")] == ["Prep"]


def test_l106_literal_outside_the_enum(tmp_path: Path) -> None:
    doc = deployment()
    doc["Steps"][1]["Arguments"]["AlgorithmSpecification"]["TrainingInputMode"] = "file"
    [finding] = document_findings(tmp_path, doc, "L106")
    assert (finding.step, finding.pointer) == (
        "Train",
        "/Steps/1/Arguments/AlgorithmSpecification/TrainingInputMode",
    )
    assert finding.message == (
        "Arguments.AlgorithmSpecification.TrainingInputMode is 'file', not a valid "
        "TrainingInputMode (one of 'Pipe', 'File', 'FastFile') (did you mean 'File'?)"
    )
    assert document_findings(tmp_path, doc, "L105") == []


def test_l106_parameter_default_outside_the_enum(tmp_path: Path) -> None:
    doc = abalone_like()
    doc["Parameters"].append({"Name": "TrainType", "Type": "String", "DefaultValue": "ml.m5.xlarg"})
    doc["Steps"][1]["Arguments"]["ResourceConfig"]["InstanceType"] = get("Parameters.TrainType")
    [finding] = document_findings(tmp_path, doc, "L106")
    assert (finding.step, finding.pointer) == (
        "Train",
        "/Steps/1/Arguments/ResourceConfig/InstanceType",
    )
    assert finding.message.startswith(
        "Arguments.ResourceConfig.InstanceType reads parameter 'TrainType', whose default is "
        "'ml.m5.xlarg', not a valid TrainingInstanceType"
    )
    assert finding.message.endswith("(did you mean 'ml.m5.xlarge'?)")


def test_approval_status_is_left_to_l401(tmp_path: Path) -> None:
    doc = abalone_like()
    doc["Parameters"][2]["DefaultValue"] = "Approve"
    assert document_findings(tmp_path, doc, "L106") == []
    assert [f.code for f in document_findings(tmp_path, doc, "L401")] == ["L401"]


def test_l106_quiet_for_parameters_without_default_or_not_in_enum_slots(tmp_path: Path) -> None:
    doc = abalone_like()
    del doc["Parameters"][2]["DefaultValue"]
    doc["Parameters"][1]["DefaultValue"] = "Approve"  # the group name takes any string
    assert document_findings(tmp_path, doc, "L106") == []


def test_l302_invalid_paths(tmp_path: Path) -> None:
    doc = deployment()
    values: dict[str, Any] = {f"v{i}": get(path) for i, (path, _) in enumerate(INVALID_PATHS)}
    doc["Steps"].append({"Name": "Later", "Type": "Lambda", "Arguments": values})
    found = document_findings(tmp_path, doc, "L302")
    assert [(f.step, f.pointer) for f in found] == [
        ("Later", f"/Steps/6/Arguments/v{i}") for i in range(len(INVALID_PATHS))
    ]
    assert [f.message for f in found] == [
        f"invalid property path {path!r}: {reason}" for path, reason in INVALID_PATHS
    ]


def test_path_valid_on_property_refs(tmp_path: Path) -> None:
    doc = deployment()
    doc["Steps"][-1]["Arguments"].update(
        dangling=get("Steps.Nope.ModelName"),
        param=get("Parameters.Approval"),
        invalid=get("Steps.Train.TrainingJobSummaries"),
        syntax=get("Steps.Train..ModelArtifacts"),
    )
    graph = graph_of(tmp_path, doc)
    valid = {ref.get("expression"): ref.get("path_valid") for ref in graph.nodes(Kind.PROPERTY_REF)}
    assert valid == {
        PREP_TRAIN: True,
        TRAIN_MODEL: True,
        "Steps.Model.ModelName": True,
        "Steps.Prep.ProcessingOutputConfig.Outputs[1].S3Output.S3Uri": True,
        "Steps.Train.FinalMetricDataList['validation:rmse'].Value": True,
        "Steps.Model.PrimaryContainer.Environment['SAGEMAKER_PROGRAM']": True,
        "Steps.Score.TransformOutput.S3OutputPath": True,
        "Steps.Train.TrainingJobSummaries": False,
        "Steps.Train..ModelArtifacts": False,
        "Steps.Nope.ModelName": None,
        "Parameters.Approval": None,
    }


def test_corpus_and_sdk_fixtures_review(corpus: Path) -> None:
    found = api_findings(corpus, SDK_FIXTURES, EXAMPLE)
    assert {f.code for f in found} == {"L105"}
    by_file: dict[str, int] = {}
    for f in found:
        name = Path(f.source or "").name
        by_file[name] = by_file.get(name, 0) + 1
    assert by_file == {
        "aws-cloudformation-user-guide__aws-resource-sagemaker-pipeline.md."
        "PipelineDefinitionBody.json": 2,
        # SDK unit-test literals: placeholder Training steps with fake arguments (their missing
        # roles and images are L101's and L102's).
        "sagemaker-python-sdk__test_callback_step.L131.json": 1,
        "sagemaker-python-sdk__test_condition_step.L146.json": 3,
        "sagemaker-python-sdk__test_emr_step.L143.json": 1,
        "sagemaker-python-sdk__test_lambda_step.L146.json": 1,
        "sagemaker-python-sdk__test_pipeline.L711.json": 4,
        "sagemaker-python-sdk__test_pipeline.L754.json": 2,
        "sagemaker-python-sdk__test_pipeline.L778.json": 2,
    }


def test_hand_written_processing_steps_without_a_role(corpus: Path) -> None:
    path = corpus / "sn-infra-pipeline__pipeline-definition.tpl.json"
    assert api_findings(path) == []
    found = api_findings(path, codes=("L101",))
    assert [f.step for f in found] == ["FeatureSelection", "Training", "Evaluation"]


def test_cloudformation_docs_example_lacks_channel_fields(corpus: Path) -> None:
    found = api_findings(
        corpus / "odd" / "aws-cloudformation-user-guide__aws-resource-sagemaker-pipeline.md."
        "PipelineDefinitionBody.json"
    )
    assert [(f.pointer, f.message) for f in found] == [
        (
            "/Steps/0/Arguments/InputDataConfig/0/ChannelName",
            "Arguments.InputDataConfig[0].ChannelName is required by Channel and missing",
        ),
        (
            "/Steps/0/Arguments/InputDataConfig/0/DataSource/S3DataSource/S3DataType",
            "Arguments.InputDataConfig[0].DataSource.S3DataSource.S3DataType is required by "
            "S3DataSource and missing",
        ),
    ]
