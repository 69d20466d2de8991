"""The saved audits (cypher/audits/) against a real Neo4j, and the `lineage audit` command."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
import typer
from neo4j import Driver
from typer.testing import CliRunner

from lineage.cli.audit import audit_command
from lineage.collect.registry.arns import parse_arn
from lineage.collect.registry.transform import live
from lineage.config import Settings
from lineage.graph.lineage_graph import Kind, LineageGraph, Node, Rel
from lineage.neo4j.audit_run import run_audit
from lineage.neo4j.audits import (
    AUDIT_DIR,
    HEADER_FIELDS,
    AuditError,
    audit_names,
    load_audit,
    parse_audit,
    parse_params,
)
from lineage.neo4j.connect import Neo4jTarget
from lineage.neo4j.load import Neo4jLoader
from lineage.neo4j.server import ServerInfo
from lineage.neo4j.server.server import DATA_ENV
from lineage.scan import scan
from tests.support.builders import (
    SKLEARN_IMAGE,
    XGBOOST_IMAGE,
    abalone_like,
    definition,
    get,
    model,
    processing,
    register_model,
    training,
    write,
)
from tests.support.cartography import CartographySync
from tests.support.neo4j_helpers import wipe
from tests.support.paths import EXAMPLE, SDK_FIXTURES

# Rules whose findings the findings audits read; a fixed selection keeps their rows exact.
RULES = Settings(
    select=("L101", "L102", "L301", "L303", "L304", "L307", "L309", "L310", "L311", "L404")
)
SDK = (
    "approved_by_default",
    "evaluates_other_model",
    "literal_model_data",
    "tuning_pipeline",
    "ungated_registration",
    "unpinned_image",
)
PIPELINES = sorted(["pipeline", *SDK, "abalone_like", "broken"])
# A value for each required parameter, for the test that runs every audit.
REQUIRED = {
    "prefix": "s3://data/",
    "package": "abalone_like/Register/package",
    "pipeline": "broken",
    "step": "Train",
}
S3 = "s3://sagemaker-us-east-1-111122223333/abalone"
LITERAL_MODEL = f"{S3}/models/abalone/model.tar.gz"
SDK_REGISTER = "AbaloneRegisterModel-RegisterModel"
ARN = "arn:aws:sagemaker:us-east-1:111122223333:"
runner = CliRunner()
# Cartography's sync of the account whose bucket the live training job reads, open to anyone.
DATA_LAKE = CartographySync("999988887777", "us-east-1", buckets={"live-data": ["s3:GetObject"]})


def live_package(version: int) -> str:
    """The ARN of a version of the live test group `churn`."""
    return f"{ARN}model-package/churn/{version}"


def broken() -> dict[str, Any]:
    """Dangling references, a training step without role and image, a registration gated only on
    a parameter and approved literally, and a parameter default that looks like rich markup."""
    train = training(
        "Train", get("Steps.Prep.ProcessingOutputConfig.Outputs['missing'].S3Output.S3Uri")
    )
    del train["Arguments"]["RoleArn"]
    del train["Arguments"]["AlgorithmSpecification"]["TrainingImage"]
    gate = {
        "Name": "Gate",
        "Type": "Condition",
        "Arguments": {
            "Conditions": [
                {"Type": "Equals", "LeftValue": get("Parameters.Markup"), "RightValue": "go"}
            ],
            "IfSteps": [
                register_model(
                    "Register",
                    get("Steps.Train.ModelArtifacts.S3ModelArtifacts"),
                    "broken-group",
                    "Approved",
                )
            ],
            "ElseSteps": [],
        },
    }
    return definition(
        processing("Prep", outputs=("train",), inputs={"raw": get("Parameters.Undeclared")}),
        train,
        model("Serve", get("Steps.Gone.ModelArtifacts.S3ModelArtifacts")),
        gate,
        parameters=[{"Name": "Markup", "Type": "String", "DefaultValue": "[red]boom[/red]"}],
    )


def live_node(graph: LineageGraph, kind: Kind, arn: str, **props: Any) -> Node:
    """A node of the live registry with the ARN, account, region and Cartography label it has."""
    parsed = parse_arn(arn)
    assert parsed is not None
    return graph.add_node(kind, arn, **live(parsed), **props)


def add_live_packages(graph: LineageGraph) -> None:
    """Two packages as `scan --registry` reads them: version 1 approved, GENERATED_BY a pipeline
    execution and a training job that read a dataset; version 2 pending, traced to nothing."""
    group = live_node(
        graph, Kind.MODEL_PACKAGE_GROUP, f"{ARN}model-package-group/churn", name="churn"
    )
    execution = live_node(
        graph,
        Kind.PIPELINE_EXECUTION,
        f"{ARN}pipeline/churn/execution/x1",
        name="x1",
        status="Succeeded",
    )
    job = live_node(
        graph, Kind.JOB, f"{ARN}training-job/churn-1", name="churn-1", job_type="Training"
    )
    data = graph.add_node(
        Kind.ARTIFACT,
        "s3://live-data/churn.csv",
        uri="s3://live-data/churn.csv",
        artifact_kind="dataset",
    )
    output = graph.add_node(
        Kind.ARTIFACT,
        "s3://live-models/churn-1/model.tar.gz",
        uri="s3://live-models/churn-1/model.tar.gz",
        artifact_kind="model",
    )
    graph.add_edge(job, Rel.CONSUMES, data, arg="/InputDataConfig/0/DataSource/S3DataSource/S3Uri")
    graph.add_edge(job, Rel.PRODUCES, output, arg="/ModelArtifacts/S3ModelArtifacts")
    for version, status in ((1, "Approved"), (2, "PendingManualApproval")):
        arn = live_package(version)
        package = live_node(
            graph, Kind.MODEL_PACKAGE, arn, group="churn", version=version, approval_status=status
        )
        graph.add_edge(package, Rel.IN_GROUP, group)
    approved = graph.node(Kind.MODEL_PACKAGE, live_package(1))
    graph.add_edge(approved, Rel.GENERATED_BY, execution)
    graph.add_edge(execution, Rel.RUN_OF, graph.node(Kind.PIPELINE, "pipeline:abalone_like"))
    graph.add_edge(approved, Rel.GENERATED_BY, job)
    graph.add_edge(approved, Rel.GENERATED_BY, graph.node(Kind.STEP, "abalone_like/Register"))


@pytest.fixture(scope="module")
def driver(neo4j_uri: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Driver]:
    """The test server holding the example, six SDK fixtures, abalone_like, broken and two
    packages from the live registry."""
    folder = tmp_path_factory.mktemp("audits")
    sources = [
        str(EXAMPLE),
        *(str(SDK_FIXTURES / f"{name}.json") for name in SDK),
        str(write(folder, abalone_like(), "abalone_like.json")),
        str(write(folder, broken(), "broken.json")),
    ]
    result = scan(sources, RULES)
    assert not result.errors
    add_live_packages(result.graph)
    with Neo4jTarget.resolve(neo4j_uri).open() as opened:
        wipe(opened)
        DATA_LAKE.run(opened)
        Neo4jLoader(opened, "neo4j").load(result.graph, result.findings, set(result.definitions))
        yield opened


def rows(driver: Driver, name: str, **params: Any) -> list[dict[str, Any]]:
    """The rows of an audit, each as a map from column to value."""
    columns, found = run_audit(driver, "neo4j", name, params)
    return [dict(zip(columns, row, strict=True)) for row in found]


def node_count(driver: Driver) -> int:
    records, _, _ = driver.execute_query("MATCH (n) RETURN count(n) AS n", database_="neo4j")
    return int(records[0]["n"])


# --- the files ---------------------------------------------------------------------------------


def test_there_are_at_least_ten_audits() -> None:
    assert len(audit_names()) >= 10


@pytest.mark.parametrize("name", audit_names())
def test_audit_file_has_its_header_and_no_browser_commands(name: str) -> None:
    text = (AUDIT_DIR / f"{name}.cypher").read_text(encoding="utf-8")
    lines = text.splitlines()
    header = lines[: next(i for i, line in enumerate(lines) if not line.startswith("//"))]
    assert re.match(r"^// [A-Z][^:]+: \S", header[0]), "first line: '// Title: what it lists'"
    for field in HEADER_FIELDS:
        assert sum(line.startswith(field) for line in header) == 1, field
    assert not [line for line in lines if line.lstrip().startswith(":")]
    audit = load_audit(name)
    body = "\n".join(lines[len(header) :])
    assert not [line for line in body.splitlines() if line.lstrip().startswith("//")]
    assert set(re.findall(r"\$(\w+)", body)) == {p.name for p in audit.parameters}
    assert all(p.help.endswith(".") for p in audit.parameters)
    assert audit.columns and all(re.fullmatch(r"[a-z_]+", c) for c in audit.columns)


def test_a_header_without_its_fields_or_with_two_statements_is_refused() -> None:
    header = "// T: t\n// Question: q\n// Parameters:\n// Returns: a\n"
    assert parse_audit("ok", header + "RETURN 1 AS a").columns == ("a",)
    with pytest.raises(AuditError, match="no 'Returns:'"):
        parse_audit("x", "// T: t\n// Question: q\n// Parameters:\nRETURN 1 AS a")
    with pytest.raises(AuditError, match="one Cypher statement, found 2"):
        parse_audit("x", header + "RETURN 1 AS a;\nRETURN 2 AS a;\n")
    with pytest.raises(AuditError, match="unknown type 'map'"):
        parse_audit("x", header + "//   $m (map, default null): m.\nRETURN $m AS a")


def test_parameter_values_are_read_as_json_or_text() -> None:
    given = [
        "count=2",
        "ratio=0.5",
        "on=true",
        "off=false",
        "none=null",
        'kinds=["dataset", "code"]',
        "prefix=s3://bucket/data/",
        'year="2024"',
        "empty=",
        "nan=NaN",
        "expression=a=b",
    ]
    assert parse_params(given) == {
        "count": 2,
        "ratio": 0.5,
        "on": True,
        "off": False,
        "none": None,
        "kinds": ["dataset", "code"],
        "prefix": "s3://bucket/data/",
        "year": "2024",
        "empty": "",
        "nan": "NaN",
        "expression": "a=b",
    }
    with pytest.raises(AuditError, match="not name=value"):
        parse_params(["pipeline"])
    with pytest.raises(AuditError, match="given twice"):
        parse_params(["a=1", "a=2"])


@pytest.mark.parametrize(
    ("name", "params", "message"),
    [
        ("ungated-registration", {}, "no audit 'ungated-registration'; did you mean ungated-reg"),
        ("downstream-of-s3-prefix", {}, "needs parameter 'prefix' \\(string: the start of"),
        ("pipeline-parameters", {"pipelin": "x"}, "no parameter 'pipelin'; did you mean 'pipe"),
        ("pipelines-sharing-image", {"min_pipelines": "two"}, "must be of type integer"),
        ("model-lineage-path", {"package": "p", "kinds": "dataset"}, "type list of string"),
        ("findings-for-step", {"pipeline": "p", "step": None}, "needs parameter 'step'"),
    ],
)
def test_audits_refuse_unknown_names_and_bad_parameters_before_connecting(
    name: str, params: dict[str, Any], message: str
) -> None:
    with pytest.raises(AuditError, match=message):
        run_audit(None, "neo4j", name, params)  # type: ignore[arg-type]


# --- every audit on the loaded graph -----------------------------------------------------------


@pytest.mark.parametrize("name", audit_names())
def test_every_audit_runs_and_returns_its_declared_columns(driver: Driver, name: str) -> None:
    audit = load_audit(name)
    params = {p.name: REQUIRED[p.name] for p in audit.parameters if p.required}
    columns, found = run_audit(driver, "neo4j", name, params)
    assert columns == list(audit.columns)
    assert found, f"{name} returned no rows on the test graph"


def test_registered_model_datasets(driver: Driver) -> None:
    found = rows(driver, "registered-model-datasets")
    assert [r["pipeline"] for r in found] == PIPELINES
    sdk = {
        "datasets": [
            f"{S3}/data/abalone-dataset.csv",
            f"{S3}/processed/train",
            f"{S3}/processed/validation",
        ],
        "code": [f"{S3}/code/preprocessing.py"],
        "images": [SKLEARN_IMAGE, XGBOOST_IMAGE],
    }
    by_pipeline = {r["pipeline"]: r for r in found}
    assert by_pipeline["pipeline"] == {
        "pipeline": "pipeline",
        "package": f"pipeline/{SDK_REGISTER}/package",
        "group": "AbaloneModelPackageGroup",
        "model": "pipeline/AbaloneTrain/model",
        "trained_by": "AbaloneTrain",
        **sdk,
    }
    assert by_pipeline["tuning_pipeline"]["trained_by"] == "AbaloneTuning"
    assert {k: by_pipeline["tuning_pipeline"][k] for k in sdk} == sdk
    assert by_pipeline["literal_model_data"] == {
        "pipeline": "literal_model_data",
        "package": f"literal_model_data/{SDK_REGISTER}/package",
        "group": "AbaloneModelPackageGroup",
        "model": LITERAL_MODEL,
        "trained_by": None,
        "datasets": [],
        "code": [],
        "images": [],
    }
    # broken's Train reads a Prep output that does not exist: Prep is upstream, but no dataset
    assert by_pipeline["broken"] == {
        "pipeline": "broken",
        "package": "broken/Register/package",
        "group": "broken-group",
        "model": "broken/Train/model",
        "trained_by": "Train",
        "datasets": [],
        "code": [],
        "images": [SKLEARN_IMAGE],
    }
    assert rows(driver, "registered-model-datasets", group="abalone") == [
        {
            "pipeline": "abalone_like",
            "package": "abalone_like/Register/package",
            "group": "abalone",
            "model": "abalone_like/Train/model",
            "trained_by": "Train",
            "datasets": ["s3://bucket/Prep/train", "s3://data/abalone.csv"],
            "code": [],
            "images": [SKLEARN_IMAGE, XGBOOST_IMAGE],
        }
    ]
    assert rows(driver, "registered-model-datasets", pipeline="abalone_like", group="other") == []


def test_model_lineage_path(driver: Driver) -> None:
    head = (
        "abalone_like/Register/package <-[:REGISTERS]- abalone_like/Register -[:CONSUMES]-> "
        "abalone_like/Train/model <-[:PRODUCES]- abalone_like/Train"
    )
    assert rows(
        driver, "model-lineage-path", package="abalone_like/Register/package", kinds=["dataset"]
    ) == [
        {
            "kind": "dataset",
            "input": "s3://bucket/Prep/train",
            "path": f"{head} -[:CONSUMES]-> abalone_like/Prep/outputs/train",
        },
        {
            "kind": "dataset",
            "input": "s3://data/abalone.csv",
            "path": f"{head} -[:RUNS_AFTER]-> abalone_like/Prep -[:CONSUMES]-> s3://data/abalone.csv",
        },
    ]
    every = rows(driver, "model-lineage-path", package="abalone_like/Register/package")
    assert [(r["kind"], r["input"]) for r in every] == [
        ("dataset", "s3://bucket/Prep/train"),
        ("dataset", "s3://data/abalone.csv"),
        ("image", SKLEARN_IMAGE),
        ("image", XGBOOST_IMAGE),
    ]
    literal = f"literal_model_data/{SDK_REGISTER}/package"
    assert rows(driver, "model-lineage-path", package=literal) == []


def test_ungated_registrations(driver: Driver) -> None:
    assert rows(driver, "ungated-registrations") == [
        {
            "pipeline": "approved_by_default",
            "step": SDK_REGISTER,
            "package": f"approved_by_default/{SDK_REGISTER}/package",
            "approval": "Parameters.ModelApprovalStatus",
            "conditions": [],
        },
        {
            "pipeline": "broken",
            "step": "Register",
            "package": "broken/Register/package",
            "approval": "Approved",
            "conditions": ["Gate"],
        },
        {
            "pipeline": "ungated_registration",
            "step": SDK_REGISTER,
            "package": f"ungated_registration/{SDK_REGISTER}/package",
            "approval": "Parameters.ModelApprovalStatus",
            "conditions": [],
        },
    ]
    assert rows(driver, "ungated-registrations", pipeline="pipeline") == []


def test_metrics_from_other_model(driver: Driver) -> None:
    assert rows(driver, "metrics-from-other-model") == [
        {
            "pipeline": "evaluates_other_model",
            "step": SDK_REGISTER,
            "package": f"evaluates_other_model/{SDK_REGISTER}/package",
            "evaluator": "AbaloneEval",
            "evaluated": ["evaluates_other_model/AbaloneTrainChallenger/model"],
            "registered": ["evaluates_other_model/AbaloneTrain/model"],
        },
        {
            "pipeline": "literal_model_data",
            "step": SDK_REGISTER,
            "package": f"literal_model_data/{SDK_REGISTER}/package",
            "evaluator": "AbaloneEval",
            "evaluated": ["literal_model_data/AbaloneTrain/model"],
            "registered": [LITERAL_MODEL],
        },
    ]


def test_downstream_of_s3_prefix(driver: Driver) -> None:
    seed = ["s3://data/abalone.csv"]
    expected = [
        ("Artifact", "abalone_like", "abalone_like/Evaluate/outputs/evaluation", "dataset"),
        (
            "Artifact",
            "abalone_like",
            "abalone_like/Evaluate/property_files/EvaluationReport",
            "property_file",
        ),
        ("Artifact", "abalone_like", "abalone_like/Prep/outputs/test", "dataset"),
        ("Artifact", "abalone_like", "abalone_like/Prep/outputs/train", "dataset"),
        ("Artifact", "abalone_like", "abalone_like/Train/model", "model"),
        ("Artifact", None, "s3://data/abalone.csv", "dataset"),
        ("ModelPackage", "abalone_like", "abalone_like/Register/package", "abalone"),
        ("Step", "abalone_like", "abalone_like/Check", "Condition"),
        ("Step", "abalone_like", "abalone_like/Evaluate", "Processing"),
        ("Step", "abalone_like", "abalone_like/Prep", "Processing"),
        ("Step", "abalone_like", "abalone_like/Register", "RegisterModel"),
        ("Step", "abalone_like", "abalone_like/Train", "Training"),
    ]
    assert rows(driver, "downstream-of-s3-prefix", prefix="s3://data/") == [
        {"kind": k, "pipeline": p, "node": n, "detail": d, "reached_from": seed}
        for k, p, n, d in expected
    ]
    # the example: batch transform reads the model through CreateModel's ModelName; Fail is not
    # downstream of the data (it reads a parameter only)
    assert rows(driver, "downstream-of-s3-prefix", prefix="s3://live-data/") == [
        {
            "kind": kind,
            "pipeline": None,
            "node": node,
            "detail": detail,
            "reached_from": ["s3://live-data/churn.csv"],
        }
        for kind, node, detail in (
            ("Artifact", "s3://live-data/churn.csv", "dataset"),
            ("Artifact", "s3://live-models/churn-1/model.tar.gz", "model"),
            ("Job", f"{ARN}training-job/churn-1", "Training"),
            ("ModelPackage", live_package(1), "churn"),
        )
    ]
    example = [
        r["node"]
        for r in rows(driver, "downstream-of-s3-prefix", prefix=f"{S3}/data/abalone-dataset.csv")
        if r["pipeline"] == "pipeline" and r["kind"] == "Step"
    ]
    assert example == [
        f"pipeline/{name}"
        for name in (
            "AbaloneCreateModel-CreateModel",
            "AbaloneEval",
            "AbaloneMSECond",
            "AbaloneProcess",
            SDK_REGISTER,
            "AbaloneTrain",
            "AbaloneTransform",
        )
    ]


def test_hostile_parameter_values_are_data_not_cypher(driver: Driver) -> None:
    before = node_count(driver)
    for value in ("'}) MATCH (n) DETACH DELETE n //", '" OR 1=1 //', "$prefix"):
        assert rows(driver, "downstream-of-s3-prefix", prefix=value) == []
        assert rows(driver, "findings-for-step", pipeline=value, step=value) == []
    assert node_count(driver) == before


def test_approval_status_by_group(driver: Driver) -> None:
    found = rows(driver, "approval-status-by-group")
    assert [(r["group"], r["pipeline"]) for r in found] == [
        ("AbaloneModelPackageGroup", p) for p in PIPELINES if p not in ("abalone_like", "broken")
    ] + [
        ("abalone", "abalone_like"),
        ("broken-group", "broken"),
        ("churn", "abalone_like"),
        ("churn", None),
    ]
    assert found[0] == {
        "group": "AbaloneModelPackageGroup",
        "pipeline": "approved_by_default",
        "package": f"approved_by_default/{SDK_REGISTER}/package",
        "approval_status": None,
        "approval_expression": "Parameters.ModelApprovalStatus",
        "parameter_default": "Approved",
    }
    assert rows(driver, "approval-status-by-group", group="broken-group") == [
        {
            "group": "broken-group",
            "pipeline": "broken",
            "package": "broken/Register/package",
            "approval_status": "Approved",
            "approval_expression": None,
            "parameter_default": None,
        }
    ]
    assert rows(driver, "approval-status-by-group", group="churn") == [
        {
            "group": "churn",
            "pipeline": pipeline,
            "package": live_package(version),
            "approval_status": status,
            "approval_expression": None,
            "parameter_default": None,
        }
        for version, status, pipeline in (
            (1, "Approved", "abalone_like"),
            (2, "PendingManualApproval", None),
        )
    ]


def test_live_package_lineage(driver: Driver) -> None:
    assert rows(driver, "live-package-lineage") == [
        {
            "group": "churn",
            "version": 1,
            "package": live_package(1),
            "approval_status": "Approved",
            "execution": "x1",
            "execution_status": "Succeeded",
            "step": "abalone_like/Register",
            "jobs": ["churn-1"],
            "datasets": ["s3://live-data/churn.csv"],
        },
        {
            "group": "churn",
            "version": 2,
            "package": live_package(2),
            "approval_status": "PendingManualApproval",
            "execution": None,
            "execution_status": None,
            "step": None,
            "jobs": [],
            "datasets": [],
        },
    ]
    approved = rows(driver, "live-package-lineage", group="churn", approval_status="Approved")
    assert [r["version"] for r in approved] == [1]
    assert rows(driver, "live-package-lineage", group="abalone") == []


def test_pipelines_sharing_image(driver: Driver) -> None:
    shared = rows(driver, "pipelines-sharing-image")
    assert [(r["image"], r["framework"], r["pipeline_count"], r["pipelines"]) for r in shared] == [
        (SKLEARN_IMAGE, "scikit-learn", 9, PIPELINES),
        (XGBOOST_IMAGE, "xgboost", 9, PIPELINES),
    ]
    assert [r["steps"] for r in shared] == [10, 31]
    once = rows(driver, "pipelines-sharing-image", min_pipelines=1)
    assert once[-1] == {
        "image": "111122223333.dkr.ecr.us-east-1.amazonaws.com/abalone-inference:latest",
        "framework": None,
        "pipeline_count": 1,
        "pipelines": ["unpinned_image"],
        "steps": 2,
    }
    assert rows(driver, "pipelines-sharing-image", min_pipelines=10) == []


def test_findings_by_level_and_pipeline(driver: Driver) -> None:
    assert rows(driver, "findings-by-level-and-pipeline", pipeline="broken") == [
        {
            "pipeline": "broken",
            "level": 1,
            "severity": "error",
            "findings": 2,
            "codes": ["L101", "L102"],
        },
        {
            "pipeline": "broken",
            "level": 3,
            "severity": "error",
            "findings": 4,
            "codes": ["L301", "L303", "L304", "L311"],
        },
    ]  # L310 (ungated) is folded into L311 (auto-approved and ungated): one cause
    every = rows(driver, "findings-by-level-and-pipeline")
    assert sorted({r["pipeline"] for r in every}) == PIPELINES


def test_findings_for_step(driver: Driver) -> None:
    found = rows(driver, "findings-for-step", pipeline="broken", step="Train")
    assert [(r["code"], r["rule"], r["node"], r["pointer"]) for r in found] == [
        ("L101", "missing-execution-role", "broken/Train", "/Steps/1/Arguments/RoleArn"),
        (
            "L102",
            "missing-image",
            "broken/Train",
            "/Steps/1/Arguments/AlgorithmSpecification/TrainingImage",
        ),
        (
            "L303",
            "unknown-output-name",
            "broken/Train#/Steps/1/Arguments/InputDataConfig/0/DataSource/S3DataSource/S3Uri",
            "/Steps/1/Arguments/InputDataConfig/0/DataSource/S3DataSource/S3Uri",
        ),
    ]
    lines = [r["line"] for r in found]
    assert lines == sorted(lines) and all(isinstance(n, int) for n in lines)
    assert all(r["severity"] == "error" and r["message"] for r in found)
    assert rows(driver, "findings-for-step", pipeline="pipeline", step="Train") == []


def test_dangling_references(driver: Driver) -> None:
    assert rows(driver, "dangling-references") == [
        {
            "pipeline": "broken",
            "step": "Prep",
            "expression": "Parameters.Undeclared",
            "pointer": "/Steps/0/Arguments/ProcessingInputs/0/S3Input/S3Uri",
            "reason": "no parameter Undeclared",
        },
        {
            "pipeline": "broken",
            "step": "Serve",
            "expression": "Steps.Gone.ModelArtifacts.S3ModelArtifacts",
            "pointer": "/Steps/2/Arguments/PrimaryContainer/ModelDataUrl",
            "reason": "no step Gone",
        },
        {
            "pipeline": "broken",
            "step": "Train",
            "expression": "Steps.Prep.ProcessingOutputConfig.Outputs['missing'].S3Output.S3Uri",
            "pointer": "/Steps/1/Arguments/InputDataConfig/0/DataSource/S3DataSource/S3Uri",
            "reason": "step Prep declares no outputs missing",
        },
    ]
    assert rows(driver, "dangling-references", pipeline="pipeline") == []


def test_steps_without_role_or_image(driver: Driver) -> None:
    assert rows(driver, "steps-without-role-or-image") == [
        {
            "pipeline": "broken",
            "step": "Train",
            "step_type": "Training",
            "missing": ["role", "image"],
            "codes": ["L101", "L102"],
        }
    ]


def test_pipeline_parameters(driver: Driver) -> None:
    assert rows(driver, "pipeline-parameters", pipeline="abalone_like") == [
        {
            "pipeline": "abalone_like",
            "parameter": name,
            "type": "String",
            "default_value": default,
            "enum_values": None,
            "used_by": [step],
        }
        for name, default, step in (
            ("Approval", "PendingManualApproval", "Register"),
            ("Group", "abalone", "Register"),
            ("Input", "s3://data/abalone.csv", "Prep"),
        )
    ]
    example = {r["parameter"]: r for r in rows(driver, "pipeline-parameters", pipeline="pipeline")}
    assert example["MseThreshold"]["default_value"] == 6.0
    assert example["MseThreshold"]["used_by"] == ["AbaloneMSECond", "AbaloneMSEFail"]
    assert example["ProcessingInstanceCount"]["type"] == "Integer"


# --- the command --------------------------------------------------------------------------------


def app() -> typer.Typer:
    """A fresh app with the audit command, as lineage/cli/main.py registers it."""
    fresh = typer.Typer()
    fresh.command("audit")(audit_command)

    @fresh.callback()
    def root() -> None:
        """Test app."""

    return fresh


def test_cli_lists_the_audits() -> None:
    table = runner.invoke(app(), ["audit"])
    assert table.exit_code == 0, table.output
    for name in audit_names():
        assert name in table.stdout
    assert "$prefix (string, required)" in table.stdout
    listed = runner.invoke(app(), ["audit", "--format", "json"])
    assert listed.exit_code == 0
    audits = {a["name"]: a for a in json.loads(listed.stdout)}
    assert sorted(audits) == audit_names()
    assert audits["model-lineage-path"]["parameters"] == [
        {
            "name": "package",
            "type": "string",
            "required": True,
            "default": None,
            "help": "the ModelPackage key, e.g. 'abalone/Register/package'.",
        },
        {
            "name": "kinds",
            "type": "list of string",
            "required": False,
            "default": None,
            "help": "only inputs of these artifact kinds; null for all.",
        },
    ]
    assert audits["model-lineage-path"]["columns"] == ["kind", "input", "path"]


def test_cli_runs_an_audit_with_parameters(driver: Driver, neo4j_uri: str) -> None:
    args = ["audit", "model-lineage-path", "-p", "package=abalone_like/Register/package"]
    result = runner.invoke(
        app(), [*args, "--param", 'kinds=["image"]', "--neo4j", neo4j_uri, "-f", "json"]
    )
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["parameters"] == {
        "package": "abalone_like/Register/package",
        "kinds": ["image"],
    }
    assert document["columns"] == ["kind", "input", "path"]
    assert [r["input"] for r in document["rows"]] == [SKLEARN_IMAGE, XGBOOST_IMAGE]
    expected = rows(driver, "model-lineage-path", **document["parameters"])
    assert document["rows"] == expected


def test_cli_prints_user_data_literally_not_as_markup(driver: Driver, neo4j_uri: str) -> None:
    args = ["audit", "pipeline-parameters", "-p", "pipeline=broken"]
    result = runner.invoke(app(), args, env={"NEO4J_URI": neo4j_uri})
    assert result.exit_code == 0, result.output
    assert "[red]boom[/red]" in result.stdout
    assert "Markup" in result.stdout and "1 row" in result.stdout


@pytest.mark.parametrize(
    ("args", "env", "message"),
    [
        (["nope"], {}, "no audit 'nope' (`lineage audit` lists them all)"),
        (
            ["downstream-of-s3-prefix"],
            {},
            "audit 'downstream-of-s3-prefix' needs parameter 'prefix'",
        ),
        (["pipeline-parameters", "-p", "pipeline"], {}, "parameter 'pipeline' is not name=value"),
        (
            ["pipeline-parameters", "--neo4j", "bolt://127.0.0.1:1"],
            {},
            "cannot reach Neo4j at bolt://127.0.0.1:1",
        ),
        (["pipeline-parameters", "--neo4j", "ftp://db"], {}, "invalid Neo4j URI 'ftp://db'"),
        (["pipeline-parameters"], {"NEO4J_URI": None}, "no Neo4j URI"),
    ],
)
def test_cli_errors_are_one_line_on_stderr_and_exit_2(
    args: list[str], env: dict[str, str | None], message: str
) -> None:
    result = runner.invoke(app(), ["audit", *args], env=env)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith(f"lineage: {message}")
    assert result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr


def test_cli_reports_a_query_failure_in_one_line(driver: Driver, neo4j_uri: str) -> None:
    env = {"NEO4J_DATABASE": "nosuchdatabase"}
    result = runner.invoke(app(), ["audit", "dangling-references", "--neo4j", neo4j_uri], env=env)
    assert result.exit_code == 2
    assert result.stderr.startswith("lineage: audit 'dangling-references' failed in Neo4j:")
    assert result.stderr.count("\n") == 1


def test_cli_table_of_an_empty_result(driver: Driver, neo4j_uri: str) -> None:
    args = ["audit", "dangling-references", "-p", "pipeline=pipeline", "--neo4j", neo4j_uri]
    result = runner.invoke(app(), args)
    assert result.exit_code == 0
    assert "0 rows" in result.stdout


def test_cli_finds_the_server_lineage_db_started(
    driver: Driver, neo4j_server: ServerInfo | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    if neo4j_server is None:
        pytest.skip("an external Neo4j is in use: no local server to find")
    monkeypatch.setenv(DATA_ENV, str(neo4j_server.data_dir))
    monkeypatch.delenv("NEO4J_URI", raising=False)
    found = runner.invoke(app(), ["audit", "dangling-references", "-p", "pipeline=pipeline"])
    assert found.exit_code == 0, found.stderr
    assert "0 rows" in found.stdout
    elsewhere = runner.invoke(
        app(), ["audit", "pipeline-parameters"], env={"NEO4J_URI": "bolt://127.0.0.1:1"}
    )
    assert elsewhere.exit_code == 2
    assert "cannot reach Neo4j at bolt://127.0.0.1:1" in elsewhere.stderr
