"""A synthetic registry graph of any size, with findings: for views and their timings."""

from __future__ import annotations

from lineage.graph.lineage_graph import Kind, LineageGraph, Node, Rel
from lineage.rules.engine.model import Finding, Severity

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
