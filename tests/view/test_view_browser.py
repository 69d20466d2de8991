"""The HTML view in real headless Chromium, offline: it draws, it answers clicks and searches,
and what the data holds is shown as text and never runs."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from lineage.cli.view import write_view
from lineage.config import Settings
from lineage.scan import ScanResult, scan
from tests.support.browser import (
    chromium,
    click_node,
    drawn_counts,
    node_index,
    open_view,
    wait_until,
)
from tests.support.builders import definition, get, processing, training, write
from tests.support.paths import EXAMPLE, REPO, SDK_FIXTURES

pytestmark = pytest.mark.browser

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext

XSS = "<img src=x onerror=alert(1)>"
SCRIPT_XSS = "</script><script>window.pwned = 1; alert(2)</script>"
SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
SCREENSHOT = REPO / "docs" / "screenshot-abalone.png"
UPDATE_SCREENSHOT_ENV = "LINEAGE_UPDATE_SCREENSHOT"


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BrowserContext]:
    with chromium(tmp_path_factory.mktemp("chromium-profile")) as context:
        yield context


def view_of(result: ScanResult, path: Path) -> Path:
    write_view(result, path)
    return path


@pytest.fixture(scope="module")
def abalone() -> Iterator[ScanResult]:
    """The bundled example, scanned by its path in the repository (as the README shows it)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(REPO)
        yield scan([str(EXAMPLE.relative_to(REPO))], Settings())


def test_page_loads_offline_without_console_errors(
    browser: BrowserContext, abalone: ScanResult, tmp_path: Path
) -> None:
    opened = open_view(browser, view_of(abalone, tmp_path / "abalone.html"))
    assert opened.errors == []
    assert opened.foreign_requests() == []
    assert opened.requests == [opened.url]
    assert opened.page.locator("#title").inner_text() == "lineage: pipeline"


def test_drawn_nodes_and_edges_equal_the_graph(
    browser: BrowserContext, abalone: ScanResult, tmp_path: Path
) -> None:
    opened = open_view(browser, view_of(abalone, tmp_path / "abalone.html"))
    graph = abalone.graph.nx
    assert drawn_counts(opened.page) == (graph.number_of_nodes(), graph.number_of_edges())


def test_clicking_a_flagged_node_shows_its_finding(
    browser: BrowserContext, abalone: ScanResult, tmp_path: Path
) -> None:
    (finding,) = [f for f in abalone.findings if f.code == "L404"]
    opened = open_view(browser, view_of(abalone, tmp_path / "abalone.html"))
    click_node(opened.page, node_index(opened.page, finding.node))
    panel = opened.page.locator("#panel")
    assert panel.locator(".node-key").inner_text() == finding.node
    text = panel.inner_text()
    assert "L404 incomplete-model-quality-metrics" in text
    assert finding.message in text
    assert "Fix: " in text
    assert panel.locator(".sev-info").count() == 1
    assert opened.errors == []


def test_hovering_a_node_shows_it_until_the_pointer_leaves(
    browser: BrowserContext, abalone: ScanResult, tmp_path: Path
) -> None:
    opened = open_view(browser, view_of(abalone, tmp_path / "abalone.html"))
    page = opened.page
    node = node_index(page, "pipeline/AbaloneTrain")
    click_node(page, node)
    page.mouse.move(5, 5)
    page.evaluate("lineageView.network.unselectAll()")
    page.evaluate(f"lineageView.network.focus({node}, {{scale: 1.2, animation: false}})")
    box = page.locator("#graph canvas").bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    wait_until(
        page, "document.querySelector('#panel .node-key')?.textContent === 'pipeline/AbaloneTrain'"
    )


def test_search_finds_a_node(browser: BrowserContext, abalone: ScanResult, tmp_path: Path) -> None:
    opened = open_view(browser, view_of(abalone, tmp_path / "abalone.html"))
    page = opened.page
    page.fill("#search", "abaloneeval")
    page.press("#search", "Enter")
    result = page.locator("#search-result").inner_text()
    assert result.startswith("Match 1 of ")
    assert result.endswith(": AbaloneEval")
    assert page.locator("#panel .node-name").inner_text() == "AbaloneEval"
    selected = page.evaluate("lineageView.network.getSelectedNodes()")
    assert selected == [node_index(page, "pipeline/AbaloneEval")]
    page.fill("#search", "no such node")
    page.click("#search-next")
    assert "No visible node matches" in page.locator("#search-result").inner_text()


