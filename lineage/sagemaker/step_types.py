"""What the collector knows about each SageMaker pipeline step type."""

from __future__ import annotations

KNOWN_STEP_TYPES: frozenset[str] = frozenset(
    {
        "Processing",
        "Training",
        "Tuning",
        "Model",
        "RegisterModel",
        "Transform",
        "Condition",
        "Fail",
        "Lambda",
        "Callback",
        "QualityCheck",
        "ClarifyCheck",
        "EMR",
        "AutoML",
    }
)

# Step types whose arguments carry a ProcessingOutputConfig with named outputs.
PROCESSING_LIKE: frozenset[str] = frozenset({"Processing", "QualityCheck", "ClarifyCheck"})

# Step types that produce a model artifact (`<step key>/model`).
MODEL_PRODUCERS: frozenset[str] = frozenset({"Training", "Tuning", "AutoML"})

# Literal URIs a step reads, as (path pattern under the step, artifact kind); `*` is any index.
CONSUMED_LOCATIONS: dict[str, tuple[tuple[str, str], ...]] = {
    "Processing": (
        ("Arguments/AppSpecification/ImageUri", "image"),
        ("Arguments/ProcessingInputs/*/S3Input/S3Uri", "dataset"),
    ),
    "QualityCheck": (
        ("Arguments/AppSpecification/ImageUri", "image"),
        ("Arguments/ProcessingInputs/*/S3Input/S3Uri", "dataset"),
        ("SuppliedBaselineStatistics", "baseline"),
        ("SuppliedBaselineConstraints", "baseline"),
    ),
    "ClarifyCheck": (
        ("Arguments/AppSpecification/ImageUri", "image"),
        ("Arguments/ProcessingInputs/*/S3Input/S3Uri", "dataset"),
        ("SuppliedBaselineConstraints", "baseline"),
    ),
    "Training": (
        ("Arguments/AlgorithmSpecification/TrainingImage", "image"),
        ("Arguments/InputDataConfig/*/DataSource/S3DataSource/S3Uri", "dataset"),
        ("Arguments/HyperParameters/sagemaker_submit_directory", "code"),
    ),
    "Tuning": (
        ("Arguments/TrainingJobDefinition/AlgorithmSpecification/TrainingImage", "image"),
        (
            "Arguments/TrainingJobDefinition/InputDataConfig/*/DataSource/S3DataSource/S3Uri",
            "dataset",
        ),
        (
            "Arguments/TrainingJobDefinition/StaticHyperParameters/sagemaker_submit_directory",
            "code",
        ),
        ("Arguments/TrainingJobDefinitions/*/AlgorithmSpecification/TrainingImage", "image"),
        (
            "Arguments/TrainingJobDefinitions/*/InputDataConfig/*/DataSource/S3DataSource/S3Uri",
            "dataset",
        ),
    ),
    "Model": (
        ("Arguments/PrimaryContainer/Image", "image"),
        ("Arguments/PrimaryContainer/ModelDataUrl", "model"),
        ("Arguments/PrimaryContainer/Environment/SAGEMAKER_SUBMIT_DIRECTORY", "code"),
        ("Arguments/Containers/*/Image", "image"),
        ("Arguments/Containers/*/ModelDataUrl", "model"),
        ("Arguments/Containers/*/Environment/SAGEMAKER_SUBMIT_DIRECTORY", "code"),
    ),
    "RegisterModel": (
        ("Arguments/InferenceSpecification/Containers/*/Image", "image"),
        ("Arguments/InferenceSpecification/Containers/*/ModelDataUrl", "model"),
        (
            "Arguments/InferenceSpecification/Containers/*/Environment/SAGEMAKER_SUBMIT_DIRECTORY",
            "code",
        ),
        ("Arguments/ModelMetrics/*/*/S3Uri", "metrics"),
        ("Arguments/DriftCheckBaselines/*/*/S3Uri", "baseline"),
    ),
    "Transform": (("Arguments/TransformInput/DataSource/S3DataSource/S3Uri", "dataset"),),
    "AutoML": (("Arguments/InputDataConfig/*/DataSource/S3DataSource/S3Uri", "dataset"),),
}
