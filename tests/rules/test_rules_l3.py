"""Level 3 lineage rules L307-L317: each fires on its defect and stays quiet on sound pipelines."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from lineage.config import Settings
from lineage.graph.lineage_graph import Kind, Rel
from lineage.rules.engine.model import Finding
from lineage.rules.l3_model_lineage import image_framework
from lineage.scan import scan
from tests.support.builders import (
    SKLEARN_IMAGE,
    abalone_like,
    definition,
    document_findings,
    get,
    model,
    rule_findings,
    training,
    transform,
    write,
)
from tests.support.paths import CORPUS, SDK_FIXTURES

L3_LINEAGE = tuple(f"L3{n:02d}" for n in range(7, 18))
REGISTER = "/Steps/3/Arguments/IfSteps/0"
TRAINED = "Steps.Train.ModelArtifacts.S3ModelArtifacts"


def corpus_file(prefix: str) -> Path:
    """The one corpus file whose name starts with `prefix`."""
    [path] = [p for p in CORPUS.rglob(f"{prefix}*") if p.is_file()]
    return path


def pairs(findings: list[Finding]) -> list[tuple[str, str]]:
    """(pointer, message) of each finding."""
    return [(f.pointer, f.message) for f in findings]


def register_args(doc: dict[str, Any]) -> dict[str, Any]:
    """The arguments of abalone_like's RegisterModel step (in the Condition's IfSteps)."""
    args: dict[str, Any] = doc["Steps"][3]["Arguments"]["IfSteps"][0]["Arguments"]
    return args


def test_sound_pipelines_have_no_lineage_findings(tmp_path: Path) -> None:
    assert document_findings(tmp_path, abalone_like(), "L3") == []
    for name in ("abalone", "tuning_pipeline", "quality_checks"):
        assert rule_findings(SDK_FIXTURES / f"{name}.json", "L3") == [], name


def test_collector_tags_references_and_literals_by_the_input_they_fill(tmp_path: Path) -> None:
    doc = abalone_like()
    doc["Steps"][0]["Arguments"]["ProcessingInputs"].append(
        {"InputName": "code", "S3Input": {"S3Uri": "s3://bucket/code/prep.py"}}
    )
    graph = scan([str(write(tmp_path, doc))], Settings(select=("L307",))).graph
    register = graph.node(Kind.STEP, "pipeline/Register")
    consumed = {e.target.key: e.props for e in graph.out_edges(register, Rel.CONSUMES)}
    container = f"{REGISTER}/Arguments/InferenceSpecification/Containers/0"
    assert consumed["pipeline/Train/model"]["input_kind"] == "model"
    assert consumed["pipeline/Train/model"]["entry"] == container
    assert consumed["pipeline/Evaluate/outputs/evaluation"]["input_kind"] == "metrics"
    image = next(props for key, props in consumed.items() if "sagemaker-xgboost" in key)
    assert (image["input_kind"], image["literal"], image["entry"]) == ("image", True, container)
    train = graph.node(Kind.STEP, "pipeline/Train")
    [channel] = [e.props for e in graph.out_edges(train, Rel.USES) if e.props.get("input_kind")]
    assert (channel["input_name"], channel["entry"]) == (
        "train",
        "/Steps/1/Arguments/InputDataConfig/0",
    )
    assert graph.node(Kind.ARTIFACT, "s3://bucket/code/prep.py").get("artifact_kind") == "code"
    prep = graph.node(Kind.STEP, "pipeline/Prep")
    raw = next(
        e for e in graph.out_edges(prep, Rel.CONSUMES) if e.target.key == "s3://data/abalone.csv"
    )
    assert raw.props["literal"] is False  # the default of parameter Input


# L307 model-not-from-training


def test_l307_literal_model_data() -> None:
    assert pairs(rule_findings(SDK_FIXTURES / "literal_model_data.json", "L307")) == [
        (
            "/Steps/3/Arguments/IfSteps/0/Arguments/InferenceSpecification/Containers/0/ModelDataUrl",
            "model data of RegisterModel step 'AbaloneRegisterModel-RegisterModel' comes from the "
            "literal URI 's3://sagemaker-us-east-1-111122223333/abalone/models/abalone/model.tar.gz'"
            ", which no step of the pipeline produces",
        ),
        (
            "/Steps/3/Arguments/IfSteps/1/Arguments/PrimaryContainer/ModelDataUrl",
            "model data of Model step 'AbaloneCreateModel-CreateModel' comes from the literal URI "
            "'s3://sagemaker-us-east-1-111122223333/abalone/models/abalone/model.tar.gz', which no "
            "step of the pipeline produces",
        ),
    ]


def test_l307_a_bare_parameter_is_reported(tmp_path: Path) -> None:
    doc = abalone_like()
    doc["Parameters"].append({"Name": "ModelData", "Type": "String"})
    register_args(doc)["InferenceSpecification"]["Containers"][0]["ModelDataUrl"] = get(
        "Parameters.ModelData"
    )
    [finding] = document_findings(tmp_path, doc, "L307")
    assert finding.message == (
        "model data of RegisterModel step 'Register' comes from parameter 'ModelData', which no "
        "step of the pipeline produces"
    )


def test_l307_quiet_for_a_model_url_from_a_lambda_step(tmp_path: Path) -> None:
    lookup = {
        "Name": "GetModelUrl",
        "Type": "Lambda",
        "FunctionArn": "arn:aws:lambda:us-east-1:111122223333:function:latest-approved-model",
        "OutputParameters": [{"OutputName": "model_data_url", "OutputType": "String"}],
        "Arguments": {"model_package_group_name": "abalone"},
    }
    serve = model("Serve", get("Steps.GetModelUrl.OutputParameters['model_data_url']"))
    assert document_findings(tmp_path, definition(lookup, serve), "L307") == []


def test_l307_serial_inference_preprocessing_model_written_by_a_processing_step(
    tmp_path: Path,
) -> None:
    doc = abalone_like()
    prep = doc["Steps"][0]
    prep["Arguments"]["ProcessingOutputConfig"]["Outputs"].append(
        {
            "OutputName": "scaler",
            "S3Output": {
                "S3Uri": "s3://bucket/housing/preprocessing/scaler",
                "LocalPath": "/opt/ml/processing/scaler",
                "S3UploadMode": "EndOfJob",
            },
        }
    )
    containers = register_args(doc)["InferenceSpecification"]["Containers"]
    containers.insert(
        0,
        {**containers[0], "ModelDataUrl": "s3://bucket/housing/preprocessing/scaler/model.tar.gz"},
    )
    assert document_findings(tmp_path, doc, "L307") == []
    containers[0]["ModelDataUrl"] = "s3://bucket/housing/preprocessing/old/model.tar.gz"
    [finding] = document_findings(tmp_path, doc, "L307")
    assert finding.pointer.endswith("/InferenceSpecification/Containers/0/ModelDataUrl")


@pytest.mark.corpus
def test_l307_on_the_corpus_serial_inference_and_lambda_pipelines() -> None:
    for name in (
        "sm-terraform-poc__serial-inference-pipeline_definition.json",
        "sm-terraform-poc__abalone-inference-pipeline.tftpl.json",
    ):
        assert rule_findings(CORPUS / name, "L307") == [], name
    # the model is read at a fixed path while the processing step writes under StartDateTime
    [stale] = rule_findings(CORPUS / "sm-terraform-poc__housing-pipeline.tftpl.json", "L307")
    assert "housing/preprocessing/output/scaler_model/model.tar.gz" in stale.message


@pytest.mark.corpus
def test_l307_quiet_for_trained_and_tuned_models() -> None:
    assert rule_findings(SDK_FIXTURES / "tuning_pipeline.json", "L307") == []
    assert (
        rule_findings(
            CORPUS / "pyrepr_converted" / "amazon-sagemaker-examples__tuning_step_example.json",
            "L307",
        )
        == []
    )


# L308 metrics-not-from-pipeline


@pytest.mark.corpus
def test_l308_literal_metrics_no_step_writes() -> None:
    path = CORPUS / "dynamic-sagemaker-pipelines-framework__pipeline_definition.json"
    assert pairs(rule_findings(path, "L308")) == [
        (
            "/Steps/8/Arguments/ModelMetrics/ModelQuality/Statistics/S3Uri",
            "metrics of step 'calhousing-Register-RegisterModel' come from the literal URI "
            "'s3://sagemaker-us-east-1-327206644775/sklearn-2023-10-20-01-19-23-238/output/"
            "model_evaluation_metricsmodel_evaluation_metrics.json', which no step of the pipeline "
            "produces",
        )
    ]
    assert len(rule_findings(corpus_file("customer-churn-sagemaker-pipelines-sample"), "L308")) == 1


def test_l308_parameter_metrics(tmp_path: Path) -> None:
    doc = abalone_like()
    doc["Parameters"].append({"Name": "Report", "Type": "String", "DefaultValue": "s3://r/x.json"})
    register_args(doc)["ModelMetrics"]["ModelQuality"]["Statistics"]["S3Uri"] = get(
        "Parameters.Report"
    )
    assert pairs(document_findings(tmp_path, doc, "L308")) == [
        (
            f"{REGISTER}/Arguments/ModelMetrics/ModelQuality/Statistics/S3Uri",
            "metrics of step 'Register' come from parameter 'Report', which no step of the "
            "pipeline produces",
        )
    ]


@pytest.mark.corpus
def test_l308_quiet_for_step_outputs_and_literals_under_them() -> None:
    assert rule_findings(SDK_FIXTURES / "quality_checks.json", "L308") == []
    assert rule_findings(CORPUS / "sm-terraform-poc__AbalonePipeline_definition.json", "L308") == []


# L309 evaluated-model-mismatch


def test_l309_evaluation_of_another_model() -> None:
    assert pairs(rule_findings(SDK_FIXTURES / "evaluates_other_model.json", "L309")) == [
        (
            "/Steps/4/Arguments/IfSteps/0/Arguments/ModelMetrics/ModelQuality/Statistics/S3Uri/"
            "Std:Join/Values/0",
            "metrics of step 'AbaloneRegisterModel-RegisterModel' come from step 'AbaloneEval', "
            "which evaluated the model of 'AbaloneTrainChallenger', but the step registers the "
            "model of 'AbaloneTrain'",
        )
    ]


@pytest.mark.corpus
def test_l309_quiet_for_repacked_models_and_checks_through_a_transform(tmp_path: Path) -> None:
    doc = abalone_like()
    doc["Steps"].append(training("Repack", get(TRAINED)))
    register_args(doc)["InferenceSpecification"]["Containers"][0]["ModelDataUrl"] = get(
        "Steps.Repack.ModelArtifacts.S3ModelArtifacts"
    )
    assert document_findings(tmp_path, doc, "L309") == []
    monitor = "amazon-sagemaker-examples__sagemaker-pipeline-model-monitor-clarify-steps.json"
    assert rule_findings(CORPUS / "pyrepr_converted" / monitor, "L309") == []


# L310 ungated-registration / L311 auto-approval-without-gate


def test_l310_ungated_registration() -> None:
    assert pairs(rule_findings(SDK_FIXTURES / "ungated_registration.json", "L310")) == [
        (
            "/Steps/3",
            "step 'AbaloneRegisterModel-RegisterModel' registers a model in every run: no "
            "Condition around it reads an evaluation metric (Std:JsonGet on a property file)",
        )
    ]


def parameter_condition(name: str, *if_steps: dict[str, Any]) -> dict[str, Any]:
    """A Condition on a parameter (no evaluation metric) running `if_steps`."""
    return {
        "Name": name,
        "Type": "Condition",
        "Arguments": {
            "Conditions": [
                {"Type": "Equals", "LeftValue": get("Parameters.Group"), "RightValue": "x"}
            ],
            "IfSteps": list(if_steps),
            "ElseSteps": [],
        },
    }


def test_l310_gate_at_any_depth_and_conditions_without_metrics(tmp_path: Path) -> None:
    doc = abalone_like()
    doc["Steps"][3] = parameter_condition("Outer", doc["Steps"][3])
    assert document_findings(tmp_path, doc, "L310") == []
    inner = abalone_like()
    gate = inner["Steps"][3]
    gate["Arguments"]["IfSteps"] = [parameter_condition("Inner", *gate["Arguments"]["IfSteps"])]
    assert document_findings(tmp_path, inner, "L310") == []
    ungated = abalone_like()
    ungated["Steps"][3] = parameter_condition(
        "OnlyParameter", *ungated["Steps"][3]["Arguments"]["IfSteps"]
    )
    [finding] = document_findings(tmp_path, ungated, "L310")
    assert finding.pointer == "/Steps/3/Arguments/IfSteps/0"


def test_l311_approved_by_default_and_by_literal(tmp_path: Path) -> None:
    assert pairs(rule_findings(SDK_FIXTURES / "approved_by_default.json", "L311")) == [
        (
            "/Steps/3/Arguments/ModelApprovalStatus",
            "step 'AbaloneRegisterModel-RegisterModel' approves every model it registers "
            "(parameter 'ModelApprovalStatus' defaults to 'Approved') and no Condition around it "
            "reads an evaluation metric",
        )
    ]
    doc = abalone_like()
    register = doc["Steps"][3]["Arguments"]["IfSteps"].pop(0)
    register["Arguments"]["ModelApprovalStatus"] = "Approved"
    doc["Steps"].append(register)
    assert [f.message for f in document_findings(tmp_path, doc, "L311")] == [
        "step 'Register' approves every model it registers (ModelApprovalStatus 'Approved') and "
        "no Condition around it reads an evaluation metric"
    ]


@pytest.mark.corpus
def test_l311_quiet_when_gated_or_pending() -> None:
    assert (
        rule_findings(
            CORPUS / "rstudio-on-sagemaker-workshop__00_Pipeline.md-extracted.json", "L311"
        )
        == []
    )
    assert rule_findings(SDK_FIXTURES / "ungated_registration.json", "L311") == []


# L312 transform-model-not-from-pipeline


@pytest.mark.corpus
def test_l312_model_name_from_a_parameter_or_a_literal(tmp_path: Path) -> None:
    path = (
        CORPUS
        / "pyrepr_converted"
        / "amazon-sagemaker-examples__scheduled-sm-pipelines-sklearn.json"
    )
    assert pairs(rule_findings(path, "L312")) == [
        (
            "/Steps/0/Arguments/ModelName",
            "Transform step 'scheduled-pipeline-sklearn-transformer' runs the model named by "
            "parameter 'ModelName', not a model that a Model step of the pipeline creates",
        )
    ]
    doc = abalone_like()
    doc["Steps"].append(transform("Score", "abalone-prod", "s3://bucket/batch"))
    assert pairs(document_findings(tmp_path, doc, "L312")) == [
        (
            "/Steps/4/Arguments/ModelName",
            "Transform step 'Score' runs the model named 'abalone-prod', not a model that a Model "
            "step of the pipeline creates",
        )
    ]


def test_l312_quiet_for_a_model_step() -> None:
    assert rule_findings(SDK_FIXTURES / "abalone.json", "L312") == []


# L313 training-data-not-traceable


def test_l313_literal_training_data() -> None:
    assert pairs(rule_findings(SDK_FIXTURES / "emr_step.json", "L313")) == [
        (
            f"/Steps/1/Arguments/InputDataConfig/{index}/DataSource/S3DataSource/S3Uri",
            f"training channel {channel!r} of step 'AbaloneTrain' reads the literal URI "
            f"'s3://sagemaker-us-east-1-111122223333/abalone/emr/processed/{channel}', which no "
            "step of the pipeline produces and no parameter supplies",
        )
        for index, channel in enumerate(("train", "validation"))
    ]


@pytest.mark.corpus
def test_l313_quiet_for_parameters_step_outputs_and_sdk_code_channels(tmp_path: Path) -> None:
    doc = abalone_like()
    doc["Steps"][1] = training("Train", "s3://bucket/Prep/train/part-0.csv")
    assert document_findings(tmp_path, doc, "L313") == []
    assert rule_findings(corpus_file("sagemaker-python-sdk__fp_lineage"), "L313") == []
    assert rule_findings(corpus_file("aws-cloudformation-user-guide"), "L313") == []


# L314 orphan-step


def test_l314_steps_nothing_reads() -> None:
    [train] = rule_findings(SDK_FIXTURES / "lambda_callback.json", "L314")
    assert train.message == (
        "no step reads the outputs of Training step 'AbaloneTrain' ('model') or depends on it"
    )


@pytest.mark.corpus
def test_l314_quiet_for_outputs_read_by_location_and_for_reports() -> None:
    # sn-infra chains its steps by templated literal URIs (L321 reports the race), and its
    # last step publishes an evaluation report.
    assert rule_findings(CORPUS / "sn-infra-pipeline__pipeline-definition.tpl.json", "L314") == []


@pytest.mark.corpus
def test_l314_quiet_for_depends_on_single_steps_and_end_points() -> None:
    assert rule_findings(SDK_FIXTURES / "depends_on.json", "L314") == []
    assert (
        rule_findings(
            CORPUS / "sagemaker-controller__e2e_pipeline_processing.yaml-extracted.json", "L314"
        )
        == []
    )
    assert rule_findings(SDK_FIXTURES / "quality_checks.json", "L314") == []


# L315 redundant-depends-on


@pytest.mark.corpus
def test_l315_depends_on_a_step_already_read() -> None:
    assert pairs(rule_findings(SDK_FIXTURES / "depends_on.json", "L315")) == [
        (
            "/Steps/2/DependsOn/0",
            "step 'AbaloneTrain' depends on 'AbaloneProcess', which it already waits for: it reads "
            "\"Steps.AbaloneProcess.ProcessingOutputConfig.Outputs['train'].S3Output.S3Uri\"",
        )
    ]
    path = CORPUS / "dynamic-sagemaker-pipelines-framework__pipeline_definition.json"
    assert len(rule_findings(path, "L315")) == 6


def test_l315_quiet_for_ordering_without_data(tmp_path: Path) -> None:
    doc = abalone_like()
    doc["Steps"][2]["DependsOn"] = ["Prep"]
    assert document_findings(tmp_path, doc, "L315") == []
    assert rule_findings(SDK_FIXTURES / "emr_step.json", "L315") == []


# L316 framework-mismatch


def test_l316_scikit_learn_serving_an_xgboost_model(tmp_path: Path) -> None:
    doc = abalone_like()
    register_args(doc)["InferenceSpecification"]["Containers"][0]["Image"] = SKLEARN_IMAGE
    assert pairs(document_findings(tmp_path, doc, "L316")) == [
        (
            f"{REGISTER}/Arguments/InferenceSpecification/Containers/0/Image",
            "RegisterModel step 'Register' serves the model of 'Train' with a scikit-learn image "
            f"({SKLEARN_IMAGE!r}), but it was trained with a xgboost image "
            "('683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1')",
        )
    ]


@pytest.mark.corpus
def test_l316_quiet_for_repacked_models_and_framework_variants() -> None:
    assert rule_findings(corpus_file("amazon-sagemaker-pipelines-serial-batch"), "L316") == []
    assert (
        rule_findings(
            CORPUS / "dynamic-sagemaker-pipelines-framework__pipeline_definition.json", "L316"
        )
        == []
    )
    assert rule_findings(SDK_FIXTURES / "unpinned_image.json", "L316") == []


@pytest.mark.parametrize(
    ("image", "framework"),
    [
        ("683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1", "xgboost"),
        (
            "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:1.2-1",
            "scikit-learn",
        ),
        (
            "763104351884.dkr.ecr.us-east-1.amazonaws.com/pytorch-training:2.0.0-cpu-py310",
            "pytorch",
        ),
        (
            "763104351884.dkr.ecr.us-east-1.amazonaws.com/huggingface-pytorch-inference:1.13",
            "pytorch",
        ),
        (
            "763104351884.dkr.ecr.us-east-1.amazonaws.com/tensorflow-inference:2.11.0-cpu",
            "tensorflow",
        ),
        ("763104351884.dkr.ecr.us-east-1.amazonaws.com/mxnet-inference@sha256:ab", "mxnet"),
        ("111122223333.dkr.ecr.us-east-1.amazonaws.com/abalone-inference:latest", None),
        ("153931337802.dkr.ecr.us-west-2.amazonaws.com/sagemaker-spark-processing:3.2", None),
        ("111122223333.dkr.ecr.us-east-1.amazonaws.com/xgboost-to-pytorch:1", None),
    ],
)
def test_image_framework(image: str, framework: str | None) -> None:
    assert image_framework(image) == framework


# L317 branch-reference


def test_l317_reference_and_depends_on_across_branches(tmp_path: Path) -> None:
    doc = abalone_like()
    fail = doc["Steps"][3]["Arguments"]["ElseSteps"][0]
    fail["Arguments"]["ErrorMessage"] = get("Steps.Register.ModelPackageArn")
    fail["DependsOn"] = ["Register"]
    expected = (
        "step 'Fail' (ElseSteps of 'Check') references step 'Register', which only runs in the "
        "IfSteps of 'Check': it can never have run"
    )
    assert pairs(document_findings(tmp_path, doc, "L317")) == [
        ("/Steps/3/Arguments/ElseSteps/0/Arguments/ErrorMessage", expected),
        ("/Steps/3/Arguments/ElseSteps/0/DependsOn/0", expected),
    ]


def test_l317_nested_branches(tmp_path: Path) -> None:
    doc = abalone_like()
    check = doc["Steps"][3]["Arguments"]
    check["IfSteps"] = [parameter_condition("Inner", *check["IfSteps"])]
    check["ElseSteps"][0]["DependsOn"] = ["Register"]
    [finding] = document_findings(tmp_path, doc, "L317")
    assert finding.message.startswith(
        "step 'Fail' (ElseSteps of 'Check') references step 'Register'"
    )


def test_l317_quiet_within_a_branch_and_outside_the_condition(tmp_path: Path) -> None:
    doc = abalone_like()
    branch = doc["Steps"][3]["Arguments"]["IfSteps"]
    branch.append(
        copy.deepcopy(branch[0]) | {"Name": "Register2", "DependsOn": ["Register", "Check"]}
    )
    assert document_findings(tmp_path, doc, "L317") == []
    assert rule_findings(SDK_FIXTURES / "abalone.json", "L317") == []


@pytest.mark.corpus
def test_findings_are_stable_across_scans() -> None:
    sources = [str(CORPUS), str(SDK_FIXTURES)]
    first = scan(sources, Settings(select=L3_LINEAGE)).findings
    assert first == scan(sources, Settings(select=L3_LINEAGE)).findings
    assert {f.code for f in first} == set(L3_LINEAGE) - {"L316", "L317"}
