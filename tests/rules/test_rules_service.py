"""L114-L118: property files, parameters and argument bounds as the service takes them."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from tests.support.builders import document_findings, rule_findings
from tests.support.paths import CORPUS, SDK_FIXTURES

BASE: dict[str, Any] = json.loads((SDK_FIXTURES / "abalone.json").read_text(encoding="utf-8"))
COUNT = "/Steps/0/Arguments/ProcessingResources/ClusterConfig/InstanceCount"


def abalone() -> dict[str, Any]:
    return copy.deepcopy(BASE)


def test_the_sdk_built_fixtures_are_clean() -> None:
    for code in ("L114", "L115", "L116", "L117", "L118"):
        assert rule_findings(SDK_FIXTURES, code) == [], code


def test_l114_extra_member_and_a_file_that_is_not_an_object(tmp_path: Path) -> None:
    doc = abalone()
    doc["Steps"][2]["PropertyFiles"][0]["Path"] = "evaluation.json"
    doc["Steps"][2]["PropertyFiles"].append("evaluation.json")
    messages = [f.message for f in document_findings(tmp_path, doc, "L114")]
    assert messages == [
        "a property file of Processing step 'AbaloneEval' has 'Path', which property files do "
        "not take (PropertyFileName, OutputName, FilePath) (did you mean 'FilePath'?)",
        "a property file of Processing step 'AbaloneEval' is not an object",
    ]


@pytest.mark.parametrize(
    ("parameter", "message"),
    [
        (
            {
                "Name": "Mode",
                "Type": "String",
                "DefaultValue": "fast",
                "EnumValues": ["a", "b"],
            },
            "parameter 'Mode' defaults to 'fast', not one of its EnumValues ['a', 'b']",
        ),
        (
            {"Name": "Retrain", "Type": "Boolean", "DefaultValue": "true"},
            "Boolean parameter 'Retrain' has the default 'true', not a boolean",
        ),
        (
            {"Name": "Epochs", "Type": "Integer", "DefaultValue": 1.5},
            "Integer parameter 'Epochs' has the default 1.5, not an integer",
        ),
        (
            {"Name": "Ratio", "Type": "Double", "DefaultValue": 0.5},
            "parameter 'Ratio' has Type 'Double', not one of String, Integer, Float, Boolean",
        ),
    ],
)
def test_l115_types_and_defaults(tmp_path: Path, parameter: dict[str, Any], message: str) -> None:
    doc = abalone()
    doc["Parameters"].append(parameter)
    [finding] = document_findings(tmp_path, doc, "L115")
    assert finding.message == message


def test_l115_a_float_may_default_to_a_whole_number(tmp_path: Path) -> None:
    doc = abalone()
    doc["Parameters"].append({"Name": "Threshold", "Type": "Float", "DefaultValue": 6})
    assert document_findings(tmp_path, doc, "L115") == []


def test_l116_a_float_parameter_where_an_integer_goes(tmp_path: Path) -> None:
    doc = abalone()
    doc["Parameters"][0].update(Type="Float", DefaultValue=1.0)
    [finding] = document_findings(tmp_path, doc, "L116")
    assert finding.pointer == COUNT
    assert finding.message.endswith(
        "reads Float parameter 'ProcessingInstanceCount', but the API takes an integer there "
        "(ProcessingInstanceCount)"
    )


def test_l116_numbers_may_stand_for_strings(tmp_path: Path) -> None:
    doc = abalone()
    environment = doc["Steps"][2]["Arguments"].setdefault("Environment", {})
    environment["THRESHOLD"] = {"Get": "Parameters.MseThreshold"}
    assert document_findings(tmp_path, doc, "L116") == []


def test_l117_patterns_list_sizes_and_what_is_not_judged(tmp_path: Path) -> None:
    doc = abalone()
    train = doc["Steps"][1]["Arguments"]
    train["OutputDataConfig"]["S3OutputPath"] = "gs://abalone/models"
    [finding] = document_findings(tmp_path, doc, "L117")
    assert finding.pointer == "/Steps/1/Arguments/OutputDataConfig/S3OutputPath"
    assert 'OutputDataConfig.S3OutputPath "gs://abalone/models" does not match the pattern' in (
        finding.message
    )
    train["OutputDataConfig"]["S3OutputPath"] = "s3://${bucket}/models"  # a template
    train["InputDataConfig"] = []  # InputDataConfig takes at least one channel
    messages = [f.message for f in document_findings(tmp_path, doc, "L117")]
    assert messages == [
        "Arguments.InputDataConfig has 0 item(s), below the minimum 1 item(s) (InputDataConfig)"
    ]


def test_l118_tuning_jobs_and_parameters(tmp_path: Path) -> None:
    doc = json.loads((SDK_FIXTURES / "tuning_pipeline.json").read_text(encoding="utf-8"))
    tuning = next(s for s in doc["Steps"] if s["Type"] == "Tuning")
    definition = tuning["Arguments"]["TrainingJobDefinition"]
    doc["Parameters"].append({"Name": "Spot", "Type": "Boolean", "DefaultValue": True})
    definition["EnableManagedSpotTraining"] = {"Get": "Parameters.Spot"}
    [finding] = document_findings(tmp_path, doc, "L118")
    assert finding.pointer.endswith("/TrainingJobDefinition/StoppingCondition/MaxWaitTimeInSeconds")
    definition["StoppingCondition"]["MaxWaitTimeInSeconds"] = 90000
    assert document_findings(tmp_path, doc, "L118") == []


@pytest.mark.corpus
def test_the_corpus_is_quiet() -> None:
    for code in ("L114", "L115", "L116", "L117", "L118"):
        assert rule_findings(CORPUS, code) == [], code
