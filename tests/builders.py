"""Small builders for definitions that mirror documented SageMaker cases."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

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
