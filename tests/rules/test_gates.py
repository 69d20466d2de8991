"""The gate model and L327-L329: the branch a model takes, the metric a gate compares."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from lineage.collect.sources import load_sources
from lineage.rules.gate_model import MetricRead, deployed_models, gated_steps, passes_on_good_metric
from lineage.rules.l1_conditions import ConditionAt
from lineage.scan import build_graph
from tests.support.builders import get, rule_findings, write
from tests.support.paths import REPO

ABALONE = REPO / "tests/fixtures/sdk/abalone.json"
MSE = {"Std:JsonGet": {"PropertyFile": get("Steps.Eval.PropertyFiles.Report"), "Path": "x"}}


def abalone() -> dict[str, Any]:
    document: dict[str, Any] = json.loads(ABALONE.read_text(encoding="utf-8"))
    return copy.deepcopy(document)


def gate(document: dict[str, Any]) -> dict[str, Any]:
    arguments: dict[str, Any] = document["Steps"][3]["Arguments"]
    return arguments


@pytest.mark.parametrize(
    ("path", "better"),
    [
        ("regression_metrics.mse.value", "lower"),
        ("metrics.mean_squared_error", "lower"),
        ("binary_classification_metrics.accuracy.value", "higher"),
        ("FinalMetricDataList['validation:auc'].Value", "higher"),
        ("metrics.weighted_f1", "higher"),
        ("metrics.custom_score", None),
        ("metrics.mse_and_accuracy", None),
    ],
)
def test_a_metric_name_says_which_way_is_better(path: str, better: str | None) -> None:
    assert MetricRead("/p", "Eval", path).better == better


@pytest.mark.parametrize(
    ("condition", "side", "passes"),
    [
        ({"Type": "LessThanOrEqualTo", "LeftValue": MSE, "RightValue": 6.0}, "LeftValue", True),
        ({"Type": "GreaterThan", "LeftValue": MSE, "RightValue": 6.0}, "LeftValue", False),
        ({"Type": "GreaterThanOrEqualTo", "LeftValue": 6, "RightValue": MSE}, "RightValue", True),
        (
            {"Type": "Not", "Condition": {"Type": "LessThan", "LeftValue": MSE, "RightValue": 6}},
            "Condition/LeftValue",
            False,
        ),
        ({"Type": "Equals", "LeftValue": MSE, "RightValue": 6.0}, "LeftValue", None),
    ],
)
def test_a_comparison_passes_on_a_good_or_a_bad_metric(
    condition: dict[str, Any], side: str, passes: bool | None
) -> None:
    reads = [MetricRead(f"/c/{side}", "Eval", "regression_metrics.mse.value")]
    assert passes_on_good_metric(ConditionAt(condition, "/c"), reads) is passes


def test_the_model_of_a_transform_is_the_one_its_model_step_creates() -> None:
    graph = build_graph(load_sources([str(ABALONE)]).definitions)[0]
    steps = {step.get("name"): step for step in gated_steps(graph)}
    assert sorted(steps) == [
        "AbaloneCreateModel-CreateModel",
        "AbaloneRegisterModel-RegisterModel",
        "AbaloneTransform",
    ]
    assert list(deployed_models(graph, steps["AbaloneTransform"])) == ["abalone/AbaloneTrain/model"]


def test_a_deploying_lambda_counts_as_serving(tmp_path: Path) -> None:
    document = abalone()
    deploy = {
        "Name": "Deploy",
        "Type": "Lambda",
        "FunctionArn": "arn:aws:lambda:us-east-1:111122223333:function:deploy",
        "Arguments": {"model_name": get("Steps.AbaloneCreateModel-CreateModel.ModelName")},
    }
    gate(document)["IfSteps"].append(deploy)
    graph = build_graph(load_sources([str(write(tmp_path, document))]).definitions)[0]
    assert "Deploy" in {step.get("name") for step in gated_steps(graph)}


def test_a_registration_in_the_else_branch_of_an_accuracy_gate(tmp_path: Path) -> None:
    document = abalone()
    condition = gate(document)["Conditions"][0]
    condition["LeftValue"]["Std:JsonGet"]["Path"] = "metrics.accuracy.value"
    condition["Type"] = "GreaterThanOrEqualTo"
    assert rule_findings(write(tmp_path, document), "L327") == []
    arguments = gate(document)
    arguments["IfSteps"], arguments["ElseSteps"] = arguments["ElseSteps"], arguments["IfSteps"]
    [finding] = rule_findings(write(tmp_path, document), "L327")
    assert finding.pointer == "/Steps/3/Arguments/ElseSteps/0"


def test_a_metric_of_unknown_nature_stays_silent(tmp_path: Path) -> None:
    document = abalone()
    condition = gate(document)["Conditions"][0]
    condition["LeftValue"]["Std:JsonGet"]["Path"] = "metrics.custom.value"
    condition["Type"] = "GreaterThan"
    assert rule_findings(write(tmp_path, document), "L327") == []


def test_a_parameter_switch_inside_a_metric_gate_is_valid(tmp_path: Path) -> None:
    document = abalone()
    arguments = gate(document)
    switch = {
        "Name": "DeploySwitch",
        "Type": "Condition",
        "Arguments": {
            "Conditions": [
                {"Type": "Equals", "LeftValue": get("Parameters.BatchData"), "RightValue": "x"}
            ],
            "IfSteps": arguments["IfSteps"][1:],
            "ElseSteps": [],
        },
    }
    arguments["IfSteps"] = [arguments["IfSteps"][0], switch]
    assert rule_findings(write(tmp_path, document), "L329") == []


def test_a_gate_on_a_parameter_stands_for_the_ungated_registration(tmp_path: Path) -> None:
    document = abalone()
    condition = gate(document)["Conditions"][0]
    condition["LeftValue"] = get("Parameters.MseThreshold")
    condition["RightValue"] = 6.0
    path = write(tmp_path, document)
    [finding] = rule_findings(path, "L3")
    assert (finding.code, finding.related) == ("L329", ("L310",))
    assert finding.step == "AbaloneRegisterModel-RegisterModel"


def test_a_condition_reading_its_own_branch(tmp_path: Path) -> None:
    document = abalone()
    gate(document)["IfSteps"].insert(0, document["Steps"].pop(2))
    [finding] = rule_findings(write(tmp_path, document), "L328")
    assert finding.pointer == "/Steps/2/Arguments/Conditions/0/LeftValue/Std:JsonGet/PropertyFile"
    assert "IfSteps" in finding.message


def test_a_served_model_the_gate_did_not_evaluate_is_reported_where_it_enters() -> None:
    challenger = REPO / "tests/fixtures/sdk/evaluates_other_model.json"
    findings = rule_findings(challenger, "L325")
    assert [(f.step, f.pointer) for f in findings] == [
        (
            "AbaloneCreateModel-CreateModel",
            "/Steps/4/Arguments/IfSteps/1/Arguments/PrimaryContainer/ModelDataUrl",
        )
    ]
    assert "AbaloneTrainChallenger" in findings[0].message


def test_a_transform_of_a_model_created_before_the_gate(tmp_path: Path) -> None:
    document = json.loads((REPO / "tests/fixtures/sdk/evaluates_other_model.json").read_text())
    arguments = document["Steps"][4]["Arguments"]
    created = arguments["IfSteps"].pop(1)
    document["Steps"].insert(4, created)
    [finding] = rule_findings(write(tmp_path, document), "L325")
    assert (finding.step, finding.pointer) == (
        "AbaloneTransform",
        "/Steps/5/Arguments/IfSteps/1/Arguments/ModelName",
    )


def test_a_product_transform_outside_the_gate(tmp_path: Path) -> None:
    document = abalone()
    document["Steps"].append(gate(document)["IfSteps"].pop(2))
    [finding] = rule_findings(write(tmp_path, document), "L326")
    assert (finding.step, finding.pointer) == ("AbaloneTransform", "/Steps/4/Arguments/ModelName")


def test_a_transform_that_feeds_a_check_is_an_evaluation(tmp_path: Path) -> None:
    document = abalone()
    transform = gate(document)["IfSteps"].pop(2)
    document["Steps"].append(transform)
    check = copy.deepcopy(document["Steps"][2])
    check["Name"] = "CheckPredictions"
    check["Arguments"]["ProcessingInputs"][1]["S3Input"]["S3Uri"] = get(
        "Steps.AbaloneTransform.TransformOutput.S3OutputPath"
    )
    check.pop("PropertyFiles")
    document["Steps"].append(check)
    assert rule_findings(write(tmp_path, document), "L326") == []


def test_a_pipeline_without_any_gate_is_the_registration_finding() -> None:
    ungated = REPO / "tests/fixtures/sdk/ungated_registration.json"
    assert rule_findings(ungated, "L326") == []


def test_a_fallback_gate_in_the_else_branch_stays_quiet(tmp_path: Path) -> None:
    document = abalone()
    arguments = gate(document)
    fallback = copy.deepcopy(document["Steps"][3])
    fallback["Name"] = "AbaloneR2Cond"
    fallback_condition = fallback["Arguments"]["Conditions"][0]
    fallback_condition["Type"] = "GreaterThanOrEqualTo"
    fallback_condition["LeftValue"]["Std:JsonGet"]["Path"] = "regression_metrics.r2.value"
    fallback_condition["RightValue"] = 0.5
    fallback["Arguments"]["ElseSteps"] = []
    arguments["ElseSteps"] = [fallback]
    arguments["IfSteps"] = []
    assert rule_findings(write(tmp_path, document), "L327") == []