def test_filters_hide_a_kind_and_its_edges(
    browser: BrowserContext, abalone: ScanResult, tmp_path: Path
) -> None:
    opened = open_view(browser, view_of(abalone, tmp_path / "abalone.html"))
    page = opened.page
    counts = abalone.graph.counts()
    page.locator("#kind-filters input[data-kind=PropertyRef]").uncheck()
    nodes, edges = drawn_counts(page)
    assert nodes == abalone.graph.nx.number_of_nodes() - counts["PropertyRef"]
    assert edges == abalone.graph.nx.number_of_edges() - counts["USES"] - counts["RESOLVES_TO"]
    page.locator("#severity-filters input[data-severity=none]").uncheck()
    assert drawn_counts(page) == (1, 0)
    page.locator("#kind-filters input[data-kind=PropertyRef]").check()
    page.locator("#severity-filters input[data-severity=none]").check()
    assert drawn_counts(page) == (
        abalone.graph.nx.number_of_nodes(),
        abalone.graph.nx.number_of_edges(),
    )


def hostile(tmp_path: Path) -> Path:
    """A pipeline whose step names, description and S3 URIs carry markup and script."""
    prepare = processing(
        XSS,
        outputs=("train",),
        inputs={"raw": f"s3://bucket/{SCRIPT_XSS}"},
        Description=SCRIPT_XSS,
    )
    train = training(
        SCRIPT_XSS,
        get(f"Steps.{XSS}.ProcessingOutputConfig.Outputs['train'].S3Output.S3Uri"),
    )
    return write(tmp_path, definition(prepare, train), "hostile.json")


def test_markup_in_the_data_shows_as_text_and_runs_nothing(
    browser: BrowserContext, tmp_path: Path
) -> None:
    result = scan([str(hostile(tmp_path))], Settings())
    opened = open_view(browser, view_of(result, tmp_path / "hostile.html"))
    page = opened.page
    step = node_index(page, f"hostile/{XSS}")
    click_node(page, step)
    assert page.locator("#panel .node-name").inner_text() == XSS
    page.fill("#search", SCRIPT_XSS)
    page.press("#search", "Enter")
    assert page.locator("#panel .node-name").inner_text() == SCRIPT_XSS
    assert SCRIPT_XSS in page.locator("#panel .props").inner_text()
    assert page.evaluate("window.pwned") is None
    assert page.locator("img").count() == 0
    assert page.locator("script").count() == 3
    assert opened.dialogs == []
    assert opened.foreign_requests() == []
    assert opened.errors == []
    assert drawn_counts(page) == (
        result.graph.nx.number_of_nodes(),
        result.graph.nx.number_of_edges(),
    )


def test_a_flagged_secret_appears_nowhere_in_the_page(
    browser: BrowserContext, tmp_path: Path
) -> None:
    result = scan([str(SDK_FIXTURES / "secret_in_env.json")], Settings())
    assert any(f.code == "L206" for f in result.findings)
    opened = open_view(browser, view_of(result, tmp_path / "secret.html"))
    page = opened.page
    shown = page.evaluate(
        "lineageView.data.nodes.map((n) => { lineageView.show(n.id);"
        " return document.getElementById('panel').innerText; }).join('\\n')"
    )
    assert "L206 secret-in-environment" in shown
    for text in (shown, page.content()):
        assert SECRET not in text
        assert "AKIAIOSFODNN7EXAMPLE" not in text


def test_screenshot_of_the_bundled_example(
    browser: BrowserContext, abalone: ScanResult, tmp_path: Path
) -> None:
    """The README's screenshot; `LINEAGE_UPDATE_SCREENSHOT=1` writes it to docs/."""
    opened = open_view(browser, view_of(abalone, tmp_path / "abalone.html"))
    (finding,) = [f for f in abalone.findings if f.code == "L404"]
    opened.page.evaluate(
        "(key) => { const id = lineageView.data.nodes.findIndex((n) => n.key === key);"
        " lineageView.network.selectNodes([id]); lineageView.show(id); }",
        finding.node,
    )
    shot = tmp_path / "screenshot.png"
    opened.page.screenshot(path=str(shot))
    assert shot.read_bytes().startswith(b"\x89PNG")
    if os.environ.get(UPDATE_SCREENSHOT_ENV) == "1":
        shutil.copyfile(shot, SCREENSHOT)
