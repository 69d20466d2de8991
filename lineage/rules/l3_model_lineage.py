"""Level 3 model lineage rules: where served models, their metrics and their images come from."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from lineage.collect.artifacts import image_framework
from lineage.graph.lineage_graph import LineageGraph, Node, Rel
from lineage.rules.engine.model import CheckContext, Severity, Violation
from lineage.rules.engine.queries import (
    Input,
    consumed,
    input_producers,
    read_models,
    step_inputs,
    steps_of_type,
    unsupported_entries,
)
from lineage.rules.engine.rulebook import graph_rule, violation

SERVING_STEPS = ("Model", "RegisterModel")


def trained_model(value: Input) -> Node | None:
    """The model artifact of a Training, Tuning or AutoML step an input value reads, if any."""
    source = value.source
    if value.ref is None or source is None or source.get("artifact_kind") != "model":
        return None
    return source


def describe_source(args: dict[str, Any]) -> str:
    """An input value's source in words, from `Input.source_args`."""
    if args["via"] == "literal":
        return f"the literal URI {args['value']!r}"
    if args["via"] == "parameter":
        return f"parameter {args['value']!r}"
    return repr(args["value"])


@graph_rule(
    "L307",
    "model-not-from-training",
    Severity.WARNING,
    applies_to="Model and RegisterModel steps (ModelDataUrl)",
    absorbs=("L309",),
    summary="Served or registered model data that no step of the pipeline produces",
    rationale=(
        "A model package or SageMaker model is traceable only when its `ModelDataUrl` reads what "
        "a step of the same pipeline produced: the model artifact of a Training or Tuning step "
        "(`Steps.Train.ModelArtifacts.S3ModelArtifacts`), a processing output (a serial-inference "
        "preprocessing model), or a Lambda or Callback output (an approved model's URL looked "
        "up at run time). A literal S3 URI no step writes, or a bare parameter, breaks that "
        "lineage: the registry cannot tell which job, data and code produced the model, the step "
        "does not wait for it, and a stale or unrelated artifact can be served unnoticed."
    ),
    recommendation=(
        "Pass the training step's `properties.ModelArtifacts.S3ModelArtifacts` (or "
        "`TuningStep.get_top_model_s3_uri(...)`, or the output of the step that writes the model) "
        "as `model_data`. If the model really comes from outside the pipeline, register it in "
        "the pipeline that trains it."
    ),
    example='"ModelDataUrl": "s3://bucket/models/abalone/model.tar.gz"',
    message=lambda a: (
        f"model data of {a['step_type']} step {a['step']!r} comes from {describe_source(a)}, "
        "which no step of the pipeline produces"
    ),
    review=(
        "Corpus: the serial-inference pipelines' preprocessing models are written by their own "
        "processing steps and the abalone-inference model URL comes from a Lambda step: all "
        "produced in the pipeline, no longer reported (they were 5 of 7 findings, judged false "
        "alarms). Kept: literal_model_data (CreateModel and RegisterModel serve a literal URI no "
        "step writes) and the model URIs of serial-inference pipelines that no step writes."
    ),
    basis=(
        "lineage through the pipeline's own outputs: Training/Tuning ModelArtifacts, processing"
        " outputs, Lambda and Callback output parameters (the SDK's step properties)"
    ),
)
def model_not_from_training(context: CheckContext) -> Iterator[Violation]:
    """One finding per container whose model data no step of the pipeline produces."""
    graph = context.graph
    for step in steps_of_type(graph, *SERVING_STEPS):
        for value in unsupported_entries(
            graph, step, "model", lambda v: bool(input_producers(graph, v))
        ):
            args = {"step_type": step.get("step_type"), "step": step.get("name")}
            yield violation("L307", step, args | value.source_args(), value.pointer)


