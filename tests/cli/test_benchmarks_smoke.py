"""The benchmark harness runs end to end on tiny sizes (no timing is asserted: not a benchmark)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import lineage
from benchmarks import generate
from benchmarks.__main__ import (
    bytecode_env,
    main,
    minimum_calls,
    moto_server,
    process_cpu,
    rules_target,
)

pytestmark = pytest.mark.slow


def test_generated_pipelines_have_the_asked_number_of_steps() -> None:
    for steps in (10, 100, 1000):
        document = generate.pipeline(steps, seed=3)
        nested = sum(
            len(s["Arguments"].get("IfSteps", [])) + len(s["Arguments"].get("ElseSteps", []))
            for s in document["Steps"]
            if s["Type"] == "Condition"
        )
        assert len(document["Steps"]) + nested == steps
    assert generate.pipeline(100, seed=3) == generate.pipeline(100, seed=3)


def test_the_registry_graph_has_packages_executions_and_jobs() -> None:
    registry = generate.registry_graph(120, seed=1)
    kinds = {node.kind.value for node in registry.graph.nodes()}
    assert {"ModelPackageGroup", "ModelPackage", "PipelineExecution", "Job", "Pipeline"} <= kinds
    assert registry.packages == 120 and registry.groups == 3


def test_the_minimum_counts_list_pages_searches_and_one_describe_a_link() -> None:
    # per group of 50: 2 list/Search calls, 1 pipeline, 49 executions and 49 training jobs
    assert minimum_calls(50) == 1 + 1 + 2 + 1 + 2 * 49
    assert minimum_calls(250) == 1 + 1 + 5 * (2 + 1 + 2 * 49)


def test_the_harness_runs_in_tiny_mode(neo4j_uri: str, moto_endpoint: str, tmp_path: Path) -> None:
    out = tmp_path / "RESULTS.md"
    report = main(
        [
            "--sizes",
            "tiny",
            "--neo4j-uri",
            neo4j_uri,
            "--moto-endpoint",
            moto_endpoint,
            "--out",
            str(out),
        ]
    )
    figures = [row.figure for row in report.rows]
    parts = ("scan, corpus", "collect only", "collect's parts", "peak RSS of one scan")
    parts = (*parts, "scan, one pipeline")
    for part in (*parts, "memory", "Neo4j", "MERGE", "re-load", "first"):
        assert any(part in figure for figure in figures), part
    assert any(figure.startswith("registry collection") for figure in figures)
    at_once = next(row for row in report.rows if row.figure.endswith("ms a call"))
    assert "collector CPU" in at_once.value
    text = out.read_text(encoding="utf-8")
    assert "## Figures" in text and "Machine: cores" in text


def test_startup_runs_with_the_bytecode_a_users_shell_keeps(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PYTHONDONTWRITEBYTECODE", "1")
    checkout = Path(lineage.__file__).parent
    before = set(checkout.rglob("*.pyc"))
    command = [sys.executable, "-c", "import lineage.scan"]
    subprocess.run(command, env=bytecode_env(str(tmp_path)), check=True)
    assert any(tmp_path.rglob("scan.*.pyc")), "the first run writes the bytecode"
    assert set(checkout.rglob("*.pyc")) == before, "nothing is written into the checkout"


def test_rules_rows_at_100k_packages_are_judged_by_issue_14s_targets() -> None:
    neo4j = {"times": [1.9, 2.1, 1.8]}
    assert rules_target(10_000, "Neo4j", 0.9, neo4j) == ("every rule ≤ 1 s", True)
    assert rules_target(100_000, "Neo4j", 0.49, neo4j) == ("every rule ≤ 0.5 s, all ≤ 2 s", True)
    assert not rules_target(100_000, "Neo4j", 0.51, neo4j)[1]
    assert not rules_target(100_000, "Neo4j", 0.4, {"times": [2.1, 2.2, 1.9]})[1]
    assert not rules_target(100_000, "memory", 0.3, {"times": [1.0], "first_s": 2.2})[1]
    assert rules_target(100_000, "memory", 0.3, {"times": [1.0], "first_s": 1.9})[1]


def test_a_moto_server_the_harness_starts_reports_its_cpu() -> None:
    import boto3

    with moto_server(None) as moto:
        assert moto.pid is not None
        before = process_cpu(moto.pid)
        client = boto3.client(
            "sagemaker",
            region_name="eu-west-3",
            endpoint_url=moto.url,
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        )
        for _ in range(20):
            client.list_model_package_groups()
        assert process_cpu(moto.pid) > before
    assert process_cpu(moto.pid) == 0.0, "the server is stopped"
