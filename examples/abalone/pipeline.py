"""Abalone MLOps pipeline built with the SageMaker Python SDK v2, offline.

Mirrors the AWS abalone example: preprocess, train XGBoost, evaluate, and, when the MSE is low
enough, register the model, create it and run a batch transform. Scan it with
``lineage scan examples.abalone.pipeline:pipeline``; ``python -m examples.abalone.pipeline``
prints the definition JSON.
"""

from __future__ import annotations

import logging
import os

# Offline defaults, set before the SDK is imported: region from the environment and no lookup of
# credentials on an instance metadata endpoint. Nothing here needs an AWS call.
os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
os.environ.setdefault("AWS_EC2_METADATA_DISABLED", "true")
# The SDK v2 deprecation notice is repeated for every class used; one line of stderr per class.
os.environ.setdefault("SAGEMAKER_SUPPRESS_V2_WARNING", "1")

# The SDK logs its config-file lookups to stdout (also at import); keep stdout for the definition.
logging.getLogger("sagemaker.config").setLevel(logging.WARNING)

import boto3  # noqa: E402
from sagemaker import image_uris  # noqa: E402
from sagemaker.estimator import Estimator  # noqa: E402
from sagemaker.inputs import TrainingInput, TransformInput  # noqa: E402
from sagemaker.model import Model  # noqa: E402
from sagemaker.model_metrics import MetricsSource, ModelMetrics  # noqa: E402
from sagemaker.processing import ProcessingInput, ProcessingOutput, ScriptProcessor  # noqa: E402
from sagemaker.sklearn.processing import SKLearnProcessor  # noqa: E402
from sagemaker.transformer import Transformer  # noqa: E402
from sagemaker.workflow.condition_step import ConditionStep  # noqa: E402
from sagemaker.workflow.conditions import ConditionLessThanOrEqualTo  # noqa: E402
from sagemaker.workflow.fail_step import FailStep  # noqa: E402
from sagemaker.workflow.functions import Join, JsonGet  # noqa: E402
from sagemaker.workflow.model_step import ModelStep  # noqa: E402
from sagemaker.workflow.parameters import (  # noqa: E402
    Parameter,
    ParameterFloat,
    ParameterInteger,
    ParameterString,
)
from sagemaker.workflow.pipeline import Pipeline  # noqa: E402
from sagemaker.workflow.pipeline_context import PipelineSession  # noqa: E402
from sagemaker.workflow.properties import PropertyFile  # noqa: E402
from sagemaker.workflow.step_collections import StepCollection  # noqa: E402
from sagemaker.workflow.steps import (  # noqa: E402
    ProcessingStep,
    Step,
    TrainingStep,
    TransformStep,
)

REGION = os.environ["AWS_DEFAULT_REGION"]
ACCOUNT = "111122223333"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/service-role/AmazonSageMaker-ExecutionRole-Abalone"
BUCKET = f"sagemaker-{REGION}-{ACCOUNT}"
PREFIX = f"s3://{BUCKET}/abalone"
MODEL_PACKAGE_GROUP = "AbaloneModelPackageGroup"
CODE = f"{PREFIX}/code"
XGBOOST_IMAGE = image_uris.retrieve(
    framework="xgboost", region=REGION, version="1.7-1", instance_type="ml.m5.xlarge"
)
# Telemetry is a setting of the SDK config, not an environment variable. Passing the config also
# keeps a user's ~/.config/sagemaker/config.yaml out of the generated definition.
SDK_CONFIG = {
    "SchemaVersion": "1.0",
    "SageMaker": {"PythonSDK": {"Modules": {"TelemetryOptOut": True}}},
}

evaluation_report = PropertyFile(
    name="EvaluationReport", output_name="evaluation", path="evaluation.json"
)


def make_session(boto_session: boto3.Session | None = None) -> PipelineSession:
    """Pipeline session that never needs the default bucket to be looked up or created."""
    return PipelineSession(
        boto_session=boto_session or boto3.Session(region_name=REGION),
        default_bucket=BUCKET,
        sagemaker_config=SDK_CONFIG,
    )


