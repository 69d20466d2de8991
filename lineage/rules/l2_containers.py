"""Level 2 rules on registry and container configuration: specs, metadata, metrics, env, images."""

from __future__ import annotations

from collections.abc import Iterator

from lineage.graph.lineage_graph import Kind, Node
from lineage.jsondoc.pointer import child
from lineage.rules.engine.arguments import (
    Slot,
    arguments,
    containers,
    describe,
    display_path,
    image_ref,
    image_slots,
    is_set,
    literal,
    metrics_sources,
    missing,
)
from lineage.rules.engine.model import CheckContext, Severity, Violation
from lineage.rules.engine.rulebook import node_check
from lineage.sagemaker.expressions import is_expression

IMAGE_STEPS = (
    "Processing",
    "Training",
    "Tuning",
    "Model",
    "RegisterModel",
    "QualityCheck",
    "ClarifyCheck",
)
# Serving images whose container imports the user's module and has no default model loader.
SCRIPT_ONLY_SERVING = frozenset({"sagemaker-scikit-learn"})
# AWS images published without version tags (the SDK itself names them untagged).
UNVERSIONED_AWS_IMAGES = frozenset({"sagemaker-model-monitor-analyzer"})
JSON = "application/json"


@node_check(
    "L201",
    "missing-content-types",
    Severity.WARNING,
    kinds=(Kind.STEP,),
    step_types=("RegisterModel",),
    summary="An inference specification without supported request or response content types",
    rationale=(
        "`SupportedContentTypes` and `SupportedResponseMIMETypes` tell whoever deploys the "
        "package, and SageMaker features such as inference recommendations and model monitoring, "
        "what the model accepts and returns. A package without them can be approved and deployed "
        "with nothing saying how to call it."
    ),
    recommendation=(
        "Pass `content_types=[...]` and `response_types=[...]` to `model.register(...)`, e.g. "
        '`["text/csv"]`.'
    ),
    example='{"InferenceSpecification": {"Containers": [{"Image": "…", "ModelDataUrl": "…"}]}}',
    review=(
        "Corpus and fixtures: no findings; every registration declares both lists (the SDK's "
        "`register()` asks for them)."
    ),
    basis=(
        "CreateModelPackage's InferenceSpecification (SupportedContentTypes, "
        "SupportedResponseMIMETypes) in botocore's service model"
    ),
)
def missing_content_types(node: Node, context: CheckContext) -> Iterator[Violation]:
    """Inference specifications lacking request or response content types."""
    spec = arguments(node).at("InferenceSpecification")
    if spec.value:
        slots = [Slot(spec, "SupportedContentTypes"), Slot(spec, "SupportedResponseMIMETypes")]
        yield from missing(node, slots, "content types")


@node_check(
    "L202",
    "missing-inference-instance-types",
    Severity.INFO,
    kinds=(Kind.STEP,),
    step_types=("RegisterModel",),
    summary="An inference specification that names no instance types to deploy on",
    rationale=(
        "`SupportedRealtimeInferenceInstanceTypes` and `SupportedTransformInstanceTypes` record "
        "the instance types the model was validated for. Without either, deployments pick an "
        "instance type by guesswork, and the registry cannot tell which hardware an approved "
        "package is meant to run on."
    ),
    recommendation=(
        "Pass `inference_instances=[...]` and/or `transform_instances=[...]` to "
        "`model.register(...)`."
    ),
    example='{"InferenceSpecification": {"Containers": […], "SupportedContentTypes": '
    '["text/csv"], "SupportedResponseMIMETypes": ["text/csv"]}}',
    review=(
        "Corpus and fixtures: no findings; every registration lists real-time and transform "
        "instance types."
    ),
    basis=(
        "CreateModelPackage's InferenceSpecification (SupportedRealtimeInferenceInstanceTypes, "
        "SupportedTransformInstanceTypes)"
    ),
)
def missing_inference_instance_types(node: Node, context: CheckContext) -> Iterator[Violation]:
    """Inference specifications with neither real-time nor transform instance types."""
    spec = arguments(node).at("InferenceSpecification")
    if spec.value:
        slot = Slot(
            spec, "SupportedRealtimeInferenceInstanceTypes", ("SupportedTransformInstanceTypes",)
        )
        yield from missing(node, [slot], "inference instance types")


