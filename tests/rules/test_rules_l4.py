"""Level 4 package and approval rules: each fires on its defect, is quiet on real definitions."""

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
L4_CODES = ("L401", "L402", "L403", "L404", "L405")
REGISTER = "/Steps/4/Arguments"
PACKAGE = "pipeline/Register/package"


def register(doc: dict[str, Any]) -> dict[str, Any]:
    """The arguments of the Register step (step 4)."""
    arguments: dict[str, Any] = doc["Steps"][4]["Arguments"]
    return arguments


def approval_default(doc: dict[str, Any], value: Any) -> None:
    """Set the ModelApprovalStatus parameter's default."""
    doc["Parameters"][1]["DefaultValue"] = value


def approval_without_default(doc: dict[str, Any]) -> None:
    """The approval parameter has no default: every run must pass a status."""
    doc["Parameters"][1].pop("DefaultValue")


@pytest.mark.parametrize("code", L4_CODES)
def test_quiet_on_a_governed_pipeline(tmp_path: Path, code: str) -> None:
    assert rule_findings(write(tmp_path, governed_pipeline()), code) == []


@pytest.mark.parametrize(
    ("code", "mutate", "message", "pointer"),
    [
        (
            "L401",
            lambda d: register(d).update(ModelApprovalStatus="approved"),
            "RegisterModel step 'Register' sets approval status 'approved', which is not one of "
            "Approved, Rejected, PendingManualApproval (did you mean 'Approved'?)",
            f"{REGISTER}/ModelApprovalStatus",
        ),
        (
            "L401",
            lambda d: approval_default(d, "Pending"),
            "RegisterModel step 'Register' sets approval status 'Pending' (the default of "
            "parameter 'ModelApprovalStatus'), which is not one of Approved, Rejected, "
            "PendingManualApproval",
            "/Parameters/1/DefaultValue",
        ),
        (
            "L402",
            lambda d: approval_default(d, "Approved"),
            "RegisterModel step 'Register' reads its approval status from parameter "
            "'ModelApprovalStatus', which defaults to 'Approved': every run that does not "
            "override it approves its model version without review",
            "/Parameters/1/DefaultValue",
        ),
        (
            "L403",
            lambda d: register(d).update(ModelPackageDescription=""),
            "RegisterModel step 'Register' registers a package without a ModelPackageDescription",
            f"{REGISTER}/ModelPackageDescription",
        ),
        (
            "L404",
            lambda d: register(d)["ModelMetrics"]["ModelQuality"].pop("Constraints"),
            "RegisterModel step 'Register' registers ModelQuality Statistics without Constraints",
            f"{REGISTER}/ModelMetrics/ModelQuality/Constraints",
        ),
        (
            "L404",
            lambda d: register(d)["ModelMetrics"]["ModelQuality"].update(Statistics={}),
            "RegisterModel step 'Register' registers ModelQuality Constraints without Statistics",
            f"{REGISTER}/ModelMetrics/ModelQuality/Statistics",
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
    assert (finding.node, finding.kind) == (PACKAGE, "ModelPackage")
    assert finding.severity == get_rule(code).severity
    assert finding.line is not None


@pytest.mark.parametrize(
    ("code", "mutate"),
    [
        ("L401", lambda d: register(d).update(ModelApprovalStatus="Rejected")),
        ("L401", lambda d: register(d).pop("ModelApprovalStatus")),
        ("L401", approval_without_default),
        ("L401", lambda d: register(d).update(ModelApprovalStatus=get("Steps.Gate.Status"))),
        # A literal Approved is an explicit decision, not a default.
        ("L402", lambda d: register(d).update(ModelApprovalStatus="Approved")),
        ("L402", lambda d: approval_default(d, "Rejected")),
        ("L403", lambda d: register(d).update(ModelPackageDescription=get("Parameters.Notes"))),
        ("L404", lambda d: register(d)["ModelMetrics"].pop("ModelQuality")),
    ],
)
def test_quiet_on_valid_variants(tmp_path: Path, code: str, mutate: Mutation) -> None:
    doc = governed_pipeline()
    mutate(doc)
    assert rule_findings(write(tmp_path, doc), code) == []


@pytest.mark.corpus
def test_l402_sdk_fixture_and_corpus_pipeline_approve_by_default() -> None:
    [fixture] = rule_findings(SDK_FIXTURES / "approved_by_default.json", "L402")
    assert (fixture.pointer, fixture.node) == (
        "/Parameters/3/DefaultValue",
        "approved_by_default/AbaloneRegisterModel-RegisterModel/package",
    )
    serial = CORPUS / "sm-terraform-poc__serial-inference-pipeline_definition.json"
    [corpus] = rule_findings(serial, "L402")
    assert corpus.pointer == "/Parameters/4/DefaultValue"
    assert corpus.message.startswith("RegisterModel step 'PipelineModel-RegisterModel' reads")
    assert rule_findings(SDK_FIXTURES / "abalone.json", "L402") == []


@pytest.mark.corpus
def test_l404_the_aws_abalone_example_registers_statistics_only() -> None:
    for path in (
        SDK_FIXTURES / "abalone.json",
        CORPUS / "sm-terraform-poc__AbalonePipeline_definition.json",
    ):
        [finding] = rule_findings(path, "L404")
        assert finding.pointer == (
            "/Steps/3/Arguments/IfSteps/0/Arguments/ModelMetrics/ModelQuality/Constraints"
        )


@pytest.mark.corpus
def test_l405_check_steps_without_drift_baselines(tmp_path: Path) -> None:
    doc = json.loads((SDK_FIXTURES / "quality_checks.json").read_text(encoding="utf-8"))
    assert rule_findings(write(tmp_path, doc), "L405") == []
    registration = doc["Steps"][5]["Arguments"]["IfSteps"][0]
    assert registration["Type"] == "RegisterModel"
    registration["Arguments"].pop("DriftCheckBaselines")
    [finding] = rule_findings(write(tmp_path, doc), "L405")
    assert (finding.message, finding.pointer) == (
        "RegisterModel step 'AbaloneRegisterModel-RegisterModel' registers no "
        "DriftCheckBaselines although the pipeline runs check step(s) 'AbaloneDataBiasCheck', "
        "'AbaloneDataQualityCheck'",
        "/Steps/5/Arguments/IfSteps/0/Arguments/DriftCheckBaselines",
    )
    monitor = (
        CORPUS / "pyrepr_converted" / "amazon-sagemaker-examples__sagemaker-pipeline-model-"
        "monitor-clarify-steps.json"
    )
    assert rule_findings(monitor, "L405") == []
