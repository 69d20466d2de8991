"""Level 3 rules on the live registry: packages traced to jobs and executions, drift from the
definition, approvals of failed runs. Live nodes are the ones with an `arn`."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple

from lineage.graph.lineage_graph import Edge, Kind, LineageGraph, Node, Rel
from lineage.rules.engine.model import CheckContext, Severity, Violation
from lineage.rules.engine.rulebook import graph_rule, violation

APPROVED = "Approved"
UNSUCCESSFUL = ("Failed", "Stopped", "Stopping")
DRIFT_ORDER = {"step": 0, "group": 1, "image": 2, "model_uri": 3, "model_step": 4}
Drift = tuple[str, int, Any, Any]


def is_live(node: Node) -> bool:
    """Whether a node was read from the live registry (definition nodes have no ARN)."""
    return node.props.get("arn") is not None


def live_packages(graph: LineageGraph) -> list[Node]:
    """The live ModelPackage nodes, in key order (computed once per graph state)."""

    def compute() -> list[Node]:
        return [node for node in graph.nodes(Kind.MODEL_PACKAGE) if is_live(node)]

    return graph.memo("live_packages", compute)


def scan_scope(graph: LineageGraph, pipelines: Iterable[str]) -> list[str]:
    """The rules' `$pipelines` for a scan: its pipeline keys, then its live packages' keys (the
    registry rules check those packages only, whatever else the database holds)."""
    return [*pipelines, *(package.key for package in live_packages(graph))]


def version_label(args: dict[str, Any]) -> str:
    """`version 3 of group 'churn'`."""
    return f"version {args['version']} of group {args['group']!r}"


class Origin(NamedTuple):
    """What a live package is GENERATED_BY, each in key order."""

    executions: list[Node]
    steps: list[Node]
    jobs: list[Node]


def _origins(graph: LineageGraph) -> list[Origin]:
    """The origin of each live package, in the order of `live_packages`, in one pass over their
    GENERATED_BY edges (computed once per graph state)."""

    def compute() -> list[Origin]:
        found: list[Origin] = []
        out, execution, step, job = graph.out, Kind.PIPELINE_EXECUTION, Kind.STEP, Kind.JOB
        for package in live_packages(graph):
            origin = Origin([], [], [])
            for target in out(package, Rel.GENERATED_BY):
                kind = target.kind
                if kind is execution:
                    origin.executions.append(target)
                elif kind is step:
                    origin.steps.append(target)
                elif kind is job:
                    origin.jobs.append(target)
            found.append(origin)
        return found

    return graph.memo("package_origins", compute)


def _traced(graph: LineageGraph) -> Iterator[tuple[Node, Origin]]:
    """Each live package with its origin, in key order."""
    return zip(live_packages(graph), _origins(graph), strict=True)


def _pipelines(graph: LineageGraph, origin: Origin) -> list[Node]:
    """The pipelines a package's executions ran."""
    return [p for e in origin.executions for p in graph.out(e, Rel.RUN_OF)]


def _package_args(package: Node, **extra: Any) -> dict[str, Any]:
    return {"group": package.get("group"), "version": package.get("version"), **extra}


def _untraceable_message(args: dict[str, Any]) -> str:
    data = ", ".join(repr(uri) for uri in args["model_data"] if uri) or "no model data"
    origin = args["generated_by"]
    return (
        f"{version_label(args)}: no known training job wrote its model ({data}) and no known "
        "pipeline execution registered it"
        + (f"; its MetadataProperties.GeneratedBy {origin!r} names neither" if origin else "")
    )


@graph_rule(
    "L318",
    "package-not-traceable",
    Severity.WARNING,
    applies_to="live ModelPackage (GENERATED_BY)",
    summary="A registered model version that no known training job or pipeline execution produced",
    rationale=(
        "An auditor asks of every model version: which job trained it, on which data, with "
        "which code. A version whose model data no training job the registry's account knows "
        "wrote, and that no pipeline execution registered, has no such answer: it may have been "
        "uploaded by hand, copied from elsewhere, or its job and execution deleted."
    ),
    recommendation=(
        "Register versions from pipelines (the RegisterModel step records the execution in "
        "`MetadataProperties.GeneratedBy`), or set GeneratedBy to the training job or execution "
        "that produced the model when registering by hand."
    ),
    example='{"ModelDataUrl": "s3://bucket/uploaded/model.tar.gz", "MetadataProperties": {}}',
    review=(
        "The corpus and fixtures hold definitions only (no live packages): no findings. On the "
        "moto registry of the tests it finds exactly the version registered by hand from an "
        "uploaded artifact, not the versions of pipeline executions or of known training jobs."
    ),
    message=_untraceable_message,
    basis=(
        "the Model Registry: DescribeModelPackage's MetadataProperties and lineage to a "
        "training job or execution"
    ),
)
def package_not_traceable(context: CheckContext) -> Iterator[Violation]:
    """Live packages GENERATED_BY no known Job or PipelineExecution."""
    graph = context.graph
    for package, origin in _traced(graph):
        if not (origin.executions or origin.jobs):
            args = _package_args(
                package,
                model_data=package.get("model_data_urls") or [],
                generated_by=package.get("generated_by"),
            )
            yield violation("L318", package, args, "/InferenceSpecification/Containers")


