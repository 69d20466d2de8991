"""Level 2 registry and container rules: each fires on its defect, is quiet on real definitions."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from lineage.config import Settings
from lineage.rules.engine.rulebook import get_rule
from tests.support.builders import SKLEARN_IMAGE, get, governed_pipeline, rule_findings, write
from tests.support.paths import CORPUS, SDK_FIXTURES

Mutation = Callable[[dict[str, Any]], Any]
L2_CODES = ("L201", "L202", "L203", "L204", "L205", "L206", "L207", "L208")
REGISTER = "/Steps/4/Arguments"
PROGRAM = {"SAGEMAKER_PROGRAM": "inference.py"}
SUBMIT = {"SAGEMAKER_SUBMIT_DIRECTORY": "s3://bucket/code/sourcedir.tar.gz"}


def register(doc: dict[str, Any]) -> dict[str, Any]:
    """The arguments of the Register step (step 4)."""
    arguments: dict[str, Any] = doc["Steps"][4]["Arguments"]
    return arguments


def spec(doc: dict[str, Any]) -> dict[str, Any]:
    """The Register step's inference specification."""
    inference: dict[str, Any] = register(doc)["InferenceSpecification"]
    return inference


def primary(doc: dict[str, Any]) -> dict[str, Any]:
    """The CreateModel step's primary container."""
    container: dict[str, Any] = doc["Steps"][3]["Arguments"]["PrimaryContainer"]
    return container


@pytest.mark.parametrize("code", L2_CODES)
def test_quiet_on_a_governed_pipeline_and_the_sdk_abalone_fixture(
    tmp_path: Path, code: str
) -> None:
    assert rule_findings(write(tmp_path, governed_pipeline()), code) == []
    assert rule_findings(SDK_FIXTURES / "abalone.json", code) == []


@pytest.mark.parametrize(
    ("code", "mutate", "message", "pointer"),
    [
        (
            "L201",
            lambda d: spec(d).pop("SupportedResponseMIMETypes"),
            "RegisterModel step 'Register' has no content types "
            "(InferenceSpecification.SupportedResponseMIMETypes)",
            f"{REGISTER}/InferenceSpecification/SupportedResponseMIMETypes",
        ),
        (
            "L202",
            lambda d: [spec(d).pop(k) for k in list(spec(d)) if k.endswith("InstanceTypes")],
            "RegisterModel step 'Register' has no inference instance types "
            "(InferenceSpecification.SupportedRealtimeInferenceInstanceTypes or "
            "SupportedTransformInstanceTypes)",
            f"{REGISTER}/InferenceSpecification/SupportedRealtimeInferenceInstanceTypes",
        ),
        (
            "L204",
            lambda d: register(d).pop("ModelMetrics"),
            "RegisterModel step 'Register' registers no model metrics",
            f"{REGISTER}/ModelMetrics",
        ),
        (
            "L204",
            lambda d: register(d).update(ModelMetrics={"Bias": {}, "Explainability": {}}),
            "RegisterModel step 'Register' registers only empty ModelMetrics sections",
            f"{REGISTER}/ModelMetrics",
        ),
        (
            "L205",
            lambda d: spec(d)["Containers"][0].update(Image=SKLEARN_IMAGE, Environment={}),
            "RegisterModel step 'Register': container InferenceSpecification.Containers[0] sets "
            "no SAGEMAKER_PROGRAM entry point, but the sagemaker-scikit-learn serving container "
            "needs an inference script",
            f"{REGISTER}/InferenceSpecification/Containers/0/Environment/SAGEMAKER_PROGRAM",
        ),
        (
            "L205",
            lambda d: primary(d).update(Environment={**SUBMIT, "SAGEMAKER_PROGRAM": ""}),
            "Model step 'CreateModel': container PrimaryContainer sets no SAGEMAKER_PROGRAM entry "
            "point, but SAGEMAKER_SUBMIT_DIRECTORY ships inference code",
            "/Steps/3/Arguments/PrimaryContainer/Environment/SAGEMAKER_PROGRAM",
        ),
        (
            "L207",
            lambda d: primary(d).update(Image="111122223333.dkr.ecr.eu-west-1.amazonaws.com/serve"),
            "Model step 'CreateModel' runs image "
            "'111122223333.dkr.ecr.eu-west-1.amazonaws.com/serve' (PrimaryContainer.Image) with "
            "no tag and no digest",
            "/Steps/3/Arguments/PrimaryContainer/Image",
        ),
        (
            "L207",
            lambda d: d["Steps"][0]["Arguments"]["AppSpecification"].update(
                ImageUri="localhost:5000/team/prep:latest"
            ),
            "Processing step 'Prep' runs image 'localhost:5000/team/prep:latest' "
            "(AppSpecification.ImageUri) with the tag 'latest' and no digest",
            "/Steps/0/Arguments/AppSpecification/ImageUri",
        ),
        (
            "L208",
            lambda d: register(d)["ModelMetrics"]["ModelQuality"]["Statistics"].update(
                ContentType="text/csv"
            ),
            "RegisterModel step 'Register': metrics source ModelMetrics.ModelQuality.Statistics "
            "has content type 'text/csv', not application/json",
            f"{REGISTER}/ModelMetrics/ModelQuality/Statistics/ContentType",
        ),
        (
            "L208",
            lambda d: register(d).update(
                DriftCheckBaselines={"ModelQuality": {"Constraints": {"S3Uri": "s3://b/c.json"}}}
            ),
            "RegisterModel step 'Register': metrics source "
            "DriftCheckBaselines.ModelQuality.Constraints has no ContentType, not application/json",
            f"{REGISTER}/DriftCheckBaselines/ModelQuality/Constraints/ContentType",
        ),
    ],
)
def test_fires_with_message_and_pointer(
    tmp_path: Path, code: str, mutate: Mutation, message: str, pointer: str
) -> None:
    doc = governed_pipeline()
    mutate(doc)
    [finding] = rule_findings(write(tmp_path, doc), code)
    assert (finding.message, finding.pointer) == (message, pointer)
    assert finding.severity == get_rule(code).severity
    assert finding.line is not None


