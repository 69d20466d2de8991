"""S3 locations (literal, Join, parameter, execution variable) and the rules on reads of them."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest

from lineage.graph.lineage_graph import Kind, Rel
from lineage.sagemaker.locations import Location, Places, at_or_under, location_of
from lineage.scan import collect
from tests.support.builders import definition, get, processing, rule_findings, training, write
from tests.support.paths import CORPUS

DEFAULTS = {"Bucket": "s3://data", "Count": 3, "Empty": None}
RUN = {"Get": "Execution.ExecutionId"}


def join(*values: Any, on: str = "/") -> dict[str, Any]:
    return {"Std:Join": {"On": on, "Values": list(values)}}


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("s3://b/k/", "s3://b/k/"),
        ({"Get": "Parameters.Bucket"}, "s3://data"),
        (join("s3://b", RUN, "train"), "s3://b/{Execution.ExecutionId}/train"),
        (join({"Get": "Parameters.Bucket"}, "x", {"Get": "Parameters.Count"}), "s3://data/x/3"),
        (join("s3://b", {"Get": "Parameters.Empty"}), "s3://b/{Parameters.Empty}"),
        (join("s3:/", "b", join("a", "c", on="-")), "s3://b/a-c"),
    ],
)
def test_a_value_names_a_location(value: Any, text: str) -> None:
    assert location_of(value, DEFAULTS.get) == Location(text)


@pytest.mark.parametrize(
    "value",
    ["https://x/y", {"Get": "Parameters.Count"}, join("s3://b", {"Get": "Steps.A.Name"}), 3, RUN],
)
def test_other_values_are_no_location(value: Any) -> None:
    assert location_of(value, DEFAULTS.get) is None


def test_places_compare_by_segment_with_placeholders_for_any_one() -> None:
    written = Location("s3://${out}/prep/train/")
    assert at_or_under(Location("s3://${in}/prep/train/part-0.csv"), written)
    assert not at_or_under(Location("s3://${in}/prep/test"), written)
    assert not at_or_under(Location("s3://b/prep"), written)
    run = Location("s3://b/out/{Execution.ExecutionId}/model")
    assert run.execution_scoped and not Location("s3://b/out/model").execution_scoped
    assert run.fixed() == Location("s3://b/out/model")
    assert Location("s3://b/m-{Execution.StartDateTime}").fixed() == Location("s3://b/m-${run}")


def prep_and_train(train_data: Any, **train_extra: Any) -> dict[str, Any]:
    """Prep writes s3://bucket/Prep/train; Train reads `train_data`."""
    return definition(
        processing("Prep", outputs=("train",)), training("Train", train_data, **train_extra)
    )


SEGMENTS = [
    "b",
    "c",
    "data",
    "${bucket}",
    "x-${run}",
    "{Execution.ExecutionId}",
    "p{Execution.StartDateTime}",
]


def test_places_near_a_location_hold_every_related_one() -> None:
    """`Places.near` skips only locations that are neither at, under nor around the one asked
    about, as such or once fixed: what comparing with every location would find."""
    rng = random.Random(7)
    texts = {
        "s3://" + "/".join(rng.choice(SEGMENTS) for _ in range(rng.randint(1, 5)))
        for _ in range(300)
    }
    places = Places([(Location(text), text) for text in sorted(texts)])
    related = 0
    for a, _ in places.entries:
        near = {text for _, text in places.near(a)}
        for b, text in places.entries:
            if at_or_under(a, b) or at_or_under(b, a) or at_or_under(a.fixed(), b.fixed()):
                related += 1
                assert text in near, (a.text, b.text)
    assert related > len(texts), "the sample has related places to find"


def test_l321_a_literal_read_of_another_step_s_output(tmp_path: Path) -> None:
    [finding] = rule_findings(write(tmp_path, prep_and_train("s3://bucket/Prep/train/")), "L321")
    assert finding.message.startswith(
        "step 'Train' reads 's3://bucket/Prep/train/', which step 'Prep' writes, but nothing "
        "makes it wait for 'Prep'"
    )
    assert finding.pointer == "/Steps/1/Arguments/InputDataConfig/0/DataSource/S3DataSource/S3Uri"


