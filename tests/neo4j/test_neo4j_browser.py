"""Neo4j Browser as `lineage db start` serves it: an audit pasted from `lineage audit --browser`
runs there and shows its rows, and the page reaches nothing but the server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import pytest
from neo4j import Driver
from typer.testing import CliRunner

from lineage.cli.main import app
from lineage.config import Settings
from lineage.neo4j.audit_run import run_audit
from lineage.neo4j.load import Neo4jLoader
from lineage.neo4j.server import ServerInfo
from lineage.scan import scan
from tests.support.browser import chromium
from tests.support.neo4j_helpers import wipe
from tests.support.paths import EXAMPLE

pytestmark = pytest.mark.browser

if TYPE_CHECKING:
    from playwright.sync_api import Page

AUDIT = "downstream-of-s3-prefix"
PREFIX = "s3://sagemaker-us-east-1-111122223333/abalone/data/abalone-dataset.csv"
TIMEOUT_MS = 60_000


@pytest.fixture
def browser_server(neo4j_server: ServerInfo | None, neo4j_driver: Driver) -> Iterator[ServerInfo]:
    """The session's server, serving the Browser, with the bundled example loaded."""
    if neo4j_server is None or neo4j_server.browser_url is None:
        pytest.skip("an external Neo4j is in use: its Browser is not ours to test")
    wipe(neo4j_driver)
    result = scan([str(EXAMPLE)], Settings())
    Neo4jLoader(neo4j_driver, "neo4j").load(result.graph, result.findings, set(result.definitions))
    yield neo4j_server
    wipe(neo4j_driver)


def test_an_audit_pasted_into_neo4j_browser_shows_its_rows(
    browser_server: ServerInfo, neo4j_driver: Driver, tmp_path: Path
) -> None:
    printed = CliRunner().invoke(app, ["audit", AUDIT, "--browser", "-p", f"prefix={PREFIX}"])
    assert printed.exit_code == 0, printed.stderr
    commands = [line for line in printed.stdout.splitlines() if line.startswith(":param ")]
    query = printed.stdout.split("\n\n", 1)[1]
    columns, rows = run_audit(neo4j_driver, "neo4j", AUDIT, {"prefix": PREFIX})
    assert len(rows) > 10
    ours = {f"127.0.0.1:{browser_server.http_port}", f"127.0.0.1:{browser_server.port}"}
    foreign: list[str] = []

    with chromium(tmp_path / "profile", offline=False) as context:
        context.route(
            "**/*",
            lambda route: (
                route.continue_()
                if urlsplit(route.request.url).netloc in ours
                else (foreign.append(route.request.url), route.abort())
            ),
        )
        page = context.new_page()
        page.goto(
            f"{browser_server.browser_url}?dbms={browser_server.uri}&preselectAuthMethod=NO_AUTH"
        )
        page.get_by_text("You have a working connection").wait_for(timeout=TIMEOUT_MS)
        for done, command in enumerate(commands, start=1):
            run_in_editor(page, command)
            page.get_by_text("Successfully set your parameters").nth(done - 1).wait_for(
                timeout=TIMEOUT_MS
            )  # the query runs only once `:param` has evaluated its value on the server
        run_in_editor(page, query)
        last = rows[-1][columns.index("node")]
        page.get_by_text(f'"{last}"', exact=True).wait_for(state="attached", timeout=TIMEOUT_MS)
        shown = page.text_content("body") or ""

    for row in rows:
        assert f'"{row[columns.index("node")]}"' in shown
    assert foreign == []


def run_in_editor(page: Page, text: str) -> None:
    """Paste `text` into the Browser's editor and run it (typed keys would get brackets and
    quotes closed for them)."""
    page.locator(".monaco-editor textarea").first.click()
    page.keyboard.insert_text(text)
    page.keyboard.press("Control+Enter")