def _drift_text(field: str, index: int, registered: Any, defined: Any) -> str:
    container = f"container {index}"
    if field == "step":
        return f"it has no RegisterModel step {registered!r} any more"
    if field == "group":
        return f"registered in group {registered!r}, the definition registers in {defined!r}"
    if field == "image":
        return f"{container} image {registered!r}, the definition says {defined!r}"
    if field == "model_uri":
        return f"{container} model data {registered!r}, the definition says {defined!r}"
    return f"{container} model from step {registered!r}, the definition takes it from {defined!r}"


def _drift_message(args: dict[str, Any]) -> str:
    drifts = sorted(args["drifts"], key=lambda d: (DRIFT_ORDER[d[0]], d[1], str(d[2]), str(d[3])))
    return (
        f"{version_label(args)} was registered by step {args['step']!r} of pipeline "
        f"{args['pipeline']!r}, whose current definition differs: "
        + "; ".join(_drift_text(*drift) for drift in drifts)
    )


def _container(pointer: Any) -> int:
    """The container index in `…/Containers/<i>/Image` or `…/Containers/<i>/ModelDataUrl`."""
    return int(str(pointer).split("/")[-2])


def _at(values: Any, index: int) -> Any:
    return values[index] if isinstance(values, list) and 0 <= index < len(values) else None


@dataclass(frozen=True)
class Registration:
    """What a RegisterModel step's current definition registers, as far as drift compares it."""

    groups: list[Any]  # the literal group of each package it defines
    literals: list[tuple[str, str, int, Any]]  # (field, package property, container, literal)
    model_steps: list[tuple[int, Any]]  # (container, step whose model data it takes)


def _registration(graph: LineageGraph, step: Node, known: dict[str, Registration]) -> Registration:
    """The literal groups, images, model data and model sources of a registering step, kept in
    `known` by step key (one dict per graph state)."""
    found = known.get(step.key)
    if found is not None:
        return found
    uses = graph.out_edges(step, Rel.USES)
    group_arg = f"{step.get('pointer')}/Arguments/ModelPackageGroupName"
    literal_group = not any(str(e.props.get("arg")).startswith(group_arg) for e in uses)
    groups = [d.get("group") for d in graph.out(step, Rel.REGISTERS)] if literal_group else []
    found = known[step.key] = Registration(
        [group for group in groups if group is not None],
        _literals(graph.out_edges(step, Rel.CONSUMES)),
        [
            (_container(e.props.get("arg")), e.target.get("target_step"))
            for e in uses
            if e.props.get("input_kind") == "model"
            and str(e.props.get("arg")).endswith("/ModelDataUrl")
            and e.target.get("root") == "Steps"
        ],
    )
    return found


def _literals(consumed: list[Edge]) -> list[tuple[str, str, int, Any]]:
    """(drift field, package property, container, URI) of the literal images and model data."""
    fields = {"image": ("image", "images"), "model": ("model_uri", "model_data_urls")}
    return [
        (*fields[kind], _container(edge.props.get("arg")), edge.target.get("uri"))
        for edge in consumed
        if edge.props.get("literal") and (kind := edge.props.get("input_kind")) in fields
    ]


def _drifts(props: Mapping[str, Any], registration: Registration, jobs: list[Node]) -> list[Drift]:
    """How a package (its `props`) differs from what its registering step's current definition
    says; model data from step T differs when one of the package's `jobs` of another step wrote
    it."""
    group = props.get("group")
    found: list[Drift] = []
    for defined in registration.groups:
        if defined != group:
            found.append(("group", -1, group, defined))
    for field, prop, index, uri in registration.literals:
        registered = _at(props.get(prop), index)
        if (registered or "") != uri:
            found.append((field, index, registered, uri))
    for index, target in registration.model_steps:
        for job in jobs:  # most jobs ran the step: their model data need no comparing
            name = job.props.get("step_name")
            if name is None or name == target:
                continue
            if job.props.get("model_artifact") == _at(props.get("model_data_urls"), index):
                found.append(("model_step", index, name, target))
    return found


