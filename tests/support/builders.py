"""Small builders for definitions that mirror documented SageMaker cases."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

from lineage.collect.sources import load_sources
from lineage.config import Settings
from lineage.graph.lineage_graph import LineageGraph
from lineage.rules.engine.model import Finding
from lineage.scan import build_graph, scan

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


def document_findings(
    tmp_path: Path, document: Any, code: str, settings: Settings | None = None
) -> list[Finding]:
    """The findings of the rules matching `code` alone on one definition document."""
    return rule_findings(write(tmp_path, document), code, settings)


PREP_TRAIN = "Steps.Prep.ProcessingOutputConfig.Outputs['train'].S3Output.S3Uri"


def abalone_like() -> dict:
    """Processing → Training → evaluation with a property file → condition → registration."""
    evaluate = processing(
        "Evaluate",
        outputs=("evaluation",),
        inputs={"model": get("Steps.Train.ModelArtifacts.S3ModelArtifacts")},
        PropertyFiles=[
            {
                "PropertyFileName": "EvaluationReport",
                "OutputName": "evaluation",
                "FilePath": "evaluation.json",
            }
        ],
    )
    register = {
        "Name": "Register",
        "Type": "RegisterModel",
        "Arguments": {
            "ModelPackageGroupName": get("Parameters.Group"),
            "ModelApprovalStatus": get("Parameters.Approval"),
            "InferenceSpecification": {
                "Containers": [
                    {
                        "Image": XGBOOST_IMAGE,
                        "ModelDataUrl": get("Steps.Train.ModelArtifacts.S3ModelArtifacts"),
                    }
                ],
                "SupportedContentTypes": ["text/csv"],
                "SupportedResponseMIMETypes": ["text/csv"],
            },
            "ModelMetrics": {
                "ModelQuality": {
                    "Statistics": {
                        "ContentType": "application/json",
                        "S3Uri": {
                            "Std:Join": {
                                "On": "/",
                                "Values": [
                                    get(
                                        "Steps.Evaluate.ProcessingOutputConfig.Outputs['evaluation'].S3Output.S3Uri"
                                    ),
                                    "evaluation.json",
                                ],
                            }
                        },
                    }
                }
            },
        },
    }
    fail = {"Name": "Fail", "Type": "Fail", "Arguments": {"ErrorMessage": "too bad"}}
    condition = {
        "Name": "Check",
        "Type": "Condition",
        "Arguments": {
            "Conditions": [
                {
                    "Type": "LessThanOrEqualTo",
                    "LeftValue": {
                        "Std:JsonGet": {
                            "PropertyFile": get("Steps.Evaluate.PropertyFiles.EvaluationReport"),
                            "Path": "regression_metrics.mse.value",
                        }
                    },
                    "RightValue": 6.0,
                }
            ],
            "IfSteps": [register],
            "ElseSteps": [fail],
        },
    }
    return definition(
        processing("Prep", outputs=("train", "test"), inputs={"raw": get("Parameters.Input")}),
        training("Train", get(PREP_TRAIN)),
        evaluate,
        condition,
        parameters=[
            {"Name": "Input", "Type": "String", "DefaultValue": "s3://data/abalone.csv"},
            {"Name": "Group", "Type": "String", "DefaultValue": "abalone"},
            {"Name": "Approval", "Type": "String", "DefaultValue": "PendingManualApproval"},
        ],
    )


def graph_of(tmp_path: Path, document: dict) -> LineageGraph:
    loaded = load_sources([str(write(tmp_path, document))])
    assert loaded.errors == []
    return build_graph(loaded.definitions)[0]


TRAIN_MODEL = "Steps.Train.ModelArtifacts.S3ModelArtifacts"
REGISTER = "/Steps/3/Arguments/IfSteps/0"


def deployment() -> dict[str, Any]:
    """Prep → Train → Model → Transform and a registration, reading typed properties."""
    register = register_model("Register", get(TRAIN_MODEL), "abalone", get("Parameters.Approval"))
    register["Arguments"]["CustomerMetadataProperties"] = {
        "rmse": get("Steps.Train.FinalMetricDataList['validation:rmse'].Value")
    }
    return definition(
        processing("Prep", outputs=("train", "batch")),
        training("Train", get(PREP_TRAIN)),
        model("Model", get(TRAIN_MODEL)),
        transform(
            "Score",
            get("Steps.Model.ModelName"),
            get("Steps.Prep.ProcessingOutputConfig.Outputs[1].S3Output.S3Uri"),
        ),
        register,
        {
            "Name": "Notify",
            "Type": "Lambda",
            "FunctionArn": "arn:aws:lambda:us-east-1:111122223333:function:notify",
            "OutputParameters": [{"OutputName": "status"}],
            "Arguments": {
                "model": get("Steps.Model.PrimaryContainer.Environment['SAGEMAKER_PROGRAM']"),
                "output": get("Steps.Score.TransformOutput.S3OutputPath"),
            },
        },
        parameters=[{"Name": "Approval", "Type": "String", "DefaultValue": "Approved"}],
    )


INVALID_PATHS = [
    (
        "Steps.Train.TrainingJobSummaries[0].TrainingJobName",
        "a Training step has no property 'TrainingJobSummaries' (DescribeTrainingJobResponse) "
        "(did you mean 'TrainingJobStatus'?)",
    ),
    (
        TRAIN_MODEL.replace("Artifacts", "Artifact", 1),
        "a Training step has no property 'ModelArtifact' (DescribeTrainingJobResponse) "
        "(did you mean 'ModelArtifacts'?)",
    ),
    (
        "Steps.Train.FinalMetricDataList.Value",
        "FinalMetricDataList is a list: select an item with [0] or ['name'] before .Value",
    ),
    (
        "Steps.Model.PrimaryContainer.Environment[0]",
        "PrimaryContainer.Environment is a map: select a value with a quoted key, not [0]",
    ),
    (
        "Steps.Notify.OutputParameters.status",
        "OutputParameters is a map: select a value with ['key'] before .status",
    ),
    ("Steps.Prep.PropertyFiles", "a property file is read as PropertyFiles.<PropertyFileName>"),
    ("Steps.Train..ModelArtifacts", "empty member name"),
]
