"""Level 3 reference rules: every `Get` and `DependsOn` names something that exists, and every
property path reads a property its step has."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from lineage.graph.lineage_graph import Kind, Rel
from lineage.jsondoc.names import did_you_mean
from lineage.jsondoc.pointer import child
from lineage.rules.engine.model import CheckContext, Severity, Violation
from lineage.rules.engine.queries import pipeline_steps, step_refs
from lineage.rules.engine.rulebook import graph_rule, violation

DECLARED_FAMILIES = {
    "outputs": ("processing output", "ProcessingOutputConfig.Outputs[*].OutputName"),
    "property_files": ("property file", "PropertyFiles[*].PropertyFileName"),
    "output_parameters": ("output parameter", "OutputParameters[*].OutputName"),
}


@graph_rule(
    "L301",
    "dangling-step-reference",
    Severity.ERROR,
    applies_to="PropertyRef with root Steps",
    summary="A property reference names a step the pipeline does not have",
    rationale=(
        '`{"Get": "Steps.X...."}` reads a property of step X when the pipeline runs. If the '
        "pipeline has no step X (a typo, or a step renamed or removed), SageMaker rejects the "
        "definition, and the lineage from X's outputs to this step is broken."
    ),
    recommendation="Reference an existing step by its exact name (names are case-sensitive; "
    "SDK v2 may suffix names, e.g. `RegisterModel-RegisterModel`).",
    example='{"Get": "Steps.TrainModle.ModelArtifacts.S3ModelArtifacts"}',
    message=lambda a: (
        f"{a['expression']!r} names step {a['target']!r}, which the pipeline does not "
        f"have{did_you_mean(a['target'], a['candidates'])}"
    ),
    basis=(
        "SageMaker Pipelines property references (Steps.<name>.<property>): the step must exist"
    ),
)
def dangling_step_reference(context: CheckContext) -> Iterator[Violation]:
    """References whose target step does not exist in the consumer's pipeline."""
    graph = context.graph
    for _, ref in step_refs(graph, "Steps"):
        steps = pipeline_steps(graph, ref.get("pipeline"))
        target = ref.get("target_step")
        if target is not None and target not in steps:
            args = {"expression": ref.get("expression"), "target": target, "candidates": [*steps]}
            yield violation("L301", ref, args)


def _unknown_output_message(args: dict[str, Any]) -> str:
    label, field = DECLARED_FAMILIES[args["family"]]
    wanted, declared = args["wanted"], args["declared"]
    what = f"{label} {wanted!r}" if wanted is not None else f"{label} at that index"
    listing = ", ".join(repr(d) for d in declared) if declared else "none"
    return f"step {args['target']!r} declares no {what} (declared in {field}: {listing})" + (
        did_you_mean(wanted, declared) if wanted is not None else ""
    )


@graph_rule(
    "L303",
    "unknown-output-name",
    Severity.ERROR,
    applies_to="PropertyRef to a declared output",
    summary="A reference names an output, property file or output parameter the step does not "
    "declare",
    rationale=(
        "`Outputs['x']`, `PropertyFiles.X` and `OutputParameters['x']` select one of the outputs "
        "the producing step declares. A name it does not declare fails the pipeline at run time "
        "and breaks the data lineage between the two steps."
    ),
    recommendation="Use one of the names the producing step declares (the message lists them).",
    example='{"Get": "Steps.Preprocess.ProcessingOutputConfig.Outputs[\'trian\'].S3Output.S3Uri"}',
    message=_unknown_output_message,
    basis=("declared outputs, property files and output parameters of the referenced step"),
)
def unknown_output_name(context: CheckContext) -> Iterator[Violation]:
    """Resolved-step references whose named output is not declared."""
    graph = context.graph
    for _, ref in step_refs(graph, "Steps"):
        family = ref.get("output_family")
        if ref.get("resolved") or family not in DECLARED_FAMILIES:
            continue
        target = pipeline_steps(graph, ref.get("pipeline")).get(ref.get("target_step"))
        if target is None:
            continue
        prefix = f"{target.key}/{family}/"
        declared = [
            str(a.get("name")) for a in graph.out(target, Rel.PRODUCES) if a.key.startswith(prefix)
        ]
        args = {
            "target": target.get("name"),
            "family": family,
            "wanted": ref.get("output_name"),
            "declared": declared,
        }
        yield violation("L303", ref, args)


