"""Level 1 rules on step configuration: steps name the role, image, data and outputs they need."""

from __future__ import annotations

from collections.abc import Iterator

from lineage.graph.lineage_graph import Kind, Node
from lineage.rules.engine.arguments import (
    Part,
    Slot,
    arguments,
    containers,
    describe,
    image_ref,
    image_slots,
    is_set,
    literal,
    missing,
    training_job_definitions,
)
from lineage.rules.engine.model import CheckContext, Severity, Violation
from lineage.rules.engine.rulebook import node_check

CODE_DIR = "/opt/ml/processing/input/code"
# AWS processing images that run a configuration input instead of code: image → input name.
CONFIG_INPUTS = {
    "sagemaker-data-wrangler-container": "flow",
    "sagemaker-clarify-processing": "analysis_config",
}


@node_check(
    "L101",
    "missing-execution-role",
    Severity.ERROR,
    kinds=(Kind.STEP,),
    step_types=(
        "Processing",
        "Training",
        "Tuning",
        "Model",
        "AutoML",
        "QualityCheck",
        "ClarifyCheck",
    ),
    summary="A job or model step without an execution role",
    rationale=(
        "Processing, training, tuning, AutoML and check jobs, and the models a Model step "
        "creates, run under an IAM role that SageMaker assumes to read their inputs and images "
        "and write their outputs (`RoleArn`, `ExecutionRoleArn`, or `RoleArn` in each tuning "
        "training job definition). Without it SageMaker rejects the request when the step runs, "
        "after the steps before it have already spent their time and money."
    ),
    recommendation=(
        "Pass the execution role to the estimator, processor, tuner or model (`role=`), or set "
        "`RoleArn` / `ExecutionRoleArn` in the step's arguments; a pipeline parameter works too."
    ),
    example='{"Name": "Train", "Type": "Training", "Arguments": {"AlgorithmSpecification": '
    '{"TrainingImage": "…/sagemaker-xgboost:1.7-1"}, "OutputDataConfig": {…}}}',
    review=(
        "Corpus: 14 findings, fixtures: 0. 10 are SDK unit-test stubs (sdk_tests/, `Training` "
        "steps with fake arguments), 1 the CloudFormation docs example, 3 the hand-written "
        "Terraform template sn-infra-pipeline whose Processing steps have no RoleArn; all "
        "requests SageMaker would reject, nothing to fix."
    ),
    basis=(
        "botocore's sagemaker service model (service-2.json): the request shape of the step's "
        "job (RoleArn / ExecutionRoleArn are required members)"
    ),
)
def missing_execution_role(node: Node, context: CheckContext) -> Iterator[Violation]:
    """Jobs and models with no role where the request takes one."""
    step_type, args = node.get("step_type"), arguments(node)
    if step_type == "Tuning":
        slots = [Slot(job, "RoleArn") for job in training_job_definitions(node)]
    else:
        slots = [Slot(args, "ExecutionRoleArn" if step_type == "Model" else "RoleArn")]
    yield from missing(node, slots, "execution role")


@node_check(
    "L102",
    "missing-image",
    Severity.ERROR,
    kinds=(Kind.STEP,),
    step_types=(
        "Processing",
        "Training",
        "Tuning",
        "Model",
        "RegisterModel",
        "QualityCheck",
        "ClarifyCheck",
    ),
    summary="A step that runs or registers a container but names no image",
    rationale=(
        "Processing and check jobs run `AppSpecification.ImageUri`; training and tuning jobs run "
        "`AlgorithmSpecification.TrainingImage` (or a subscribed `AlgorithmName`); a model's "
        "containers run `Image` (or a `ModelPackageName`); and every inference container of a "
        "model package needs its `Image`. Without one SageMaker rejects the step, and for a "
        "registration the package could never be deployed."
    ),
    recommendation=(
        "Set the image on the estimator, processor or model (`image_uri=`, e.g. from "
        "`sagemaker.image_uris.retrieve`), or name the algorithm or model package instead."
    ),
    example='{"InferenceSpecification": {"Containers": [{"ModelDataUrl": "s3://…/model.tar.gz"}], '
    '"SupportedContentTypes": ["text/csv"]}}',
    review=(
        "Corpus: 11 findings, fixtures: 0, all true positives: the 10 SDK unit-test stubs and the "
        "CloudFormation docs example train with no image. Images given as a `Get` of the training "
        "step's image or as template placeholders count as set."
    ),
    basis=(
        "botocore's sagemaker service model (service-2.json): the request shape of the step's "
        "job (TrainingImage or AlgorithmName, AppSpecification.ImageUri, container Image)"
    ),
)
def missing_image(node: Node, context: CheckContext) -> Iterator[Violation]:
    """Image slots with no image, algorithm or model package; models with no container."""
    yield from missing(node, [*image_slots(node), *_container_slots(node)], "image")


