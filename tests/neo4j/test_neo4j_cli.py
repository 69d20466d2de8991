"""`lineage scan --neo4j`: graph rules run in Neo4j and report what the embedded engine reports."""

from __future__ import annotations

import json
from pathlib import Path

from neo4j import Driver
from typer.testing import CliRunner

from lineage.cli.main import app
from tests.support.builders import abalone_like, write
from tests.support.neo4j_helpers import snapshot, wipe
from tests.support.paths import EXAMPLE, SDK_FIXTURES

runner = CliRunner()
SOURCES = [str(EXAMPLE), str(SDK_FIXTURES)]


def report(*args: str) -> tuple[int, dict, str]:
    result = runner.invoke(app, ["scan", "-f", "json", "--fail-on", "never", *args])
    return result.exit_code, json.loads(result.stdout), result.stderr


def test_neo4j_scan_reports_what_the_memory_scan_reports(
    neo4j_driver: Driver, neo4j_uri: str
) -> None:
    wipe(neo4j_driver)
    code, memory, _ = report(*SOURCES)
    code_neo4j, in_neo4j, stderr = report(
        *SOURCES, "--neo4j", neo4j_uri, "--neo4j-batch-size", "50"
    )
    assert (code, code_neo4j) == (0, 0)
    assert in_neo4j["findings"] == memory["findings"]
    assert any(f["level"] == 3 for f in memory["findings"])
    assert f"into {neo4j_uri} (database neo4j), scan " in stderr
    stored, _, _ = neo4j_driver.execute_query(
        "MATCH (f:Finding)-[:ABOUT]->() RETURN count(f) AS n", database_="neo4j"
    )
    assert stored[0]["n"] == len(memory["findings"])
    first = snapshot(neo4j_driver)
    routed = neo4j_uri.replace("bolt://", "neo4j://")  # routing driver against one server
    code_routed, _, stderr_routed = report(*SOURCES, "--neo4j", routed)
    assert (code_routed, f"into {routed} (database neo4j)" in stderr_routed) == (0, True)
    assert "wrote 0 rows (" in stderr_routed  # the same scan again: nothing to write
    assert snapshot(neo4j_driver) == first


def test_unreachable_neo4j_is_one_line_and_exit_2(tmp_path: Path) -> None:
    result = runner.invoke(app, ["scan", str(EXAMPLE), "--neo4j", "bolt://127.0.0.1:1"])
    assert result.exit_code == 2
    assert result.stderr.startswith("lineage: cannot reach Neo4j at bolt://127.0.0.1:1")
    assert "Traceback" not in result.stderr


def test_a_rescan_of_a_changed_pipeline_reports_from_this_scan_only(
    neo4j_driver: Driver, neo4j_uri: str, tmp_path: Path
) -> None:
    wipe(neo4j_driver)
    doc = abalone_like()
    register = doc["Steps"][3]["Arguments"]["IfSteps"][0]["Arguments"]
    statistics = register["ModelMetrics"]["ModelQuality"]["Statistics"]
    statistics["S3Uri"] = "s3://bucket/Evaluate/evaluation/evaluation.json"  # under its output
    path = str(write(tmp_path, doc))
    first = report(path, "--select", "L308", "--neo4j", neo4j_uri)[1]
    assert first["findings"] == []
    statistics["S3Uri"] = "s3://bucket/old/evaluation.json"  # no step of the pipeline writes it
    write(tmp_path, doc)
    _, memory, _ = report(path, "--select", "L308")
    _, in_neo4j, _ = report(path, "--select", "L308", "--neo4j", neo4j_uri)
    assert [f["code"] for f in memory["findings"]] == ["L308"]
    assert in_neo4j["findings"] == memory["findings"]
