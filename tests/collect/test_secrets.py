"""Secrets are masked once, where they enter the graph: every place is reported (L206, L209) and
no output shows a value: table, JSON, SARIF, HTML, a Neo4j dump, the live registry."""

from __future__ import annotations

import copy
import json
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from neo4j import Driver
from typer.testing import CliRunner

from lineage.cli.main import app
from lineage.graph.secrets import (
    ACCESS_KEY,
    ACCESS_KEY_MASK,
    LITERAL_SECRET,
    SECRET_MASK,
    SECRET_PARTS,
    SECRET_WORDS,
    URI_CREDENTIALS,
    SecretSite,
    may_hold_secrets,
    redact,
)
from tests.support.builders import get, governed_pipeline, write
from tests.support.moto_plugin import boto_client
from tests.support.neo4j_helpers import snapshot, wipe
from tests.support.paths import SDK_FIXTURES

ACCESS_KEY_ID = "AKIAIOSFODNN7EXAMPLE"
SECOND_KEY_ID = "ASIAZZZZEXAMPLE12345"
PLANTED = {
    "hyper-parameter": "hf_Zk3pQ9vXw2LmN8rT5yB1cD4eF6",
    "metadata": "Metadata-Pa55word-91",
    "tag": "tag-T0ken-8f2b0c",
    "userinfo": "Uri-Pa55-77aa",
    "parameter": "Param-Secr3t-4411",
    "read parameter": "Wandb-K3y-0099",
}
runner = CliRunner()


def planted_pipeline() -> dict[str, Any]:
    """The governed pipeline with a credential in each place a user might write one."""
    doc = governed_pipeline()
    prep, train, _, create, register, batch = doc["Steps"]
    train["Arguments"]["HyperParameters"] = {"hf_token": PLANTED["hyper-parameter"]}
    create["Arguments"]["PrimaryContainer"]["Environment"] = {"AWS_ACCESS_KEY_ID": ACCESS_KEY_ID}
    register["Arguments"]["CustomerMetadataProperties"]["db_password"] = PLANTED["metadata"]
    register["Arguments"]["Tags"] = [{"Key": "api-token", "Value": PLANTED["tag"]}]
    code = prep["Arguments"]["ProcessingInputs"][1]["S3Input"]
    code["S3Uri"] = f"s3://deploy:{PLANTED['userinfo']}@bucket/code/prep.py"
    prep["Arguments"]["Environment"] = {"WANDB_API_KEY": get("Parameters.WandbSetting")}
    batch["Description"] = f"batch scoring with {SECOND_KEY_ID}"
    doc["Parameters"] += [
        {"Name": "DbPassword", "Type": "String", "DefaultValue": PLANTED["parameter"]},
        {"Name": "WandbSetting", "Type": "String", "DefaultValue": PLANTED["read parameter"]},
    ]
    return doc


SECRET_TEXTS = (*PLANTED.values(), ACCESS_KEY_ID, SECOND_KEY_ID)
EXPECTED = [
    ("L206", "/Parameters/3/DefaultValue"),
    ("L206", "/Steps/1/Arguments/HyperParameters/hf_token"),
    ("L206", "/Steps/3/Arguments/PrimaryContainer/Environment/AWS_ACCESS_KEY_ID"),
    ("L209", "/Parameters/2/DefaultValue"),
    ("L209", "/Steps/0/Arguments/ProcessingInputs/1/S3Input/S3Uri"),
    ("L209", "/Steps/4/Arguments/CustomerMetadataProperties/db_password"),
    ("L209", "/Steps/4/Arguments/Tags/0/Value"),
    ("L209", "/Steps/5/Description"),
]


def assert_no_secret(text: str, where: str) -> None:
    for secret in SECRET_TEXTS:
        assert secret not in text, f"{secret!r} in the {where}"