def _container_slots(step: Node) -> list[Slot]:
    """Where a Model or RegisterModel step's containers belong, when it declares none."""
    step_type, args = step.get("step_type"), arguments(step)
    if step_type not in ("Model", "RegisterModel") or containers(step):
        return []
    if step_type == "Model":
        return [Slot(args, "PrimaryContainer", ("Containers",))]
    if is_set(args.get("SourceAlgorithmSpecification")):
        return []
    return [Slot(args.at("InferenceSpecification"), "Containers")]


@node_check(
    "L103",
    "missing-model-data",
    Severity.ERROR,
    kinds=(Kind.STEP,),
    step_types=("Model", "RegisterModel"),
    summary="A model or model package container with no model artifact",
    rationale=(
        "A container that serves a trained model reads it from `ModelDataUrl` (or "
        "`ModelDataSource`). Without it the endpoint or transform job starts with no model, and "
        "the registry cannot trace the package back to the training job that produced it. A "
        "Model container that names a `ModelPackageName` takes the artifact from the package."
    ),
    recommendation=(
        "Pass the training step's artifact: `model_data=step_train.properties.ModelArtifacts."
        "S3ModelArtifacts`."
    ),
    example='{"PrimaryContainer": {"Image": "…/sagemaker-xgboost:1.7-1"}}',
    review=(
        "Corpus and fixtures: no findings; every Model and RegisterModel container carries a "
        "ModelDataUrl (mostly a `Get` of the training artifact)."
    ),
    basis=(
        "botocore's sagemaker service model (service-2.json): the request shape of the step's "
        "job (ModelDataUrl of a container), and the SDK's Model(model_data=...)"
    ),
)
def missing_model_data(node: Node, context: CheckContext) -> Iterator[Violation]:
    """Containers with neither model data nor a model package."""
    alternatives: tuple[str, ...] = ("ModelDataSource",)
    if node.get("step_type") == "Model":
        alternatives += ("ModelPackageName",)
    slots = [Slot(c, "ModelDataUrl", alternatives) for c in containers(node)]
    yield from missing(node, slots, "model data")


@node_check(
    "L104",
    "missing-model-package-group",
    Severity.ERROR,
    kinds=(Kind.STEP,),
    step_types=("RegisterModel",),
    summary="A registration that names no model package group",
    rationale=(
        "A pipeline registers a new version of a model package group on every run; the group is "
        "what versions, approvals and deployments hang on. Without `ModelPackageGroupName` the "
        "package is not versioned, cannot be approved in the registry's workflow, and its lineage "
        "to earlier versions is lost."
    ),
    recommendation="Pass `model_package_group_name=` to `model.register(...)`.",
    example='{"Name": "Register", "Type": "RegisterModel", "Arguments": '
    '{"InferenceSpecification": {…}, "ModelApprovalStatus": "PendingManualApproval"}}',
    review="Corpus and fixtures: no findings; every registration names its group.",
    basis=(
        "botocore's sagemaker service model (service-2.json): the request shape of the step's "
        "job (CreateModelPackage: ModelPackageGroupName for a versioned package)"
    ),
)
def missing_model_package_group(node: Node, context: CheckContext) -> Iterator[Violation]:
    """Registrations without a group."""
    yield from missing(
        node, [Slot(arguments(node), "ModelPackageGroupName")], "model package group"
    )


