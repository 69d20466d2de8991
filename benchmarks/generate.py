"""Seeded synthetic workloads: SDK-shaped pipeline definitions, corpora, and registry graphs."""

from __future__ import annotations

import copy
import json
import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from lineage.collect.definition import collect_definition
from lineage.collect.registry import transform
from lineage.collect.registry.arns import parse_arn
from lineage.collect.registry.links import pipeline_definition
from lineage.collect.registry.load import RegistryGraph
from lineage.collect.sources import Definition, parse_text
from lineage.graph.lineage_graph import LineageGraph

TEMPLATE = Path(__file__).resolve().parent.parent / "examples" / "abalone" / "pipeline.json"
PREFIX = "Abalone"  # the template's step-name prefix, replaced by one per block
ACCOUNT, REGION = "123456789012", "us-east-1"
ECR = "683313688378.dkr.ecr.us-east-1.amazonaws.com"
IMAGES = [f"{ECR}/sagemaker-xgboost:1.7-1", f"{ECR}/sagemaker-xgboost:1.5-1"]
INSTANCES = ["ml.m5.xlarge", "ml.m5.2xlarge", "ml.c5.xlarge", "ml.m5.large"]
PACKAGES_PER_GROUP = 50
EPOCH = datetime(2025, 1, 1, tzinfo=UTC)


def _template() -> dict[str, Any]:
    document: dict[str, Any] = json.loads(TEMPLATE.read_text(encoding="utf-8"))
    return document


_TEMPLATE = _template()
BLOCK_STEPS = 8  # Process, Train, Eval, Cond; Register, CreateModel, Transform (if), Fail (else)


def _rename(value: Any, prefix: str) -> Any:
    """A deep copy of `value` with the template's step-name prefix replaced."""
    return json.loads(json.dumps(value).replace(PREFIX, prefix))


def _tuning(train: dict[str, Any], name: str) -> dict[str, Any]:
    """A Tuning step wrapping the Training step's arguments, as `TuningStep` writes it."""
    args = copy.deepcopy(train["Arguments"])
    args.pop("HyperParameters", None)
    return {
        "Name": name,
        "Type": "Tuning",
        "Arguments": {
            "HyperParameterTuningJobConfig": {
                "Strategy": "Bayesian",
                "ResourceLimits": {"MaxNumberOfTrainingJobs": 8, "MaxParallelTrainingJobs": 2},
                "TrainingJobEarlyStoppingType": "Off",
                "HyperParameterTuningJobObjective": {
                    "Type": "Minimize",
                    "MetricName": "validation:rmse",
                },
                "ParameterRanges": {
                    "ContinuousParameterRanges": [
                        {"Name": "eta", "MinValue": "0.1", "MaxValue": "0.5"}
                    ],
                    "IntegerParameterRanges": [],
                    "CategoricalParameterRanges": [],
                },
            },
            "TrainingJobDefinition": {
                "StaticHyperParameters": {"objective": "reg:linear", "num_round": "50"},
                **{k: v for k, v in args.items() if k != "DebugHookConfig"},
            },
        },
    }


def _top_model(tune: str) -> dict[str, Any]:
    """The model URI `TuningStep.get_top_model_s3_uri` writes: a Std:Join of the best job."""
    return {
        "Std:Join": {
            "On": "/",
            "Values": [
                "s3://sagemaker-us-east-1-111122223333/abalone/models",
                {"Get": f"Steps.{tune}.TrainingJobSummaries[0].TrainingJobName"},
                "output/model.tar.gz",
            ],
        }
    }


def block(rng: random.Random, prefix: str, group: str | None = None) -> list[dict[str, Any]]:
    """One processing → training/tuning → evaluation → condition → register/model/transform
    block (4 top-level steps, 8 in all), with seeded variation."""
    steps = _rename(_TEMPLATE["Steps"], prefix)
    process, train, _evaluate, condition = steps
    process["Arguments"]["ProcessingResources"]["ClusterConfig"]["InstanceType"] = rng.choice(
        INSTANCES
    )
    condition["Arguments"]["Conditions"][0]["RightValue"] = round(rng.uniform(3.0, 9.0), 2)
    inner = condition["Arguments"]["IfSteps"]
    register = inner[0]
    if group is not None:
        register["Arguments"]["ModelPackageGroupName"] = group
    if rng.random() < 0.25:  # a tuning block: the model comes from the best training job
        tune = f"{prefix}Tune"
        steps[1] = _tuning(train, tune)
        text = json.dumps(steps).replace(
            json.dumps({"Get": f"Steps.{prefix}Train.ModelArtifacts.S3ModelArtifacts"}),
            json.dumps(_top_model(tune)),
        )
        steps = json.loads(text)
    result: list[dict[str, Any]] = steps
    return result


