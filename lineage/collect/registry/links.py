"""Join live packages to what produced them: executions, their pipelines' definitions, jobs."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from typing import Any

from botocore.exceptions import ClientError

from lineage.collect.registry import fetch, transform
from lineage.collect.registry.arns import Arn, parse_arn, training_job_of_model
from lineage.collect.registry.context import Failed, Region
from lineage.collect.registry.faults import is_unsupported, reason
from lineage.collect.sources import Definition, parse_text
from lineage.errors import InputError, SourceError
from lineage.graph.lineage_graph import Node

Record = dict[str, Any]
# An execution's record and its steps (None when the endpoint cannot list them).
Execution = tuple[Record, list[Record] | None]
EXECUTION, PIPELINE, JOB = "pipeline execution", "pipeline", "training job"


def pipeline_definition(record: Record, arn: Arn) -> Definition:
    """The current definition in a describe_pipeline response, named by the pipeline's ARN."""
    text = record.get("PipelineDefinition")
    if not isinstance(text, str):
        raise SourceError(InputError(arn.text, "describe_pipeline returned no PipelineDefinition"))
    definition = parse_text(text, source=arn.text, default_name=arn.text)
    definition.form, definition.line_index = "describe-response", None
    return definition


class Links:
    """Reads the executions, pipelines and training jobs behind a region's packages (`read`, in
    any thread), then loads and links them (`load`, on the thread that owns the graph)."""

    def __init__(self, region: Region) -> None:
        self.region = region
        self.graph = region.run.graph
        # The groups each (kind, name) is read for: a failure leaves those groups incomplete.
        self.needed: dict[tuple[str, str], set[str]] = {}
        self.pipelines: dict[str, Node] = {}
        self.unread: set[str] = set()  # pipelines that could not be read
        self.executions: dict[str, Node] = {}
        self.jobs: dict[str, Node] = {}
        self.registered: dict[str, str] = {}
        self.no_steps: str | None = None  # why steps cannot be listed here, once known
        self.probe, self.probed = threading.Lock(), False  # whether the endpoint lists steps
        self.runs: dict[str, Execution] = {}  # what `read` read, for `load`
        self.pipeline_reads: list[tuple[str, Record | Failed | None]] = []
        self.job_reads: list[tuple[str, Record | Failed | None]] = []

    def _need(self, kind: str, name: str, groups: Iterable[str]) -> None:
        self.needed.setdefault((kind, name), set()).update(groups)

    def _names(self, kind: str) -> list[str]:
        return sorted(name for k, name in self.needed if k == kind)

    def _skip(self, kind: str, name: str, why: str) -> None:
        self.region.warn(f"{kind} {name!r} skipped: {why}", self.needed.get((kind, name), ()))

    def read(self, packages: list[Record]) -> None:
        """Read what produced the packages (of their props): executions, then their pipelines
        and training jobs (no graph writes: `load` writes them)."""
        for package in packages:
            self._origin(package)
        names = self._names(EXECUTION)
        self.runs = self._runs(names, self.region.map("executions", self._read_execution, names))
        self.pipeline_reads = self._described(PIPELINE, "pipelines", fetch.describe_pipeline)
        self.job_reads = self._described(JOB, "training jobs", fetch.describe_training_job)

    def _described(
        self, kind: str, what: str, describe: Callable[[Any, str], Record | None]
    ) -> list[tuple[str, Record | Failed | None]]:
        """Each name of `kind` the packages need, with its `describe` response (read at once)."""
        client, names = self.region.client, self._names(kind)
        responses = self.region.map(what, lambda name: describe(client, name), names)
        return list(zip(names, responses, strict=True))

    def load(self, packages: list[Node]) -> None:
        """Load what was read, then link each package (the nodes of the props read) to it."""
        self._load_pipelines(self.pipeline_reads)
        for arn, (record, steps) in self.runs.items():
            self._load_execution(arn, record, steps)
        self._load_training_jobs(self.job_reads)
        by_model = {
            str(j.get("model_artifact")): j for j in self.jobs.values() if j.get("model_artifact")
        }
        for package in packages:
            self._link(package, by_model)

    def _origin(self, package: Record) -> None:
        """Note what may have produced a package: the execution or training job GeneratedBy
        names, and the training jobs its model data names (the same job as a step's: read once)."""
        group = [str(package.get("group"))]
        origin = parse_arn(package.get("generated_by"))
        if origin is not None and self.region.owns(origin) and origin.is_execution:
            self._need(EXECUTION, origin.text, group)
        elif (
            origin is not None
            and self.region.owns(origin)
            and origin.resource_type == "training-job"
        ):
            self._need(JOB, origin.resource_id, group)
        for uri in package.get("model_data_urls") or []:
            name = training_job_of_model(uri)
            if name is not None:
                self._need(JOB, name, group)

    def _read_execution(self, arn: str) -> Execution | None:
        record = fetch.describe_execution(self.region.client, arn)
        if record is None:
            return None
        if self.probed:
            return record, self._steps(arn)
        with self.probe:  # one at a time until an answer shows whether the endpoint lists steps
            try:
                return record, self._steps(arn)
            finally:
                self.probed = True

    def _steps(self, arn: str) -> list[Record] | None:
        """An execution's steps; None once the endpoint is known not to implement the call."""
        if self.no_steps is not None:
            return None
        try:
            return fetch.list_steps(self.region.client, arn)
        except ClientError as exc:
            if not is_unsupported(exc):
                raise
            self.no_steps = reason(exc)  # the endpoint lacks the call: do not ask again
            return None

    def _runs(self, arns: list[str], read: list[Execution | Failed | None]) -> dict[str, Execution]:
        """The executions that exist; their pipelines and training jobs become needed too."""
        runs: dict[str, Execution] = {}
        stepless: set[str] = set()
        for arn, result in zip(arns, read, strict=True):
            if isinstance(result, Failed):
                self._skip(EXECUTION, arn, result.reason)
                continue
            if result is None:
                continue  # deleted: the package is not traced to it
            runs[arn] = result
            record, steps = result
            groups = self.needed[(EXECUTION, arn)]
            pipeline = parse_arn(record.get("PipelineArn")) or parse_arn(arn)
            if pipeline is not None:
                self._need(PIPELINE, pipeline.pipeline_name, groups)
            if steps is None:
                stepless.update(groups)
            for run in transform.step_runs(steps or []):
                job = parse_arn(run.arn)
                if run.job_type == "Training" and job is not None:
                    self._need(JOB, job.resource_id, groups)
        if stepless:
            self.region.warn(f"execution steps skipped: {self.no_steps}", stepless)
        return runs

    def _load_pipelines(self, read: list[tuple[str, Record | Failed | None]]) -> None:
        for name, record in read:
            if isinstance(record, Failed):
                self._skip(PIPELINE, name, record.reason)
                self.unread.add(name)
                continue
            if record is None:
                continue  # deleted: its executions stay unlinked to a definition
            arn = parse_arn(record.get("PipelineArn"))
            try:
                if arn is None:
                    raise SourceError(InputError(name, "describe_pipeline returned no PipelineArn"))
                definition = pipeline_definition(record, arn)
            except SourceError as exc:
                self._skip(PIPELINE, name, exc.error.message)
                self.unread.add(name)
                continue
            props = {
                **transform.live(arn),
                "pipeline_name": record.get("PipelineName"),
                "status": record.get("PipelineStatus"),
                "modified_at": transform.iso(record.get("LastModifiedTime")),
            }
            node = self.graph.pipeline(definition, props)
            self.region.run.collection.definitions.setdefault(node.key, definition)
            self.pipelines[name] = node

    def _load_execution(self, arn: str, record: Record, steps: list[Record] | None) -> None:
        parsed = parse_arn(arn)
        if parsed is None:
            return
        pipeline = self.pipelines.get(parsed.pipeline_name)
        unlinked = parsed.pipeline_name in self.unread  # its links to the definition unknown
        execution = self.graph.execution(transform.execution_props(record, parsed), pipeline)
        self.executions[arn] = self.graph.partial(execution) if unlinked else execution
        for run in transform.step_runs(steps or []):
            job = parse_arn(run.arn)
            if job is not None:
                props = transform.job_props(job, run.job_type, run, arn)
                node = self.graph.job(props, execution)
                self.jobs[job.resource_id] = self.graph.partial(node) if unlinked else node
        self.registered.update(transform.registrations(steps or []))

    def _load_training_jobs(self, read: list[tuple[str, Record | Failed | None]]) -> None:
        for name, record in read:
            if isinstance(record, Failed):
                self._skip(JOB, name, record.reason)
                if name in self.jobs:
                    self.jobs[name] = self.graph.partial(self.jobs[name])
                continue
            arn = parse_arn(record.get("TrainingJobArn")) if record is not None else None
            if record is None or arn is None:
                continue  # no such job: the package's model data came from elsewhere
            job = self.jobs.get(name) or self.graph.job(
                transform.job_props(arn, "Training", None, None), None
            )
            self.jobs[name] = self.graph.training(job, record)

    def _link(self, package: Node, by_model: dict[str, Node]) -> None:
        origin = parse_arn(package.get("generated_by"))
        execution = self.executions.get(origin.text) if origin is not None else None
        if execution is not None:
            self.graph.registered_by(package, execution, self.registered.get(package.key))
        named = self.jobs.get(origin.resource_id) if origin is not None else None
        if named is not None and origin is not None and origin.resource_type == "training-job":
            self.graph.generated_by(package, named)
        for uri in package.get("model_data_urls") or []:
            if uri in by_model:
                self.graph.generated_by(package, by_model[uri])
