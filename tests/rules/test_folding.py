"""One cause, one finding: a rule that absorbs others reports their findings of the same step."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from lineage.cli.main import app
from lineage.config import Settings
from lineage.rules.engine.rulebook import get_rule
from lineage.scan import scan
from tests.support.paths import SDK_FIXTURES

runner = CliRunner()
APPROVED = SDK_FIXTURES / "approved_by_default.json"  # ungated, approval defaults to Approved


def test_an_ungated_auto_approved_registration_is_one_finding() -> None:
    loud = [f for f in scan([str(APPROVED)], Settings()).findings if f.severity.value != "info"]
    assert [(f.code, f.related) for f in loud] == [("L311", ("L310", "L402"))]


def test_absorbed_rules_still_report_alone() -> None:
    alone = scan([str(APPROVED)], Settings(select=("L310", "L402"))).findings
    assert sorted(f.code for f in alone) == ["L310", "L402"]
    ungated = scan([str(SDK_FIXTURES / "ungated_registration.json")], Settings()).findings
    assert [f.code for f in ungated if f.severity.value != "info"] == ["L310"]


def test_reports_and_explain_name_the_folded_codes() -> None:
    report = json.loads(runner.invoke(app, ["scan", str(APPROVED), "-f", "json"]).stdout)
    [l311] = [f for f in report["findings"] if f["code"] == "L311"]
    assert l311["related"] == ["L310", "L402"]
    table = runner.invoke(app, ["scan", str(APPROVED)]).stdout
    assert "(also: L310, L402)" in " ".join(table.split())
    sarif = json.loads(runner.invoke(app, ["scan", str(APPROVED), "-f", "sarif"]).stdout)
    run = sarif["runs"][0]
    [result] = [r for r in run["results"] if r["ruleId"] == "L311"]
    assert result["properties"]["related"] == ["L310", "L402"]
    [rule] = [r for r in run["tool"]["driver"]["rules"] if r["id"] == "L311"]
    assert rule["relationships"] == [
        {"target": {"id": "L310"}, "kinds": ["superset"]},
        {"target": {"id": "L402"}, "kinds": ["superset"]},
    ]
    assert "Absorbs: L310, L402" in runner.invoke(app, ["explain", "L311"]).stdout
    assert get_rule("L311").metadata()["absorbs"] == ["L310", "L402"]