class Params:
    """The pipeline parameters, as in the AWS abalone example."""

    def __init__(self, approval_default: str = "PendingManualApproval") -> None:
        """Create the parameters; ``approval_default`` is ModelApprovalStatus's default."""
        self.processing_instance_count = ParameterInteger(
            name="ProcessingInstanceCount", default_value=1
        )
        self.processing_instance_type = ParameterString(
            name="ProcessingInstanceType", default_value="ml.m5.xlarge"
        )
        self.training_instance_type = ParameterString(
            name="TrainingInstanceType", default_value="ml.m5.xlarge"
        )
        self.model_approval_status = ParameterString(
            name="ModelApprovalStatus", default_value=approval_default
        )
        self.input_data = ParameterString(
            name="InputData", default_value=f"{PREFIX}/data/abalone-dataset.csv"
        )
        self.batch_data = ParameterString(
            name="BatchData", default_value=f"{PREFIX}/data/abalone-dataset-batch.csv"
        )
        self.mse_threshold = ParameterFloat(name="MseThreshold", default_value=6.0)

    def as_list(self, *unused: Parameter) -> list[Parameter]:
        """The parameters for ``Pipeline(parameters=...)``, leaving out the ``unused`` ones."""
        return [param for param in vars(self).values() if all(param is not u for u in unused)]


def preprocessing_step(
    session: PipelineSession, params: Params, source: object = None
) -> ProcessingStep:
    """SKLearn job splitting ``source`` (default: InputData) into train, validation and test."""
    processor = SKLearnProcessor(
        framework_version="1.2-1",
        instance_type=params.processing_instance_type,
        instance_count=params.processing_instance_count,
        base_job_name="sklearn-abalone-process",
        role=ROLE,
        sagemaker_session=session,
    )
    step_args = processor.run(
        inputs=[
            ProcessingInput(
                source=params.input_data if source is None else source,
                destination="/opt/ml/processing/input",
            )
        ],
        outputs=[
            ProcessingOutput(
                output_name=split,
                source=f"/opt/ml/processing/{split}",
                destination=f"{PREFIX}/processed/{split}",
            )
            for split in ("train", "validation", "test")
        ],
        code=f"{CODE}/preprocessing.py",
    )
    return ProcessingStep(name="AbaloneProcess", step_args=step_args)


def xgboost_estimator(session: PipelineSession, params: Params, output: str) -> Estimator:
    """Built-in XGBoost estimator writing its model artifact under ``output``."""
    estimator = Estimator(
        image_uri=XGBOOST_IMAGE,
        instance_type=params.training_instance_type,
        instance_count=1,
        output_path=f"{PREFIX}/{output}",
        base_job_name="abalone-train",
        role=ROLE,
        sagemaker_session=session,
    )
    estimator.set_hyperparameters(
        objective="reg:squarederror",
        num_round=50,
        max_depth=5,
        eta=0.2,
        gamma=4,
        min_child_weight=6,
        subsample=0.7,
    )
    return estimator


def training_inputs(step_process: ProcessingStep) -> dict[str, TrainingInput]:
    """Train and validation channels fed by the processing step's outputs."""
    outputs = step_process.properties.ProcessingOutputConfig.Outputs
    return {
        channel: TrainingInput(s3_data=outputs[channel].S3Output.S3Uri, content_type="text/csv")
        for channel in ("train", "validation")
    }


def training_step(
    session: PipelineSession,
    params: Params,
    step_process: ProcessingStep,
    name: str = "AbaloneTrain",
) -> TrainingStep:
    """XGBoost training job on the processed train and validation splits."""
    estimator = xgboost_estimator(session, params, output=name)
    return TrainingStep(name=name, step_args=estimator.fit(inputs=training_inputs(step_process)))


def evaluation_step(
    session: PipelineSession, params: Params, step_process: ProcessingStep, model_data: object
) -> ProcessingStep:
    """Script processing job scoring ``model_data`` on the test split into evaluation.json."""
    processor = ScriptProcessor(
        image_uri=XGBOOST_IMAGE,
        command=["python3"],
        instance_type=params.processing_instance_type,
        instance_count=1,
        base_job_name="script-abalone-eval",
        role=ROLE,
        sagemaker_session=session,
    )
    step_args = processor.run(
        inputs=[
            ProcessingInput(source=model_data, destination="/opt/ml/processing/model"),
            ProcessingInput(
                source=step_process.properties.ProcessingOutputConfig.Outputs[
                    "test"
                ].S3Output.S3Uri,
                destination="/opt/ml/processing/test",
            ),
        ],
        outputs=[
            ProcessingOutput(
                output_name="evaluation",
                source="/opt/ml/processing/evaluation",
                destination=f"{PREFIX}/evaluation",
            )
        ],
        code=f"{CODE}/evaluation.py",
    )
    return ProcessingStep(
        name="AbaloneEval", step_args=step_args, property_files=[evaluation_report]
    )


