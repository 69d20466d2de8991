"""The registry the registry tests share, seeded into moto, and what moto lacks, recorded.

Account 123456789012, us-east-1: pipeline `churn-train` (a governed definition registering in
`churn`) with five executions, each with a training job; groups `churn` (six versions, one per
rule), `churn-legacy`, `bulk` (250 versions: three list pages) and `restricted`. us-west-2: group
`west`. Account 222233334444 (through an assumed role): group `fraud`. ListPipelineExecutionSteps
and the failed execution's DescribePipelineExecution come from tests/fixtures/registry/.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from string import Template
from typing import Any

import pytest

from lineage.collect.registry.collector import collect_registry
from lineage.collect.registry.model import RegistryCollection, RegistryOptions
from lineage.graph.lineage_graph import Kind, LineageGraph, Node
from tests.support.builders import ECR, XGBOOST_IMAGE, governed_pipeline
from tests.support.moto_plugin import (
    Call,
    Hooks,
    Reply,
    boto_client,
    error_reply,
    install_hooks,
    json_reply,
)
from tests.support.paths import TESTS

RECORDED = TESTS / "fixtures" / "registry"
ACCOUNT, OTHER_ACCOUNT = "123456789012", "222233334444"
REGION, OTHER_REGION = "us-east-1", "us-west-2"
ROLE = "arn:aws:iam::{}:role/LineageReadOnly"
PIPELINE, GROUP = "churn-train", "churn"
OLD_IMAGE = f"{ECR}/sagemaker-xgboost:1.5-1"
SECRET = "s3cr3t-api-token-do-not-store"
BULK_VERSIONS = 250
STEPS_PER_PAGE = 3
METRICS = {
    "ModelQuality": {
        "Statistics": {"ContentType": "application/json", "S3Uri": "s3://bucket/eval/stats.json"},
        "Constraints": {"ContentType": "application/json", "S3Uri": "s3://bucket/eval/cons.json"},
    }
}
SAGEMAKER_ROLE = "arn:aws:iam::123456789012:role/SageMakerRole"
# Execution name → (training step, registering step, group of the version it registers).
EXECUTIONS = {
    "ok": ("Train", "Register", GROUP),
    "failed": ("Train", "Register", GROUP),
    "drift": ("TrainLegacy", "Register", GROUP),
    "renamed": ("Train", "RegisterChurn", GROUP),
    "legacy": ("Train", "Register", "churn-legacy"),
}
# The registry rules' findings on the scenario (us-east-1 of the main account), by version.
EXPECTED = {
    "L318": {"churn/4"},
    "L319": {"churn/3", "churn/6", "churn-legacy/1"},
    "L320": {"churn/2"},
    "L410": {"churn/5"},
    "L411": {"churn/5"},
    "L413": {"churn"},
}


def churn_definition() -> dict[str, Any]:
    """The current definition of `churn-train`: the governed pipeline, registering in `churn`."""
    document = governed_pipeline()
    document["Steps"][4]["Arguments"]["ModelPackageGroupName"] = GROUP
    return document


def recorded(name: str, values: Mapping[str, str]) -> dict[str, Any]:
    """A recorded response, its `$placeholders` filled from `values`."""
    text = (RECORDED / f"{name}.json").read_text(encoding="utf-8")
    result: dict[str, Any] = json.loads(Template(text).substitute(values))
    return result


@dataclass
class Scenario:
    """What was seeded: ARNs by name, and the responses recorded for what moto lacks."""

    endpoint: str
    executions: dict[str, str] = field(default_factory=dict)
    packages: dict[str, str] = field(default_factory=dict)
    jobs: dict[str, str] = field(default_factory=dict)
    steps: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    described: dict[str, dict[str, Any]] = field(default_factory=dict)

    def name_of(self, arn: str) -> str:
        """`churn/3` for a package ARN, the group name for a group ARN."""
        if ":model-package-group/" in arn:
            return arn.rsplit("/", 1)[-1]
        return next(name for name, known in self.packages.items() if known == arn)

    def install(self, hooks: Hooks) -> None:
        """Answer ListPipelineExecutionSteps (paged) and the recorded describes from the records."""
        hooks.add(self._steps)
        hooks.add(self._described)

    def _steps(self, call: Call) -> Reply | None:
        if call.operation != "ListPipelineExecutionSteps":
            return None
        steps = self.steps.get(call.params["PipelineExecutionArn"])
        if steps is None:
            return error_reply(call, "ValidationException", "Could not find execution")
        start = int(call.params.get("NextToken") or 0)
        page: dict[str, Any] = {"PipelineExecutionSteps": steps[start : start + STEPS_PER_PAGE]}
        if start + STEPS_PER_PAGE < len(steps):
            page["NextToken"] = str(start + STEPS_PER_PAGE)
        return json_reply(page)

    def _described(self, call: Call) -> Reply | None:
        if call.operation != "DescribePipelineExecution":
            return None
        record = self.described.get(call.params["PipelineExecutionArn"])
        return json_reply(record) if record is not None else None


def _training_job(sm: Any, name: str, output: str = "s3://bucket/models") -> str:
    sm.create_training_job(
        TrainingJobName=name,
        AlgorithmSpecification={"TrainingImage": XGBOOST_IMAGE, "TrainingInputMode": "File"},
        RoleArn=SAGEMAKER_ROLE,
        InputDataConfig=[
            {
                "ChannelName": "train",
                "DataSource": {
                    "S3DataSource": {"S3DataType": "S3Prefix", "S3Uri": "s3://bucket/Prep/train"}
                },
            }
        ],
        OutputDataConfig={"S3OutputPath": output},
        ResourceConfig={"InstanceType": "ml.m5.xlarge", "InstanceCount": 1, "VolumeSizeInGB": 30},
        StoppingCondition={"MaxRuntimeInSeconds": 3600},
        Environment={"API_TOKEN": SECRET},
    )
    return f"{output}/{name}/output/model.tar.gz"


def _version(
    sm: Any,
    group: str,
    model: str,
    status: str = "Rejected",
    image: str = XGBOOST_IMAGE,
    generated_by: str | None = None,
    metrics: bool = True,
    approval_description: str | None = None,
) -> str:
    """Create one version (its container carries an Environment value the graph must not keep,
    under a name that does not make it a credential); return its ARN."""
    extra: dict[str, Any] = {"ModelMetrics": METRICS} if metrics else {}
    if generated_by is not None:
        extra["MetadataProperties"] = {"GeneratedBy": generated_by, "ProjectId": "p-churn"}
    arn: str = sm.create_model_package(
        ModelPackageGroupName=group,
        ModelPackageDescription=f"XGBoost model of {group}",
        InferenceSpecification={
            "Containers": [
                {"Image": image, "ModelDataUrl": model, "Environment": {"LOG_SETTINGS": SECRET}}
            ],
            "SupportedContentTypes": ["text/csv"],
            "SupportedResponseMIMETypes": ["text/csv"],
        },
        ModelApprovalStatus=status,
        CustomerMetadataProperties={"model_name": group, "framework": "xgboost"},
        Tags=[{"Key": "team", "Value": "risk"}],
        **extra,
    )["ModelPackageArn"]
    if approval_description is not None:  # moto's update drops unsent fields: send them all
        sm.update_model_package(
            ModelPackageArn=arn,
            ModelApprovalStatus=status,
            ApprovalDescription=approval_description,
            CustomerMetadataProperties={"model_name": group, "framework": "xgboost"},
        )
    return arn


def _seed_pipeline(scenario: Scenario, sm: Any) -> dict[str, str]:
    """The pipeline, its executions and their training jobs; the model each job wrote."""
    sm.create_pipeline(
        PipelineName=PIPELINE,
        PipelineDefinition=json.dumps(churn_definition()),
        RoleArn=SAGEMAKER_ROLE,
    )
    models = {}
    for name in EXECUTIONS:
        arn = sm.start_pipeline_execution(PipelineName=PIPELINE)["PipelineExecutionArn"]
        job = f"pipelines-{arn.rsplit('/', 1)[-1]}-train"
        models[name] = _training_job(sm, job)
        scenario.executions[name] = arn
        scenario.jobs[name] = f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:training-job/{job}"
    return models


def _record_execution(scenario: Scenario, name: str, package: str) -> None:
    arn = scenario.executions[name]
    training_step, register_step, _ = EXECUTIONS[name]
    values = {
        "region": REGION,
        "account": ACCOUNT,
        "execution_id": arn.rsplit("/", 1)[-1],
        "execution_arn": arn,
        "pipeline_arn": arn.split("/execution/", 1)[0],
        "package_arn": package,
        "training_job_arn": scenario.jobs[name],
        "training_step": training_step,
        "register_step": register_step,
        "evaluate_status": "Failed" if name == "failed" else "Succeeded",
    }
    steps = recorded("list_pipeline_execution_steps", values)
    scenario.steps[arn] = steps["PipelineExecutionSteps"]
    if name == "failed":
        scenario.described[arn] = recorded("describe_pipeline_execution_failed", values)


def _seed_groups(scenario: Scenario, sm: Any, models: dict[str, str]) -> None:
    for group in (GROUP, "churn-legacy", "bulk", "restricted"):
        sm.create_model_package_group(ModelPackageGroupName=group)
    runs = scenario.executions
    adhoc = _training_job(sm, "churn-adhoc")
    bulk = _training_job(sm, "bulk-train")
    described = "Reviewed in RISK-42: AUC 0.91 on the holdout set"
    pending, approved = "PendingManualApproval", "Approved"
    churn: list[dict[str, Any]] = [
        {"model": models["ok"], "status": approved, "generated_by": runs["ok"]},
        {"model": models["failed"], "status": approved, "generated_by": runs["failed"]},
        {"model": models["drift"], "status": pending, "generated_by": runs["drift"]},
        {"model": "s3://uploads/manual/model.tar.gz"},
        {"model": adhoc, "status": approved, "metrics": False},
        {"model": models["renamed"], "generated_by": runs["renamed"]},
    ]
    churn[2]["image"] = OLD_IMAGE
    for version, spec in enumerate(churn, start=1):
        if version in (1, 2):
            spec["approval_description"] = described
        scenario.packages[f"churn/{version}"] = _version(sm, GROUP, **spec)
    scenario.packages["churn-legacy/1"] = _version(
        sm, "churn-legacy", models["legacy"], pending, generated_by=runs["legacy"]
    )
    for version in range(1, BULK_VERSIONS + 1):
        status = approved if version == BULK_VERSIONS else ("Rejected", pending)[version % 2]
        description = described if status == approved else None
        scenario.packages[f"bulk/{version}"] = _version(
            sm, "bulk", bulk, status, approval_description=description
        )
    for version in (1, 2):
        scenario.packages[f"restricted/{version}"] = _version(sm, "restricted", bulk)
    registered = {"ok": "churn/1", "failed": "churn/2", "drift": "churn/3", "renamed": "churn/6"}
    for name, package in {**registered, "legacy": "churn-legacy/1"}.items():
        _record_execution(scenario, name, scenario.packages[package])


def _seed_elsewhere(scenario: Scenario) -> None:
    """Group `west` in the other region; group `fraud` in the other account."""
    west = boto_client("sagemaker", scenario.endpoint, OTHER_REGION)
    west.create_model_package_group(ModelPackageGroupName="west")
    scenario.packages["west/1"] = _version(west, "west", "s3://bucket/west/model.tar.gz")
    sts = boto_client("sts", scenario.endpoint)
    credentials = sts.assume_role(RoleArn=ROLE.format(OTHER_ACCOUNT), RoleSessionName="seed")[
        "Credentials"
    ]
    other = boto_client(
        "sagemaker",
        scenario.endpoint,
        aws_access_key_id=credentials["AccessKeyId"],
        aws_secret_access_key=credentials["SecretAccessKey"],
        aws_session_token=credentials["SessionToken"],
    )
    other.create_model_package_group(ModelPackageGroupName="fraud")
    model = _training_job(other, "fraud-train")
    scenario.packages["fraud/1"] = _version(
        other, "fraud", model, "Approved", approval_description="Reviewed in RISK-7"
    )


def seed(endpoint: str) -> Scenario:
    """Seed the scenario into an empty moto server."""
    scenario = Scenario(endpoint)
    sm = boto_client("sagemaker", endpoint)
    _seed_groups(scenario, sm, _seed_pipeline(scenario, sm))
    _seed_elsewhere(scenario)
    return scenario


VERSIONS = {"churn": 6, "churn-legacy": 1, "bulk": BULK_VERSIONS, "restricted": 2}
LIVE_KINDS = (Kind.MODEL_PACKAGE_GROUP, Kind.PIPELINE_EXECUTION, Kind.JOB)


def collect(
    scenario: Scenario, hooks: Hooks, **options: Any
) -> tuple[LineageGraph, RegistryCollection]:
    """Collect the scenario (us-east-1 unless told) into a new graph, with the recorded answers."""
    scenario.install(hooks)
    settings = RegistryOptions(regions=(REGION,), endpoint_url=scenario.endpoint)
    graph = LineageGraph()
    return graph, collect_registry(replace(settings, **options), graph)


def live(graph: LineageGraph, kind: Kind) -> list[Node]:
    """The live nodes of a kind (definition nodes have no ARN)."""
    return [n for n in graph.nodes(kind) if n.get("arn")]


def package(graph: LineageGraph, scenario: Scenario, name: str) -> Node:
    """A live package node by `group/version`."""
    return graph.node(Kind.MODEL_PACKAGE, scenario.packages[name])


def collect_all(scenario: Scenario) -> tuple[LineageGraph, RegistryCollection, Hooks]:
    """A full collection of the main account and region, outside any test's monkeypatch."""
    hooks = Hooks()
    with pytest.MonkeyPatch.context() as patch:
        install_hooks(hooks, patch)
        graph, collection = collect(scenario, hooks)
    return graph, collection, hooks
