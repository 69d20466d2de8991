"""Level 3 rules on the live registry: packages traced to jobs and executions, drift from the
definition, approvals of failed runs. Live nodes are the ones with an `arn`."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from lineage.checks.model import CheckContext, Severity, Violation
from lineage.checks.registry import graph_rule, violation
from lineage.graph import Edge, Kind, LineageGraph, Node, Rel

APPROVED = "Approved"
UNSUCCESSFUL = ("Failed", "Stopped", "Stopping")
TRACED_BY = (Kind.JOB, Kind.PIPELINE_EXECUTION)
DRIFT_ORDER = {"step": 0, "group": 1, "image": 2, "model_uri": 3, "model_step": 4}
Drift = tuple[str, int, Any, Any]


def is_live(node: Node) -> bool:
    """Whether a node was read from the live registry (definition nodes have no ARN)."""
    return node.get("arn") is not None


def live_packages(graph: LineageGraph) -> Iterator[Node]:
    """The live ModelPackage nodes, in key order."""
    return (node for node in graph.nodes(Kind.MODEL_PACKAGE) if is_live(node))


def scan_scope(graph: LineageGraph, pipelines: Iterable[str]) -> list[str]:
    """The rules' `$pipelines` for a scan: its pipeline keys, then its live packages' keys (the
    registry rules check those packages only, whatever else the database holds)."""
    return [*pipelines, *(package.key for package in live_packages(graph))]


def version_label(args: dict[str, Any]) -> str:
    """`version 3 of group 'churn'`."""
    return f"version {args['version']} of group {args['group']!r}"


def _generated_by(graph: LineageGraph, package: Node, kind: Kind) -> list[Node]:
    return [node for node in graph.out(package, Rel.GENERATED_BY) if node.kind is kind]


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
)
def package_not_traceable(context: CheckContext) -> Iterator[Violation]:
    """Live packages GENERATED_BY no known Job or PipelineExecution."""
    graph = context.graph
    for package in live_packages(graph):
        if not any(node.kind in TRACED_BY for node in graph.out(package, Rel.GENERATED_BY)):
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


def _literal_drifts(package: Node, consumed: list[Edge]) -> set[Drift]:
    """Literal images and model data URIs of the definition that differ from the package's."""
    found: set[Drift] = set()
    fields = {"image": ("image", "images"), "model": ("model_uri", "model_data_urls")}
    for edge in consumed:
        kind = edge.props.get("input_kind")
        if not edge.props.get("literal") or kind not in fields:
            continue
        field, prop = fields[kind]
        index, uri = _container(edge.props.get("arg")), edge.target.get("uri")
        registered = _at(package.get(prop), index)
        if (registered or "") != uri:
            found.add((field, index, registered, uri))
    return found


def _model_step_drifts(graph: LineageGraph, package: Node, uses: list[Edge]) -> set[Drift]:
    """Model data the definition takes from step T but the package's from a job of another step."""
    found: set[Drift] = set()
    jobs = _generated_by(graph, package, Kind.JOB)
    for edge in uses:
        arg, ref = str(edge.props.get("arg")), edge.target
        if edge.props.get("input_kind") != "model" or not arg.endswith("/ModelDataUrl"):
            continue
        if ref.get("root") != "Steps":
            continue
        index = _container(arg)
        url = _at(package.get("model_data_urls"), index)
        found.update(
            ("model_step", index, job.get("step_name"), ref.get("target_step"))
            for job in jobs
            if job.get("model_artifact") == url
            and job.get("step_name") is not None
            and job.get("step_name") != ref.get("target_step")
        )
    return found


def _drifts(graph: LineageGraph, package: Node, step: Node) -> set[Drift]:
    """How a package differs from what its registering step's current definition says."""
    uses = graph.out_edges(step, Rel.USES)
    group_arg = f"{step.get('pointer')}/Arguments/ModelPackageGroupName"
    literal_group = not any(str(e.props.get("arg")).startswith(group_arg) for e in uses)
    found: set[Drift] = {
        ("group", -1, package.get("group"), definition.get("group"))
        for definition in graph.out(step, Rel.REGISTERS)
        if literal_group
        and definition.get("group") is not None
        and definition.get("group") != package.get("group")
    }
    found |= _literal_drifts(package, graph.out_edges(step, Rel.CONSUMES))
    return found | _model_step_drifts(graph, package, uses)


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
)
def definition_registry_drift(context: CheckContext) -> Iterator[Violation]:
    """Live packages registered by an execution whose current definition registers otherwise."""
    graph = context.graph
    for package in live_packages(graph):
        step_name = package.get("execution_step")
        executions = _generated_by(graph, package, Kind.PIPELINE_EXECUTION)
        pipelines = [p for e in executions for p in graph.out(e, Rel.RUN_OF)]
        if step_name is None or not pipelines:
            continue
        steps = _generated_by(graph, package, Kind.STEP)
        drifts: set[Drift] = set().union(*(_drifts(graph, package, s) for s in steps))
        if not steps:
            drifts = {("step", -1, step_name, None)}
        if drifts:
            args = _package_args(
                package,
                step=step_name,
                pipeline=pipelines[0].get("pipeline_name"),
                drifts=[list(d) for d in drifts],
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
)
def approved_from_failed_execution(context: CheckContext) -> Iterator[Violation]:
    """Approved live packages GENERATED_BY an execution that failed or was stopped."""
    graph = context.graph
    for package in live_packages(graph):
        if package.get("approval_status") != APPROVED:
            continue
        for execution in _generated_by(graph, package, Kind.PIPELINE_EXECUTION):
            if execution.get("status") in UNSUCCESSFUL:
                args = _package_args(
                    package,
                    execution=execution.get("arn"),
                    status=execution.get("status"),
                    reason=execution.get("failure_reason"),
                )
                yield violation("L320", package, args, "/ModelApprovalStatus")