def pipeline(steps: int, seed: int = 0, group: str | None = None) -> dict[str, Any]:
    """A definition of exactly `steps` steps (nested condition branches counted): SDK-shaped
    blocks, each after the previous one, the remainder as extra processing steps."""
    rng = random.Random(seed)
    document = copy.deepcopy({k: v for k, v in _TEMPLATE.items() if k != "Steps"})
    top: list[dict[str, Any]] = []
    blocks, extra = divmod(steps, BLOCK_STEPS)
    previous: str | None = None
    for index in range(blocks):
        prefix = f"B{index}" if blocks > 1 else PREFIX
        new = block(rng, prefix, group)
        if previous is not None:
            new[0]["DependsOn"] = [previous]
        previous = new[3]["Name"]
        top += new
    for index in range(extra):
        process = _rename(_TEMPLATE["Steps"][0], f"Extra{index}")
        if previous is not None:
            process["DependsOn"] = [previous]
        top.append(process)
    document["Steps"] = top
    return document


def corpus_sizes(count: int, seed: int) -> list[int]:
    """Step counts of a corpus: mostly small pipelines, some large ones (8 to 120 steps)."""
    rng = random.Random(seed)
    return [
        rng.choice([8, 8, 8, 16, 16, 24, 32, 48, 120]) + rng.randrange(0, 3) for _ in range(count)
    ]


def write_corpus(directory: Path, count: int, seed: int = 0) -> list[Path]:
    """Write `count` definitions as pretty JSON files (some as describe_pipeline responses)."""
    directory.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    paths = []
    for index, steps in enumerate(corpus_sizes(count, seed)):
        document: Any = pipeline(steps, seed=seed * 100_003 + index)
        if rng.random() < 0.2:
            document = {
                "PipelineName": f"pipeline-{index}",
                "PipelineDefinition": json.dumps(document),
            }
        path = directory / f"pipeline-{index:05d}.json"
        path.write_text(json.dumps(document, indent=2), encoding="utf-8")
        paths.append(path)
    return paths


@dataclass
class SyntheticRegistry:
    """A registry graph as the collector builds it, and the definitions of its pipelines."""

    graph: LineageGraph
    definitions: dict[str, Definition] = field(default_factory=dict)
    packages: int = 0
    groups: int = 0


def _arn(resource: str) -> str:
    return f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:{resource}"


def _live_pipeline(registry: RegistryGraph, name: str, group: str, seed: int) -> Any:
    """A pipeline as describe_pipeline returns it, loaded the way `Links` loads it."""
    arn = parse_arn(_arn(f"pipeline/{name}"))
    assert arn is not None
    record = {"PipelineArn": arn.text, "PipelineDefinition": json.dumps(pipeline(8, seed, group))}
    definition = pipeline_definition(record, arn)
    props = {
        **transform.live(arn),
        "pipeline_name": name,
        "status": "Active",
        "modified_at": EPOCH.isoformat(),
    }
    return registry.pipeline(definition, props), definition


