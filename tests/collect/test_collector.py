"""The definition collector: nodes, keys, pointers and lineage edges."""

from __future__ import annotations

import json
from pathlib import Path

from lineage.collect.sources import load_sources
from lineage.graph.lineage_graph import Kind, LineageGraph, Rel
from lineage.scan import build_graph
from tests.support.builders import (
    XGBOOST_IMAGE,
    abalone_like,
    definition,
    get,
    graph_of,
)


def edges(graph: LineageGraph, rel: Rel) -> set[tuple[str, str]]:
    return {(e.source.key, e.target.key) for e in graph.edges(rel)}


def test_nodes_and_keys(tmp_path: Path) -> None:
    graph = graph_of(tmp_path, abalone_like())
    assert [n.key for n in graph.nodes(Kind.PIPELINE)] == ["pipeline:pipeline"]
    assert [n.key for n in graph.nodes(Kind.STEP)] == [
        "pipeline/Check",
        "pipeline/Evaluate",
        "pipeline/Fail",
        "pipeline/Prep",
        "pipeline/Register",
        "pipeline/Train",
    ]
    assert graph.node(Kind.STEP, "pipeline/Register").get("pointer") == (
        "/Steps/3/Arguments/IfSteps/0"
    )
    assert graph.node(Kind.PARAMETER, "pipeline/parameters/Input").get("default") == (
        "s3://data/abalone.csv"
    )


def test_references_resolve_to_declared_outputs(tmp_path: Path) -> None:
    graph = graph_of(tmp_path, abalone_like())
    ref = graph.node(
        Kind.PROPERTY_REF,
        "pipeline/Train#/Steps/1/Arguments/InputDataConfig/0/DataSource/S3DataSource/S3Uri",
    )
    assert ref.get("resolved") is True
    assert ref.get("target_step") == "Prep"
    assert ref.get("path") == "ProcessingOutputConfig.Outputs['train'].S3Output.S3Uri"
    assert [n.key for n in graph.out(ref, Rel.RESOLVES_TO)] == ["pipeline/Prep/outputs/train"]
    json_get = graph.node(
        Kind.PROPERTY_REF,
        "pipeline/Check#/Steps/3/Arguments/Conditions/0/LeftValue/Std:JsonGet/PropertyFile",
    )
    assert json_get.get("json_path") == "regression_metrics.mse.value"
    assert [n.key for n in graph.out(json_get, Rel.RESOLVES_TO)] == [
        "pipeline/Evaluate/property_files/EvaluationReport"
    ]


def test_data_lineage_from_dataset_to_package(tmp_path: Path) -> None:
    graph = graph_of(tmp_path, abalone_like())
    consumes = edges(graph, Rel.CONSUMES)
    assert ("pipeline/Prep", "s3://data/abalone.csv") in consumes
    assert ("pipeline/Train", "pipeline/Prep/outputs/train") in consumes
    assert ("pipeline/Evaluate", "pipeline/Train/model") in consumes
    assert ("pipeline/Register", "pipeline/Train/model") in consumes
    assert ("pipeline/Register", "pipeline/Evaluate/outputs/evaluation") in consumes
    assert ("pipeline/Check", "pipeline/Evaluate/property_files/EvaluationReport") in consumes
    assert ("pipeline/Train", "pipeline/Train/model") in edges(graph, Rel.PRODUCES)
    assert edges(graph, Rel.REGISTERS) == {("pipeline/Register", "pipeline/Register/package")}
    assert edges(graph, Rel.IN_GROUP) == {("pipeline/Register/package", "abalone")}
    assert edges(graph, Rel.IF_TRUE) == {("pipeline/Check", "pipeline/Register")}
    assert edges(graph, Rel.IF_FALSE) == {("pipeline/Check", "pipeline/Fail")}
    package = graph.node(Kind.MODEL_PACKAGE, "pipeline/Register/package")
    assert package.get("approval_status_expression") == "Parameters.Approval"
    assert package.get("step") == "pipeline/Register"
    assert edges(graph, Rel.RUNS_AFTER) >= {
        ("pipeline/Train", "pipeline/Prep"),
        ("pipeline/Evaluate", "pipeline/Train"),
        ("pipeline/Register", "pipeline/Train"),
        ("pipeline/Check", "pipeline/Evaluate"),
    }
    image = graph.node(Kind.ARTIFACT, XGBOOST_IMAGE)
    assert image.get("artifact_kind") == "image"


