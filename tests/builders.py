"""Small builders for definitions that mirror documented SageMaker cases."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

from lineage.checks.model import Finding
from lineage.config import Settings
from lineage.scan import scan

ECR = "683313688378.dkr.ecr.us-east-1.amazonaws.com"
XGBOOST_IMAGE = f"{ECR}/sagemaker-xgboost:1.7-1"
SKLEARN_IMAGE = f"{ECR}/sagemaker-scikit-learn:1.2-1-cpu-py3"


def get(expression: str) -> dict[str, str]:
    """A `{"Get": …}` expression."""
    return {"Get": expression}


def definition(
    *steps: dict[str, Any], parameters: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    """A pipeline definition with the given steps and parameters."""
    return {
        "Version": "2020-12-01",
        "Metadata": {},
        "Parameters": parameters or [],
        "Steps": list(steps),
    }


def processing(
    name: str, outputs: tuple[str, ...] = (), inputs: dict[str, Any] | None = None, **extra: Any
) -> dict[str, Any]:
    """A Processing step with named outputs and inputs (name → S3Uri value)."""
    return {
        "Name": name,
        "Type": "Processing",
        "Arguments": {
            "ProcessingResources": {
                "ClusterConfig": {
                    "InstanceType": "ml.m5.xlarge",
                    "InstanceCount": 1,
                    "VolumeSizeInGB": 30,
                }
            },
            "AppSpecification": {"ImageUri": SKLEARN_IMAGE},
            "RoleArn": "arn:aws:iam::111122223333:role/SageMakerRole",
            "ProcessingInputs": [
                {
                    "InputName": k,
                    "S3Input": {
                        "S3Uri": v,
                        "LocalPath": f"/opt/ml/processing/{k}",
                        "S3DataType": "S3Prefix",
                        "S3InputMode": "File",
                    },
                }
                for k, v in (inputs or {}).items()
            ],
            "ProcessingOutputConfig": {
                "Outputs": [
                    {
                        "OutputName": o,
                        "S3Output": {
                            "S3Uri": f"s3://bucket/{name}/{o}",
                            "LocalPath": f"/opt/ml/processing/{o}",
                            "S3UploadMode": "EndOfJob",
                        },
                    }
                    for o in outputs
                ]
            },
        },
        **extra,
    }


def training(name: str, train: Any, **extra: Any) -> dict[str, Any]:
    """A Training step reading its `train` channel from `train`."""
    return {
        "Name": name,
        "Type": "Training",
        "Arguments": {
            "AlgorithmSpecification": {
                "TrainingImage": XGBOOST_IMAGE,
                "TrainingInputMode": "File",
            },
            "OutputDataConfig": {"S3OutputPath": "s3://bucket/models"},
            "StoppingCondition": {"MaxRuntimeInSeconds": 86400},
            "ResourceConfig": {
                "VolumeSizeInGB": 30,
                "InstanceCount": 1,
                "InstanceType": "ml.m5.xlarge",
            },
            "RoleArn": "arn:aws:iam::111122223333:role/SageMakerRole",
            "InputDataConfig": [
                {
                    "ChannelName": "train",
                    "DataSource": {
                        "S3DataSource": {
                            "S3DataType": "S3Prefix",
                            "S3Uri": train,
                            "S3DataDistributionType": "FullyReplicated",
                        }
                    },
                }
            ],
        },
        **extra,
    }


def write(tmp_path: Path, document: Any, name: str = "pipeline.json") -> Path:
    """Write a document as pretty JSON; return its path."""
    path = tmp_path / name
    path.write_text(json.dumps(document, indent=2), encoding="utf-8")
    return path


def model(name: str, model_data: Any, **extra: Any) -> dict[str, Any]:
    """A Model step serving `model_data` with the XGBoost image."""
    return {
        "Name": name,
        "Type": "Model",
        "Arguments": {
            "ExecutionRoleArn": "arn:aws:iam::111122223333:role/SageMakerRole",
            "PrimaryContainer": {
                "Image": XGBOOST_IMAGE,
                "ModelDataUrl": model_data,
                "Environment": {},
            },
        },
        **extra,
    }


def register_model(
    name: str, model_data: Any, group: Any, approval: Any, **extra: Any
) -> dict[str, Any]:
    """A RegisterModel step registering `model_data` in `group` with status `approval`."""
    return {
        "Name": name,
        "Type": "RegisterModel",
        "Arguments": {
            "ModelPackageGroupName": group,
            "ModelApprovalStatus": approval,
            "InferenceSpecification": {
                "Containers": [{"Image": XGBOOST_IMAGE, "ModelDataUrl": model_data}],
                "SupportedContentTypes": ["text/csv"],
                "SupportedResponseMIMETypes": ["text/csv"],
                "SupportedRealtimeInferenceInstanceTypes": ["ml.m5.large"],
                "SupportedTransformInstanceTypes": ["ml.m5.large"],
            },
        },
        **extra,
    }


def transform(name: str, model_name: Any, data: Any, **extra: Any) -> dict[str, Any]:
    """A Transform step running model `model_name` over the CSV objects under `data`."""
    return {
        "Name": name,
        "Type": "Transform",
        "Arguments": {
            "ModelName": model_name,
            "TransformInput": {
                "DataSource": {"S3DataSource": {"S3DataType": "S3Prefix", "S3Uri": data}},
                "ContentType": "text/csv",
            },
            "TransformOutput": {"S3OutputPath": f"s3://bucket/{name}/output"},
            "TransformResources": {"InstanceCount": 1, "InstanceType": "ml.m5.xlarge"},
        },
        **extra,
    }


TRAINED_MODEL = "Steps.Train.ModelArtifacts.S3ModelArtifacts"
EVALUATION = "Steps.Evaluate.ProcessingOutputConfig.Outputs['evaluation'].S3Output.S3Uri"


def metrics_source(file_name: str) -> dict[str, Any]:
    """A JSON MetricsSource for a file the Evaluate step writes."""
    return {
        "ContentType": "application/json",
        "S3Uri": {"Std:Join": {"On": "/", "Values": [get(EVALUATION), file_name]}},
    }


def governed_registration(name: str = "Register") -> dict[str, Any]:
    """A RegisterModel step as `model.register(...)` writes it with every governance field set."""
    step = register_model(
        name, get(TRAINED_MODEL), "abalone", get("Parameters.ModelApprovalStatus")
    )
    step["Arguments"].update(
        ModelPackageDescription="XGBoost regressor predicting abalone age.",
        CustomerMetadataProperties={
            "model_name": "abalone-age",
            "framework": "xgboost",
            "algorithm": "gradient-boosted-trees",
        },
        ModelMetrics={
            "ModelQuality": {
                "Statistics": metrics_source("statistics.json"),
                "Constraints": metrics_source("constraints.json"),
            },
            "Bias": {},
            "Explainability": {},
        },
        SkipModelValidation="None",
    )
    return step


def governed_pipeline() -> dict[str, Any]:
    """Prep, Train, Evaluate, CreateModel, Register, Transform (steps 0 to 5), all complete;
    parameters 0 InputData, 1 ModelApprovalStatus (PendingManualApproval)."""
    code = "s3://bucket/code"
    return definition(
        processing(
            "Prep",
            outputs=("train", "test"),
            inputs={"raw": get("Parameters.InputData"), "code": f"{code}/prep.py"},
        ),
        training("Train", get("Steps.Prep.ProcessingOutputConfig.Outputs['train'].S3Output.S3Uri")),
        processing(
            "Evaluate",
            outputs=("evaluation",),
            inputs={"model": get(TRAINED_MODEL), "code": f"{code}/evaluate.py"},
        ),
        model("CreateModel", get(TRAINED_MODEL)),
        governed_registration(),
        transform("Transform", get("Steps.CreateModel.ModelName"), get("Parameters.InputData")),
        parameters=[
            {"Name": "InputData", "Type": "String", "DefaultValue": "s3://bucket/abalone.csv"},
            {
                "Name": "ModelApprovalStatus",
                "Type": "String",
                "DefaultValue": "PendingManualApproval",
            },
        ],
    )


def rule_findings(source: Path | str, code: str, settings: Settings | None = None) -> list[Finding]:
    """The findings of the rules matching `code` alone on a definition file or folder."""
    selected = replace(settings or Settings(), select=(code,), ignore=())
    return scan([str(source)], selected).findings
