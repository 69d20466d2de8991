"""ARNs of SageMaker resources: the account, region and resource each one names."""

from __future__ import annotations

import re
from dataclasses import dataclass

_ARN = re.compile(r"^arn:[^:]+:[^:]+:(?P<region>[^:]*):(?P<account>[^:]*):(?P<resource>.+)$")
# SageMaker writes a training job's model to `<S3OutputPath>/<job name>/output/model.tar.gz`.
_JOB_MODEL = re.compile(r"/(?P<job>[A-Za-z0-9][A-Za-z0-9-]{0,62})/output/model\.tar\.gz$")


@dataclass(frozen=True)
class Arn:
    """The parts of an ARN the collector reads: `…:<region>:<account>:<type>/<id>`."""

    text: str
    account: str
    region: str
    resource_type: str
    resource_id: str

    @property
    def is_execution(self) -> bool:
        """Whether this names a pipeline execution (`pipeline/<name>/execution/<id>`)."""
        return self.resource_type == "pipeline" and "/execution/" in self.resource_id

    @property
    def pipeline_name(self) -> str:
        """The pipeline a pipeline or pipeline-execution ARN names."""
        return self.resource_id.split("/", 1)[0]


def parse_arn(text: object) -> Arn | None:
    """The parts of an ARN, or None for anything that is not one."""
    found = _ARN.match(text) if isinstance(text, str) else None
    if found is None:
        return None
    resource_type, _, resource_id = found["resource"].partition("/")
    return Arn(str(text), found["account"], found["region"], resource_type, resource_id)


def training_job_of_model(uri: str) -> str | None:
    """The training job a model artifact URI names by SageMaker's output layout, if it does."""
    found = _JOB_MODEL.search(uri)
    return found["job"] if found else None
