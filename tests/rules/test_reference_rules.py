"""The engine's reference-integrity rules: each fires on its defect and stays quiet otherwise."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from lineage.collect.sources import load_sources
from lineage.config import Settings
from lineage.rules.engine.run import run_rules
from lineage.scan import build_graph
from tests.support.builders import (
    PREP_TRAIN,
    abalone_like,
    definition,
    document_findings,
    get,
    processing,
    training,
    write,
)


def test_clean_pipeline_has_no_reference_findings(tmp_path: Path) -> None:
    loaded = load_sources([str(write(tmp_path, abalone_like()))])
    graph, definitions = build_graph(loaded.definitions)
    assert run_rules(graph, definitions, Settings(select=("L3", "L109", "L110"))) == []


def test_l301_dangling_step_reference(tmp_path: Path) -> None:
    doc = abalone_like()
    doc["Steps"][2]["Arguments"]["ProcessingInputs"][0]["S3Input"]["S3Uri"] = get(
        "Steps.Trian.ModelArtifacts.S3ModelArtifacts"
    )
    [finding] = document_findings(tmp_path, doc, "L301")
    assert finding.step == "Evaluate"
    assert finding.pointer == "/Steps/2/Arguments/ProcessingInputs/0/S3Input/S3Uri"
    assert finding.message == (
        "'Steps.Trian.ModelArtifacts.S3ModelArtifacts' names step 'Trian', which the pipeline "
        "does not have (did you mean 'Train'?)"
    )
    assert finding.line is not None and finding.source is not None


def test_l303_unknown_output_property_file_and_output_parameter(tmp_path: Path) -> None:
    doc = abalone_like()
    doc["Steps"][1]["Arguments"]["InputDataConfig"][0]["DataSource"]["S3DataSource"]["S3Uri"] = get(
        "Steps.Prep.ProcessingOutputConfig.Outputs['trian'].S3Output.S3Uri"
    )
    doc["Steps"][3]["Arguments"]["Conditions"][0]["LeftValue"]["Std:JsonGet"]["PropertyFile"] = get(
        "Steps.Evaluate.PropertyFiles.EvalReport"
    )
    doc["Steps"].append(
        {
            "Name": "L",
            "Type": "Lambda",
            "FunctionArn": "arn:aws:lambda:::f",
            "OutputParameters": [{"OutputName": "status"}],
            "Arguments": {},
        }
    )
    doc["Steps"].append(
        {
            "Name": "Fail2",
            "Type": "Fail",
            "Arguments": {"ErrorMessage": get("Steps.L.OutputParameters['stat']")},
        }
    )
    messages = [f.message for f in document_findings(tmp_path, doc, "L303")]
    assert messages == [
        "step 'Prep' declares no processing output 'trian' (declared in "
        "ProcessingOutputConfig.Outputs[*].OutputName: 'test', 'train') (did you mean 'train'?)",
        "step 'Evaluate' declares no property file 'EvalReport' (declared in "
        "PropertyFiles[*].PropertyFileName: 'EvaluationReport') (did you mean 'EvaluationReport'?)",
        "step 'L' declares no output parameter 'stat' (declared in "
        "OutputParameters[*].OutputName: 'status') (did you mean 'status'?)",
    ]


def test_l303_quiet_for_declared_outputs_by_name_or_index(tmp_path: Path) -> None:
    doc = abalone_like()
    doc["Steps"][1]["Arguments"]["InputDataConfig"][0]["DataSource"]["S3DataSource"]["S3Uri"] = get(
        "Steps.Prep.ProcessingOutputConfig.Outputs[1].S3Output.S3Uri"
    )
    assert document_findings(tmp_path, doc, "L303") == []


def test_l304_undefined_parameter(tmp_path: Path) -> None:
    doc = abalone_like()
    doc["Parameters"] = doc["Parameters"][1:]
    [finding] = document_findings(tmp_path, doc, "L304")
    assert finding.message == "parameter 'Input' is not declared in the pipeline's Parameters"
    assert finding.step == "Prep"


def test_l305_cycle_through_depends_on_and_data(tmp_path: Path) -> None:
    doc = definition(
        processing("Prep", outputs=("train",), DependsOn=["Train"]),
        training("Train", get(PREP_TRAIN)),
    )
    [finding] = document_findings(tmp_path, doc, "L305")
    assert finding.message == "steps depend on each other in a cycle: Prep -> Train -> Prep"
    assert finding.step == "Prep"


def test_l305_self_dependency_and_quiet_on_a_dag(tmp_path: Path) -> None:
    doc = definition(processing("Prep", outputs=("train",), DependsOn=["Prep"]))
    assert len(document_findings(tmp_path, doc, "L305")) == 1
    assert document_findings(tmp_path, abalone_like(), "L305") == []


def test_l306_unknown_depends_on(tmp_path: Path) -> None:
    doc = abalone_like()
    doc["Steps"][2]["DependsOn"] = ["Train", "Trian"]
    [finding] = document_findings(tmp_path, doc, "L306")
    assert finding.pointer == "/Steps/2/DependsOn/1"
    assert "did you mean 'Train'?" in finding.message


def test_l109_unknown_step_type_is_info_and_references_are_still_followed(tmp_path: Path) -> None:
    doc = abalone_like()
    doc["Steps"].append(
        {"Name": "Export", "Type": "Exporting", "Arguments": {"x": get("Steps.Nope.Properties")}}
    )
    [finding] = document_findings(tmp_path, doc, "L109")
    assert (finding.severity.value, finding.pointer) == ("info", "/Steps/4/Type")
    assert len(document_findings(tmp_path, doc, "L301")) == 1
    assert document_findings(tmp_path, abalone_like(), "L109") == []


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d["Steps"][0].pop("Name"), "step without a 'Name'"),
        (lambda d: d["Steps"][0].pop("Type"), "step 'Prep' has no 'Type'"),
        (
            lambda d: d["Steps"].append(copy.deepcopy(d["Steps"][0])),
            "step name 'Prep' is used twice",
        ),
        (lambda d: d["Steps"].append(7), "step is not an object"),
        (lambda d: d["Parameters"].append({"Type": "String"}), "parameter without a 'Name'"),
        (lambda d: d.update(Parameters={}), "'Parameters' is not a list"),
        (lambda d: d["Steps"][3]["Arguments"].update(IfSteps={}), "expected a list of steps"),
    ],
)
def test_l110_malformed_entries_are_reported_and_the_rest_is_checked(
    tmp_path: Path, mutate: Any, message: str
) -> None:
    doc = abalone_like()
    mutate(doc)
    assert [f.message for f in document_findings(tmp_path, doc, "L110")] == [message]


def test_l301_leaves_malformed_paths_to_the_path_rule(tmp_path: Path) -> None:
    doc = abalone_like()
    doc["Steps"][2]["Arguments"]["ProcessingInputs"][0]["S3Input"]["S3Uri"] = get("Steps")
    assert document_findings(tmp_path, doc, "L301") == []
