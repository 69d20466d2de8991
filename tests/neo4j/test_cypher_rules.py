"""The Cypher of graph rules L302 and L307-L317 against a real Neo4j: the same findings as the
Python rules on the rule tests' cases, the SDK fixtures, the example and the corpus, and their
paths and count queries run."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest
from neo4j import Driver

from lineage.config import Settings
from lineage.neo4j.cypher_files import read
from lineage.neo4j.load import Neo4jLoader
from lineage.neo4j.rules import Neo4jRuleBackend
from lineage.rules.engine.rulebook import get_rule
from lineage.rules.engine.run import run_rules
from lineage.scan import ScanResult, scan
from tests.rules.test_rules_l3 import TRAINED, parameter_condition, register_args
from tests.support.builders import (
    ECR,
    INVALID_PATHS,
    PREP_TRAIN,
    SKLEARN_IMAGE,
    abalone_like,
    deployment,
    get,
    model,
    training,
    transform,
    write,
)
from tests.support.neo4j_helpers import wipe
from tests.support.paths import CORPUS, EXAMPLE, SDK_FIXTURES

CODES = ("L302", *(f"L3{n:02d}" for n in range(7, 18)))
SETTINGS = Settings(select=CODES)
SCAN_ID = "test-cypher-rules"
PYTORCH_IMAGE = f"{ECR}/pytorch-training:2.0.0-cpu-py310"
Document = dict[str, Any]


def join(*values: Any) -> Document:
    """A `Std:Join` of values."""
    return {"Std:Join": {"On": "", "Values": list(values)}}


def _invalid_paths(doc: Document) -> Document:
    values = {f"v{i}": get(path) for i, (path, _) in enumerate(INVALID_PATHS)}
    doc["Steps"].append({"Name": "Later", "Type": "Lambda", "Arguments": values})
    return doc


def _model_data_parameter(doc: Document) -> Document:
    doc["Parameters"].append({"Name": "ModelData", "Type": "String"})
    container = register_args(doc)["InferenceSpecification"]["Containers"][0]
    container["ModelDataUrl"] = get("Parameters.ModelData")
    return doc


def _metrics_parameter(doc: Document) -> Document:
    doc["Parameters"].append({"Name": "Report", "Type": "String", "DefaultValue": "s3://r/x.json"})
    statistics = register_args(doc)["ModelMetrics"]["ModelQuality"]["Statistics"]
    statistics["S3Uri"] = get("Parameters.Report")
    return doc


def _repacked(doc: Document) -> Document:
    doc["Steps"].append(training("Repack", get(TRAINED)))
    container = register_args(doc)["InferenceSpecification"]["Containers"][0]
    container["ModelDataUrl"] = get("Steps.Repack.ModelArtifacts.S3ModelArtifacts")
    return doc


def _outer_parameter_gate(doc: Document) -> Document:
    doc["Steps"][3] = parameter_condition("Outer", doc["Steps"][3])
    return doc


def _inner_parameter_gate(doc: Document) -> Document:
    gate = doc["Steps"][3]["Arguments"]
    gate["IfSteps"] = [parameter_condition("Inner", *gate["IfSteps"])]
    return doc


def _only_parameter_gate(doc: Document) -> Document:
    doc["Steps"][3] = parameter_condition("OnlyParameter", *doc["Steps"][3]["Arguments"]["IfSteps"])
    return doc


def _approved_at_top_level(doc: Document) -> Document:
    register = doc["Steps"][3]["Arguments"]["IfSteps"].pop(0)
    register["Arguments"]["ModelApprovalStatus"] = "Approved"
    doc["Steps"].append(register)
    return doc


def _literal_model_name(doc: Document) -> Document:
    doc["Steps"].append(transform("Score", "abalone-prod", "s3://bucket/batch"))
    return doc


def _channel_under_an_output(doc: Document) -> Document:
    doc["Steps"][1] = training("Train", "s3://bucket/Prep/train/part-0.csv")
    return doc


def _ordering_without_data(doc: Document) -> Document:
    doc["Steps"][2]["DependsOn"] = ["Prep"]
    return doc


def _sklearn_serving(doc: Document) -> Document:
    register_args(doc)["InferenceSpecification"]["Containers"][0]["Image"] = SKLEARN_IMAGE
    return doc


def _cross_branch(doc: Document) -> Document:
    fail = doc["Steps"][3]["Arguments"]["ElseSteps"][0]
    fail["Arguments"]["ErrorMessage"] = get("Steps.Register.ModelPackageArn")
    fail["DependsOn"] = ["Register"]
    return doc


def _nested_cross_branch(doc: Document) -> Document:
    check = doc["Steps"][3]["Arguments"]
    check["IfSteps"] = [parameter_condition("Inner", *check["IfSteps"])]
    check["ElseSteps"][0]["DependsOn"] = ["Register"]
    return doc


def _within_a_branch(doc: Document) -> Document:
    branch = doc["Steps"][3]["Arguments"]["IfSteps"]
    branch.append(
        copy.deepcopy(branch[0]) | {"Name": "Register2", "DependsOn": ["Register", "Check"]}
    )
    return doc


def _in_both_branches(doc: Document) -> Document:
    check = doc["Steps"][3]["Arguments"]
    check["ElseSteps"].append(copy.deepcopy(check["IfSteps"][0]))
    check["ElseSteps"][0]["DependsOn"] = ["Register"]
    return doc


def _two_models_in_a_container(doc: Document) -> Document:
    doc["Steps"].append(training("Other", "s3://bucket/Prep/train"))
    doc["Steps"][-1]["Arguments"]["AlgorithmSpecification"]["TrainingImage"] = PYTORCH_IMAGE
    container = register_args(doc)["InferenceSpecification"]["Containers"][0]
    container["Image"] = SKLEARN_IMAGE
    container["ModelDataUrl"] = join(
        get("Steps.Other.ModelArtifacts.S3ModelArtifacts"), get(TRAINED)
    )
    return doc


def _joined_model_names(doc: Document) -> Document:
    doc["Steps"].append(model("CreateModel", get(TRAINED)))
    for name, source in (("Score", "Steps.CreateModel.ModelName"), ("Score2", PREP_TRAIN)):
        model_name = join(get("Parameters.Group"), get(source))
        doc["Steps"].append(transform(name, model_name, "s3://bucket/batch"))
    return doc


def _literal_metrics_of_another_model(doc: Document) -> Document:
    statistics = register_args(doc)["ModelMetrics"]["ModelQuality"]["Statistics"]
    statistics["S3Uri"] = "s3://bucket/Evaluate/evaluation/evaluation.json"
    doc["Steps"].append(training("Other", "s3://bucket/Prep/train/"))
    inputs = doc["Steps"][2]["Arguments"]["ProcessingInputs"]
    inputs[0]["S3Input"]["S3Uri"] = get("Steps.Other.ModelArtifacts.S3ModelArtifacts")
    return doc


def _repeated_and_self_dependencies(doc: Document) -> Document:
    doc["Steps"][1]["DependsOn"] = ["Prep", "Prep", "Train"]
    doc["Steps"][1]["Arguments"]["Extra"] = get(TRAINED)
    return doc


# The definitions the rule tests build (tests/rules/: test_rules_l3.py, test_api_rules.py), by name,
# and cases where a Python rule breaks a tie (first value, first reference, IfSteps over ElseSteps).
CASES: dict[str, tuple[Callable[[], Document], Callable[[Document], Document]]] = {
    "l302_invalid_paths": (deployment, _invalid_paths),
    "l307_model_data_parameter": (abalone_like, _model_data_parameter),
    "l308_metrics_parameter": (abalone_like, _metrics_parameter),
    "l309_repacked": (abalone_like, _repacked),
    "l310_outer_parameter_gate": (abalone_like, _outer_parameter_gate),
    "l310_inner_parameter_gate": (abalone_like, _inner_parameter_gate),
    "l310_only_parameter_gate": (abalone_like, _only_parameter_gate),
    "l311_approved_at_top_level": (abalone_like, _approved_at_top_level),
    "l312_literal_model_name": (abalone_like, _literal_model_name),
    "l313_channel_under_an_output": (abalone_like, _channel_under_an_output),
    "l315_ordering_without_data": (abalone_like, _ordering_without_data),
    "l316_sklearn_serving": (abalone_like, _sklearn_serving),
    "l317_cross_branch": (abalone_like, _cross_branch),
    "l317_nested_cross_branch": (abalone_like, _nested_cross_branch),
    "l317_within_a_branch": (abalone_like, _within_a_branch),
    "in_both_branches": (abalone_like, _in_both_branches),
    "two_models_in_a_container": (abalone_like, _two_models_in_a_container),
    "joined_model_names": (abalone_like, _joined_model_names),
    "literal_metrics_of_another_model": (abalone_like, _literal_metrics_of_another_model),
    "repeated_and_self_dependencies": (abalone_like, _repeated_and_self_dependencies),
}


@pytest.fixture(scope="module")
def scanned(tmp_path_factory: pytest.TempPathFactory) -> ScanResult:
    """One scan of the built cases, the SDK fixtures, the example and the whole corpus."""
    folder = tmp_path_factory.mktemp("cases")
    built = [write(folder, edit(build()), f"{name}.json") for name, (build, edit) in CASES.items()]
    return scan([*map(str, built), str(SDK_FIXTURES), str(EXAMPLE), str(CORPUS)], SETTINGS)


@pytest.fixture
def loaded(neo4j_driver: Driver, scanned: ScanResult) -> Driver:
    """The test server holding exactly the scan: loaded by the first test, kept for the rest."""
    records, _, _ = neo4j_driver.execute_query(
        "MATCH (p:Pipeline) WITH collect(DISTINCT p.last_scan_id) AS scans "
        "RETURN scans, COUNT { MATCH (n) } AS nodes",
        database_="neo4j",
    )
    expected = {"scans": [SCAN_ID], "nodes": len(scanned.graph.nx) + len(scanned.findings)}
    if records[0].data() != expected:
        wipe(neo4j_driver)
        loader = Neo4jLoader(neo4j_driver, "neo4j")
        # As `load` does, without its cleanup of earlier scans: there are none after the wipe.
        loader.load_findings(scanned.findings, loader.load_graph(scanned.graph, SCAN_ID))
    return neo4j_driver


def rows(driver: Driver, query: str) -> list[dict[str, Any]]:
    """The records of a rule's query over every pipeline, as dicts."""
    records, _, _ = driver.execute_query(query, {"pipelines": None}, database_="neo4j")
    return [record.data() for record in records]


@pytest.mark.parametrize("code", CODES)
def test_cypher_finds_what_python_finds(loaded: Driver, scanned: ScanResult, code: str) -> None:
    rule = get_rule(code)
    backend = Neo4jRuleBackend(loaded, "neo4j", list(scanned.definitions))
    memory = run_rules(scanned.graph, scanned.definitions, SETTINGS, rules=[rule])
    neo4j = run_rules(scanned.graph, scanned.definitions, SETTINGS, rules=[rule], backend=backend)
    assert memory, "no case makes the rule fire"
    assert [f for f in neo4j if f not in memory] == []
    assert [f for f in memory if f not in neo4j] == []
    assert neo4j == memory


@pytest.mark.parametrize("code", CODES)
def test_paths_cover_the_findings(loaded: Driver, scanned: ScanResult, code: str) -> None:
    assert any(finding.code == code for finding in scanned.findings)
    assert rows(loaded, read(f"rules/{code}.paths.cypher"))
