"""The catalogue's node checks: their default severities and their recorded corpus review."""

from __future__ import annotations

import pytest

from lineage.cli.main import explain_text
from lineage.rules.engine.rulebook import all_rules, get_rule

DEFAULT_SEVERITIES = {
    "L101": "error",
    "L102": "error",
    "L103": "error",
    "L104": "error",
    "L107": "warning",
    "L108": "error",
    "L111": "error",
    "L112": "error",
    "L113": "error",
    "L114": "error",
    "L115": "error",
    "L116": "error",
    "L117": "error",
    "L118": "error",
    "L201": "warning",
    "L202": "info",
    "L203": "warning",
    "L204": "info",
    "L205": "warning",
    "L206": "error",
    "L207": "warning",
    "L208": "warning",
    "L327": "error",
    "L329": "warning",
    "L401": "error",
    "L402": "warning",
    "L403": "info",
    "L404": "info",
    "L405": "info",
}


@pytest.mark.parametrize(("code", "severity"), sorted(DEFAULT_SEVERITIES.items()))
def test_default_severity_and_review(code: str, severity: str) -> None:
    rule = get_rule(code)
    assert rule.severity.value == severity
    assert rule.review


def test_every_rule_says_where_its_knowledge_comes_from() -> None:
    assert [r.code for r in all_rules() if not r.basis] == []


def test_a_rule_is_found_in_one_guess_from_its_code() -> None:
    for rule in all_rules():
        assert rule.module.startswith(f"lineage.rules.l{rule.level}_"), (rule.code, rule.module)
    explained = explain_text(get_rule("L310"))
    assert "Defined in:  lineage/rules/l3_gating.py" in explained
    assert "Cypher:      cypher/rules/L310.cypher" in explained
    assert "Docs:        docs/rules.md#l310-ungated-registration" in explained