def test_every_planted_secret_is_reported_once_and_no_report_shows_one(tmp_path: Path) -> None:
    path = write(tmp_path, planted_pipeline())
    report = runner.invoke(app, ["scan", str(path), "-f", "json", "--html", str(tmp_path / "v")])
    findings = json.loads(report.stdout)["findings"]
    found = sorted((f["code"], f["pointer"]) for f in findings if f["code"] in ("L206", "L209"))
    assert found == EXPECTED
    assert_no_secret(report.stdout, "JSON report")
    assert_no_secret((tmp_path / "v").read_text(encoding="utf-8"), "HTML view")
    table = runner.invoke(app, ["scan", str(path)], terminal_width=400)
    assert "L209" in table.stdout
    assert_no_secret(table.stdout + table.stderr, "table")
    sarif = runner.invoke(app, ["scan", str(path), "-f", "sarif", "--project-root", str(tmp_path)])
    assert_no_secret(sarif.stdout, "SARIF report")
    messages = " ".join(f["message"] for f in findings if f["code"] == "L209")
    assert "'api-token' holds a literal secret" in messages
    assert "holds credentials in a URI" in messages


def test_a_neo4j_dump_holds_no_secret(tmp_path: Path, neo4j_driver: Driver, neo4j_uri: str) -> None:
    wipe(neo4j_driver)
    path = write(tmp_path, planted_pipeline())
    result = runner.invoke(app, ["scan", str(path), "-f", "json", "--neo4j", neo4j_uri])
    assert result.exit_code == 1, result.output
    nodes, relationships = snapshot(neo4j_driver)
    dump = repr((nodes, relationships))
    assert "L209" in dump
    assert_no_secret(dump, "Neo4j database")
    assert "s3://****@bucket/code/prep.py" in dump


def test_the_live_registry_is_masked_before_the_graph(
    moto_endpoint: str, aws_environment: None, tmp_path: Path
) -> None:
    region = "eu-west-1"
    sm = boto_client("sagemaker", moto_endpoint, region)
    sm.create_model_package_group(ModelPackageGroupName="vault")
    sm.create_model_package(
        ModelPackageGroupName="vault",
        ModelPackageDescription=f"deployed with {ACCESS_KEY_ID}",
        InferenceSpecification={
            "Containers": [
                {
                    "Image": "111122223333.dkr.ecr.eu-west-1.amazonaws.com/xgb@sha256:" + "a" * 64,
                    "ModelDataUrl": f"s3://ops:{PLANTED['userinfo']}@bucket/model.tar.gz",
                    "Environment": {"API_TOKEN": PLANTED["tag"]},
                }
            ],
            "SupportedContentTypes": ["text/csv"],
            "SupportedResponseMIMETypes": ["text/csv"],
        },
        ModelApprovalStatus="PendingManualApproval",
        CustomerMetadataProperties={"db_password": PLANTED["metadata"]},
    )
    args = ["scan", "--registry", "--endpoint-url", moto_endpoint, "--region", region]
    result = runner.invoke(app, [*args, "--group", "vault", "-f", "json", "--select", "L209"])
    findings = json.loads(result.stdout)["findings"]
    assert sorted(f["pointer"] for f in findings) == [
        "/CustomerMetadataProperties/db_password",
        "/InferenceSpecification/Containers/0/Environment/API_TOKEN",
        "/InferenceSpecification/Containers/0/ModelDataUrl",
        "/ModelPackageDescription",
    ]
    assert_no_secret(result.stdout + result.stderr, "registry report")


@pytest.mark.parametrize(
    ("document", "masked", "what"),
    [
        ({"db_password": "hunter2-horse"}, {"db_password": SECRET_MASK}, LITERAL_SECRET),
        ({"Key": "ApiKey", "Value": "k-123456"}, {"Key": "ApiKey", "Value": SECRET_MASK}, None),
        ({"note": f"id {ACCESS_KEY_ID}"}, {"note": f"id {ACCESS_KEY_MASK}"}, ACCESS_KEY),
        ({"u": "https://me:pw@host/x"}, {"u": "https://****@host/x"}, URI_CREDENTIALS),
        ({"u": "https://ghp_abcdefghijklmnop1234@host/x"}, {"u": "https://****@host/x"}, None),
    ],
)
def test_redact_masks_each_kind(document: Any, masked: Any, what: str | None) -> None:
    result, sites = redact(document)
    assert result == masked
    assert len(sites) == 1 and (what is None or sites[0].what == what)
    assert redact(result) == (result, sites), "masked values are recognised again"


@pytest.mark.parametrize(
    "document",
    [
        {"u": "ssh://git@github.com/org/repo.git"},
        {"DB_SECRET_ARN": "arn:aws:secretsmanager:us-east-1:111122223333:secret:db"},
        {"HUGGING_FACE_HUB_TOKEN": "{{resolve:secretsmanager:hf:SecretString:token}}"},
        {"max_token_length": "512", "use_auth_token": "true", "tokenizer": "bert-base"},
        {"Steps": [{"Name": "Train", "Arguments": {"S3Uri": "s3://bucket/a@b"}}]},
    ],
)
def test_redact_leaves_the_rest_alone(document: Any) -> None:
    result, sites = redact(document)
    assert result is document and sites == []


def test_a_parameter_read_under_a_secret_name_is_masked_with_its_readers() -> None:
    document = {
        "Parameters": [{"Name": "Setting", "Type": "String", "DefaultValue": "v4lue-x"}],
        "Steps": [{"Arguments": {"Environment": {"DB_PASSWORD": {"Get": "Parameters.Setting"}}}}],
    }
    result, sites = redact(document)
    assert result["Parameters"][0]["DefaultValue"] == SECRET_MASK
    assert document["Parameters"][0]["DefaultValue"] == "v4lue-x", "the input is not changed"
    assert sites == [
        SecretSite(
            "/Parameters/0/DefaultValue",
            LITERAL_SECRET,
            "Setting",
            ("/Steps/0/Arguments/Environment/DB_PASSWORD",),
        )
    ]


SECRET_KEYS = ["db_Password", "API-key", "x\nToken", "pass\u00e9word", "HF_TOKEN", "apiKey", "pwd"]
SECRET_VALUES = ["hunter2-horse", f"id {ACCESS_KEY_ID}", "https://me:pw@host/x", "p\u00e4ss-1234"]


def _texts(document: Any) -> list[str]:
    """The JSON texts a document may be read from: compact, indented, non-ASCII kept, and
    double-encoded (a describe response's definition string)."""
    plain = json.dumps(document)
    return [plain, json.dumps(document, indent=2, ensure_ascii=False), json.dumps(plain)]


def _planted(document: Any, rng: random.Random) -> Any:
    """`document` with one secret-like member or tag planted at a random object inside it."""
    planted = copy.deepcopy(document)
    objects = list(_objects(planted))
    target = rng.choice(objects)
    key, value = rng.choice(SECRET_KEYS), rng.choice(SECRET_VALUES)
    if rng.random() < 0.3:
        target["Tags"] = [{"Key": key, "Value": value}]
    else:
        target[key] = value
    return planted


def _objects(value: Any) -> Iterator[dict[str, Any]]:
    if isinstance(value, dict):
        yield value
        for item in value.values():
            yield from _objects(item)
    elif isinstance(value, list):
        for item in value:
            yield from _objects(item)


def test_a_text_said_to_hold_no_secret_holds_none() -> None:
    """The pre-check that skips the masking walk never skips a document it would mask."""
    rng = random.Random(20261204)
    bases = [json.loads(p.read_text()) for p in sorted(SDK_FIXTURES.glob("*.json"))]
    documents = [*bases, *(_planted(rng.choice(bases), rng) for _ in range(300))]
    masked = 0
    for document in documents:
        _, sites = redact(document)
        masked += bool(sites)
        for text in _texts(document):
            assert may_hold_secrets(text) or not sites, text[:200]
    assert masked >= 250, "the planted secrets are found"
    clean = json.dumps(json.loads((SDK_FIXTURES / "abalone.json").read_text()))
    assert not may_hold_secrets(clean), "a clean definition skips the walk"


@pytest.mark.parametrize(
    "text",
    [
        '{"pass\\u0077ord": "x"}',
        '{"pass\\nword": "x"}',
        '{"Note": "AKIA"}',
        '{"u": "s3://a@b"}',
        '{"My-Api_Key": "1"}',
    ],
)
def test_escaped_or_split_secret_names_are_walked(text: str) -> None:
    assert may_hold_secrets(text)


def test_every_secret_word_holds_a_part_the_pre_check_looks_for() -> None:
    assert all(any(p.decode() in w for p in SECRET_PARTS) for w in SECRET_WORDS)