def model_metrics(step_eval: ProcessingStep) -> ModelMetrics:
    """Model statistics read from the evaluation step's evaluation.json."""
    evaluation_uri = step_eval.properties.ProcessingOutputConfig.Outputs[
        "evaluation"
    ].S3Output.S3Uri
    return ModelMetrics(
        model_statistics=MetricsSource(
            s3_uri=Join(on="/", values=[evaluation_uri, "evaluation.json"]),
            content_type="application/json",
        )
    )


def abalone_model(
    session: PipelineSession,
    model_data: object,
    image_uri: str = XGBOOST_IMAGE,
    env: dict[str, str] | None = None,
) -> Model:
    """Inference model serving ``model_data`` with ``image_uri``."""
    return Model(
        image_uri=image_uri,
        model_data=model_data,
        env=env,
        role=ROLE,
        sagemaker_session=session,
    )


def register_step(
    model: Model, params: Params, metrics: ModelMetrics, **register_kwargs: object
) -> ModelStep:
    """Model package registration in the abalone group, with metrics and metadata."""
    step_args = model.register(
        content_types=["text/csv"],
        response_types=["text/csv"],
        inference_instances=["ml.t2.medium", "ml.m5.xlarge"],
        transform_instances=["ml.m5.xlarge"],
        model_package_group_name=MODEL_PACKAGE_GROUP,
        approval_status=params.model_approval_status,
        model_metrics=metrics,
        customer_metadata_properties={
            "model_name": "abalone-age",
            "framework": "xgboost",
            "algorithm": "gradient-boosted-trees",
        },
        description="XGBoost regressor predicting abalone age from physical measurements.",
        **register_kwargs,
    )
    return ModelStep(name="AbaloneRegisterModel", step_args=step_args)


def create_model_step(model: Model) -> ModelStep:
    """SageMaker model creation for batch transform."""
    return ModelStep(name="AbaloneCreateModel", step_args=model.create(instance_type="ml.m5.large"))


def transform_step(
    session: PipelineSession, params: Params, step_create_model: ModelStep
) -> TransformStep:
    """Batch transform of the BatchData parameter with the created model."""
    transformer = Transformer(
        model_name=step_create_model.properties.ModelName,
        instance_type="ml.m5.xlarge",
        instance_count=1,
        output_path=f"{PREFIX}/transform",
        sagemaker_session=session,
    )
    return TransformStep(
        name="AbaloneTransform",
        transformer=transformer,
        inputs=TransformInput(data=params.batch_data),
    )


def deployment_steps(
    session: PipelineSession,
    params: Params,
    model: Model,
    metrics: ModelMetrics,
    **register_kwargs: object,
) -> list[Step | StepCollection]:
    """Register ``model``, create it, and batch-transform BatchData with it."""
    step_create_model = create_model_step(model)
    return [
        register_step(model, params, metrics, **register_kwargs),
        step_create_model,
        transform_step(session, params, step_create_model),
    ]


def mse_condition_step(
    params: Params, step_eval: ProcessingStep, if_steps: list[Step | StepCollection]
) -> ConditionStep:
    """Run ``if_steps`` when the evaluated MSE is within the threshold, else fail."""
    step_fail = FailStep(
        name="AbaloneMSEFail",
        error_message=Join(on=" ", values=["Execution failed due to MSE >", params.mse_threshold]),
    )
    mse = JsonGet(
        step_name=step_eval.name,
        property_file=evaluation_report,
        json_path="regression_metrics.mse.value",
    )
    return ConditionStep(
        name="AbaloneMSECond",
        conditions=[ConditionLessThanOrEqualTo(left=mse, right=params.mse_threshold)],
        if_steps=if_steps,
        else_steps=[step_fail],
    )


def build_pipeline(session: PipelineSession | None = None) -> Pipeline:
    """The abalone pipeline: registration, model creation and transform gated on the MSE."""
    session = session or make_session()
    params = Params()
    step_process = preprocessing_step(session, params)
    step_train = training_step(session, params, step_process)
    model_data = step_train.properties.ModelArtifacts.S3ModelArtifacts
    step_eval = evaluation_step(session, params, step_process, model_data)
    model = abalone_model(session, model_data)
    step_cond = mse_condition_step(
        params, step_eval, deployment_steps(session, params, model, model_metrics(step_eval))
    )
    return Pipeline(
        name="AbalonePipeline",
        parameters=params.as_list(),
        steps=[step_process, step_train, step_eval, step_cond],
        sagemaker_session=session,
    )


pipeline = build_pipeline()

if __name__ == "__main__":
    print(pipeline.definition())
