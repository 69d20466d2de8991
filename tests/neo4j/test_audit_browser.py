"""`lineage audit NAME --browser`: values as Cypher literals in `:param` lines, the query as is."""

from __future__ import annotations

from typing import Any

import pytest
from neo4j import Driver
from typer.testing import CliRunner

from lineage.cli.main import app
from lineage.neo4j.audit_browser import browser_script, cypher_literal
from lineage.neo4j.audits import AuditError, bind, load_audit

TRICKY: list[Any] = [
    None,
    True,
    -3,
    2.5,
    "plain",
    "it's a \\ back'slash",
    "new\nline\ttab\r\x00\x1b\u2028",
    "$prefix */ // ` {x}",
    ["a", "b'c"],
    {"key": [1, None], "odd`key": "v"},
]


@pytest.mark.parametrize("value", TRICKY)
def test_a_literal_reads_back_as_its_value_in_neo4j(neo4j_driver: Driver, value: Any) -> None:
    # The literal is what the test checks, so here it is, exceptionally, part of the query text.
    records, _, _ = neo4j_driver.execute_query(
        f"RETURN {cypher_literal(value)} AS v", database_="neo4j"
    )
    assert records[0]["v"] == value


@pytest.mark.parametrize("value", [float("nan"), float("inf"), object()])
def test_values_without_a_literal_are_refused(value: Any) -> None:
    with pytest.raises(AuditError, match="has no Cypher literal"):
        cypher_literal(value)


def test_the_script_sets_every_parameter_and_keeps_the_query_unchanged() -> None:
    audit = load_audit("model-lineage-path")
    bound = bind(audit, {"package": "g/1'; MATCH (n) DETACH DELETE n //"})
    script = browser_script(audit, bound)
    assert ":param package => 'g/1\\'; MATCH (n) DETACH DELETE n //'\n" in script
    assert ":param kinds => null\n" in script
    assert script.endswith(audit.query.rstrip().rstrip(";") + ";\n")
    assert "DETACH DELETE" not in script.split("\n\n", 1)[1]


def test_cli_prints_the_script_without_connecting() -> None:
    result = CliRunner().invoke(
        app,
        ["audit", "pipelines-sharing-image", "--browser", "-p", "min_pipelines=3"],
        env={"NEO4J_URI": "bolt://127.0.0.1:1"},
    )
    assert result.exit_code == 0, result.stderr
    assert ":param min_pipelines => 3\n" in result.stdout
    missing = CliRunner().invoke(app, ["audit", "model-lineage-path", "--browser"])
    assert missing.exit_code == 2
    assert "needs parameter 'package'" in missing.stderr
