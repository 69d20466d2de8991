"""Level 3 data-flow rules: untraceable inputs, unused steps and redundant ordering."""

from __future__ import annotations

from collections.abc import Iterator

from lineage.graph.lineage_graph import Kind, Rel
from lineage.jsondoc.pointer import child
from lineage.rules.engine.model import CheckContext, Severity, Violation
from lineage.rules.engine.queries import (
    Input,
    depends_on,
    input_producers,
    location_reads,
    pipeline_steps,
    referenced_steps,
    step_inputs,
    steps_of_type,
    unsupported_entries,
    upstream_steps,
)
from lineage.rules.engine.rulebook import graph_rule, violation

# Step types that exist for their outputs; every other type is an end point of its own.
OUTPUT_STEPS = ("Processing", "Training", "Tuning", "AutoML")
MODEL_NAMES = {
    "literal": "the model named {!r}",
    "parameter": "the model named by parameter {!r}",
    "reference": "the model named by {!r}",
}


def _from_model_step(value: Input) -> bool:
    """Whether a model-name value reads a property of a Model step."""
    source = value.source
    return source is not None and source.kind is Kind.STEP and source.get("step_type") == "Model"


@graph_rule(
    "L312",
    "transform-model-not-from-pipeline",
    Severity.INFO,
    applies_to="Transform steps (ModelName)",
    summary="A Transform step runs a model that no Model step of the pipeline creates",
    rationale=(
        "A batch transform runs the SageMaker model its `ModelName` names. When that is a "
        "literal, a parameter or another step's output rather than `Steps.<Model step>.ModelName`"
        ", the predictions do not trace back to the pipeline's training: the model may be stale, "
        "deleted or from elsewhere, and the transform does not wait for a model of this run."
    ),
    recommendation=(
        "Create the model in the pipeline (ModelStep from the trained artifacts) and pass its "
        "`properties.ModelName`. If scoring with an existing model is the intent, ignore this "
        "finding for the pipeline."
    ),
    example='"ModelName": {"Get": "Parameters.ModelName"}',
    message=lambda a: (
        f"Transform step {a['step']!r} runs {MODEL_NAMES[a['via']].format(a['value'])}, not a "
        "model that a Model step of the pipeline creates"
    ),
    review=(
        "Corpus and fixtures: 1 finding, kept: scheduled-sm-pipelines-sklearn scores with the "
        "model named by parameter `ModelName` (an existing model, on purpose; hence info). The "
        "other 18 transforms read `Steps.<Model step>.ModelName`."
    ),
    basis=("CreateTransformJob's ModelName and the Model steps of the pipeline"),
)
def transform_model_not_from_pipeline(context: CheckContext) -> Iterator[Violation]:
    """Transform steps whose model name is a literal or reads anything but a Model step."""
    graph = context.graph
    for step in steps_of_type(graph, "Transform"):
        pointer = child(child(step.get("pointer"), "Arguments"), "ModelName")
        literal = step.get("model_name")
        if literal is not None:
            args = {"step": step.get("name"), "via": "literal", "value": literal}
            yield violation("L312", step, args, pointer)
        for value in unsupported_entries(graph, step, "model_name", _from_model_step):
            args = {"step": step.get("name")} | value.source_args()
            yield violation("L312", step, args, value.pointer)


@graph_rule(
    "L313",
    "training-data-not-traceable",
    Severity.INFO,
    applies_to="Training and Tuning input channels",
    summary="A training channel reads a literal S3 URI that neither a step nor a parameter "
    "supplies",
    rationale=(
        "Training data is traceable when a channel reads a step's output "
        "(`Steps.Prep.ProcessingOutputConfig.Outputs[...]`), or at least a pipeline parameter "
        "that each execution records. A hard-coded S3 URI that no step of the pipeline writes to "
        "hides which data a model was trained on, and stays the same from run to run: the "
        "lineage stops at an opaque location."
    ),
    recommendation=(
        "Read the channel from the producing step's output property, or make the location a "
        "pipeline parameter."
    ),
    example='"S3Uri": "s3://bucket/emr/processed/train"',
    message=lambda a: (
        f"training channel {a['channel']!r} of step {a['step']!r} reads the literal URI "
        f"{a['uri']!r}, which no step of the pipeline produces and no parameter supplies"
    ),
    review=(
        "Corpus and fixtures: 4 findings, kept: emr_step (the EMR step writes the channels, "
        "which the graph cannot see) and sagemaker-controller my-pipeline "
        "(`s3://<YOUR_BUCKET_NAME>/…`). Fixed: the SDK's remote-function channels "
        "(`sagemaker_*`) are code, not training data (2 false positives in "
        "fp_lineage_test_constants)."
    ),
    basis=("training channels' S3 URIs against the pipeline's outputs and parameters"),
)
def training_data_not_traceable(context: CheckContext) -> Iterator[Violation]:
    """Literal training-data URIs of Training and Tuning steps that no step writes."""
    graph = context.graph
    for step in steps_of_type(graph, "Training", "Tuning"):
        for value in step_inputs(graph, step, "dataset"):
            if value.ref is None and not input_producers(graph, value):
                args = {
                    "step": step.get("name"),
                    "channel": value.name,
                    "uri": value.source_args()["value"],
                }
                yield violation("L313", step, args, value.pointer)