@pytest.mark.parametrize(
    ("code", "mutate"),
    [
        ("L201", lambda d: spec(d).update(SupportedContentTypes=get("Parameters.ContentTypes"))),
        ("L202", lambda d: spec(d).pop("SupportedRealtimeInferenceInstanceTypes")),
        ("L203", lambda d: register(d)["CustomerMetadataProperties"].update(owner="ml-team")),
        (
            "L204",
            lambda d: register(d).update(ModelMetrics={"Bias": {"Report": {"S3Uri": "s3://r"}}}),
        ),
        (
            "L205",
            lambda d: primary(d).update(Image=SKLEARN_IMAGE, Environment={**PROGRAM, **SUBMIT}),
        ),
        (
            "L205",
            lambda d: primary(d).update(
                Image="763104351884.dkr.ecr.us-east-1.amazonaws.com/tensorflow-inference:2.11.0-cpu"
            ),
        ),
        ("L205", lambda d: primary(d).update(Image=get("Parameters.Image"), Environment={})),
        (
            "L207",
            lambda d: primary(d).update(
                Image="111122223333.dkr.ecr.eu-west-1.amazonaws.com/serve@sha256:" + "a" * 64
            ),
        ),
        ("L207", lambda d: primary(d).update(Image="${inference_image_uri}")),
        ("L207", lambda d: primary(d).update(Image="{{ image }}")),
        (
            "L208",
            lambda d: register(d)["ModelMetrics"]["ModelQuality"]["Statistics"].update(
                ContentType="Application/JSON; charset=utf-8"
            ),
        ),
        (
            "L208",
            lambda d: register(d).update(
                DriftCheckBaselines={
                    "Bias": {
                        "ConfigFile": {
                            "ContentType": "text/plain",
                            "S3Uri": "s3://b/analysis_config.json",
                        }
                    }
                }
            ),
        ),
    ],
)
def test_quiet_on_valid_variants(tmp_path: Path, code: str, mutate: Mutation) -> None:
    doc = governed_pipeline()
    mutate(doc)
    assert rule_findings(write(tmp_path, doc), code) == []


