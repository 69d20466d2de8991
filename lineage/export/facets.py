"""The custom OpenLineage facets this tool writes: what is SageMaker's, and the scan's findings.

Each names its JSON Schema (`facets.json` beside this module) in `_schemaURL`; facet keys carry
the `sagemakerLineage_` prefix, as the OpenLineage spec asks of custom facets.
"""

from __future__ import annotations

from typing import Any

import attr
from openlineage.client.generated.base import DatasetFacet, JobFacet, RunFacet

from lineage import __version__

PRODUCER = f"https://pypi.org/project/sagemaker-lineage/{__version__}/"
SCHEMA_URL = "https://pypi.org/project/sagemaker-lineage/openlineage/1-0-0/facets.json"
PREFIX = "sagemakerLineage_"
STEP, PIPELINE, FINDINGS = f"{PREFIX}step", f"{PREFIX}pipeline", f"{PREFIX}findings"
ARTIFACT, MODEL_PACKAGE, RUN = f"{PREFIX}artifact", f"{PREFIX}modelPackage", f"{PREFIX}run"


def _schema(name: str) -> str:
    return f"{SCHEMA_URL}#/$defs/{name}"


@attr.define
class StepJobFacet(JobFacet):
    """A pipeline step: its type, name shown in Studio, place in the definition, parent job."""

    stepType: str | None  # noqa: N815
    displayName: str | None  # noqa: N815
    pointer: str
    parentJob: dict[str, str]  # noqa: N815

    @staticmethod
    def _get_schema() -> str:
        return _schema("StepJobFacet")


@attr.define
class PipelineJobFacet(JobFacet):
    """A pipeline: where its definition was read, in which form, and its content hash."""

    source: str | None
    form: str | None
    sha256: str | None
    arn: str | None = attr.field(default=None)

    @staticmethod
    def _get_schema() -> str:
        return _schema("PipelineJobFacet")


@attr.define
class FindingsJobFacet(JobFacet):
    """The scan's findings on the job (its step or pipeline and what they declare)."""

    findings: list[dict[str, Any]]

    @staticmethod
    def _get_schema() -> str:
        return _schema("FindingsJobFacet")


@attr.define
class ArtifactDatasetFacet(DatasetFacet):
    """What a dataset is to the pipeline and whether its location is known before the run."""

    artifactKind: str | None  # noqa: N815
    symbolic: bool
    executionScoped: bool  # noqa: N815

    @staticmethod
    def _get_schema() -> str:
        return _schema("ArtifactDatasetFacet")


@attr.define
class ModelPackageDatasetFacet(DatasetFacet):
    """A model package a step registers: its group, approval status and metrics sources."""

    group: str | None
    approvalStatus: str | None  # noqa: N815
    approvalStatusExpression: str | None  # noqa: N815
    metricsSources: list[str]  # noqa: N815
    driftBaselines: list[str]  # noqa: N815
    arn: str | None = attr.field(default=None)

    @staticmethod
    def _get_schema() -> str:
        return _schema("ModelPackageDatasetFacet")


@attr.define
class SageMakerRunFacet(RunFacet):
    """The SageMaker resource a run is: a pipeline execution or a job, and its status there."""

    arn: str
    status: str | None

    @staticmethod
    def _get_schema() -> str:
        return _schema("SageMakerRunFacet")
