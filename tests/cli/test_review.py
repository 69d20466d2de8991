"""Suppressions with a reason and an end date, and baselines: what a CI run fails on."""

from __future__ import annotations

import copy
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from lineage.cli.main import app
from lineage.config import ConfigError, load_settings
from lineage.review.suppress import Suppression, group_of
from lineage.rules.engine.model import Finding, Severity
from tests.support.builders import write
from tests.support.paths import EXAMPLE

runner = CliRunner()
TRAIN = 1  # AbaloneTrain's position in the example's Steps


def example() -> dict[str, Any]:
    document: dict[str, Any] = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    return document


def without_role(document: dict[str, Any]) -> dict[str, Any]:
    """The example with the training job's role removed (an L101 error on AbaloneTrain)."""
    changed = copy.deepcopy(document)
    del changed["Steps"][TRAIN]["Arguments"]["RoleArn"]
    return changed


def config(tmp_path: Path, entries: str) -> Path:
    path = tmp_path / "pyproject.toml"
    path.write_text(f"[tool.lineage]\nsuppress = [\n{entries}\n]\n", encoding="utf-8")
    return path


def scan(*args: str) -> Any:
    return runner.invoke(app, ["scan", *args])


# --- suppressions ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("entries", "message"),
    [
        ('{ code = "L101", step = "AbaloneTrain" }', "reason is required"),
        ('{ code = "L101", reason = "  " }', "reason is required"),
        ('{ code = "L101", reason = "x", stpe = "A" }', "unknown key(s) stpe"),
        ('{ code = "L101", reason = "x", expires = "soon" }', "'soon' is not a date"),
        ('"L101"', "expected a table"),
    ],
)
def test_a_bad_suppression_names_the_entry(tmp_path: Path, entries: str, message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_settings(config=config(tmp_path, entries))
    assert "suppress[0]" in str(caught.value) and message in str(caught.value)


def test_a_suppressed_finding_is_kept_marked_and_does_not_fail(tmp_path: Path) -> None:
    source = str(write(tmp_path, without_role(example()), "pipeline.json"))
    settings = config(
        tmp_path,
        '{ code = "L101", step = "AbaloneTrain", reason = "role set by the runner", '
        'expires = "2999-01-01" }',
    )
    table = scan(source, "--config", str(settings))
    assert table.exit_code == 0, table.output
    assert "L101" not in table.stdout
    assert "1 suppressed finding(s) not shown (--show-suppressed)" in table.stdout
    shown = scan(source, "--config", str(settings), "--show-suppressed")
    assert "error suppressed" in shown.stdout
    report = json.loads(scan(source, "--config", str(settings), "-f", "json").stdout)
    [l101] = [f for f in report["findings"] if f["code"] == "L101"]
    assert l101["suppressed"] == {"reason": "role set by the runner", "expires": "2999-01-01"}
    assert report["summary"]["suppressed"] == 1
    sarif = json.loads(scan(source, "--config", str(settings), "-f", "sarif").stdout)
    [result] = [r for r in sarif["runs"][0]["results"] if r["ruleId"] == "L101"]
    assert result["suppressions"] == [
        {
            "kind": "external",
            "status": "accepted",
            "justification": "role set by the runner",
            "properties": {"expires": "2999-01-01"},
        }
    ]


def test_an_expired_suppression_hides_nothing_and_is_reported(tmp_path: Path) -> None:
    source = str(write(tmp_path, without_role(example()), "pipeline.json"))
    settings = config(
        tmp_path,
        '{ code = "L101", step = "AbaloneTrain", reason = "temp", expires = "2020-01-31" }',
    )
    table = scan(source, "--config", str(settings))
    assert table.exit_code == 1
    assert "L101" in table.stdout
    warning = (
        "suppression of L101 for step 'AbaloneTrain' expired on 2020-01-31: "
        "its findings are reported again (reason given: temp)"
    )
    assert warning in " ".join(table.stderr.split())
    report = json.loads(scan(source, "--config", str(settings), "-f", "json").stdout)
    assert report["expired_suppressions"] == [warning]
    sarif = json.loads(scan(source, "--config", str(settings), "-f", "sarif").stdout)
    notes = sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert {"level": "warning", "message": {"text": warning}} in notes


def test_selectors_must_all_match() -> None:
    finding = Finding(
        "L101",
        "n",
        1,
        Severity.ERROR,
        "m",
        "p",
        "Train",
        "p/Train",
        "Step",
        "/Steps/1/Arguments/RoleArn",
        None,
        None,
    )
    assert Suppression("L101", "r", pointer="/Steps/1").matches(finding)
    assert not Suppression("L101", "r", pointer="/Steps/10").matches(finding)
    assert not Suppression("L101", "r", step="Train", pipeline="other").matches(finding)
    assert not Suppression("L102", "r").matches(finding)
    assert Suppression("L101", "r", expires=date(2020, 1, 1)).expired(date(2020, 1, 2))


def test_a_group_selector_names_registry_findings_by_their_group() -> None:
    def on(node: str) -> Finding:
        return Finding("L413", "n", 4, Severity.INFO, "m", None, None, node, "X", "", None, None)

    arn = "arn:aws:sagemaker:us-east-1:111122223333:model-package"
    assert group_of(on(f"{arn}/churn/3")) == "churn"
    assert group_of(on(f"{arn}-group/churn")) == "churn"
    assert group_of(on("pipeline/Register/package")) is None


# --- baselines ---------------------------------------------------------------------------


def json_report(tmp_path: Path, document: dict[str, Any], name: str, *args: str) -> Any:
    source = write(tmp_path, document, "pipeline.json")
    result = scan(str(source), "-f", "json", "-o", str(tmp_path / name), *args)
    return result, json.loads((tmp_path / name).read_text(encoding="utf-8"))


def test_reordered_and_reformatted_steps_are_unchanged(tmp_path: Path) -> None:
    broken = without_role(example())
    _, first = json_report(tmp_path, broken, "old.json")
    moved = copy.deepcopy(broken)
    moved["Steps"].reverse()
    moved["Parameters"].reverse()
    source = tmp_path / "pipeline.json"
    source.write_text(json.dumps(moved, indent=7), encoding="utf-8")
    again = scan(str(source), "-f", "json", "--baseline", str(tmp_path / "old.json"))
    report = json.loads(again.stdout)
    assert {f["baseline"] for f in report["findings"]} == {"unchanged"}
    assert {f["fingerprint"] for f in report["findings"]} == {
        f["fingerprint"] for f in first["findings"]
    }
    assert report["resolved"] == []
    assert again.exit_code == 0  # the L101 error was there before: not new


def test_only_new_findings_fail_and_resolved_ones_are_listed(tmp_path: Path) -> None:
    json_report(tmp_path, example(), "old.json")
    old = str(tmp_path / "old.json")
    result, report = json_report(tmp_path, without_role(example()), "new.json", "--baseline", old)
    assert result.exit_code == 1
    assert {(f["code"], f["baseline"]) for f in report["findings"]} == {
        ("L101", "new"),
        ("L404", "unchanged"),
    }
    table = scan(str(tmp_path / "pipeline.json"), "--baseline", old)
    assert "error new" in table.stdout
    assert "against the baseline: 1 new, 0 resolved" in table.stdout
    fixed = scan(
        str(write(tmp_path, example(), "pipeline.json")),
        "-f",
        "sarif",
        "--baseline",
        str(tmp_path / "new.json"),
    )
    results = json.loads(fixed.stdout)["runs"][0]["results"]
    assert {(r["ruleId"], r["baselineState"]) for r in results} == {
        ("L404", "unchanged"),
        ("L101", "absent"),
    }


def test_a_baseline_that_is_not_a_report_is_a_usage_error(tmp_path: Path) -> None:
    bad = tmp_path / "old.json"
    bad.write_text('{"findings": [{"code": "L101"}]}', encoding="utf-8")
    result = scan(str(EXAMPLE), "--baseline", str(bad))
    assert result.exit_code == 2
    assert "/findings/0 has no fingerprint" in result.stderr


def test_pipelines_this_scan_did_not_read_resolve_nothing(tmp_path: Path) -> None:
    both = [str(write(tmp_path, without_role(example()), f"{n}.json")) for n in ("a", "b")]
    baseline = tmp_path / "both.json"
    assert scan(*both, "-f", "json", "-o", str(baseline)).exit_code == 1
    only_a = json.loads(scan(both[0], "-f", "json", "--baseline", str(baseline)).stdout)
    assert only_a["resolved"] == []  # b was not scanned: its findings are not resolved
    fixed = str(write(tmp_path, example(), "a.json"))
    report = json.loads(scan(fixed, "-f", "json", "--baseline", str(baseline)).stdout)
    assert [(f["code"], f["pipeline"]) for f in report["resolved"]] == [("L101", "a")]
