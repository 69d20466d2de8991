"""The registry rules (L318-L320) on a hand-built graph: each package is checked against its own
origin, and the pipeline of a drifted package is looked up only for its finding."""

from __future__ import annotations

from lineage.config import Settings
from lineage.graph.lineage_graph import Kind, LineageGraph, Node, Rel
from lineage.rules.engine.run import run_rules

STEP_POINTER = "/Steps/0"
IMAGE = "registry/xgboost:1.7-1"


def _registering_step(graph: LineageGraph) -> Node:
    """A RegisterModel step registering in group 'churn' from a literal image."""
    step = graph.add_node(Kind.STEP, "train/Register", pointer=STEP_POINTER, name="Register")
    graph.add_edge(step, Rel.REGISTERS, graph.add_node(Kind.MODEL_PACKAGE, "def", group="churn"))
    arg = f"{STEP_POINTER}/Arguments/InferenceSpecification/Containers/0/Image"
    image = graph.add_node(Kind.ARTIFACT, "image", uri=IMAGE)
    graph.add_edge(step, Rel.CONSUMES, image, arg=arg, literal=True, input_kind="image")
    return step


def _package(
    graph: LineageGraph, version: int, step: Node, *, group: str, image: str, pipeline: bool
) -> None:
    """A live package version registered by `step` in an execution (of `pipeline` or none)."""
    arn = f"arn:package/{version}"
    package = graph.add_node(
        Kind.MODEL_PACKAGE,
        arn,
        arn=arn,
        group=group,
        version=version,
        images=[image],
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


def test_each_package_is_checked_against_its_own_origin() -> None:
    graph = LineageGraph()
    step = _registering_step(graph)
    _package(graph, 1, step, group="churn", image="registry/xgboost:1.5-1", pipeline=True)
    _package(graph, 2, step, group="churn", image=IMAGE, pipeline=True)
    _package(graph, 3, step, group="other", image=IMAGE, pipeline=False)
    _package(graph, 4, step, group="other", image=IMAGE, pipeline=True)
    settings = Settings(select=("L318", "L319", "L320"))
    found = [(f.code, f.node, f.message) for f in run_rules(graph, {}, settings)]
    assert [(code, node) for code, node, _ in found if code == "L319"] == [
        ("L319", "arn:package/1"),
        ("L319", "arn:package/4"),
    ]
    messages = {node: message for code, node, message in found if code == "L319"}
    assert messages["arn:package/1"].endswith(
        f"container 0 image 'registry/xgboost:1.5-1', the definition says {IMAGE!r}"
    )
    assert "of pipeline 'train'" in messages["arn:package/4"]
    assert messages["arn:package/4"].endswith(
        "registered in group 'other', the definition registers in 'churn'"
    )
    assert sorted(node for code, node, _ in found if code == "L320") == [
        f"arn:package/{v}" for v in (1, 2, 3, 4)
    ]
    assert not [node for code, node, _ in found if code == "L318"]
