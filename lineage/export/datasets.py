"""Datasets: the graph's artifacts and model packages as OpenLineage dataset identities.

An S3 location is `s3://bucket` + its key (symbolic parts such as `{Execution.ExecutionId}` kept
as written), so the same place read or written by two pipelines is one dataset in a catalogue.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from openlineage.client.event_v2 import InputDataset, OutputDataset
from openlineage.client.generated.base import DatasetFacet
from openlineage.client.generated.datasource_dataset import DatasourceDatasetFacet

from lineage.collect.registry.transform import metric_sources
from lineage.export.facets import (
    ARTIFACT,
    MODEL_PACKAGE,
    PRODUCER,
    ArtifactDatasetFacet,
    ModelPackageDatasetFacet,
)
from lineage.graph.lineage_graph import Kind, LineageGraph, Node
from lineage.sagemaker.locations import Location

# Inputs that are no data: the container image a job runs.
NOT_DATA = frozenset({"image"})
MODEL_REGISTRY = "model-package-group"


@dataclass(frozen=True)
class Identity:
    """A dataset's identity in OpenLineage: namespace and name."""

    namespace: str
    name: str


def uri_identity(text: str) -> Identity | None:
    """`scheme://authority` and the path of a URI (without userinfo); None for no URI."""
    scheme, found, rest = text.partition("://")
    if not found or not scheme:
        return None
    authority, _, path = rest.partition("/")
    host = authority.rpartition("@")[2]
    return Identity(f"{scheme}://{host}", path.strip("/") or "/")


def artifact_identity(graph: LineageGraph, artifact: Node, namespace: str) -> Identity | None:
    """Where an artifact lives: its S3 (or other) location, a property file inside its output,
    else its key in the pipeline's `namespace`; None for what is no data (images)."""
    if artifact.get("artifact_kind") in NOT_DATA:
        return None
    text = artifact.get("location") or artifact.get("uri")
    found = uri_identity(text) if isinstance(text, str) else None
    if found is not None:
        return found
    if artifact.get("artifact_kind") == "property_file":
        inside = _property_file_identity(graph, artifact, namespace)
        if inside is not None:
            return inside
    return Identity(namespace, artifact.key)


def _property_file_identity(graph: LineageGraph, artifact: Node, namespace: str) -> Identity | None:
    """A property file as the file in the processing output it is written to."""
    output, path = artifact.get("output_name"), artifact.get("file_path")
    key = f"{artifact.get('producer')}/outputs/{output}"
    if not output or not path or not graph.has(Kind.ARTIFACT, key):
        return None
    holder = artifact_identity(graph, graph.node(Kind.ARTIFACT, key), namespace)
    if holder is None or holder.namespace == namespace:
        return None
    return Identity(holder.namespace, f"{holder.name.rstrip('/')}/{path}")


def artifact_facets(artifact: Node, identity: Identity) -> dict[str, DatasetFacet]:
    """The data source of a located dataset and what the artifact is to the pipeline."""
    text = artifact.get("location") or artifact.get("uri") or ""
    location = Location(str(text))
    facets: dict[str, DatasetFacet] = {
        ARTIFACT: ArtifactDatasetFacet(
            artifactKind=artifact.get("artifact_kind"),
            symbolic=bool(text) and not location.resolved,
            executionScoped=bool(text) and location.execution_scoped,
            producer=PRODUCER,
        )
    }
    if "://" in identity.namespace:
        facets["dataSource"] = DatasourceDatasetFacet(
            name=identity.namespace, uri=identity.namespace, producer=PRODUCER
        )
    return facets


def package_identity(package: Node, namespace: str) -> Identity:
    """A model package: its ARN when it is a live version, else the group it is registered in."""
    arn = package.get("arn")
    if isinstance(arn, str) and arn.startswith("arn:"):
        prefix, _, resource = arn.partition(":model-package/")
        return Identity(prefix, f"model-package/{resource}")
    group = package.get("group") or package.key
    return Identity(namespace, f"{MODEL_REGISTRY}/{group}")


def package_facets(package: Node, step: Node | None) -> dict[str, DatasetFacet]:
    """The approval status and metrics sources of a model package (from the step's arguments
    for one a definition registers)."""
    args: Any = (step.get("raw") or {}).get("Arguments") if step is not None else None
    args = args if isinstance(args, dict) else {}
    metrics = package.get("metrics")
    baselines = package.get("drift_baselines")
    return {
        MODEL_PACKAGE: ModelPackageDatasetFacet(
            group=package.get("group"),
            approvalStatus=package.get("approval_status"),
            approvalStatusExpression=package.get("approval_status_expression"),
            metricsSources=list(metrics)
            if isinstance(metrics, list)
            else metric_sources(args.get("ModelMetrics")),
            driftBaselines=list(baselines)
            if isinstance(baselines, list)
            else metric_sources(args.get("DriftCheckBaselines")),
            arn=package.get("arn"),
            producer=PRODUCER,
        )
    }


def as_input(identity: Identity, facets: dict[str, DatasetFacet]) -> InputDataset:
    """An input dataset."""
    return InputDataset(identity.namespace, identity.name, facets=facets)


def as_output(identity: Identity, facets: dict[str, DatasetFacet]) -> OutputDataset:
    """An output dataset."""
    return OutputDataset(identity.namespace, identity.name, facets=facets)
