"""The local Neo4j launcher (`lineage.neo4j.server`) against a real server, and its decisions."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from urllib.request import urlopen

import pytest
from neo4j import Driver, GraphDatabase

from lineage.neo4j.server import (
    NEO4J_VERSION,
    Neo4jUnavailable,
    ServerInfo,
    free_port,
    server_status,
    stop_server,
)
from lineage.neo4j.server import docker as docker_route
from lineage.neo4j.server import server as server_module
from lineage.neo4j.server.base import BROWSER_VERSION, headline, parse_heap
from lineage.neo4j.server.java import http_settings, parse_java_major, write_config
from lineage.neo4j.server.maven import CLASSPATH_ID, ensure_classpath
from lineage.neo4j.server.server import STATE_FILE, choose_method
from tests.support.neo4j_plugin import EXTERNAL_ENV, SKIP_ENV, URI_ENV, plan_neo4j
from tests.support.paths import REPO

pytestmark = pytest.mark.neo4j

CLI = "from lineage.cli.db import db_app; db_app()"


def run_db(*args: str, timeout: float = 300.0) -> subprocess.CompletedProcess[str]:
    """Run `lineage db ARGS` in a fresh interpreter, as a user would."""
    return subprocess.run(
        [sys.executable, "-c", CLI, *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def fake_tool(bin_dir: Path, name: str, script: str) -> None:
    """Write an executable shell script `name` into `bin_dir`."""
    bin_dir.mkdir(exist_ok=True)
    path = bin_dir / name
    path.write_text("#!/bin/sh\n" + script + "\n", encoding="utf-8")
    path.chmod(0o755)


# --- the session's server -------------------------------------------------------------


def test_fixture_server_answers(neo4j_driver: Driver) -> None:
    records, _, _ = neo4j_driver.execute_query("RETURN 1 AS one", database_="neo4j")
    assert records[0]["one"] == 1


def test_status_reports_the_fixture_server(neo4j_server: ServerInfo | None) -> None:
    if neo4j_server is None:
        pytest.skip("an external Neo4j is in use: no local server to inspect")
    status = server_status(neo4j_server.data_dir)
    assert status == neo4j_server
    assert status.method in ("java", "docker")
    assert (neo4j_server.data_dir / STATE_FILE).is_file()


# --- the CLI, on a second server ------------------------------------------------------


def test_cli_start_status_stop_round_trip(neo4j_server: ServerInfo | None, tmp_path: Path) -> None:
    if neo4j_server is None:
        pytest.skip("an external Neo4j is in use: not starting local servers")
    data = tmp_path / "db"
    port, http = free_port(), str(free_port())

    started = run_db(
        "start", "--port", str(port), "--http-port", http, "--data", str(data), "--heap", "384M"
    )
    try:
        assert started.returncode == 0, started.stderr
        uri = f"bolt://127.0.0.1:{port}"
        browser = f"http://127.0.0.1:{http}/browser/"
        assert started.stdout.strip() == uri
        assert "authentication DISABLED" in started.stderr
        assert f"Bolt:    {uri}\n" in started.stderr
        assert f"Browser: {browser}  (Connect URL {uri}" in started.stderr
        with urlopen(browser, timeout=10) as page:
            assert b"Neo4j Browser" in page.read()

        # `start` has returned: the detached server must still answer.
        with GraphDatabase.driver(uri, auth=None) as driver:
            records, _, _ = driver.execute_query(
                "CALL dbms.components() YIELD versions, edition RETURN versions[0] AS v, edition",
                database_="system",
            )
            assert records[0]["v"] == NEO4J_VERSION
            assert records[0]["edition"] == "community"
            assert max_heap(driver) == 384 * 2**20

        again = run_db("start", "--port", str(port), "--http-port", http, "--data", str(data))
        assert (again.returncode, again.stdout.strip()) == (0, uri)
        other = run_db("start", "--port", str(port), "--no-http", "--data", str(data))
        assert other.returncode == 2
        assert "already runs at" in other.stderr

        status = run_db("status", "--data", str(data))
        assert status.returncode == 0, status.stderr
        assert status.stdout.startswith(f"running {uri} browser={browser} ")

        stopped = run_db("stop", "--data", str(data))
        assert (stopped.returncode, stopped.stdout.strip()) == (0, "stopped")
        assert not (data / STATE_FILE).exists()
        assert (data / "logs" / "neo4j.log").is_file()

        after = run_db("status", "--data", str(data))
        assert (after.returncode, after.stdout.strip()) == (1, "not running")
        assert run_db("stop", "--data", str(data)).stdout.strip() == "not running"
    finally:  # never leak a server, whatever failed above
        stop_server(data)


def max_heap(driver: Driver) -> int:
    """The server JVM's maximum heap in bytes, as its JMX memory bean reports it."""
    records, _, _ = driver.execute_query(
        "CALL dbms.queryJmx('java.lang:type=Memory') YIELD attributes "
        "RETURN attributes.HeapMemoryUsage.value.properties.max AS max",
        database_="system",
    )
    return int(records[0]["max"])


