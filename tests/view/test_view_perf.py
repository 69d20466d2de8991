"""A registry-sized view (5,000 nodes) in headless Chromium: drawn in full and answering clicks.

Prints how long it took (run with `-s`); the figures are reported in docs/views.md, and no
test asserts a time.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from lineage.view import render_view
from tests.support.browser import (
    chromium,
    click_node,
    drawn_counts,
    node_index,
    open_view,
    wait_until,
)

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext

from tests.support.registry_graph import ACCOUNT, registry_graph

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BrowserContext]:
    with chromium(tmp_path_factory.mktemp("chromium-profile")) as context:
        yield context


def test_a_5000_node_registry_is_drawn_and_answers(browser: BrowserContext, tmp_path: Path) -> None:
    graph, findings = registry_graph(5000)
    started = time.perf_counter()
    page_text = render_view(graph, findings, "registry")
    built = time.perf_counter() - started
    path = tmp_path / "registry.html"
    path.write_text(page_text, encoding="utf-8")
    started = time.perf_counter()
    opened = open_view(browser, path, timeout_ms=120_000)
    loaded = time.perf_counter() - started
    drawn_at = opened.page.evaluate("lineageView.drawnAt") / 1000
    page = opened.page
    assert drawn_counts(page) == (graph.nx.number_of_nodes(), graph.nx.number_of_edges())
    package = f"{ACCOUNT}:model-package/churn-model-017/14"
    started = time.perf_counter()
    click_node(page, node_index(page, package))
    wait_until(
        page, "(key) => document.querySelector('#panel .node-key')?.textContent === key", package
    )
    clicked = time.perf_counter() - started
    assert "L404" in page.locator("#panel").inner_text()
    started = time.perf_counter()
    page.fill("#search", "churn-model-031-eval-20")
    page.press("#search", "Enter")
    wait_until(
        page,
        "document.querySelector('#panel .node-name')?.textContent === 'churn-model-031-eval-20'",
    )
    searched = time.perf_counter() - started
    assert opened.errors == []
    assert opened.foreign_requests() == []
    print(
        f"\n{graph.nx.number_of_nodes()} nodes, {graph.nx.number_of_edges()} edges, "
        f"{len(page_text) / 1e6:.1f} MB page: built in {built:.2f} s; in Chromium drawn "
        f"{drawn_at:.2f} s after navigation ({loaded:.2f} s until the test saw it), "
        f"click to panel {clicked:.2f} s, search {searched:.2f} s"
    )
