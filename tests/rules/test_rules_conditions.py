"""L111-L113: condition types, their operands, and comparable values, as the service takes them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.support.builders import definition, document_findings, rule_findings, training
from tests.support.paths import CORPUS

METRIC = {"Get": "Steps.Train.FinalMetricDataList['validation:auc'].Value"}  # a Float


def gate(*conditions: Any, parameters: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """A training step and a Condition step holding `conditions`."""
    doc = definition(
        training("Train", "s3://bucket/train/"),
        {"Name": "Gate", "Type": "Condition", "Arguments": {"Conditions": list(conditions)}},
    )
    doc["Parameters"] = parameters or []
    return doc


def test_every_condition_the_sdk_writes_is_accepted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")  # the SDK wants one; nothing is called
    c = pytest.importorskip("sagemaker.workflow.conditions")
    parameters = pytest.importorskip("sagemaker.workflow.parameters")
    from sagemaker.workflow.condition_step import ConditionStep
    from sagemaker.workflow.pipeline import Pipeline

    threshold = parameters.ParameterFloat(name="Threshold", default_value=0.7)
    flavour = parameters.ParameterString(name="Flavour", default_value="a")
    built = [
        c.ConditionEquals(left=flavour, right="a"),
        c.ConditionGreaterThan(left=threshold, right=0.5),
        c.ConditionGreaterThanOrEqualTo(left=threshold, right=0.5),
        c.ConditionLessThan(left=threshold, right=1),
        c.ConditionLessThanOrEqualTo(left=threshold, right=1.0),
        c.ConditionIn(value=flavour, in_values=["a", "b"]),
        c.ConditionNot(expression=c.ConditionEquals(left=flavour, right="b")),
        c.ConditionOr(
            conditions=[
                c.ConditionEquals(left=flavour, right="a"),
                c.ConditionLessThan(left=threshold, right=2),
            ]
        ),
    ]
    step = ConditionStep(name="Gate", conditions=built, if_steps=[], else_steps=[])
    pipeline = Pipeline(name="Gates", parameters=[threshold, flavour], steps=[step])
    path = tmp_path / "gates.json"
    path.write_text(pipeline.definition(), encoding="utf-8")
    for code in ("L111", "L112", "L113"):
        assert rule_findings(path, code) == [], code


def test_l111_unknown_and_missing_types_inside_not_and_or(tmp_path: Path) -> None:
    doc = gate(
        {
            "Type": "Or",
            "Conditions": [{"Type": "GreaterThanOrEqual", "LeftValue": 1, "RightValue": 2}],
        },
        {"Type": "Not", "Condition": {"LeftValue": 1, "RightValue": 2}},
    )
    [typo, untyped] = document_findings(tmp_path, doc, "L111")
    assert typo.pointer == "/Steps/1/Arguments/Conditions/0/Conditions/0/Type"
    assert typo.message.endswith("(did you mean 'GreaterThanOrEqualTo'?)")
    assert untyped.pointer == "/Steps/1/Arguments/Conditions/1/Condition/Type"
    assert untyped.message == "a condition of Condition step 'Gate' has no Type"


@pytest.mark.parametrize(
    ("condition", "pointer", "message"),
    [
        (
            {"Type": "In", "QueryValue": 1, "Values": 2},
            "/Values",
            "Values of an In condition of Condition step 'Gate' must be a non-empty list",
        ),
        (
            {"Type": "Or", "Conditions": []},
            "/Conditions",
            "Conditions of an Or condition of Condition step 'Gate' must be a non-empty list",
        ),
        (
            {"Type": "Equals", "LeftValue": 1, "RightVal": 1},
            "/RightVal",
            "Equals condition of Condition step 'Gate' has 'RightVal', which a Equals condition "
            "does not take (it takes LeftValue and RightValue) (did you mean 'RightValue'?)",
        ),
        (
            {"Type": "GreaterThan", "LeftValue": 1},
            "/RightValue",
            "GreaterThan condition of Condition step 'Gate' lacks RightValue (it takes LeftValue "
            "and RightValue)",
        ),
        (
            {"Type": "Not", "Condition": [{"Type": "Equals", "LeftValue": 1, "RightValue": 1}]},
            "/Condition",
            "Condition of a Not condition of Condition step 'Gate' must be one condition object",
        ),
    ],
)
def test_l112_operands_of_each_type(
    tmp_path: Path, condition: dict[str, Any], pointer: str, message: str
) -> None:
    [finding] = document_findings(tmp_path, gate(condition), "L112")
    assert (finding.pointer, finding.message) == (
        "/Steps/1/Arguments/Conditions/0" + pointer,
        message,
    )


def test_l112_a_condition_step_needs_conditions(tmp_path: Path) -> None:
    [finding] = document_findings(tmp_path, gate(), "L112")
    assert finding.pointer == "/Steps/1/Arguments/Conditions"


@pytest.mark.parametrize(
    ("left", "right", "parameters", "message"),
    [
        (METRIC, "0.75", [], "compares a number (LeftValue) with a string (RightValue)"),
        (
            METRIC,
            {"Get": "Parameters.MinAuc"},
            [{"Name": "MinAuc", "Type": "String", "DefaultValue": "0.75"}],
            "compares a number (LeftValue) with a string (RightValue)",
        ),
        (
            {"Get": "Parameters.Register"},
            "true",
            [{"Name": "Register", "Type": "Boolean", "DefaultValue": True}],
            "compares a boolean (LeftValue) with a string (RightValue)",
        ),
        (
            {"Get": "Steps.Train.TrainingJobStatus"},
            1,
            [],
            "compares a string (LeftValue) with a number (RightValue)",
        ),
        (
            {"Std:Join": {"On": "-", "Values": ["a", "b"]}},
            2,
            [],
            "compares a string (LeftValue) with a number (RightValue)",
        ),
    ],
)
def test_l113_known_types_that_differ(
    tmp_path: Path, left: Any, right: Any, parameters: list[dict[str, Any]], message: str
) -> None:
    doc = gate(
        {"Type": "GreaterThan", "LeftValue": left, "RightValue": right}, parameters=parameters
    )
    [finding] = document_findings(tmp_path, doc, "L113")
    assert finding.message == f"GreaterThan condition of Condition step 'Gate' {message}"
    assert finding.pointer == "/Steps/1/Arguments/Conditions/0"


def test_l113_unknown_types_and_ordered_strings_are_not_judged(tmp_path: Path) -> None:
    json_get = {
        "Std:JsonGet": {"PropertyFile": {"Get": "Steps.Eval.PropertyFiles.Report"}, "Path": "a"}
    }
    doc = gate(
        {"Type": "LessThan", "LeftValue": json_get, "RightValue": "0.5"},
        {
            "Type": "GreaterThan",
            "LeftValue": {"Get": "Execution.StartDateTime"},
            "RightValue": "2020-12-01",
        },
        {"Type": "Equals", "LeftValue": METRIC, "RightValue": 1},
    )
    assert document_findings(tmp_path, doc, "L113") == []


@pytest.mark.corpus
def test_the_corpus_conditions_are_valid() -> None:
    for code in ("L111", "L112", "L113"):
        assert rule_findings(CORPUS, code) == [], code