def test_session_server_has_the_default_heap(
    neo4j_server: ServerInfo | None, neo4j_driver: Driver
) -> None:
    if neo4j_server is None:
        pytest.skip("an external Neo4j is in use: its heap is not ours")
    assert max_heap(neo4j_driver) == 512 * 2**20


@pytest.mark.parametrize(
    ("heap", "error"),
    [("lots", "is not a number followed by m or g"), ("128m", "is too small")],
)
def test_cli_start_refuses_a_bad_heap_in_one_line(heap: str, error: str, tmp_path: Path) -> None:
    refused = run_db("start", "--heap", heap, "--data", str(tmp_path / "db"))
    assert refused.returncode == 2
    assert refused.stderr.count("\n") == 1
    assert error in refused.stderr
    assert not (tmp_path / "db").exists()


@pytest.mark.parametrize(("text", "heap"), [("512m", "512m"), ("4G", "4g"), (" 2g ", "2g")])
def test_parse_heap(text: str, heap: str) -> None:
    assert parse_heap(text) == heap


def test_cli_start_on_a_busy_port_is_a_one_line_error(
    neo4j_server: ServerInfo | None, tmp_path: Path
) -> None:
    if neo4j_server is None:
        pytest.skip("an external Neo4j is in use: no local port known to be busy")
    busy = run_db("start", "--port", str(neo4j_server.port), "--data", str(tmp_path / "db"))
    assert busy.returncode == 2
    assert busy.stdout == ""
    assert busy.stderr.count("\n") == 1
    assert f"port {neo4j_server.port} on 127.0.0.1 is not free" in busy.stderr
    assert "Traceback" not in busy.stderr


# --- the plugin's decision --------------------------------------------------------------


@pytest.mark.parametrize(
    ("env", "action"),
    [
        ({}, "start"),
        ({URI_ENV: ""}, "start"),
        ({URI_ENV: "bolt://db.example:7687"}, "refuse"),
        ({URI_ENV: "bolt://db.example:7687", EXTERNAL_ENV: "0"}, "refuse"),
        ({URI_ENV: "bolt://db.example:7687", EXTERNAL_ENV: "1"}, "external"),
        ({SKIP_ENV: "1", URI_ENV: "bolt://db.example:7687"}, "skip"),
        ({SKIP_ENV: "1"}, "skip"),
    ],
)
def test_plan_neo4j(env: dict[str, str], action: str) -> None:
    assert plan_neo4j(env).action == action


def test_refusal_names_the_uri_and_both_ways_out() -> None:
    plan = plan_neo4j({URI_ENV: "bolt://db.example:7687"})
    assert "bolt://db.example:7687" in plan.reason
    assert f"Unset {URI_ENV}" in plan.reason
    assert f"{EXTERNAL_ENV}=1" in plan.reason
    assert plan_neo4j({URI_ENV: "bolt://x:1", EXTERNAL_ENV: "1"}).uri == "bolt://x:1"


# --- route choice, Maven and Docker details (no server needed) ---------------------------


@pytest.mark.parametrize(("exit_code", "method"), [(0, "docker"), (1, "java")])
def test_route_follows_docker_info(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, exit_code: int, method: str
) -> None:
    fake_tool(tmp_path / "bin", "docker", f"exit {exit_code}")
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    assert choose_method() == method


