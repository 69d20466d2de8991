"""Pytest plugin: a real Neo4j server for the session, started like `lineage db start`.

`neo4j_uri` starts a server on a free port (Neo4j Browser on another) with its own temporary
data directory and stops it at the end of the session. A server that cannot start FAILS the
tests that need it.
Environment:
* `LINEAGE_SKIP_NEO4J=1` skips those tests instead (an explicit opt-out);
* `NEO4J_URI`, if set, names a server these tests did not start: they refuse it, since they
  write to the database, unless `LINEAGE_TEST_USE_EXTERNAL_NEO4J=1` says to use it
  (with `NEO4J_USERNAME`/`NEO4J_PASSWORD` if it needs them).
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import pytest
from neo4j import Driver, GraphDatabase

from lineage.neo4j.server import Neo4jUnavailable, ServerInfo, free_port, start_server, stop_server
from lineage.neo4j.server.server import DATA_ENV

SKIP_ENV = "LINEAGE_SKIP_NEO4J"
EXTERNAL_ENV = "LINEAGE_TEST_USE_EXTERNAL_NEO4J"
URI_ENV = "NEO4J_URI"


@dataclass(frozen=True)
class Neo4jPlan:
    """What the session does for Neo4j, and why."""

    action: Literal["skip", "refuse", "external", "start"]
    reason: str
    uri: str | None = None


def plan_neo4j(env: Mapping[str, str]) -> Neo4jPlan:
    """Decide from the environment whether to skip, refuse, use an external server or start one."""
    if env.get(SKIP_ENV) == "1":
        return Neo4jPlan("skip", f"{SKIP_ENV}=1: tests that need Neo4j are skipped")
    uri = env.get(URI_ENV)
    if uri:
        if env.get(EXTERNAL_ENV) == "1":
            return Neo4jPlan("external", f"{EXTERNAL_ENV}=1: using {uri}", uri)
        return Neo4jPlan(
            "refuse",
            f"{URI_ENV}={uri} names a Neo4j server these tests did not start; they write to "
            f"its database, so they refuse it. Unset {URI_ENV} to let them start their own "
            f"server, or set {EXTERNAL_ENV}=1 to use this one anyway.",
            uri,
        )
    return Neo4jPlan("start", "no NEO4J_URI: the tests start their own server")


@pytest.fixture(autouse=True)
def no_local_neo4j(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Point the default data directory of `lineage db` at an empty one, so that no test finds
    a server the developer started; a test that wants one sets LINEAGE_NEO4J_DATA itself."""
    monkeypatch.setenv(DATA_ENV, str(tmp_path_factory.getbasetemp() / "no-local-neo4j"))


@pytest.fixture(scope="session")
def neo4j_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerInfo | None]:
    """The server started for this session; None when an external one was opted into."""
    plan = plan_neo4j(os.environ)
    if plan.action == "skip":
        pytest.skip(plan.reason)
    if plan.action == "refuse":
        pytest.fail(plan.reason, pytrace=False)
    if plan.action == "external":
        yield None
        return
    data_dir = tmp_path_factory.mktemp("neo4j")
    info = _start_or_explain(data_dir)
    if isinstance(info, str):
        pytest.fail(info, pytrace=False)
    try:
        yield info
    finally:
        stop_server(data_dir)


def _start_or_explain(data_dir: Path) -> ServerInfo | str:
    """Start the session's server, or say why it could not start."""
    try:
        return start_server(port=free_port(), data_dir=data_dir, http_port=free_port())
    except Neo4jUnavailable as exc:
        detail = f"\n{exc.detail}" if exc.detail else ""
        return (
            f"could not start Neo4j for the tests: {exc}{detail}\n"
            f"(set {SKIP_ENV}=1 to skip the tests that need it)"
        )


@pytest.fixture(scope="session")
def neo4j_uri(neo4j_server: ServerInfo | None) -> str:
    """Bolt URI of the session's Neo4j server (or of the external one opted into)."""
    if neo4j_server is not None:
        return neo4j_server.uri
    return os.environ[URI_ENV]


@pytest.fixture
def neo4j_driver(neo4j_server: ServerInfo | None, neo4j_uri: str) -> Iterator[Driver]:
    """A driver for `neo4j_uri` (credentials from the environment for an external one)."""
    password = os.environ.get("NEO4J_PASSWORD")
    auth: tuple[str, str] | None = None
    if neo4j_server is None and password:
        auth = (os.environ.get("NEO4J_USERNAME", "neo4j"), password)
    with GraphDatabase.driver(neo4j_uri, auth=auth) as driver:
        yield driver
