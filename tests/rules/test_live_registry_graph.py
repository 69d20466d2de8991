"""The registry rules (L318-L320) on a hand-built graph: each package is checked against its own
origin, and the pipeline of a drifted package is looked up only for its finding."""

from __future__ import annotations

from lineage.config import Settings
from lineage.graph.lineage_graph import Kind, LineageGraph, Node, Rel
from lineage.rules.engine.run import run_rules

STEP_POINTER = "/Steps/0"
IMAGE = "registry/xgboost:1.7-1"


def _registering_step(graph: LineageGraph) -> Node:
    """A RegisterModel step registering in group 'churn' from a literal image and the model
    data of step 'Train'."""
    step = graph.add_node(Kind.STEP, "train/Register", pointer=STEP_POINTER, name="Register")
    graph.add_edge(step, Rel.REGISTERS, graph.add_node(Kind.MODEL_PACKAGE, "def", group="churn"))
    container = f"{STEP_POINTER}/Arguments/InferenceSpecification/Containers/0"
    image = graph.add_node(Kind.ARTIFACT, "image", uri=IMAGE)
    graph.add_edge(
        step, Rel.CONSUMES, image, arg=f"{container}/Image", literal=True, input_kind="image"
    )
    model = graph.add_node(Kind.PROPERTY_REF, "train/model", root="Steps", target_step="Train")
    graph.add_edge(step, Rel.USES, model, arg=f"{container}/ModelDataUrl", input_kind="model")
    return step


def _package(
    graph: LineageGraph,
    version: int,
    step: Node,
    *,
    group: str = "churn",
    image: str = IMAGE,
    pipeline: bool = True,
    trained_by: str = "Train",
) -> None:
    """A live package version registered by `step` in an execution (of `pipeline` or none),
    its model data written by a job of step `trained_by`."""
    arn = f"arn:package/{version}"
    model = f"s3://models/{version}/model.tar.gz"
    package = graph.add_node(
        Kind.MODEL_PACKAGE,
        arn,
        arn=arn,
        group=group,
        version=version,
        images=[image],
        model_data_urls=[model],
        execution_step="Register",
        approval_status="Approved",
    )
    execution = graph.add_node(
        Kind.PIPELINE_EXECUTION, f"exec/{version}", arn=f"exec/{version}", status="Failed"
    )
    if pipeline:
        graph.add_edge(
            execution, Rel.RUN_OF, graph.add_node(Kind.PIPELINE, "train", pipeline_name="train")
        )
    graph.add_edge(package, Rel.GENERATED_BY, execution)
    graph.add_edge(package, Rel.GENERATED_BY, step)
    job = graph.add_node(
        Kind.JOB, f"job/{version}", arn=f"job/{version}", step_name=trained_by, model_artifact=model
    )
    graph.add_edge(package, Rel.GENERATED_BY, job)


def test_each_package_is_checked_against_its_own_origin() -> None:
    graph = LineageGraph()
    step = _registering_step(graph)
    _package(graph, 1, step, image="registry/xgboost:1.5-1")
    _package(graph, 2, step)
    _package(graph, 3, step, group="other", pipeline=False)
    _package(graph, 4, step, group="other")
    _package(graph, 5, step, trained_by="Tune")
    settings = Settings(select=("L318", "L319", "L320"))
    found = [(f.code, f.node, f.message) for f in run_rules(graph, {}, settings)]
    assert [(code, node) for code, node, _ in found if code == "L319"] == [
        ("L319", "arn:package/1"),
        ("L319", "arn:package/4"),
        ("L319", "arn:package/5"),
    ]
    messages = {node: message for code, node, message in found if code == "L319"}
    assert messages["arn:package/1"].endswith(
        f"container 0 image 'registry/xgboost:1.5-1', the definition says {IMAGE!r}"
    )
    assert "of pipeline 'train'" in messages["arn:package/4"]
    assert messages["arn:package/4"].endswith(
        "registered in group 'other', the definition registers in 'churn'"
    )
    assert messages["arn:package/5"].endswith(
        "container 0 model from step 'Tune', the definition takes it from 'Train'"
    )
    assert sorted(node for code, node, _ in found if code == "L320") == [
        f"arn:package/{v}" for v in range(1, 6)
    ]
    assert not [node for code, node, _ in found if code == "L318"]
