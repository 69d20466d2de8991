"""A registry-sized view (5,000 nodes) in headless Chromium: drawn in full and answering clicks.

Prints how long it took (run with `-s`); the figures are reported in docs/views.md, and no
test asserts a time.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from lineage.checks.model import Finding, Severity
from lineage.graph import Kind, LineageGraph, Node, Rel
from lineage.view import render_view
from tests.browser import chromium, click_node, drawn_counts, node_index, open_view

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext

ACCOUNT = "arn:aws:sagemaker:us-east-1:111122223333"
VERSIONS = 20  # model package versions per group
IMAGES = 8


def registry_graph(size: int) -> tuple[LineageGraph, list[Finding]]:
    """A synthetic live registry of about `size` nodes, and findings on some packages.

    Each group has a training pipeline, datasets and code; each version an execution, a
    training and an evaluation job, the model and metrics they write, and the package.
    Images are shared by every job, so the whole registry is one connected graph.
    """
    graph = LineageGraph()
    findings: list[Finding] = []
    images = [
        graph.add_node(Kind.ARTIFACT, uri, uri=uri, name=uri, artifact_kind="image")
        for uri in (
            f"111122223333.dkr.ecr.us-east-1.amazonaws.com/algo-{i}:1.{i}" for i in range(IMAGES)
        )
    ]
    group_index = 0
    while graph.nx.number_of_nodes() < size:
        findings += _group(graph, group_index, images)
        group_index += 1
    return graph, findings


def _group(graph: LineageGraph, g: int, images: list[Node]) -> list[Finding]:
    name = f"churn-model-{g:03d}"
    group = graph.add_node(Kind.MODEL_PACKAGE_GROUP, name, name=name, account="111122223333")
    pipeline = graph.add_node(Kind.PIPELINE, f"pipeline:train-{name}", name=f"train-{name}")
    data = {
        part: _artifact(graph, f"s3://data-lake/{name}/{part}.csv", "dataset")
        for part in ("train", "validation", "test")
    }
    code = _artifact(graph, f"s3://code/{name}/train.py", "code")
    image = images[g % len(images)]
    findings = []
    for v in range(1, VERSIONS + 1):
        execution = _live(graph, Kind.PIPELINE_EXECUTION, f"pipeline/train-{name}/execution/{v}")
        graph.add_edge(execution, Rel.RUN_OF, pipeline)
        train = _live(graph, Kind.JOB, f"training-job/{name}-{v}", job_type="Training")
        for used in (data["train"], data["validation"], code, image):
            graph.add_edge(train, Rel.CONSUMES, used)
        model = _artifact(graph, f"s3://models/{name}/{v}/model.tar.gz", "model")
        graph.add_edge(train, Rel.PRODUCES, model)
        evaluate = _live(graph, Kind.JOB, f"processing-job/{name}-eval-{v}", job_type="Processing")
        for used in (model, data["test"], image):
            graph.add_edge(evaluate, Rel.CONSUMES, used)
        graph.add_edge(
            evaluate, Rel.PRODUCES, _artifact(graph, f"s3://metrics/{name}/{v}.json", "metrics")
        )
        package = _live(
            graph,
            Kind.MODEL_PACKAGE,
            f"model-package/{name}/{v}",
            version=v,
            group=name,
            approval_status="Approved" if v % 3 == 0 else "PendingManualApproval",
        )
        graph.add_edge(package, Rel.GENERATED_BY, execution)
        graph.add_edge(package, Rel.GENERATED_BY, train)
        graph.add_edge(package, Rel.IN_GROUP, group)
        if v % 7 == 0:
            findings.append(
                _finding(package, "L404", "incomplete-model-quality-metrics", Severity.WARNING)
            )
        if v % 11 == 0:
            findings.append(_finding(package, "L401", "invalid-approval-status", Severity.ERROR))
    return findings


def _artifact(graph: LineageGraph, uri: str, kind: str) -> Node:
    return graph.add_node(Kind.ARTIFACT, uri, uri=uri, name=uri, artifact_kind=kind)


def _live(graph: LineageGraph, kind: Kind, resource: str, **props: object) -> Node:
    arn = f"{ACCOUNT}:{resource}"
    return graph.add_node(
        kind, arn, arn=arn, name=resource.rsplit("/", 1)[-1], status="Completed", **props
    )


def _finding(package: Node, code: str, name: str, severity: Severity) -> Finding:
    return Finding(
        code,
        name,
        int(code[1]),
        severity,
        f"model package {package.get('name')}: {name}",
        None,
        None,
        package.key,
        package.kind.value,
        "",
        None,
        None,
    )


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BrowserContext]:
    with chromium(tmp_path_factory.mktemp("chromium-profile")) as context:
        yield context


def test_a_5000_node_registry_is_drawn_and_answers(browser: BrowserContext, tmp_path: Path) -> None:
    graph, findings = registry_graph(5000)
    started = time.perf_counter()
    page_text = render_view(graph, findings, "registry")
    built = time.perf_counter() - started
    path = tmp_path / "registry.html"
    path.write_text(page_text, encoding="utf-8")
    started = time.perf_counter()
    opened = open_view(browser, path, timeout_ms=120_000)
    loaded = time.perf_counter() - started
    drawn_at = opened.page.evaluate("lineageView.drawnAt") / 1000
    page = opened.page
    assert drawn_counts(page) == (graph.nx.number_of_nodes(), graph.nx.number_of_edges())
    package = f"{ACCOUNT}:model-package/churn-model-017/14"
    started = time.perf_counter()
    click_node(page, node_index(page, package))
    page.wait_for_function(
        "(key) => document.querySelector('#panel .node-key')?.textContent === key", arg=package
    )
    clicked = time.perf_counter() - started
    assert "L404" in page.locator("#panel").inner_text()
    started = time.perf_counter()
    page.fill("#search", "churn-model-031-eval-20")
    page.press("#search", "Enter")
    page.wait_for_function(
        "document.querySelector('#panel .node-name')?.textContent === 'churn-model-031-eval-20'"
    )
    searched = time.perf_counter() - started
    assert opened.errors == []
    assert opened.foreign_requests() == []
    print(
        f"\n{graph.nx.number_of_nodes()} nodes, {graph.nx.number_of_edges()} edges, "
        f"{len(page_text) / 1e6:.1f} MB page: built in {built:.2f} s; in Chromium drawn "
        f"{drawn_at:.2f} s after navigation ({loaded:.2f} s until the test saw it), "
        f"click to panel {clicked:.2f} s, search {searched:.2f} s"
    )