def test_step_level_fields_outside_arguments(tmp_path: Path) -> None:
    lam = {
        "Name": "Notify",
        "Type": "Lambda",
        "FunctionArn": "arn:aws:lambda:us-east-1:1:function:f",
        "OutputParameters": [{"OutputName": "status", "OutputType": "String"}],
        "Arguments": {},
        "DependsOn": ["Wait"],
        "CacheConfig": {"Enabled": True, "ExpireAfter": "PT1H"},
        "RetryPolicies": [{"ExceptionType": ["Step.THROTTLING"], "MaxAttempts": 3}],
    }
    callback = {
        "Name": "Wait",
        "Type": "Callback",
        "SqsQueueUrl": "https://sqs/q",
        "OutputParameters": [{"OutputName": "ok"}],
        "Arguments": {"x": get("Steps.Notify.OutputParameters['status']")},
    }
    graph = graph_of(tmp_path, definition(lam, callback))
    notify = graph.node(Kind.STEP, "pipeline/Notify")
    assert notify.get("function_arn") == "arn:aws:lambda:us-east-1:1:function:f"
    assert graph.node(Kind.STEP, "pipeline/Wait").get("sqs_queue_url") == "https://sqs/q"
    assert notify.get("cache_enabled") is True
    assert notify.get("retry_policies") == 1
    assert edges(graph, Rel.DEPENDS_ON) == {("pipeline/Notify", "pipeline/Wait")}
    assert ("pipeline/Wait", "pipeline/Notify/output_parameters/status") in edges(
        graph, Rel.CONSUMES
    )


def test_check_step_fields(corpus: Path) -> None:
    name = "amazon-sagemaker-examples__sagemaker-pipeline-model-monitor-clarify-steps.json"
    loaded = load_sources([str(corpus / "pyrepr_converted" / name)])
    graph = build_graph(loaded.definitions)[0]
    checks = {
        s.get("name"): (s.get("check_type"), s.get("skip_check"), s.get("register_new_baseline"))
        for s in graph.nodes(Kind.STEP)
        if s.get("step_type") in ("QualityCheck", "ClarifyCheck")
    }
    assert checks["DataQualityCheckStep"][0] == "DATA_QUALITY"
    assert all(isinstance(c[0], str) for c in checks.values())


def test_deeply_nested_conditions_from_the_corpus(corpus: Path) -> None:
    loaded = load_sources([str(corpus / "airflow__example_sagemaker_pipeline.extracted.json")])
    graph = build_graph(loaded.definitions)[0]
    steps = list(graph.nodes(Kind.STEP))
    assert len(steps) == 31
    assert max(s.get("pointer").count("IfSteps") for s in steps) == 30
    assert len(list(graph.edges(Rel.IF_TRUE))) == 30


def test_same_input_gives_the_same_graph(tmp_path: Path) -> None:
    def dump(graph: LineageGraph) -> str:
        nodes = [
            (n.key, n.kind.value, sorted((k, repr(v)) for k, v in n.props.items()))
            for n in graph.nodes()
        ]
        links = [
            (e.source.key, e.rel.value, e.target.key, sorted(e.props.items()))
            for e in graph.edges()
        ]
        return json.dumps([nodes, links], default=str)

    first = dump(graph_of(tmp_path, abalone_like()))
    assert first == dump(graph_of(tmp_path, abalone_like()))


def test_every_node_records_where_it_came_from(tmp_path: Path) -> None:
    graph = graph_of(tmp_path, abalone_like())
    for kind in Kind:
        for node in graph.nodes(kind):
            pointer = node.get("pointer")
            assert pointer == "" if kind is Kind.PIPELINE else pointer.startswith("/"), node.key