def test_route_without_docker_is_java(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    assert choose_method() == "java"


def test_maven_failure_reports_its_error_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_tool(
        tmp_path / "bin",
        "mvn",
        "echo '[INFO] resolving'; echo '[ERROR] Could not resolve org.neo4j:neo4j' >&2; "
        "echo '[ERROR] -> [Help 1]' >&2; exit 1",
    )
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    with pytest.raises(Neo4jUnavailable, match=r"\(exit 1\): \[ERROR\] Could not resolve") as exc:
        ensure_classpath(tmp_path / "home")
    assert "[Help 1]" in exc.value.detail
    assert not (tmp_path / "home" / "lib").exists()


def test_missing_maven_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(Neo4jUnavailable, match=r"`mvn` \(Maven\) was not found on PATH"):
        ensure_classpath(tmp_path / "home")


@pytest.mark.parametrize(
    ("text", "major"),
    [
        ('openjdk version "17.0.15" 2025-04-15', 17),
        ('openjdk version "21" 2023-09-19', 21),
        ('java version "1.8.0_402"', 8),
        ("not java", 0),
    ],
)
def test_parse_java_major(text: str, major: int) -> None:
    assert parse_java_major(text) == major


def test_docker_run_is_loopback_only_and_auth_less(tmp_path: Path) -> None:
    args = docker_route.run_args(tmp_path, 7999, "2g")
    assert "NEO4J_server_memory_heap_max__size=2g" in args
    assert args[args.index("-p") + 1] == "127.0.0.1:7999:7687"
    assert "NEO4J_AUTH=none" in args
    assert "NEO4J_server_http_enabled=false" in args
    assert f"{tmp_path / 'data'}:/data" in args
    assert args[-1] == f"neo4j:{NEO4J_VERSION}-community"


def test_docker_publishes_an_offline_browser_on_loopback(tmp_path: Path) -> None:
    args = docker_route.run_args(tmp_path, 7999, "2g", http_port=7475)
    assert "127.0.0.1:7475:7474" in args
    assert "NEO4J_server_http_enabled=true" in args
    assert "NEO4J_client_allow__telemetry=false" in args
    assert "NEO4J_server_bolt_advertised__address=127.0.0.1:7999" in args


def test_compose_serves_the_browser_as_db_start_does() -> None:
    compose = (REPO / "docker" / "compose.yml").read_text(encoding="utf-8")
    for key, value in http_settings(7474, 7687).items():
        if not key.endswith("_address"):
            env = "NEO4J_" + key.replace("_", "__").replace(".", "_")
            assert f'{env}: "{value}"' in compose
    assert '"127.0.0.1:7474:7474"' in compose


def test_java_config_serves_an_offline_browser_on_loopback(tmp_path: Path) -> None:
    conf = write_config(tmp_path, 7999, tmp_path / "lib", http_port=7475)
    text = (conf / "neo4j.conf").read_text(encoding="utf-8")
    assert "server.http.listen_address=127.0.0.1:7475\n" in text
    assert "client.allow_telemetry=false\n" in text
    assert "dbms.usage_report.enabled=false\n" in text
    off = (write_config(tmp_path, 7999, tmp_path / "lib") / "neo4j.conf").read_text("utf-8")
    assert "server.http.enabled=false\n" in off


def test_pinned_version_agrees_everywhere() -> None:
    pom = (REPO / "lineage" / "neo4j" / "server" / "pom.xml").read_text(encoding="utf-8")
    pinned = re.search(r"<neo4j.version>([^<]+)</neo4j.version>", pom)
    assert pinned is not None
    assert pinned[1] == NEO4J_VERSION
    browser = re.search(r"<neo4j.browser.version>([^<]+)</neo4j.browser.version>", pom)
    assert browser is not None
    assert browser[1] == BROWSER_VERSION
    compose = (REPO / "docker" / "compose.yml").read_text(encoding="utf-8")
    assert f"image: neo4j:{NEO4J_VERSION}-community" in compose
    assert 'NEO4J_AUTH: "neo4j/${NEO4J_PASSWORD:?' in compose


def test_a_server_that_dies_at_startup_is_reported(
    neo4j_server: ServerInfo | None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if neo4j_server is None:
        pytest.skip("an external Neo4j is in use: not starting local servers")
    empty = tmp_path / "home" / "lib"  # "complete" but without a single jar
    empty.mkdir(parents=True)
    (empty / ".complete").write_text(CLASSPATH_ID, encoding="utf-8")
    monkeypatch.setenv("LINEAGE_NEO4J_HOME", str(tmp_path / "home"))
    monkeypatch.setattr(server_module, "choose_method", lambda: "java")
    data = tmp_path / "db"
    with pytest.raises(Neo4jUnavailable, match="exited during startup with code 1") as exc:
        server_module.start_server(port=free_port(), data_dir=data, timeout=60)
    assert "ClassNotFoundException: org.neo4j.server.CommunityEntryPoint" in str(exc.value)
    assert "console.log" in str(exc.value)
    assert not (data / STATE_FILE).exists()


@pytest.mark.parametrize(
    ("output", "line"),
    [
        (
            "INFO Starting...\nERROR Failed to start Neo4j on localhost:7474.\n"
            "java.lang.RuntimeException: Error starting\nCaused by: PortBindException: bind\n"
            "Caused by: NativeIoException: Address already in use\nINFO Stopped.",
            "Caused by: NativeIoException: Address already in use",
        ),
        (
            "[INFO] x\n[ERROR] Failed to execute goal\n[ERROR] -> [Help 1]",
            "[ERROR] Failed to execute goal",
        ),
        ("one\ntwo\n", "two"),
        ("", "no output"),
    ],
)
def test_headline_picks_the_telling_line(output: str, line: str) -> None:
    assert headline(output) == line