@graph_rule(
    "L304",
    "undefined-parameter",
    Severity.ERROR,
    applies_to="PropertyRef with root Parameters",
    summary="A reference to a pipeline parameter that is not declared",
    rationale=(
        '`{"Get": "Parameters.X"}` reads parameter X, which must be declared in the '
        "definition's `Parameters` list. SageMaker rejects a definition that reads an undeclared "
        "parameter."
    ),
    recommendation="Declare the parameter (with a default) or fix the name.",
    example='{"Get": "Parameters.InputDta"}',
    message=lambda a: (
        f"parameter {a['name']!r} is not declared in the pipeline's Parameters"
        + did_you_mean(a["name"], a["declared"])
    ),
    basis=("SageMaker Pipelines parameters: every Parameters.<name> must be declared"),
)
def undefined_parameter(context: CheckContext) -> Iterator[Violation]:
    """Parameter references that resolve to no declared parameter."""
    graph = context.graph
    for _, ref in step_refs(graph, "Parameters"):
        if ref.get("resolved") or ref.get("target_parameter") is None:
            continue
        pipeline = graph.node(Kind.PIPELINE, ref.get("pipeline"))
        declared = [str(p.get("name")) for p in graph.out(pipeline, Rel.HAS_PARAMETER)]
        yield violation("L304", ref, {"name": ref.get("target_parameter"), "declared": declared})


@graph_rule(
    "L306",
    "unknown-depends-on",
    Severity.ERROR,
    applies_to="Step.DependsOn",
    summary="`DependsOn` names a step the pipeline does not have",
    rationale=(
        "`DependsOn` orders steps that share no data. A name that matches no step makes "
        "SageMaker reject the definition, and the intended ordering silently disappears from "
        "any copy that drops it."
    ),
    recommendation="List existing step names only (exact, case-sensitive).",
    example='{"Name": "Evaluate", "DependsOn": ["Trian"]}',
    message=lambda a: (
        f"step {a['step']!r} depends on {a['name']!r}, which the pipeline does not "
        f"have{did_you_mean(a['name'], a['candidates'])}"
    ),
    basis=("SageMaker Pipelines DependsOn: names of steps of the same pipeline"),
)
def unknown_depends_on(context: CheckContext) -> Iterator[Violation]:
    """DependsOn entries naming no step of the pipeline."""
    graph = context.graph
    for step in graph.nodes(Kind.STEP):
        names = step.get("depends_on") or []
        if not names:
            continue
        steps = pipeline_steps(graph, step.get("pipeline"))
        for index, name in enumerate(names):
            if name not in steps:
                args = {"step": step.get("name"), "name": name, "candidates": [*steps]}
                pointer = child(child(step.get("pointer"), "DependsOn"), index)
                yield violation("L306", step, args, pointer)


@graph_rule(
    "L302",
    "invalid-property-path",
    Severity.ERROR,
    applies_to="PropertyRef with root Steps",
    summary="A property reference reads a property the producing step does not have",
    rationale=(
        "`Steps.X.<path>` reads a property of step X when the pipeline runs. The properties of a "
        "step are those of its job's Describe response in the SageMaker API "
        "(DescribeTrainingJob for Training, DescribeProcessingJob for Processing, …, as the "
        "SageMaker SDK builds them), plus `PropertyFiles.<name>` on Processing steps, "
        "`OutputParameters['name']` on Lambda and Callback steps and the baseline properties of "
        "the check steps. A path outside them, a list read without an index, or an index on "
        "something that is not a list fails the pipeline at run time and breaks the lineage "
        "between the two steps."
    ),
    recommendation=(
        "Fix the path: the message names the first part that does not exist and suggests the "
        "closest member. Select list items with `[0]` or `['name']` and map values with "
        "`['key']`."
    ),
    example='{"Get": "Steps.Train.ModelArtifact.S3ModelArtifacts"}',
    message=lambda a: f"invalid property path {a['expression']!r}: {a['error']}",
    review=(
        "0 findings: all 245 step references of the corpus, the SDK fixtures and the example "
        "are valid, including list indexes (`TrainingJobSummaries[0]`), names on lists "
        "(`Outputs['train']`), map keys, property files, output parameters and the check steps' "
        "baseline properties."
    ),
    basis=(
        "the properties of each step type: the Describe* response shapes of botocore's service "
        "model, as the SDK builds step properties"
    ),
)
def invalid_property_path(context: CheckContext) -> Iterator[Violation]:
    """Step references the collector found invalid against the producing step's properties."""
    for _, ref in step_refs(context.graph, "Steps"):
        if ref.get("path_valid") is False:
            args = {"expression": ref.get("expression"), "error": ref.get("path_error")}
            yield violation("L302", ref, args)