def test_l203_runs_only_with_required_keys_configured(tmp_path: Path) -> None:
    bare = governed_pipeline()
    register(bare).pop("CustomerMetadataProperties")
    assert rule_findings(write(tmp_path, bare), "L203") == []
    blank = governed_pipeline()
    register(blank)["CustomerMetadataProperties"].update(algorithm="")
    keys = Settings(required_metadata_keys=("model_name", "framework", "algorithm"))
    [finding] = rule_findings(write(tmp_path, blank), "L203", keys)
    assert (finding.message, finding.pointer) == (
        "RegisterModel step 'Register' lacks the metadata key(s) 'algorithm' in "
        "CustomerMetadataProperties",
        f"{REGISTER}/CustomerMetadataProperties",
    )


def test_l203_required_keys_come_from_the_settings(tmp_path: Path) -> None:
    path = write(tmp_path, governed_pipeline())
    owner = Settings(required_metadata_keys=("model_name", "owner", "risk_tier"))
    [finding] = rule_findings(path, "L203", owner)
    assert finding.message == (
        "RegisterModel step 'Register' lacks the metadata key(s) 'owner', 'risk_tier' in "
        "CustomerMetadataProperties"
    )
    doc = governed_pipeline()
    register(doc).pop("CustomerMetadataProperties")
    assert rule_findings(write(tmp_path, doc), "L203", Settings(required_metadata_keys=())) == []


@pytest.mark.corpus
def test_l203_and_l204_corpus_registrations() -> None:
    churn = "customer-churn-sagemaker-pipelines-sample__SageMaker_Pipelines_project.ipynb-extracted"
    keys = Settings(required_metadata_keys=("model_name", "framework", "algorithm"))
    [metadata] = rule_findings(CORPUS / f"{churn}.json", "L203", keys)
    assert (metadata.message, metadata.pointer) == (
        "RegisterModel step 'RegisterChurnModel' lacks the metadata key(s) 'model_name', "
        "'framework', 'algorithm' in CustomerMetadataProperties",
        "/Steps/3/Arguments/IfSteps/0/Arguments/CustomerMetadataProperties",
    )
    tuning = CORPUS / "pyrepr_converted" / "amazon-sagemaker-examples__tuning_step_example.json"
    [metrics] = rule_findings(tuning, "L204")
    assert (metrics.step, metrics.pointer) == (
        "RegisterBestAbaloneModel",
        "/Steps/5/Arguments/IfSteps/0/Arguments/ModelMetrics",
    )


@pytest.mark.corpus
def test_l205_real_serving_containers_are_quiet() -> None:
    for name in (
        "sm-terraform-poc__serial-inference-pipeline_definition.json",
        "dynamic-sagemaker-pipelines-framework__pipeline_definition.json",
        "pyrepr_converted/"
        "amazon-sagemaker-pipelines-serial-batch-inference-sklearn-pytorch__pytorch-serial-batch-"
        "inference-demo.json",
    ):
        assert rule_findings(CORPUS / name, "L205") == [], name


def test_l206_sdk_fixture_keys_are_named_and_values_never_shown() -> None:
    found = rule_findings(SDK_FIXTURES / "secret_in_env.json", "L206")
    assert [(f.step, f.message.split(": ", 1)[1]) for f in found] == [
        (
            "AbaloneRegisterModel-RegisterModel",
            "environment variable 'AWS_ACCESS_KEY_ID' in InferenceSpecification.Containers[0]."
            "Environment holds an AWS access key id",
        ),
        (
            "AbaloneRegisterModel-RegisterModel",
            "environment variable 'AWS_SECRET_ACCESS_KEY' in InferenceSpecification.Containers[0]."
            "Environment holds a literal secret",
        ),
        (
            "AbaloneCreateModel-CreateModel",
            "environment variable 'AWS_ACCESS_KEY_ID' in PrimaryContainer.Environment holds an "
            "AWS access key id",
        ),
        (
            "AbaloneCreateModel-CreateModel",
            "environment variable 'AWS_SECRET_ACCESS_KEY' in PrimaryContainer.Environment holds a "
            "literal secret",
        ),
    ]
    assert found[0].pointer == (
        "/Steps/3/Arguments/IfSteps/0/Arguments/InferenceSpecification/Containers/0/Environment/"
        "AWS_ACCESS_KEY_ID"
    )
    document = json.dumps([f.as_dict() for f in found])
    for secret in ("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI", "EXAMPLEKEY"):
        assert secret not in document