@graph_rule(
    "L319",
    "definition-registry-drift",
    Severity.WARNING,
    applies_to="live ModelPackage registered by a pipeline execution",
    summary="A registered version differs from what its pipeline's current definition registers",
    rationale=(
        "The definition in version control is what reviewers read; the registry holds what "
        "actually ran. When a version's image, group or model source differs from what the "
        "RegisterModel step of the pipeline's current definition says, the pipeline was changed "
        "after that run, or the run used another definition: reviewing the definition no longer "
        "tells what the registered model is."
    ),
    recommendation=(
        "Re-run the pipeline with its current definition and register the new version, or "
        "reject versions from outdated definitions. Only literal images, groups and model "
        "sources are compared: parameters may take other values in each run."
    ),
    example='registered image "…/xgboost:1.5-1", current definition "…/xgboost:1.7-1"',
    review=(
        "No live packages in the corpus or fixtures. On the moto registry of the tests it "
        "finds the version whose image was changed after registration and the version whose "
        "registering step was renamed; parameter-driven groups and images are not compared."
    ),
    message=_drift_message,
    basis=(
        "the Model Registry version against the pipeline's current definition (DescribePipeline)"
    ),
)
def definition_registry_drift(context: CheckContext) -> Iterator[Violation]:
    """Live packages registered by an execution whose current definition registers otherwise."""
    graph = context.graph
    registrations: dict[str, Registration] = graph.memo("registrations", dict)
    for package, origin in _traced(graph):
        props = package.props  # read directly: this runs once per live package
        step_name = props.get("execution_step")
        if step_name is None:
            continue
        if not origin.executions:
            continue  # no pipeline either
        drifts: list[Drift] = [] if origin.steps else [("step", -1, step_name, None)]
        for step in origin.steps:
            drifts += _drifts(props, _registration(graph, step, registrations), origin.jobs)
        pipelines = _pipelines(graph, origin) if drifts else None
        if pipelines:
            args = _package_args(
                package,
                step=step_name,
                pipeline=pipelines[0].get("pipeline_name"),
                drifts=[list(d) for d in dict.fromkeys(drifts)],
            )
            yield violation("L319", package, args, "/InferenceSpecification")


@graph_rule(
    "L320",
    "approved-from-failed-execution",
    Severity.ERROR,
    applies_to="live Approved ModelPackage and its PipelineExecution",
    summary="An Approved version whose pipeline execution did not succeed",
    rationale=(
        "A pipeline registers a version part way through a run. When the run then fails or is "
        "stopped, the steps after the registration (evaluation reports, bias checks, "
        "deployment gates, notifications) did not run, yet the version is approved and "
        "deployment automation ships it."
    ),
    recommendation=(
        "Reject the version (`update_model_package(ModelApprovalStatus='Rejected')`) and "
        "approve a version from a run that succeeded; register as the last step of a pipeline."
    ),
    example="Approved version 7, PipelineExecutionStatus 'Failed'",
    review=(
        "No live packages in the corpus or fixtures. On the moto registry of the tests it finds "
        "the approved version of the failed execution and none of the succeeded one."
    ),
    message=lambda a: (
        f"{version_label(a)} is Approved, but pipeline execution {a['execution']!r} that "
        f"registered it ended {a['status']!r}" + (f" ({a['reason']})" if a["reason"] else "")
    ),
    basis=("the Model Registry approval against DescribePipelineExecution's status"),
)
def approved_from_failed_execution(context: CheckContext) -> Iterator[Violation]:
    """Approved live packages GENERATED_BY an execution that failed or was stopped."""
    graph = context.graph
    for package, origin in _traced(graph):
        if package.props.get("approval_status") != APPROVED:
            continue
        for execution in origin.executions:
            if execution.get("status") in UNSUCCESSFUL:
                args = _package_args(
                    package,
                    execution=execution.get("arn"),
                    status=execution.get("status"),
                    reason=execution.get("failure_reason"),
                )
                yield violation("L320", package, args, "/ModelApprovalStatus")
