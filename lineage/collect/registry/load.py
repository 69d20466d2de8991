"""Load: live registry records into the LineageGraph, and the links that join them up."""

from __future__ import annotations

from typing import Any

from lineage.collect.definition import collect_definition
from lineage.collect.registry import transform
from lineage.collect.sources import Definition
from lineage.graph.lineage_graph import Kind, LineageGraph, Node, Rel

REGISTER_STEP = "RegisterModel"


class RegistryGraph:
    """Writes live nodes (keyed by ARN) and their relationships into a LineageGraph."""

    def __init__(self, graph: LineageGraph) -> None:
        self.graph = graph

    def group(self, props: dict[str, Any]) -> Node:
        """A ModelPackageGroup."""
        return self.graph.add_node(Kind.MODEL_PACKAGE_GROUP, props["arn"], **props)

    def package(self, props: dict[str, Any], group: Node) -> Node:
        """A ModelPackage, IN_GROUP its group."""
        node = self.graph.add_node(Kind.MODEL_PACKAGE, props["arn"], **props)
        self.graph.add_edge(node, Rel.IN_GROUP, group)
        return node

    def partial(self, node: Node) -> Node:
        """Mark a node read incompletely: a store updates what was read and keeps the rest."""
        return self.graph.add_node(node.kind, node.key, partial=True)

    def pipeline(self, definition: Definition, props: dict[str, Any]) -> Node:
        """A live pipeline: its current definition through the definition collector, + `props`."""
        pipeline = collect_definition(definition, self.graph)
        return self.graph.add_node(Kind.PIPELINE, pipeline.key, **props)

    def execution(self, props: dict[str, Any], pipeline: Node | None) -> Node:
        """A PipelineExecution, RUN_OF its pipeline when that was read."""
        node = self.graph.add_node(Kind.PIPELINE_EXECUTION, props["arn"], **props)
        if pipeline is not None:
            self.graph.add_edge(node, Rel.RUN_OF, pipeline)
        return node

    def job(self, props: dict[str, Any], execution: Node | None) -> Node:
        """A Job, GENERATED_BY its execution and RUN_OF the definition step of the same name."""
        node = self.graph.add_node(Kind.JOB, props["arn"], **props)
        if execution is None:
            return node
        self.graph.add_edge(node, Rel.GENERATED_BY, execution)
        step = self.step(execution, props.get("step_name"))
        if step is not None:
            self.graph.add_edge(node, Rel.RUN_OF, step)
        return node

    def step(self, execution: Node, name: str | None, step_type: str | None = None) -> Node | None:
        """The step `name` of the current definition of the pipeline an execution ran."""
        for pipeline in self.graph.out(execution, Rel.RUN_OF):
            for step in self.graph.out(pipeline, Rel.HAS_STEP):
                if step.get("name") == name and step_type in (None, step.get("step_type")):
                    return step
        return None

    def _artifact(self, uri: str, kind: str) -> Node:
        """The Artifact of an S3 object: one node per URI, shared with definitions that name it."""
        if not self.graph.has(Kind.ARTIFACT, uri):
            self.graph.add_node(Kind.ARTIFACT, uri, uri=uri, name=uri, artifact_kind=kind)
        return self.graph.node(Kind.ARTIFACT, uri)

    def training(self, job: Node, record: dict[str, Any]) -> Node:
        """What describe_training_job says of a job: image, status, the datasets it read (CONSUMES)
        and the model artifact it wrote (PRODUCES)."""
        node = self.graph.add_node(Kind.JOB, job.key, **transform.training_props(record))
        for pointer, channel, uri in transform.training_inputs(record):
            self.graph.add_edge(
                node,
                Rel.CONSUMES,
                self._artifact(uri, "dataset"),
                arg=pointer,
                input_kind="dataset",
                input_name=channel,
            )
        model = node.get("model_artifact")
        if isinstance(model, str) and model:
            artifact = self._artifact(model, "model")
            self.graph.add_edge(node, Rel.PRODUCES, artifact, arg=transform.MODEL_ARTIFACT)
        return node

    def registered_by(self, package: Node, execution: Node, step_name: str | None) -> None:
        """Package GENERATED_BY the execution, and by the RegisterModel step that created it."""
        self.graph.add_edge(package, Rel.GENERATED_BY, execution)
        if step_name is None:
            return
        self.graph.add_node(Kind.MODEL_PACKAGE, package.key, execution_step=step_name)
        step = self.step(execution, step_name, REGISTER_STEP)
        if step is not None:
            self.graph.add_edge(package, Rel.GENERATED_BY, step)

    def generated_by(self, package: Node, job: Node) -> None:
        """Package GENERATED_BY a job: the one its metadata names, or one that wrote its model."""
        self.graph.add_edge(package, Rel.GENERATED_BY, job)
