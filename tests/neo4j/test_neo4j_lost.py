"""A Neo4j server lost in the middle of `lineage scan --neo4j`: a clear error naming the server
(never the credentials), the report still written, exit 2; the next scan repairs the graph.
The test stops a server of its own, so the session's server stays up for the other tests."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from neo4j import GraphDatabase
from typer.testing import CliRunner

from lineage.cli.main import app
from lineage.neo4j import connect as neo4j_connect
from lineage.neo4j.load import Neo4jLoader
from lineage.neo4j.server import ServerInfo, free_port, start_server, stop_server
from tests.support.neo4j_helpers import snapshot, wipe
from tests.support.paths import EXAMPLE, SDK_FIXTURES

PASSWORD = "do-not-print-this-password"
STOP_AT = 4  # the UNWIND batch before which the server goes away: in the middle of the graph


@pytest.fixture(scope="module")
def own_server(
    neo4j_server: ServerInfo | None, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ServerInfo]:
    """A server for this module alone, started like the session's."""
    if neo4j_server is None:
        pytest.skip("an external Neo4j was opted into: this test stops a server of its own")
    data_dir = tmp_path_factory.mktemp("neo4j-lost")
    info = start_server(port=free_port(), data_dir=data_dir)
    try:
        yield info
    finally:
        stop_server(data_dir)


def scan(uri: str, output: Path) -> Any:
    """`lineage scan --neo4j` with a username and password the server ignores (no auth)."""
    env = {"NEO4J_USERNAME": "neo4j", "NEO4J_PASSWORD": PASSWORD}
    args = ["scan", str(EXAMPLE), str(SDK_FIXTURES), "-f", "json", "--fail-on", "never"]
    args += ["-o", str(output)]
    return CliRunner().invoke(app, [*args, "--neo4j", uri], env=env)


def test_a_server_lost_mid_load_is_an_error_and_the_next_scan_repairs_the_graph(
    own_server: ServerInfo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    memory = CliRunner().invoke(app, ["scan", str(EXAMPLE), str(SDK_FIXTURES), "-f", "json"])
    batches = [0]
    unwind = Neo4jLoader._unwind

    def stop_midway(self: Neo4jLoader, query: str, rows: list[Any], **params: Any) -> int:
        batches[0] += 1
        if batches[0] == STOP_AT:
            stop_server(own_server.data_dir)
        return unwind(self, query, rows, **params)

    monkeypatch.setattr(Neo4jLoader, "_unwind", stop_midway)
    monkeypatch.setattr(neo4j_connect, "RETRY_SECONDS", 1.0)
    output = tmp_path / "report.json"
    lost = scan(own_server.uri, output)
    assert lost.exit_code == 2, lost.output
    assert "internal error" not in lost.stderr and PASSWORD not in lost.stderr
    written = json.loads(output.read_text(encoding="utf-8"))
    assert PASSWORD not in output.read_text(encoding="utf-8")
    assert written["findings"] == json.loads(memory.stdout)["findings"]  # the rules ran in memory
    [error] = written["errors"]
    assert error["source"] == f"Neo4j at {own_server.uri}"
    assert "connection lost" in error["message"] and "next scan" in error["message"]
    assert f"Neo4j at {own_server.uri}: connection lost" in lost.stderr

    monkeypatch.undo()
    start_server(port=own_server.port, data_dir=own_server.data_dir)
    repaired = scan(own_server.uri, output)
    assert repaired.exit_code == 0, repaired.output
    with GraphDatabase.driver(own_server.uri) as driver:
        after_repair = snapshot(driver)
        wipe(driver)
        assert scan(own_server.uri, output).exit_code == 0
        assert snapshot(driver) == after_repair