@graph_rule(
    "L308",
    "metrics-not-from-pipeline",
    Severity.WARNING,
    applies_to="RegisterModel steps (ModelMetrics S3Uri)",
    summary="Registered model metrics that no step of the pipeline produces",
    rationale=(
        "`ModelMetrics` sources attach evaluation reports to the model package, and approvers "
        "decide on them. When a source's `S3Uri` is a literal (often copied from an earlier "
        "run) or a parameter, and no step of this pipeline writes there, the package shows "
        "metrics that were not computed for the model being registered, and nothing makes the "
        "registration wait for an evaluation."
    ),
    recommendation=(
        "Read the metrics from the evaluation step's output "
        "(`step_eval.properties.ProcessingOutputConfig.Outputs['evaluation'].S3Output.S3Uri` "
        "joined with the report's file name) or from a QualityCheck/ClarifyCheck step's "
        "properties."
    ),
    example='"S3Uri": "s3://bucket/sklearn-2023-10-20-01-19-23-238/output/evaluation.json"',
    message=lambda a: (
        f"metrics of step {a['step']!r} come from {describe_source(a)}, which no step of the "
        "pipeline produces"
    ),
    review=(
        "Corpus and fixtures: 2 findings, both kept: dynamic-sagemaker-pipelines-framework's "
        "report URI lacks the `/` before the file name, and customer-churn reads "
        "`…/evaluation.json` while its evaluation writes under `…/output/evaluation`. The 6 "
        "other literal URIs sit under a step's declared output and count as produced; fixed: "
        "model output paths no longer count (a bucket-root `S3OutputPath` had hidden the first "
        "finding)."
    ),
    basis=(
        "CreateModelPackage's ModelMetrics sources and the outputs the pipeline's steps declare"
    ),
)
def metrics_not_from_pipeline(context: CheckContext) -> Iterator[Violation]:
    """One finding per metrics source that reads nothing a step of the pipeline produces."""
    graph = context.graph
    for step in steps_of_type(graph, "RegisterModel"):
        for value in unsupported_entries(
            graph, step, "metrics", lambda v: bool(input_producers(graph, v))
        ):
            args = {"step": step.get("name")} | value.source_args()
            yield violation("L308", step, args, value.pointer)


def model_args(graph: LineageGraph, models: dict[str, Node]) -> list[dict[str, Any]]:
    """Model artifacts as message arguments: the step that produced each, or its URI."""
    found = []
    for artifact in models.values():
        producers = graph.into(artifact, Rel.PRODUCES)
        found.append(
            {"step": producers[0].get("name") if producers else None, "uri": artifact.get("uri")}
        )
    return found


def model_names(models: list[dict[str, Any]]) -> str:
    """Model arguments as text: `the model of 'Train'`, or its URI."""
    return ", ".join(
        f"the model of {m['step']!r}" if m["step"] else f"the model at {m['uri']!r}" for m in models
    )


@graph_rule(
    "L309",
    "evaluated-model-mismatch",
    Severity.ERROR,
    applies_to="RegisterModel steps (ModelMetrics vs ModelDataUrl)",
    summary="The registration's metrics come from a step that evaluated a different model",
    rationale=(
        "A model package's metrics must describe the registered artifact. When the step that "
        "produced them read a model (directly, or through a model and batch transform) but not "
        "the one being registered, for instance it evaluated a challenger while the champion is "
        "registered, the registry records metrics of another model and approvals rest on them. "
        "Metrics from steps that read no model at all (data quality, pre-training bias) are not "
        "checked; a model the SDK repacked counts as the model it was repacked from."
    ),
    recommendation=(
        "Evaluate the artifact you register: pass the same "
        "`properties.ModelArtifacts.S3ModelArtifacts` to the evaluation step and to the "
        "model/registration."
    ),
    example="Evaluate reads Steps.TrainChallenger.ModelArtifacts…, the registration serves "
    "Steps.Train.ModelArtifacts…",
    message=lambda a: (
        f"metrics of step {a['step']!r} come from step {a['evaluator']!r}, which evaluated "
        f"{model_names(a['evaluated'])}, but the step registers {model_names(a['registered'])}"
    ),
    review=(
        "Corpus and fixtures: 2 findings, both kept: evaluates_other_model (the challenger is "
        "evaluated, the other model registered) and literal_model_data (the trained model is "
        "evaluated, a literal URI registered). Data-quality and pre-training bias metrics "
        "(quality_checks, the model-monitor notebook) read no model and stay quiet; model "
        "checks that read it through the transform and CreateModel steps count as evaluating "
        "it."
    ),
    basis=(
        "the evaluation step's inputs traced to the model artifact it evaluated, against the "
        "registered ModelDataUrl"
    ),
)
def evaluated_model_mismatch(context: CheckContext) -> Iterator[Violation]:
    """One finding per metrics-producing step that evaluated models, none of them registered."""
    graph = context.graph
    for step in steps_of_type(graph, "RegisterModel"):
        registered = {edge.target.key: edge.target for edge in consumed(graph, step, "model")}
        if not registered:
            continue
        producers = [p for model in registered.values() for p in graph.into(model, Rel.PRODUCES)]
        lineage = registered.keys() | read_models(graph, producers).keys()
        for producer, pointer in _metrics_producers(graph, step):
            evaluated = read_models(graph, [producer])
            if evaluated and not evaluated.keys() & lineage:
                args = {
                    "step": step.get("name"),
                    "evaluator": producer.get("name"),
                    "evaluated": model_args(graph, evaluated),
                    "registered": model_args(graph, registered),
                }
                yield violation("L309", step, args, pointer)


