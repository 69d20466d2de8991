"""Jobs: a pipeline and each of its steps as OpenLineage jobs with their datasets and facets."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from openlineage.client.event_v2 import InputDataset, Job, OutputDataset
from openlineage.client.generated.base import JobFacet
from openlineage.client.generated.documentation_job import DocumentationJobFacet
from openlineage.client.generated.job_type_job import JobTypeJobFacet
from openlineage.client.generated.source_code_location_job import SourceCodeLocationJobFacet

from lineage.export.datasets import (
    Identity,
    artifact_facets,
    artifact_identity,
    as_input,
    as_output,
    package_facets,
    package_identity,
)
from lineage.export.facets import (
    FINDINGS,
    PIPELINE,
    PRODUCER,
    STEP,
    FindingsJobFacet,
    PipelineJobFacet,
    StepJobFacet,
)
from lineage.graph.lineage_graph import Kind, LineageGraph, Node, Rel
from lineage.rules.engine.model import Finding

INTEGRATION = "SAGEMAKER"
DEFAULT_NAMESPACE = "sagemaker"


@dataclass(frozen=True)
class JobContext:
    """What jobs are built from: the graph, findings by job, SDK origins, the namespace."""

    graph: LineageGraph
    findings: Mapping[tuple[str | None, str | None], list[Finding]]
    origins: Mapping[str, Mapping[str, tuple[str, int]]] = field(default_factory=dict)
    namespace: str | None = None

    def pipeline_namespace(self, pipeline: Node) -> str:
        """`--namespace` if given, else the live pipeline's account and region, else the default."""
        if self.namespace:
            return self.namespace
        account, region = pipeline.get("account"), pipeline.get("region")
        if account and region:
            return f"sagemaker://{account}/{region}"
        return DEFAULT_NAMESPACE


def by_job(findings: Iterable[Finding]) -> dict[tuple[str | None, str | None], list[Finding]]:
    """Findings by (pipeline name, step name); a pipeline's own under step None."""
    grouped: dict[tuple[str | None, str | None], list[Finding]] = {}
    for finding in findings:
        grouped.setdefault((finding.pipeline, finding.step), []).append(finding)
    return grouped


def pipeline_name(pipeline: Node) -> str:
    """A pipeline's name (a live one's node is named by its ARN)."""
    return str(pipeline.get("pipeline_name") or pipeline.get("name"))


def pipeline_job(context: JobContext, pipeline: Node) -> Job:
    """The parent job of a pipeline's steps."""
    facets: dict[str, JobFacet] = {
        "jobType": JobTypeJobFacet(
            processingType="BATCH", integration=INTEGRATION, jobType="PIPELINE", producer=PRODUCER
        ),
        PIPELINE: PipelineJobFacet(
            source=pipeline.get("source"),
            form=pipeline.get("form"),
            sha256=pipeline.get("sha256"),
            arn=pipeline.get("arn"),
            producer=PRODUCER,
        ),
    }
    facets |= _findings(context, pipeline, None)
    return Job(context.pipeline_namespace(pipeline), pipeline_name(pipeline), facets=facets)


def step_job(context: JobContext, pipeline: Node, step: Node) -> Job:
    """A step's job: `pipeline.step` in the pipeline's namespace."""
    namespace = context.pipeline_namespace(pipeline)
    facets: dict[str, JobFacet] = {
        "jobType": JobTypeJobFacet(
            processingType="BATCH",
            integration=INTEGRATION,
            jobType=step.get("step_type"),
            producer=PRODUCER,
        ),
        STEP: StepJobFacet(
            stepType=step.get("step_type"),
            displayName=step.get("display_name"),
            pointer=str(step.get("pointer")),
            parentJob={"namespace": namespace, "name": pipeline_name(pipeline)},
            producer=PRODUCER,
        ),
    }
    description = step.get("description")
    if isinstance(description, str) and description:
        facets["documentation"] = DocumentationJobFacet(
            description=description, contentType="text/plain", producer=PRODUCER
        )
    origin = context.origins.get(pipeline.key, {}).get(str(step.get("name")))
    if origin is not None:
        facets["sourceCodeLocation"] = _source_code(*origin)
    facets |= _findings(context, pipeline, step)
    return Job(namespace, f"{pipeline_name(pipeline)}.{step.get('name')}", facets=facets)


def _source_code(file: str, line: int) -> SourceCodeLocationJobFacet:
    """Where SDK code created the step: the file and line."""
    url = f"{Path(file).resolve().as_uri()}#L{line}"
    return SourceCodeLocationJobFacet(type="file", url=url, path=file, producer=PRODUCER)


def _findings(context: JobContext, pipeline: Node, step: Node | None) -> dict[str, JobFacet]:
    found = context.findings.get(
        (pipeline.get("name"), step.get("name") if step is not None else None), []
    )
    if not found:
        return {}
    rows = [
        {
            "code": f.code,
            "name": f.name,
            "severity": f.severity.value,
            "message": f.message,
            "node": f.node,
            "pointer": f.pointer,
            "line": f.line,
            "fingerprint": f.fingerprint,
        }
        for f in found
    ]
    return {FINDINGS: FindingsJobFacet(findings=rows, producer=PRODUCER)}


def step_datasets(
    context: JobContext, pipeline: Node, node: Node
) -> tuple[list[InputDataset], list[OutputDataset]]:
    """What a step (or a live job) reads and writes, each dataset once, in key order."""
    graph, namespace = context.graph, context.pipeline_namespace(pipeline)
    inputs: dict[Identity, InputDataset] = {}
    for artifact in graph.out(node, Rel.CONSUMES):
        identity = artifact_identity(graph, artifact, namespace)
        if identity is not None:
            inputs.setdefault(identity, as_input(identity, artifact_facets(artifact, identity)))
    outputs: dict[Identity, OutputDataset] = {}
    for artifact in graph.out(node, Rel.PRODUCES):
        identity = artifact_identity(graph, artifact, namespace)
        if identity is not None:
            outputs.setdefault(identity, as_output(identity, artifact_facets(artifact, identity)))
    for package in graph.out(node, Rel.REGISTERS):
        identity = package_identity(package, namespace)
        outputs.setdefault(identity, as_output(identity, package_facets(package, node)))
    return list(inputs.values()), list(outputs.values())


def live_datasets(
    context: JobContext, pipeline: Node, ran: Node, step: Node
) -> tuple[list[InputDataset], list[OutputDataset]]:
    """What the live record of a run names: a job's S3 inputs and outputs, or the model package
    version a registration created."""
    if ran.kind is not Kind.MODEL_PACKAGE:
        return step_datasets(context, pipeline, ran)
    identity = package_identity(ran, context.pipeline_namespace(pipeline))
    return [], [as_output(identity, package_facets(ran, step))]


def steps_of(graph: LineageGraph, pipeline: Node) -> list[Node]:
    """A pipeline's steps, in key order."""
    return [s for s in graph.out(pipeline, Rel.HAS_STEP) if s.kind is Kind.STEP]
