"""Tracing lineage: naming a node, upstream and downstream traversal, and `lineage trace`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from lineage.cli.main import app
from lineage.config import Settings
from lineage.graph.lineage_graph import Kind, LineageGraph, Rel
from lineage.graph.trace import Direction, NodeMatchError, resolve, trace
from lineage.scan import ScanResult, scan
from tests.support.paths import EXAMPLE

DATASET = "s3://sagemaker-us-east-1-111122223333/abalone/data/abalone-dataset.csv"
PACKAGE = "pipeline/AbaloneRegisterModel-RegisterModel/package"
runner = CliRunner()


@pytest.fixture(scope="module")
def abalone() -> ScanResult:
    return scan([str(EXAMPLE)], Settings())


def keys(
    graph: LineageGraph, start: str, direction: Direction, depth: int | None = None
) -> set[str]:
    found = trace(graph, resolve(graph, start), direction, depth)
    return {r.node.key for r in found.reached if r.node.kind is not Kind.PROPERTY_REF}


@pytest.mark.parametrize(
    ("text", "kind", "key"),
    [
        ("pipeline/AbaloneTrain", Kind.STEP, "pipeline/AbaloneTrain"),
        ("Step:pipeline/AbaloneTrain", Kind.STEP, "pipeline/AbaloneTrain"),
        ("AbaloneTrain", Kind.STEP, "pipeline/AbaloneTrain"),
        ("pipeline:pipeline", Kind.PIPELINE, "pipeline:pipeline"),
        ("ModelApprovalStatus", Kind.PARAMETER, "pipeline/parameters/ModelApprovalStatus"),
        (DATASET, Kind.ARTIFACT, DATASET),
        (
            "s3://sagemaker-us-east-1-111122223333/abalone/AbaloneTr",
            Kind.ARTIFACT,
            "pipeline/AbaloneTrain/model",
        ),
        (
            "s3://sagemaker-us-east-1-111122223333/abalone/processed/train",
            Kind.ARTIFACT,
            "pipeline/AbaloneProcess/outputs/train",
        ),
    ],
)
def test_a_node_is_named_by_key_name_or_uri(
    abalone: ScanResult, text: str, kind: Kind, key: str
) -> None:
    (node,) = resolve(abalone.graph, text)
    assert (node.kind, node.key) == (kind, key)


def test_a_node_is_named_by_arn() -> None:
    graph = LineageGraph()
    arn = "arn:aws:sagemaker:us-east-1:111122223333:model-package/churn/3"
    graph.add_node(Kind.MODEL_PACKAGE, "churn/3", arn=arn)
    graph.add_node(Kind.MODEL_PACKAGE, "churn/4", arn=arn[:-1] + "4")
    assert [n.key for n in resolve(graph, arn)] == ["churn/3"]


def test_no_match_lists_close_matches(abalone: ScanResult) -> None:
    with pytest.raises(NodeMatchError) as caught:
        resolve(abalone.graph, "AbaloneTrian")
    message = str(caught.value)
    assert message.startswith("no node matches 'AbaloneTrian'; close matches: ")
    assert "AbaloneTrain" in message
    assert "#" not in message  # references are not offered
    with pytest.raises(NodeMatchError, match=r"no node matches 'zzz'$"):
        resolve(abalone.graph, "zzz")


def test_several_matches_are_all_returned(abalone: ScanResult, tmp_path: Path) -> None:
    under = resolve(abalone.graph, "s3://sagemaker-us-east-1-111122223333/abalone/")
    assert len(under) == 10
    assert {n.kind for n in under} == {Kind.ARTIFACT}
    copy = tmp_path / "other.json"
    copy.write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    both = scan([str(EXAMPLE), str(copy)], Settings())
    assert [n.key for n in resolve(both.graph, "AbaloneTrain")] == [
        "other/AbaloneTrain",
        "pipeline/AbaloneTrain",
    ]
    assert [n.key for n in resolve(both.graph, "other/AbaloneTrain")] == ["other/AbaloneTrain"]


def test_a_trace_from_several_nodes_joins_their_lineage(abalone: ScanResult) -> None:
    starts = resolve(abalone.graph, "s3://sagemaker-us-east-1-111122223333/abalone/data/")
    assert len(starts) == 2
    found = trace(abalone.graph, starts, Direction.DOWN)
    reached = {r.node.key for r in found.reached}
    assert {"pipeline/AbaloneProcess", "pipeline/AbaloneTransform"} <= reached
    assert not reached & {s.id for s in starts} and not reached & {s.key for s in starts}


def test_trace_command_says_when_node_names_several(tmp_path: Path) -> None:
    prefix = "s3://sagemaker-us-east-1-111122223333/abalone/data/"
    result = runner.invoke(app, ["trace", prefix, str(EXAMPLE), "--down", "-f", "json"])
    assert result.exit_code == 0, result.stderr
    assert f"{prefix!r} matches 2 nodes: Artifact:" in result.stderr
    assert "tracing all of them" in result.stderr
    report = json.loads(result.stdout)
    assert [s["key"] for s in report["starts"]] == [
        "s3://sagemaker-us-east-1-111122223333/abalone/data/abalone-dataset-batch.csv",
        DATASET,
    ]
    table = runner.invoke(app, ["trace", prefix, str(EXAMPLE), "--down"])
    assert table.stdout.splitlines()[0].startswith("downstream of 2 nodes: ")


def test_upstream_of_a_package_is_its_data_code_images_and_steps(abalone: ScanResult) -> None:
    found = keys(abalone.graph, PACKAGE, Direction.UP)
    assert {
        "pipeline/AbaloneRegisterModel-RegisterModel",
        "pipeline/AbaloneMSECond",
        "pipeline/AbaloneEval",
        "pipeline/AbaloneTrain",
        "pipeline/AbaloneProcess",
        "pipeline/AbaloneTrain/model",
        "pipeline/AbaloneEval/outputs/evaluation",
        DATASET,
        "s3://sagemaker-us-east-1-111122223333/abalone/code/preprocessing.py",
        "s3://sagemaker-us-east-1-111122223333/abalone/code/evaluation.py",
        "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1",
        "pipeline/parameters/InputData",
        "pipeline:pipeline",
    } <= found
    assert not found & {
        "pipeline/AbaloneTransform",
        "pipeline/AbaloneMSEFail",
        "pipeline/AbaloneCreateModel-CreateModel",
        "AbaloneModelPackageGroup",
        "s3://sagemaker-us-east-1-111122223333/abalone/data/abalone-dataset-batch.csv",
    }


def test_downstream_of_a_dataset_is_everything_it_affects(abalone: ScanResult) -> None:
    found = keys(abalone.graph, DATASET, Direction.DOWN)
    assert {
        "pipeline/AbaloneProcess",
        "pipeline/AbaloneTrain",
        "pipeline/AbaloneEval",
        "pipeline/AbaloneMSECond",
        "pipeline/AbaloneRegisterModel-RegisterModel",
        PACKAGE,
        "AbaloneModelPackageGroup",
        "pipeline/AbaloneTransform",
        "pipeline/AbaloneTransform/outputs/transform",
    } <= found
    assert not found & {"pipeline:pipeline", "pipeline/parameters/InputData", DATASET}


def test_depth_limits_the_hops(abalone: ScanResult) -> None:
    found = trace(abalone.graph, resolve(abalone.graph, DATASET), Direction.DOWN, 1)
    assert [(r.node.key, r.distance, r.via) for r in found.reached] == [
        ("pipeline/AbaloneProcess", 1, Rel.CONSUMES)
    ]
    two = keys(abalone.graph, DATASET, Direction.DOWN, 2)
    assert "pipeline/AbaloneProcess/outputs/train" in two
    assert PACKAGE not in two


def test_both_directions_join_up_and_down(abalone: ScanResult) -> None:
    both = keys(abalone.graph, "AbaloneEval", Direction.BOTH)
    assert both == keys(abalone.graph, "AbaloneEval", Direction.UP) | keys(
        abalone.graph, "AbaloneEval", Direction.DOWN
    )
    assert "pipeline/AbaloneTransform" not in keys(abalone.graph, "AbaloneEval", Direction.UP)


def test_the_trace_subgraph_keeps_the_edges_between_its_nodes(abalone: ScanResult) -> None:
    found = trace(abalone.graph, resolve(abalone.graph, PACKAGE), Direction.UP, 1)
    sub = found.subgraph(abalone.graph)
    assert sub.counts() == {"ModelPackage": 1, "REGISTERS": 1, "Step": 1}


def test_trace_command_table(abalone: ScanResult) -> None:
    result = runner.invoke(app, ["trace", DATASET, str(EXAMPLE), "--down"])
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"downstream of Artifact {DATASET}: 17 node(s), and 9 reference(s)")
    package_row = next(line for line in lines if PACKAGE in line)
    assert "ModelPackage" in package_row
    assert "L404" in package_row


def test_trace_command_json() -> None:
    args = ["trace", "AbaloneTrain", str(EXAMPLE), "--up", "--depth", "1", "-f", "json"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0
    report = json.loads(result.stdout)
    assert report["starts"] == [
        {
            "kind": "Step",
            "key": "pipeline/AbaloneTrain",
            "name": "AbaloneTrain",
            "findings": [],
        }
    ]
    assert report["direction"] == "up"
    assert report["depth"] == 1
    process = next(n for n in report["nodes"] if n["key"] == "pipeline/AbaloneProcess")
    assert process == {
        "kind": "Step",
        "key": "pipeline/AbaloneProcess",
        "name": "AbaloneProcess",
        "distance": 1,
        "via": "RUNS_AFTER",
        "previous": "pipeline/AbaloneTrain",
        "findings": [],
    }


def test_trace_command_html(tmp_path: Path) -> None:
    out = tmp_path / "trace.html"
    args = ["trace", PACKAGE, str(EXAMPLE), "--up", "-f", "html", "-o", str(out)]
    assert runner.invoke(app, args).exit_code == 0
    page = out.read_text(encoding="utf-8")
    assert (
        "upstream (from ModelPackage pipeline/AbaloneRegisterModel-RegisterModel/package)" in page
    )
    assert "AbaloneTransform" not in page


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["trace", "AbaloneTrain", str(EXAMPLE)], "pass --up"),
        (["trace", "Nope", str(EXAMPLE), "--up"], "no node matches 'Nope'"),
        (["trace", "AbaloneTrain", "--up"], "give sources to scan"),
        (["trace", "AbaloneTrain", str(EXAMPLE), "--up", "--depth", "0"], "Invalid value"),
    ],
)
def test_trace_command_errors(args: list[str], message: str) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr
