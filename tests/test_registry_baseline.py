"""`lineage scan --registry --baseline`: registry findings new, unchanged and resolved, and the
model package versions new, removed, regressed and changed since an earlier report (moto over
HTTP, in a region of its own so the shared scenario stays as it is)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from lineage.cli import app
from tests.moto_plugin import Hooks, boto_client
from tests.test_registry_scenario import ACCOUNT, _training_job, _version

runner = CliRunner()
REGION = "ap-southeast-2"
GROUP = "credit"


def run(endpoint: str, *args: str) -> str:
    """`lineage scan --registry` of the test's group: its report."""
    registry = ["--registry", "--endpoint-url", endpoint, "--region", REGION, "--group", GROUP]
    result = runner.invoke(app, ["scan", "--quiet", *registry, *args])
    assert result.exit_code in (0, 1), result.output
    return str(result.stdout)


def scan(endpoint: str, *args: str) -> Any:
    """The JSON report of `run`."""
    return json.loads(run(endpoint, "-f", "json", *args))


def arn(version: int) -> str:
    return f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:model-package/{GROUP}/{version}"


@pytest.fixture
def credit(moto_endpoint: str, aws_hooks: Hooks) -> Any:
    """Group `credit`: v1 Approved without a reason (L411), v2 pending, v3 pending without
    metrics."""
    sm = boto_client("sagemaker", moto_endpoint, REGION)
    sm.create_model_package_group(ModelPackageGroupName=GROUP)
    model = _training_job(sm, "credit-train")
    _version(sm, GROUP, model, "Approved")
    _version(sm, GROUP, model, "PendingManualApproval")
    _version(sm, GROUP, model, "PendingManualApproval", metrics=False)
    return sm


def approve(sm: Any, version: int, status: str) -> None:
    """Set a version's approval (moto's update drops the fields it is not sent)."""
    sm.update_model_package(
        ModelPackageArn=arn(version),
        ModelApprovalStatus=status,
        CustomerMetadataProperties={"model_name": GROUP, "framework": "xgboost"},
    )


def test_registry_changes_since_a_json_report(
    credit: Any, moto_endpoint: str, tmp_path: Path
) -> None:
    first = scan(moto_endpoint)
    assert {(f["code"], f["node"]) for f in first["findings"]} >= {("L411", arn(1))}
    assert [p["version"] for p in first["registry"]["packages"]] == [1, 2, 3]
    baseline = tmp_path / "baseline.json"
    baseline.write_text(json.dumps(first), encoding="utf-8")

    again = scan(moto_endpoint, "--baseline", str(baseline))
    assert {f["baseline"] for f in again["findings"]} == {"unchanged"}
    assert again["resolved"] == []
    assert again["registry_changes"] == {k: [] for k in ("new", "removed", "regressed", "changed")}

    gone = {**first["registry"]["packages"][1], "arn": arn(9), "version": 9}
    elsewhere = {**gone, "arn": gone["arn"].replace(f"/{GROUP}/", "/other/"), "group": "other"}
    first["registry"]["packages"] += [gone, elsewhere]
    baseline.write_text(json.dumps(first), encoding="utf-8")
    approve(credit, 1, "Rejected")  # withdrawn: regressed, and its L411 is resolved
    approve(credit, 3, "Approved")  # approved without metrics: L410, an error, is new
    approve(credit, 2, "Rejected")
    _version(credit, GROUP, _training_job(credit, "credit-train-2"), "PendingManualApproval")

    later = scan(moto_endpoint, "--baseline", str(baseline))
    new = {(f["code"], f["node"]) for f in later["findings"] if f["baseline"] == "new"}
    assert ("L410", arn(3)) in new
    assert [(f["code"], f["node"]) for f in later["resolved"]] == [("L411", arn(1))]
    changes = {
        kind: {c["package"]: c["reasons"] for c in listed}
        for kind, listed in later["registry_changes"].items()
    }
    assert changes == {
        "new": {f"{GROUP}/4": ["approval PendingManualApproval"]},
        "removed": {f"{GROUP}/9": ["was PendingManualApproval"]},  # not other/9: not read
        "regressed": {
            f"{GROUP}/1": ["approval withdrawn (Approved → Rejected)"],
            f"{GROUP}/3": ["new error finding L410"],
        },
        "changed": {f"{GROUP}/2": ["approval PendingManualApproval → Rejected"]},
    }

    sarif = json.loads(run(moto_endpoint, "-f", "sarif", "--baseline", str(baseline)))["runs"][0]
    assert sarif["properties"]["lineage/registryChanges"] == later["registry_changes"]
    notes = [n["message"]["text"] for n in sarif["invocations"][0]["toolExecutionNotifications"]]
    assert f"model package {GROUP}/3 regressed: new error finding L410" in notes
    states = {(r["ruleId"], r["baselineState"]) for r in sarif["results"]}
    assert {("L410", "new"), ("L411", "absent")} <= states

    table = run(moto_endpoint, "--baseline", str(baseline))
    assert f"{GROUP}/1 │ regressed │ Rejected" in table
    assert "model package versions against the baseline: 1 new, 1 removed, 2 regressed" in table
