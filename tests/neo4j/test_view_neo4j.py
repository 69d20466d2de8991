"""Views and traces drawn from a real Neo4j server instead of a fresh scan."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from neo4j import Driver
from typer.testing import CliRunner

from lineage.cli.main import app
from lineage.config import Settings
from lineage.neo4j.load import Neo4jLoader
from lineage.neo4j.read import read_graph, read_query
from lineage.neo4j.server import ServerInfo
from lineage.neo4j.server.server import DATA_ENV
from lineage.scan import ScanResult, scan
from tests.support.neo4j_helpers import wipe
from tests.support.paths import EXAMPLE, SDK_FIXTURES

runner = CliRunner()
SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
PACKAGE = "pipeline/AbaloneRegisterModel-RegisterModel/package"


@pytest.fixture
def loaded(neo4j_driver: Driver) -> Iterator[ScanResult]:
    """The bundled example scanned and loaded into an empty database."""
    wipe(neo4j_driver)
    result = scan([str(EXAMPLE)], Settings())
    Neo4jLoader(neo4j_driver, "neo4j").load(result.graph, result.findings, set(result.definitions))
    yield result
    wipe(neo4j_driver)


def embedded_data(page: str) -> dict:
    match = re.search(r'<script id="lineage-data" type="application/json">(.*?)</script>', page)
    assert match is not None
    return json.loads(match.group(1))


def test_the_graph_read_back_equals_the_scanned_one(
    neo4j_driver: Driver, loaded: ScanResult
) -> None:
    graph, findings = read_graph(neo4j_driver, "neo4j")
    assert graph.counts() == loaded.graph.counts()
    assert {(n.kind, n.key) for n in graph.nodes()} == {
        (n.kind, n.key) for n in loaded.graph.nodes()
    }
    assert [f.as_dict() for f in findings] == [f.as_dict() for f in loaded.findings]
    step = graph.node(*next((n.kind, n.key) for n in loaded.graph.nodes() if n.get("raw")))
    assert step.get("raw") is None
    assert step.get("last_scan_id") is None


def test_a_query_draws_only_its_paths(neo4j_driver: Driver, loaded: ScanResult) -> None:
    graph, findings = read_query(
        neo4j_driver,
        "neo4j",
        "MATCH p = (:Step)-[:REGISTERS]->(:ModelPackage)-[:IN_GROUP]->(:ModelPackageGroup) "
        "RETURN p",
    )
    assert graph.counts() == {
        "IN_GROUP": 1,
        "ModelPackage": 1,
        "ModelPackageGroup": 1,
        "REGISTERS": 1,
        "Step": 1,
    }
    assert [f.code for f in findings] == ["L404"]


def test_a_query_may_return_nodes_and_lists(neo4j_driver: Driver, loaded: ScanResult) -> None:
    graph, _ = read_query(
        neo4j_driver,
        "neo4j",
        "MATCH (s:Step) WITH collect(s) AS steps MATCH (f:Finding) RETURN steps, f",
    )
    assert graph.counts() == {"Step": 8}


def test_view_command_from_neo4j(neo4j_uri: str, loaded: ScanResult, tmp_path: Path) -> None:
    out = tmp_path / "graph.html"
    result = runner.invoke(app, ["view", "--from-neo4j", neo4j_uri, "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    data = embedded_data(out.read_text(encoding="utf-8"))
    assert data["stats"]["nodes"] == loaded.graph.nx.number_of_nodes()
    assert data["stats"]["edges"] == loaded.graph.nx.number_of_edges()
    assert data["stats"]["info"] == 1


def test_view_command_with_a_cypher_query(neo4j_uri: str, loaded: ScanResult) -> None:
    args = [
        "view",
        "--from-neo4j",
        neo4j_uri,
        "--cypher",
        "MATCH p = (:Artifact)<-[:CONSUMES]-(:Step {name: 'AbaloneTrain'}) RETURN p",
    ]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.stderr
    assert embedded_data(result.stdout)["stats"]["nodes"] == 4


def test_view_command_reports_a_bad_or_empty_query(neo4j_uri: str, loaded: ScanResult) -> None:
    bad = runner.invoke(app, ["view", "--from-neo4j", neo4j_uri, "--cypher", "MATCH (n RETURN"])
    assert bad.exit_code == 2
    assert "Neo4j refused the query" in bad.stderr
    assert len(bad.stderr.strip().splitlines()) == 1
    empty = runner.invoke(
        app, ["view", "--from-neo4j", neo4j_uri, "--cypher", "MATCH (n:Nothing) RETURN n"]
    )
    assert empty.exit_code == 2
    assert "holds no lineage nodes" in empty.stderr


def test_trace_command_from_neo4j(neo4j_uri: str, loaded: ScanResult) -> None:
    args = ["trace", PACKAGE, "--up", "--from-neo4j", neo4j_uri, "-f", "json"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["starts"][0]["findings"] == ["L404"]
    assert "pipeline/AbaloneTrain" in {n["key"] for n in report["nodes"]}


def test_a_secret_stays_out_of_a_view_from_neo4j(neo4j_driver: Driver, neo4j_uri: str) -> None:
    wipe(neo4j_driver)
    result = scan([str(SDK_FIXTURES / "secret_in_env.json")], Settings())
    Neo4jLoader(neo4j_driver, "neo4j").load(result.graph, result.findings, set(result.definitions))
    try:
        page = runner.invoke(app, ["view", "--from-neo4j", neo4j_uri]).stdout
    finally:
        wipe(neo4j_driver)
    assert "L206" in page
    assert SECRET not in page
    assert "AKIAIOSFODNN7EXAMPLE" not in page


@pytest.fixture
def local_server(neo4j_server: ServerInfo | None, monkeypatch: pytest.MonkeyPatch) -> ServerInfo:
    """The session's server as the one `lineage db start` runs, with NEO4J_URI unset."""
    if neo4j_server is None:
        pytest.skip("an external Neo4j is in use: no local server to find")
    monkeypatch.setenv(DATA_ENV, str(neo4j_server.data_dir))
    monkeypatch.delenv("NEO4J_URI", raising=False)
    return neo4j_server


def test_trace_and_view_find_the_local_server(
    local_server: ServerInfo, loaded: ScanResult, tmp_path: Path
) -> None:
    traced = runner.invoke(app, ["trace", PACKAGE, "--up", "--from-neo4j", "auto", "-f", "json"])
    assert traced.exit_code == 0, traced.stderr
    assert json.loads(traced.stdout)["starts"][0]["findings"] == ["L404"]
    out = tmp_path / "view.html"
    viewed = runner.invoke(app, ["view", "--from-neo4j", "auto", "-o", str(out)])
    assert viewed.exit_code == 0, viewed.stderr
    assert embedded_data(out.read_text(encoding="utf-8"))


@pytest.mark.parametrize("how", ["option", "environment"])
def test_an_explicit_neo4j_wins_over_the_local_server(
    local_server: ServerInfo, loaded: ScanResult, how: str
) -> None:
    elsewhere = "bolt://127.0.0.1:9"
    source = elsewhere if how == "option" else "auto"
    env = {"NEO4J_URI": elsewhere} if how == "environment" else {}
    result = runner.invoke(app, ["trace", PACKAGE, "--up", "--from-neo4j", source], env=env)
    assert result.exit_code == 2
    assert f"cannot reach Neo4j at {elsewhere}" in result.stderr