def test_l321_quiet_when_the_reader_waits(tmp_path: Path) -> None:
    ordered = prep_and_train("s3://bucket/Prep/train/", DependsOn=["Prep"])
    assert rule_findings(write(tmp_path, ordered), "L321") == []
    by_reference = prep_and_train(
        get("Steps.Prep.ProcessingOutputConfig.Outputs['train'].S3Output.S3Uri")
    )
    assert rule_findings(write(tmp_path, by_reference), "L321") == []


def test_location_reads_are_lineage_edges(tmp_path: Path) -> None:
    graph = collect([str(write(tmp_path, prep_and_train(join("s3://bucket/Prep", "train"))))]).graph
    [edge] = [e for e in graph.edges(Rel.CONSUMES) if e.props.get("via")]
    assert (edge.source.get("name"), edge.target.key, edge.props["via"]) == (
        "Train",
        "pipeline/Prep/outputs/train",
        "location",
    )
    ordered = write(tmp_path, prep_and_train("s3://bucket/Prep/train/", DependsOn=["Prep"]))
    assert [f.step for f in rule_findings(ordered, "L314")] == ["Train"]  # Prep's output is read


def test_l322_fixed_and_per_execution_places(tmp_path: Path) -> None:
    doc = prep_and_train("s3://bucket/Prep/train/", DependsOn=["Prep"])
    output = doc["Steps"][0]["Arguments"]["ProcessingOutputConfig"]["Outputs"][0]["S3Output"]
    output["S3Uri"] = join("s3://bucket/Prep", RUN, "train")
    [stale] = rule_findings(write(tmp_path, doc), "L322")
    assert stale.message.endswith(
        "a new place in every execution, so this reads an earlier run's data or nothing"
    )
    output["S3Uri"] = "s3://bucket/Prep/train"
    channel = doc["Steps"][1]["Arguments"]["InputDataConfig"][0]["DataSource"]["S3DataSource"]
    channel["S3Uri"] = join("s3://bucket/Prep", RUN, "train")
    [never] = rule_findings(write(tmp_path, doc), "L322")
    assert never.message.endswith("a fixed place, so this execution's location is never written")


@pytest.mark.parametrize(
    "written",
    [
        join("s3:/", "bucket", "Prep", "train"),
        join("s3:/", get("Parameters.Bucket"), "Prep", "train"),
        get("Parameters.TrainPrefix"),
    ],
)
def test_a_literal_read_of_a_joined_output_is_of_that_output(tmp_path: Path, written: Any) -> None:
    doc = prep_and_train("s3://bucket/Prep/train/part-0.csv", DependsOn=["Prep"])
    doc["Parameters"] = [
        {"Name": "Bucket", "Type": "String", "DefaultValue": "bucket"},
        {"Name": "TrainPrefix", "Type": "String", "DefaultValue": "s3://bucket/Prep/train"},
    ]
    doc["Steps"][0]["Arguments"]["ProcessingOutputConfig"]["Outputs"][0]["S3Output"]["S3Uri"] = (
        written
    )
    path = write(tmp_path, doc)
    assert [f.code for f in rule_findings(path, "L313")] == []
    graph = collect([str(path)]).graph
    assert graph.node(Kind.ARTIFACT, "pipeline/Prep/outputs/train").get("uri") == (
        "s3://bucket/Prep/train"
    )


def test_only_locations_known_before_the_run_are_resolved() -> None:
    assert Location("s3://${bucket}/a/b").resolved
    assert not Location("s3://b/{Execution.ExecutionId}/a").resolved
    assert not Location("s3://b/{Parameters.Empty}").resolved


def test_l314_quiet_for_steps_that_publish_reports(tmp_path: Path) -> None:
    doc = definition(
        processing("Prep", outputs=("train",)),
        training("Train", get("Steps.Prep.ProcessingOutputConfig.Outputs['train'].S3Output.S3Uri")),
        processing("Explain", outputs=("analysis_result",)),
    )
    assert [f.step for f in rule_findings(write(tmp_path, doc), "L314")] == ["Train"]


@pytest.mark.corpus
def test_the_corpus_template_whose_steps_race() -> None:
    findings = rule_findings(CORPUS / "sn-infra-pipeline__pipeline-definition.tpl.json", "L321")
    assert [(f.step, f.message.split(", which step ")[1][:20]) for f in findings] == [
        ("Training", "'FeatureSelection' w"),
        ("Evaluation", "'Training' writes, b"),
    ]
