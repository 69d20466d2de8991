"""`lineage diff OLD NEW`: what changed between two versions of a pipeline and what it reaches."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from lineage.cli.main import app
from tests.support.builders import write
from tests.support.paths import EXAMPLE

runner = CliRunner()
DESCRIBED = EXAMPLE.parent / "describe_pipeline.json"


def example() -> dict[str, Any]:
    document: dict[str, Any] = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    return document


def diff(*args: str) -> Any:
    return runner.invoke(app, ["diff", *args])


def test_the_same_pipeline_in_two_forms_and_orders_is_equal(tmp_path: Path) -> None:
    same = diff(str(EXAMPLE), str(DESCRIBED))
    assert same.exit_code == 0, same.output
    assert "no differences" in same.stdout
    reordered = example()
    reordered["Steps"].reverse()
    reordered["Parameters"].reverse()
    moved = diff(str(EXAMPLE), str(write(tmp_path, reordered, "moved.json")), "-f", "json")
    assert moved.exit_code == 0 and json.loads(moved.stdout)["equal"] is True


def changed_example() -> dict[str, Any]:
    """The example with a training argument and a default changed, the role dropped, the
    transform removed and a processing step added."""
    document = example()
    train = document["Steps"][1]["Arguments"]
    train["ResourceConfig"]["VolumeSizeInGB"] = 50
    del train["RoleArn"]
    document["Parameters"][0]["DefaultValue"] = 3
    branch = document["Steps"][3]["Arguments"]["IfSteps"]
    branch[:] = [s for s in branch if s["Type"] != "Transform"]
    extra = copy.deepcopy(document["Steps"][0])
    extra["Name"] = "AbaloneProcessAgain"
    extra["Arguments"]["ProcessingOutputConfig"]["Outputs"][0]["S3Output"]["S3Uri"] = (
        "s3://sagemaker-us-east-1-111122223333/abalone/again/train"
    )
    document["Steps"].append(extra)
    return document


def test_changes_are_listed_with_pointers_impact_and_findings(tmp_path: Path) -> None:
    new = write(tmp_path, changed_example(), "new.json")
    result = diff(str(EXAMPLE), str(new), "-f", "json")
    assert result.exit_code == 1, result.output
    report = json.loads(result.stdout)
    steps = {s["name"]: s for s in report["steps"]}
    assert {name: s["status"] for name, s in steps.items()} == {
        "AbaloneTrain": "changed",
        "AbaloneTransform": "removed",
        "AbaloneProcessAgain": "added",
        "AbaloneMSECond": "changed",
    }
    assert steps["AbaloneTrain"]["pointers"] == [
        "/Steps/1/Arguments/ResourceConfig/VolumeSizeInGB",
        "/Steps/1/Arguments/RoleArn",
    ]
    assert steps["AbaloneMSECond"]["pointers"] == ["/Steps/3/Arguments/IfSteps"]
    assert "AbaloneRegisterModel-RegisterModel" in steps["AbaloneTrain"]["impact"]
    assert "AbaloneTransform" not in steps["AbaloneTrain"]["impact"]
    assert [
        (p["name"], p["before"]["default"], p["after"]["default"]) for p in report["parameters"]
    ] == [("ProcessingInstanceCount", 1, 3)]
    assert report["artifacts"]["gained"] == [
        "s3://sagemaker-us-east-1-111122223333/abalone/again/train"
    ]
    assert "s3://sagemaker-us-east-1-111122223333/abalone/transform" in report["artifacts"]["lost"]
    introduced = {(f["code"], f["step"]) for f in report["findings"]["introduced"]}
    assert introduced == {("L101", "AbaloneTrain"), ("L314", "AbaloneProcessAgain")}
    table = diff(str(EXAMPLE), str(new))
    assert "~ step AbaloneTrain (Training) changed" in table.stdout
    assert "- step AbaloneTransform (Transform) removed" in table.stdout
    assert "~ parameter ProcessingInstanceCount: default 1 -> 3" in table.stdout
    assert "+ introduced finding L101 missing-execution-role at AbaloneTrain" in table.stdout


def test_going_back_gains_references_resolves_findings_and_reaches_models_and_transforms(
    tmp_path: Path,
) -> None:
    changed = write(tmp_path, changed_example(), "changed.json")
    result = diff(str(changed), str(EXAMPLE), "-f", "json")
    assert result.exit_code == 1, result.output
    report = json.loads(result.stdout)
    assert report["references"]["gained"] == [
        "AbaloneTransform reads Parameters.BatchData",
        "AbaloneTransform reads Steps.AbaloneCreateModel-CreateModel.ModelName",
    ]
    assert "AbaloneProcessAgain reads Parameters.InputData" in report["references"]["lost"]
    resolved = {(f["code"], f["step"]) for f in report["findings"]["resolved"]}
    assert resolved == {("L101", "AbaloneTrain"), ("L314", "AbaloneProcessAgain")}
    assert report["findings"]["introduced"] == []
    [train] = [s for s in report["steps"] if s["name"] == "AbaloneTrain"]
    assert train["impact"] == [
        "AbaloneCreateModel-CreateModel",
        "AbaloneRegisterModel-RegisterModel",
        "AbaloneTransform",
        "the model package AbaloneRegisterModel-RegisterModel registers",
    ]


def test_the_html_diff_marks_the_changed_steps(tmp_path: Path) -> None:
    new = write(tmp_path, changed_example(), "new.json")
    out = tmp_path / "diff.html"
    result = diff(str(EXAMPLE), str(new), "-f", "html", "-o", str(out))
    assert result.exit_code == 1
    page = out.read_text(encoding="utf-8")
    assert "(removed: AbaloneTransform)" in page
    assert '"highlight": true' in page or '"highlight":true' in page


def test_a_version_that_is_not_one_pipeline_is_an_input_error(tmp_path: Path) -> None:
    missing = diff(str(EXAMPLE), str(tmp_path / "nope.json"))
    assert missing.exit_code == 2
    assert "no such file" in missing.stderr
    several = diff(str(EXAMPLE), str(EXAMPLE.parent))
    assert several.exit_code == 2
    assert "2 pipeline definitions; diff compares one with one" in several.stderr