@node_check(
    "L107",
    "processing-without-code",
    Severity.WARNING,
    kinds=(Kind.STEP,),
    step_types=("Processing",),
    summary="A processing step that names no code to run",
    rationale=(
        "A processing job runs the code it receives as an input (the SDK's `code=` becomes an "
        f"input named `code` under `{CODE_DIR}`) through its `ContainerEntrypoint`. With "
        "neither, the job runs whatever the image does by default: the definition does not say "
        "which code transformed the data, so the lineage of its outputs is incomplete and a "
        "forgotten `code=` goes unnoticed. The AWS Data Wrangler and Clarify images run a "
        "configuration input instead (`flow`, `analysis_config`), which counts as their code. "
        f"An entrypoint that runs a script from `{CODE_DIR}` while no input delivers it fails at "
        "start: the script is not there."
    ),
    recommendation=(
        "Pass `code=` to `processor.run(...)`, or set `ContainerEntrypoint` when the image "
        "carries the code."
    ),
    example='{"AppSpecification": {"ImageUri": "…/sagemaker-scikit-learn:1.2-1-cpu-py3"}, '
    '"ProcessingInputs": [{"InputName": "raw", …}]}',
    review=(
        "The first pass reported 6 false positives in 3 corpus files: Data Wrangler jobs (`flow` "
        "input) and Clarify jobs (`analysis_config` input), whose AWS images run that "
        "configuration. Fixed by counting those inputs as their code; now no findings on corpus "
        "and fixtures."
    ),
    basis=(
        "SageMaker SDK ScriptProcessor/FrameworkProcessor (the code input and "
        "ContainerEntrypoint) and CreateProcessingJob's AppSpecification"
    ),
)
def processing_without_code(node: Node, context: CheckContext) -> Iterator[Violation]:
    """Processing steps with neither a code input nor an entrypoint."""
    args = arguments(node)
    app = args.at("AppSpecification")
    image = image_ref(app.get("ImageUri"))
    code_name = CONFIG_INPUTS.get(image.repository, "code") if image else "code"
    if any(_is_code_input(item, code_name) for item in args.items("ProcessingInputs")):
        return
    entrypoint = Slot(app, "ContainerEntrypoint")
    yield from missing(node, [entrypoint], f"{code_name} input or container entrypoint")
    script = _script_in_code_dir(app.get("ContainerEntrypoint"))
    if script is not None:
        message = f"{describe(node)} runs {script!r}, but no processing input delivers it"
        yield Violation(node, message, entrypoint.pointer)


def _script_in_code_dir(entrypoint: object) -> str | None:
    """The entrypoint's first argument under the code directory, if any."""
    items = entrypoint if isinstance(entrypoint, list) else []
    paths = (literal(item) or "" for item in items)
    return next((path for path in paths if path.startswith(f"{CODE_DIR}/")), None)


def _is_code_input(item: Part, name: str) -> bool:
    """A processing input called `name`, or one downloaded under the code directory."""
    local = literal(item.at("S3Input").get("LocalPath")) or ""
    return item.get("InputName") == name or f"{local.rstrip('/')}/".startswith(f"{CODE_DIR}/")


@node_check(
    "L108",
    "transform-without-output",
    Severity.ERROR,
    kinds=(Kind.STEP,),
    step_types=("Transform",),
    summary="A transform step with no output location",
    rationale=(
        "A batch transform job writes its predictions to `TransformOutput.S3OutputPath`; "
        "SageMaker rejects a job without it, and the predictions would have no place in the "
        "lineage graph."
    ),
    recommendation="Pass `output_path=` to the `Transformer`.",
    example='{"Name": "Transform", "Type": "Transform", "Arguments": {"ModelName": …, '
    '"TransformInput": {…}, "TransformOutput": {}}}',
    review="Corpus and fixtures: no findings; every transform step names its output path.",
    basis=(
        "botocore's sagemaker service model (service-2.json): the request shape of the step's "
        "job (CreateTransformJob: TransformOutput.S3OutputPath is required)"
    ),
)
def transform_without_output(node: Node, context: CheckContext) -> Iterator[Violation]:
    """Transform steps without an S3 output path."""
    output = Slot(arguments(node).at("TransformOutput"), "S3OutputPath")
    yield from missing(node, [output], "output location")
