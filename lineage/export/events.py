"""OpenLineage events of a scan: a JobEvent per pipeline and per step (what the definition
declares), and for live executions a run per pipeline execution and per step it ran."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from openlineage.client.event_v2 import (
    InputDataset,
    Job,
    JobEvent,
    OutputDataset,
    Run,
    RunEvent,
    RunState,
)
from openlineage.client.generated.base import RunFacet
from openlineage.client.generated.error_message_run import ErrorMessageRunFacet
from openlineage.client.generated.parent_run import Job as ParentJob
from openlineage.client.generated.parent_run import ParentRunFacet, Root, RootJob, RootRun
from openlineage.client.generated.parent_run import Run as ParentRun

from lineage.collect.registry.transform import parse_time
from lineage.export.facets import PRODUCER, RUN, SageMakerRunFacet
from lineage.export.jobs import (
    JobContext,
    by_job,
    live_datasets,
    pipeline_job,
    step_datasets,
    step_job,
    steps_of,
)
from lineage.graph.lineage_graph import Kind, Node, Rel
from lineage.scan import ScanResult

Event = JobEvent | RunEvent
D = TypeVar("D", InputDataset, OutputDataset)
# SageMaker's execution, step and job statuses as the state a run ends in (others: running).
FINAL_STATES = {
    "Succeeded": RunState.COMPLETE,
    "Completed": RunState.COMPLETE,
    "Failed": RunState.FAIL,
    "Stopped": RunState.ABORT,
}
ERROR_LANGUAGE = "SageMaker Pipelines"
# How what an execution ran names the definition step it ran.
STEP_LINKS = {Kind.JOB: Rel.RUN_OF, Kind.MODEL_PACKAGE: Rel.GENERATED_BY}


def build_events(result: ScanResult, now: datetime, namespace: str | None = None) -> list[Event]:
    """Every event of a scan: its definitions' jobs, then the runs of its live executions."""
    context = JobContext(
        result.graph,
        by_job(result.findings),
        {key: d.step_origins for key, d in result.definitions.items()},
        namespace,
    )
    return [*definition_events(context, now), *run_events(context)]


def run_id(arn: str) -> str:
    """The same run id for the same SageMaker execution or job on every export."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, arn))


def definition_events(context: JobContext, now: datetime) -> Iterator[JobEvent]:
    """A JobEvent per pipeline, then one per step with its inputs and outputs."""
    time = now.isoformat()
    for pipeline in context.graph.nodes(Kind.PIPELINE):
        yield JobEvent(eventTime=time, producer=PRODUCER, job=pipeline_job(context, pipeline))
        for step in steps_of(context.graph, pipeline):
            inputs, outputs = step_datasets(context, pipeline, step)
            yield JobEvent(
                eventTime=time,
                producer=PRODUCER,
                job=step_job(context, pipeline, step),
                inputs=inputs,
                outputs=outputs,
            )


@dataclass(frozen=True)
class Span:
    """When a run started and when it was last seen, and the state it was in then."""

    start: str
    end: str | None
    state: RunState


def span(status: object, start: object, end: object) -> Span | None:
    """The span of a run from SageMaker's status and times (an end before the start is taken
    as the start); None without a start time."""
    began = parse_time(start)
    if began is None:
        return None
    ended = parse_time(end)
    last = max(began, ended).isoformat() if ended is not None else None
    return Span(began.isoformat(), last, FINAL_STATES.get(str(status), RunState.RUNNING))


def run_events(context: JobContext) -> Iterator[RunEvent]:
    """START and final (or RUNNING) events of each execution read from the registry, and of each
    step it ran: a job (at its step's start and end, else the execution's) or a registered model
    package version (at its creation); a step's run names the execution's run as its parent."""
    graph = context.graph
    for execution in graph.nodes(Kind.PIPELINE_EXECUTION):
        pipelines = graph.out(execution, Rel.RUN_OF)
        times = span(
            execution.get("status"), execution.get("created_at"), execution.get("modified_at")
        )
        if not pipelines or times is None:
            continue
        pipeline = pipelines[0]
        parent_job = pipeline_job(context, pipeline)
        parent = Run(runId=run_id(execution.key), facets=_run_facets(execution, None))
        yield from _lifecycle(parent, parent_job, times, [], [])
        for ran, step in _step_runs(context, execution):
            ran_times = span(
                ran.get("status"),
                ran.get("started_at") or ran.get("created_at") or times.start,
                ran.get("ended_at") or _registered_at(ran) or times.end,
            )
            if ran_times is None:
                continue
            inputs, outputs = step_datasets(context, pipeline, step)
            live_in, live_out = live_datasets(context, pipeline, ran, step)
            run = Run(runId=run_id(ran.key), facets=_run_facets(ran, (parent, parent_job)))
            yield from _lifecycle(
                run,
                step_job(context, pipeline, step),
                ran_times,
                _merged(inputs, live_in),
                _merged(outputs, live_out),
            )


def _step_runs(context: JobContext, execution: Node) -> Iterator[tuple[Node, Node]]:
    """(job or model package, the definition step that made it) of what an execution ran."""
    graph = context.graph
    for ran in graph.into(execution, Rel.GENERATED_BY):
        rel = STEP_LINKS.get(ran.kind)
        steps = [s for s in graph.out(ran, rel) if s.kind is Kind.STEP] if rel else []
        if steps:
            yield ran, steps[0]


def _registered_at(ran: Node) -> object:
    """When a model package version was created: its registration is done by then."""
    return ran.get("created_at") if ran.kind is Kind.MODEL_PACKAGE else None


def _merged(declared: list[D], live: list[D]) -> list[D]:
    """Declared datasets, then those only the live record names."""
    seen = {(d.namespace, d.name) for d in declared}
    return declared + [d for d in live if (d.namespace, d.name) not in seen]


def _run_facets(node: Node, parent: tuple[Run, Job] | None) -> dict[str, RunFacet]:
    facets: dict[str, RunFacet] = {
        RUN: SageMakerRunFacet(arn=node.key, status=node.get("status"), producer=PRODUCER)
    }
    reason = node.get("failure_reason")
    if isinstance(reason, str) and reason:
        facets["errorMessage"] = ErrorMessageRunFacet(
            message=reason, programmingLanguage=ERROR_LANGUAGE, producer=PRODUCER
        )
    if parent is not None:
        run, job = parent
        facets["parent"] = ParentRunFacet(
            run=ParentRun(runId=run.runId),
            job=ParentJob(namespace=job.namespace, name=job.name),
            root=Root(
                run=RootRun(runId=run.runId),
                job=RootJob(namespace=job.namespace, name=job.name),
            ),
            producer=PRODUCER,
        )
    return facets


def _lifecycle(
    run: Run, job: Job, times: Span, inputs: list[InputDataset], outputs: list[OutputDataset]
) -> Iterator[RunEvent]:
    """START at the start time, then the final state (or RUNNING) when last seen."""
    yield RunEvent(
        eventType=RunState.START,
        eventTime=times.start,
        run=run,
        job=job,
        inputs=inputs,
        outputs=outputs,
        producer=PRODUCER,
    )
    if times.end is not None:
        yield RunEvent(
            eventType=times.state,
            eventTime=times.end,
            run=run,
            job=job,
            inputs=inputs,
            outputs=outputs,
            producer=PRODUCER,
        )