def registry_graph(packages: int, seed: int = 0) -> SyntheticRegistry:
    """A live registry of `packages` versions in groups of 50, each group with its pipeline;
    per version an execution, its training job, the job's dataset and model. A few versions
    break the registry rules: uploaded by hand (L318), drifted image (L319), approved from a
    failed execution (L320)."""
    rng = random.Random(seed)
    graph = LineageGraph()
    registry = RegistryGraph(graph)
    result = SyntheticRegistry(graph)
    groups = max(1, -(-packages // PACKAGES_PER_GROUP))
    made = 0
    for g in range(groups):
        name = f"model-{g:05d}"
        group_arn = parse_arn(_arn(f"model-package-group/{name}"))
        assert group_arn is not None
        count = min(PACKAGES_PER_GROUP, packages - made)
        pipe, definition = _live_pipeline(registry, f"train-{name}", name, seed * 7919 + g)
        result.definitions[pipe.key] = definition
        summaries: list[dict[str, Any]] = []
        records = []
        for v in range(1, count + 1):
            when = EPOCH + timedelta(hours=g * 100 + v)
            status = rng.choice(["Approved", "Rejected", "PendingManualApproval"])
            execution_id = f"{g:05d}x{v:04d}"
            execution_arn = _arn(f"pipeline/train-{name}/execution/{execution_id}")
            job_name = f"pipelines-{execution_id}-AbaloneTrain"
            model = f"s3://bucket/models/{job_name}/output/model.tar.gz"
            roll = rng.random()
            manual = roll < 0.02
            record = {
                "ModelPackageGroupName": name,
                "ModelPackageVersion": v,
                "ModelPackageArn": _arn(f"model-package/{name}/{v}"),
                "ModelPackageStatus": "Completed",
                "ModelApprovalStatus": status,
                "CreationTime": when,
                "InferenceSpecification": {
                    "Containers": [
                        {
                            "Image": IMAGES[1] if 0.02 <= roll < 0.04 else IMAGES[0],
                            "ModelDataUrl": "s3://uploads/manual/model.tar.gz" if manual else model,
                        }
                    ]
                },
                "ModelMetrics": {
                    "ModelQuality": {
                        "Statistics": {
                            "ContentType": "application/json",
                            "S3Uri": f"s3://bucket/eval/{execution_id}/evaluation.json",
                        }
                    }
                },
                "MetadataProperties": {} if manual else {"GeneratedBy": execution_arn},
                "CustomerMetadataProperties": {"model_name": name, "framework": "xgboost"},
                "Tags": [{"Key": "team", "Value": f"team-{g % 7}"}],
            }
            summaries.append(
                {"ModelPackageVersion": v, "ModelApprovalStatus": status, "ModelPackageArn": "x"}
            )
            records.append((record, manual, execution_arn, job_name, model, roll))
        group = registry.group(
            transform.group_props(
                {
                    "ModelPackageGroupName": name,
                    "ModelPackageGroupArn": group_arn.text,
                    "ModelPackageGroupStatus": "Completed",
                    "CreationTime": EPOCH,
                },
                group_arn,
                summaries,
            )
        )
        for record, manual, execution_arn, job_name, model, roll in records:
            arn = parse_arn(record["ModelPackageArn"])
            assert arn is not None
            package = registry.package(transform.package_props(record, record, arn), group)
            made += 1
            if manual:
                continue
            failed = 0.04 <= roll < 0.06
            execution = registry.execution(
                transform.execution_props(
                    {
                        "PipelineExecutionStatus": "Failed" if failed else "Succeeded",
                        "FailureReason": "Step AbaloneEval failed" if failed else None,
                        "PipelineArn": _arn(f"pipeline/train-{name}"),
                        "CreationTime": record["CreationTime"],
                    },
                    parse_arn(execution_arn),  # type: ignore[arg-type]
                ),
                pipe,
            )
            job_arn = parse_arn(_arn(f"training-job/{job_name}"))
            assert job_arn is not None
            run = transform.StepRun("AbaloneTrain", "Training", job_arn.text, "Succeeded")
            job = registry.job(
                transform.job_props(job_arn, "Training", run, execution_arn), execution
            )
            job = registry.training(
                job,
                {
                    "TrainingJobStatus": "Completed",
                    "AlgorithmSpecification": {"TrainingImage": IMAGES[0]},
                    "ModelArtifacts": {"S3ModelArtifacts": model},
                    "CreationTime": record["CreationTime"],
                    "InputDataConfig": [
                        {
                            "ChannelName": "train",
                            "DataSource": {
                                "S3DataSource": {"S3Uri": f"s3://bucket/{name}/{job_name}/train"}
                            },
                        }
                    ],
                },
            )
            registry.registered_by(package, execution, "AbaloneRegisterModel-RegisterModel")
            registry.generated_by(package, job)
    result.packages, result.groups = made, groups
    return result


def definition_of(document: dict[str, Any], name: str) -> Definition:
    """A Definition of an in-memory document (no file)."""
    return parse_text(json.dumps(document), source=name, default_name=name)


def collect_one(document: dict[str, Any], name: str = "bench") -> LineageGraph:
    """The graph of one definition (a check that generated definitions collect)."""
    graph = LineageGraph()
    collect_definition(definition_of(document, name), graph)
    return graph