@node_check(
    "L203",
    "missing-metadata-properties",
    Severity.WARNING,
    kinds=(Kind.STEP,),
    step_types=("RegisterModel",),
    summary="A registration whose CustomerMetadataProperties lack the keys a team requires",
    rationale=(
        "`CustomerMetadataProperties` is where a registry keeps what describes a model version "
        "for people and audits (its name, framework, owner, risk tier...). Which keys matter is "
        "a house rule, so this check is opt-in: it runs only when `required-metadata-keys` in "
        '`[tool.lineage]` names them (for example `["model_name", "framework", '
        '"algorithm"]`), and then reports registrations that lack any of them.'
    ),
    recommendation=(
        "Pass `customer_metadata_properties={...}` to `model.register(...)` with every required "
        "key (the message lists the missing ones)."
    ),
    example='{"CustomerMetadataProperties": {"model_name": "abalone-age"}}',
    review=(
        "Opt-in since the accuracy review: with three keys required by default it fired on 13 "
        "of 13 corpus registrations that set no metadata at all, which is house style, not a "
        "defect. With `required-metadata-keys` configured, every finding is a registration "
        "lacking a key the team asked for."
    ),
    basis=("house style: the keys configured in required-metadata-keys"),
)
def missing_metadata_properties(node: Node, context: CheckContext) -> Iterator[Violation]:
    """Registrations lacking required metadata keys (blank values count as missing)."""
    args = arguments(node)
    if is_expression(args.get("CustomerMetadataProperties")):
        return
    properties = args.at("CustomerMetadataProperties")
    lacking = [k for k in context.settings.required_metadata_keys if not is_set(properties.get(k))]
    if lacking:
        keys = ", ".join(repr(k) for k in lacking)
        yield Violation(
            node,
            f"{describe(node)} lacks the metadata key(s) {keys} in CustomerMetadataProperties",
            properties.pointer,
        )


@node_check(
    "L204",
    "missing-model-metrics",
    Severity.INFO,
    kinds=(Kind.STEP,),
    step_types=("RegisterModel",),
    summary="A registration without model metrics",
    rationale=(
        "`ModelMetrics` attaches the evaluation of this model version (quality statistics and "
        "constraints, data quality, bias, explainability reports) to the package. Without them "
        "an approver decides blind, and the registry cannot show why a version was approved. "
        'Sections that are present but empty (the SDK writes `"Bias": {}`) carry nothing.'
    ),
    recommendation=(
        "Pass `model_metrics=ModelMetrics(model_statistics=MetricsSource(...))` built from the "
        "evaluation step's output to `model.register(...)`."
    ),
    example='{"ModelMetrics": {"Bias": {}, "Explainability": {}}}',
    review=(
        "Corpus: 3 findings, fixtures: 0: registrations with no ModelMetrics (tuning_step_example, "
        "the serial batch inference demo, the Falcon registration of "
        "dynamic-sagemaker-pipelines-framework). A completeness check, so info by default (raise "
        'it with `severity = { L204 = "warning" }`); the SDK\'s empty `Bias`/`Explainability` '
        "sections beside a real source are not reported."
    ),
    basis=("CreateModelPackage's ModelMetrics in botocore's service model"),
)
def missing_model_metrics(node: Node, context: CheckContext) -> Iterator[Violation]:
    """Registrations whose ModelMetrics name no metrics file."""
    metrics = arguments(node).at("ModelMetrics")
    if not metrics_sources(metrics):
        what = "only empty ModelMetrics sections" if metrics.value else "no model metrics"
        yield Violation(node, f"{describe(node)} registers {what}", metrics.pointer)


@node_check(
    "L205",
    "missing-inference-entry-point",
    Severity.WARNING,
    kinds=(Kind.STEP,),
    step_types=("Model", "RegisterModel"),
    summary="A framework serving container with inference code but no entry point",
    rationale=(
        "Framework serving containers import the module named by `SAGEMAKER_PROGRAM` from "
        "`SAGEMAKER_SUBMIT_DIRECTORY`. When the code is shipped but the entry point is missing, "
        "the container ignores the code; the scikit-learn container has no default model loader "
        "at all and fails to start. The built-in XGBoost algorithm, TensorFlow Serving, PyTorch "
        "(TorchScript) and Hugging Face containers serve a model without a script and are not "
        "reported unless code is shipped."
    ),
    recommendation=(
        "Build the model with `entry_point=` (e.g. `SKLearnModel(entry_point='inference.py', "
        "...)`), which sets both variables."
    ),
    example='{"Image": "…/sagemaker-scikit-learn:1.2-1-cpu-py3", "Environment": '
    '{"SAGEMAKER_SUBMIT_DIRECTORY": "s3://…/sourcedir.tar.gz"}}',
    review=(
        "Corpus and fixtures: no findings; the scikit-learn, PyTorch, TensorFlow and Hugging Face "
        "serving containers there that ship code name SAGEMAKER_PROGRAM. Image-based detection is "
        "limited to scikit-learn: the PyTorch (TorchScript), TensorFlow Serving, Hugging Face and "
        "built-in XGBoost containers serve without a script."
    ),
    basis=(
        "SageMaker framework serving containers' SAGEMAKER_PROGRAM / SAGEMAKER_SUBMIT_DIRECTORY"
        " convention (SDK FrameworkModel)"
    ),
)
def missing_inference_entry_point(node: Node, context: CheckContext) -> Iterator[Violation]:
    """Serving containers that ship code or need a script but name no SAGEMAKER_PROGRAM."""
    for container in containers(node):
        env = container.at("Environment")
        if is_set(env.get("SAGEMAKER_PROGRAM")):
            continue
        image = image_ref(container.get("Image"))
        if is_set(env.get("SAGEMAKER_SUBMIT_DIRECTORY")):
            reason = "SAGEMAKER_SUBMIT_DIRECTORY ships inference code"
        elif image is not None and image.repository in SCRIPT_ONLY_SERVING:
            reason = f"the {image.repository} serving container needs an inference script"
        else:
            continue
        yield Violation(
            node,
            f"{describe(node)}: container {display_path(node, container.pointer)} sets no "
            f"SAGEMAKER_PROGRAM entry point, but {reason}",
            child(env.pointer, "SAGEMAKER_PROGRAM"),
        )