@graph_rule(
    "L314",
    "orphan-step",
    Severity.INFO,
    applies_to="Processing, Training, Tuning and AutoML steps",
    summary="A step whose outputs no step reads and that no step depends on",
    rationale=(
        "Processing, Training, Tuning and AutoML steps exist for their outputs. When no step "
        "reads them (by property reference, or at the S3 URI they are written to) and no step "
        "lists the step in `DependsOn`, its results go nowhere in the pipeline: often a leftover, "
        "or a step that lost its wiring to the model, condition or registration it was meant "
        "to feed. Registrations, models, transforms, checks, conditions, Lambda, Callback, EMR "
        "and Fail steps are end points by nature and are not reported, nor is the only step of "
        "a pipeline (its outputs are the pipeline's)."
    ),
    recommendation=(
        "Wire the outputs to the step that should consume them, or remove the step. If its "
        "outputs are meant for consumers outside the pipeline, ignore this finding."
    ),
    example="a Training step whose ModelArtifacts no step reads",
    message=lambda a: (
        f"no step reads the outputs of {a['step_type']} step {a['step']!r} "
        f"({', '.join(repr(o) for o in a['outputs'])}) or depends on it"
    ),
    review=(
        "Corpus and fixtures: 5 findings, kept: training steps whose model nothing uses "
        "(emr_step, lambda_callback, 3 in SDK unit-test snippets). Fixed: the only step of a "
        "pipeline is its product (11 single-step definitions); outputs read at their S3 "
        "location count as read (sn-infra-pipeline's steps, whose race L321 reports); steps "
        "that publish reports for people (Clarify jobs, evaluations read through property "
        "files, outputs all named as reports: customer-churn's Clarify analysis, sn-infra's "
        "evaluation report) are end points."
    ),
    basis=(
        "the step's declared outputs and the steps that read them (references, S3 locations, "
        "DependsOn)"
    ),
)
def orphan_step(context: CheckContext) -> Iterator[Violation]:
    """Output-producing steps that no other step reads from or depends on."""
    graph = context.graph
    used: set[str] = set()
    for step in graph.nodes(Kind.STEP):
        used.update(upstream.key for upstream in upstream_steps(graph, step))
        used.update(target.key for _, target in depends_on(graph, step) if target.key != step.key)
    for edge in location_reads(graph):
        producer = edge.target.get("producer")
        if producer != edge.source.key:
            used.add(str(producer))  # read at the S3 location it writes (L321, L322)
    for step in steps_of_type(graph, *OUTPUT_STEPS):
        outputs = graph.out(step, Rel.PRODUCES)
        alone = len(pipeline_steps(graph, step.get("pipeline"))) == 1
        if outputs and step.key not in used and not alone and not step.get("publishes_reports"):
            args = {
                "step_type": step.get("step_type"),
                "step": step.get("name"),
                "outputs": [output.get("name") for output in outputs],
            }
            yield violation("L314", step, args)


@graph_rule(
    "L315",
    "redundant-depends-on",
    Severity.INFO,
    applies_to="Step.DependsOn",
    summary="A `DependsOn` entry for a step the step already reads data from",
    rationale=(
        "SageMaker orders steps by their property references: a step that reads `Steps.X…` "
        "already waits for X. Listing X in `DependsOn` as well changes nothing, and hides the "
        "entries that matter (ordering without a data reference) among those that don't."
    ),
    recommendation="Remove the entry; keep `DependsOn` for ordering that no data reference "
    "expresses.",
    example='{"Name": "Train", "DependsOn": ["Prep"], "Arguments": {… {"Get": '
    "\"Steps.Prep.ProcessingOutputConfig.Outputs['train'].S3Output.S3Uri\"} …}}",
    message=lambda a: (
        f"step {a['step']!r} depends on {a['target']!r}, which it already waits for: it reads "
        f"{a['expression']!r}"
    ),
    review=(
        "Corpus and fixtures: 10 findings, all kept: depends_on (AbaloneTrain on "
        "AbaloneProcess; the pure-ordering entry on AbaloneDataReport stays quiet), "
        "dynamic-sagemaker-pipelines-framework (6), the Keras text-classification notebook (2) "
        "and customer-churn (1)."
    ),
    basis=("SageMaker Pipelines orders steps by property references as well as DependsOn"),
)
def redundant_depends_on(context: CheckContext) -> Iterator[Violation]:
    """DependsOn entries naming a step that a data reference of the step already names."""
    graph = context.graph
    for step in graph.nodes(Kind.STEP):
        references = referenced_steps(graph, step)
        for pointer, target in depends_on(graph, step):
            through = [ref for ref, referenced in references if referenced.key == target.key]
            if through:
                args = {
                    "step": step.get("name"),
                    "target": target.get("name"),
                    "expression": through[0].get("expression"),
                }
                yield violation("L315", step, args, pointer)