SECRET = "hf_Zk3pQ9vXw2LmN8rT5yB1cD4eF6gH7jK0aSdU"


def test_l206_secrets_in_training_processing_transform_and_parameter_defaults(
    tmp_path: Path,
) -> None:
    doc = governed_pipeline()
    doc["Steps"][1]["Arguments"]["HyperParameters"] = {"hf_token": json.dumps(SECRET)}
    doc["Steps"][0]["Arguments"]["Environment"] = {"WANDB_API_KEY": get("Parameters.WandbKey")}
    doc["Steps"][5]["Arguments"]["Environment"] = {"dbPassword": "s3cr3t-Passw0rd"}
    doc["Parameters"].append({"Name": "WandbKey", "Type": "String", "DefaultValue": SECRET})
    found = rule_findings(write(tmp_path, doc), "L206")
    assert [(f.message, f.pointer) for f in found] == [
        (
            "Processing step 'Prep': environment variable 'WANDB_API_KEY' in Environment holds a "
            "literal secret through the default of the parameter it reads",
            "/Parameters/2/DefaultValue",
        ),
        (
            "Training step 'Train': hyper-parameter 'hf_token' in HyperParameters holds a literal "
            "secret",
            "/Steps/1/Arguments/HyperParameters/hf_token",
        ),
        (
            "Transform step 'Transform': environment variable 'dbPassword' in Environment holds "
            "a literal secret",
            "/Steps/5/Arguments/Environment/dbPassword",
        ),
    ]
    assert not any(SECRET in str(f.as_dict()) or "s3cr3t" in str(f.as_dict()) for f in found)


def test_l206_quiet_on_settings_references_and_tokenizer_parameters(tmp_path: Path) -> None:
    doc = governed_pipeline()
    primary(doc)["Environment"] = {
        "HF_MODEL_ID": "distilbert-base-uncased",
        "HF_TASK": "text-classification",
        "HUGGING_FACE_HUB_TOKEN": "{{resolve:secretsmanager:hf-hub:SecretString:token}}",
        "DB_SECRET_ARN": "arn:aws:secretsmanager:us-east-1:111122223333:secret:db-AbCdEf",
        "DB_PASSWORD_SECRET_ID": "prod/db/password",
        "API_TOKEN": "${api_token}",
        "MLFLOW_TRACKING_PASSWORD": "",
        "SAGEMAKER_CONTAINER_LOG_LEVEL": "20",
    }
    doc["Steps"][1]["Arguments"]["HyperParameters"] = {
        "tokenizer_name": '"bert-base-uncased"',
        "pad_token": '"[PAD]"',
        "eos_token": '"<|endoftext|>"',
        "max_token_length": "512",
        "use_auth_token": '"True"',
        "publish_cloudwatch_metrics": "Enabled",
        "token": "<your token here>",
    }
    assert rule_findings(write(tmp_path, doc), "L206") == []
    assert rule_findings(SDK_FIXTURES / "quality_checks.json", "L206") == []


def test_l207_sdk_fixture_and_untagged_aws_analyzer() -> None:
    found = rule_findings(SDK_FIXTURES / "unpinned_image.json", "L207")
    assert [(f.step, f.pointer) for f in found] == [
        (
            "AbaloneRegisterModel-RegisterModel",
            "/Steps/3/Arguments/IfSteps/0/Arguments/InferenceSpecification/Containers/0/Image",
        ),
        (
            "AbaloneCreateModel-CreateModel",
            "/Steps/3/Arguments/IfSteps/1/Arguments/PrimaryContainer/Image",
        ),
    ]
    assert "with the tag 'latest' and no digest" in found[0].message
    # The model monitor analyzer is published untagged; the SDK names it so.
    assert rule_findings(SDK_FIXTURES / "quality_checks.json", "L207") == []