@node_check(
    "L207",
    "unpinned-image",
    Severity.WARNING,
    kinds=(Kind.STEP,),
    step_types=IMAGE_STEPS,
    summary="An image referenced by the tag latest or by no tag, without a digest",
    rationale=(
        "`repo:latest` and an untagged `repo` name whatever was pushed last. A re-run, a retry or "
        "a deployment of an approved package may then run different code than the one that was "
        "evaluated and approved, and the lineage no longer says which image produced a model. "
        "Images given as expressions or template placeholders are not checked."
    ),
    recommendation=(
        "Reference images by a version tag (`repo:1.4.2`) or, best, by digest (`repo@sha256:…`)."
    ),
    example='{"Image": "111122223333.dkr.ecr.us-east-1.amazonaws.com/abalone-inference:latest"}',
    review=(
        "Fixtures: 2 findings (unpinned_image's `:latest` model and registration), corpus: 0. The "
        "first pass also flagged the untagged `sagemaker-model-monitor-analyzer` image that the "
        "SDK writes (AWS publishes it untagged); it is now exempt. Templated images are skipped."
    ),
    basis=("container image references (tag and digest) as ECR resolves them"),
)
def unpinned_image(node: Node, context: CheckContext) -> Iterator[Violation]:
    """Literal images tagged latest or untagged, with no digest."""
    for slot in image_slots(node):
        image = image_ref(slot.value)
        if image is None or image.digest or image.tag not in ("", "latest"):
            continue
        if image.repository in UNVERSIONED_AWS_IMAGES:
            continue
        how = "the tag 'latest'" if image.tag else "no tag"
        yield Violation(
            node,
            f"{describe(node)} runs image {slot.value!r} ({display_path(node, slot.pointer)}) "
            f"with {how} and no digest",
            slot.pointer,
        )


@node_check(
    "L208",
    "metrics-content-type",
    Severity.WARNING,
    kinds=(Kind.STEP,),
    step_types=("RegisterModel",),
    summary="A model metrics or drift baseline file whose ContentType is not application/json",
    rationale=(
        "SageMaker Model Registry, Studio and Model Monitor read the statistics, constraints and "
        "reports attached to a package as JSON. A metrics source declared with another or no "
        "`ContentType` is not shown or compared, so the evidence an approval relies on "
        "silently disappears from the registry."
    ),
    recommendation='Declare every `MetricsSource(..., content_type="application/json")`.',
    example='{"ModelMetrics": {"ModelQuality": {"Statistics": {"ContentType": "text/csv", '
    '"S3Uri": "s3://…/evaluation.json"}}}}',
    review=(
        "Corpus and fixtures: no findings; every metrics and baseline source there is declared "
        "application/json."
    ),
    basis=(
        "CreateModelPackage's MetricsSource.ContentType as the Model Registry reads model "
        "metrics (application/json)"
    ),
)
def metrics_content_type(node: Node, context: CheckContext) -> Iterator[Violation]:
    """Metrics and baseline sources declared with a content type other than JSON."""
    args = arguments(node)
    for source in [
        *metrics_sources(args.at("ModelMetrics")),
        *metrics_sources(args.at("DriftCheckBaselines")),
    ]:
        content_type = source.get("ContentType")
        text = literal(content_type)
        if is_expression(content_type) or (text and text.split(";")[0].strip().lower() == JSON):
            continue
        declared = f"content type {text!r}" if text else "no ContentType"
        yield Violation(
            node,
            f"{describe(node)}: metrics source {display_path(node, source.pointer)} has "
            f"{declared}, not {JSON}",
            child(source.pointer, "ContentType"),
        )