def _metrics_producers(graph: LineageGraph, step: Node) -> list[tuple[Node, str]]:
    """The steps that produce a registration's metrics, each with its first metrics pointer."""
    found: dict[str, tuple[Node, str]] = {}
    for value in step_inputs(graph, step, "metrics"):
        for producer in input_producers(graph, value):
            found.setdefault(producer.key, (producer, value.pointer))
    return [found[key] for key in sorted(found)]


def _training_origins(graph: LineageGraph, model: Node) -> list[Node]:
    """The steps that trained a model artifact, through steps that repack or refine a model."""
    origins: dict[str, Node] = {}
    seen, queue = {model.key}, [model]
    while queue:
        for producer in graph.into(queue.pop(), Rel.PRODUCES):
            read = [
                a
                for a in graph.out(producer, Rel.CONSUMES)
                if a.get("artifact_kind") == "model" and graph.into(a, Rel.PRODUCES)
            ]
            if not read:
                origins[producer.key] = producer
            queue.extend(a for a in read if a.key not in seen)
            seen.update(a.key for a in read)
    return [origins[key] for key in sorted(origins)]


@graph_rule(
    "L316",
    "framework-mismatch",
    Severity.WARNING,
    applies_to="Model and RegisterModel containers (Image vs the training image)",
    summary="The serving image's framework differs from the framework that trained the model",
    rationale=(
        "A model artifact has the format of the framework that trained it (an XGBoost booster, "
        "a scikit-learn pickle, a PyTorch or TensorFlow checkpoint). A container of another "
        "framework cannot load it: the endpoint or transform fails at its first request, often "
        "after the model was approved. The scanner reads the framework from the ECR repository "
        "names of both images (sagemaker-xgboost, sagemaker-scikit-learn, "
        "pytorch-training/-inference, tensorflow-…, huggingface-pytorch-…, mxnet-…) and does "
        "not compare images it cannot classify. A model the SDK repacked (a Training step that "
        "reads another model) is traced back to the step that trained it."
    ),
    recommendation=(
        "Serve the model with the inference image of the framework and version it was trained "
        "with (`sagemaker.image_uris.retrieve(framework, region, version)` with the estimator's "
        "framework)."
    ),
    example="trained with sagemaker-xgboost:1.7-1, served with "
    "sagemaker-scikit-learn:1.2-1-cpu-py3",
    message=lambda a: (
        f"{a['step_type']} step {a['step']!r} serves the model of {a['origin']!r} with a "
        f"{image_framework(a['serving_image'])} image ({a['serving_image']!r}), but it was "
        f"trained with a {image_framework(a['training_image'])} image ({a['training_image']!r})"
    ),
    review=(
        "Corpus and fixtures: no findings; the 40 containers with classified images agree. "
        "Fixed: the PyTorch serial batch demo serves a model repacked by a Training step on a "
        "scikit-learn image, a false positive until repack steps were traced back to the "
        "training step. huggingface-pytorch-inference serving a pytorch-training model counts "
        "as PyTorch; custom images (R, abalone-inference:latest) are not compared."
    ),
    basis=("the framework of the serving and training images (SageMaker's framework image names)"),
)
def framework_mismatch(context: CheckContext) -> Iterator[Violation]:
    """Containers whose image framework is none of the model's training image frameworks."""
    graph = context.graph
    for step in steps_of_type(graph, *SERVING_STEPS):
        images = {edge.props["entry"]: edge for edge in consumed(graph, step, "image")}
        for value in step_inputs(graph, step, "model"):
            image, model = images.get(value.entry), trained_model(value)
            serving = image.target.get("framework") if image else None
            if image is None or serving is None or model is None:
                continue
            trained = [
                (origin, used, framework)
                for origin in _training_origins(graph, model)
                for used in consumed(graph, origin, "image")
                if (framework := used.target.get("framework"))
            ]
            if trained and serving not in {framework for _, _, framework in trained}:
                origin, used, _ = trained[0]
                args = {
                    "step_type": step.get("step_type"),
                    "step": step.get("name"),
                    "origin": origin.get("name"),
                    "serving_image": image.target.get("uri"),
                    "training_image": used.target.get("uri"),
                }
                yield violation("L316", step, args, image.props["arg"])
