"""Helpers for the browser tests: Debian's headless Chromium driven by Playwright, offline.

`scripts/install-browser.sh` installs Chromium; Playwright comes with the test extra and
only drives that binary (it never downloads a browser). A missing browser FAILS the tests
that need one, unless the script recorded why it could not install one (not root, no apt):
then they skip with that reason. `LINEAGE_SKIP_BROWSER=1` skips them too (an explicit opt-out).
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.support.paths import REPO

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, Page

SKIP_ENV = "LINEAGE_SKIP_BROWSER"
# Written by scripts/install-browser.sh when it cannot install a browser on this machine.
NO_BROWSER_NOTE = REPO / ".venv" / "lineage-no-browser"
CHROMIUM = Path(os.environ.get("LINEAGE_CHROMIUM", "/usr/bin/chromium"))
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VIEWPORT = {"width": 1400, "height": 850}


def require_browser(binary: Path, name: str) -> None:
    """Skip or fail the test when `binary` is missing, as the module docstring says."""
    if os.environ.get(SKIP_ENV) == "1":
        pytest.skip(f"{SKIP_ENV}=1: browser tests are skipped")
    if binary.is_file():
        return
    if NO_BROWSER_NOTE.is_file():
        pytest.skip(f"no {name}: {NO_BROWSER_NOTE.read_text(encoding='utf-8').strip()}")
    pytest.fail(
        f"no {name} at {binary}: run scripts/install-browser.sh "
        f"(or set {SKIP_ENV}=1 to skip the browser tests)",
        pytrace=False,
    )


@contextmanager
def chromium(user_data_dir: Path, *, offline: bool = True) -> Iterator[BrowserContext]:
    """A fresh headless Chromium profile, offline unless told; fails (or skips, see above)
    without one."""
    require_browser(CHROMIUM, "Chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("playwright is not installed: pip install -e '.[test]'", pytrace=False)
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(user_data_dir),
            executable_path=str(CHROMIUM),
            headless=True,
            args=FLAGS,
            viewport=VIEWPORT,
            offline=offline,
        )
        try:
            yield context
        finally:
            context.close()


@dataclass
class Opened:
    """A page with the view loaded, and what happened while it loaded and ran."""

    page: Page
    url: str
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def foreign_requests(self) -> list[str]:
        """Requests for anything but the page itself."""
        return [url for url in self.requests if url != self.url]


def open_view(context: BrowserContext, path: Path, timeout_ms: float = 30_000) -> Opened:
    """Load a view with every request but the page's own refused; wait until it has drawn."""
    page = context.new_page()
    opened = Opened(page, path.resolve().as_uri())
    page.on("console", lambda m: opened.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda exc: opened.errors.append(f"uncaught: {exc}"))
    page.on("request", lambda request: opened.requests.append(request.url))
    page.on("dialog", lambda dialog: (opened.dialogs.append(dialog.message), dialog.dismiss()))
    page.route(
        "**/*",
        lambda route: route.continue_() if route.request.url == opened.url else route.abort(),
    )
    page.goto(opened.url)
    wait_until(page, "window.lineageView && window.lineageView.ready", timeout_ms=timeout_ms)
    return opened


def wait_until(page: Page, expression: str, arg: object = None, timeout_ms: float = 30_000) -> None:
    """Poll `expression` (or a function of `arg`) from here until it is truthy. Playwright's own
    `wait_for_function` polls with `eval` inside the page, which the view's CSP refuses: it
    fails whenever the first check is false (seen on a loaded machine)."""
    deadline = time.monotonic() + timeout_ms / 1000
    while not page.evaluate(expression, arg):
        if time.monotonic() > deadline:
            raise TimeoutError(f"not true after {timeout_ms:.0f} ms: {expression}")
        page.wait_for_timeout(50)


def drawn_counts(page: Page) -> tuple[int, int]:
    """How many nodes and edges vis-network draws (hidden ones excluded)."""
    nodes, edges = page.evaluate(
        "[lineageView.network.body.nodeIndices.length, lineageView.network.body.edgeIndices.length]"
    )
    return int(nodes), int(edges)


def click_node(page: Page, node: int) -> None:
    """Click a node where it is drawn on the canvas, as a person would."""
    x, y = page.evaluate(
        """(id) => {
            const network = lineageView.network;
            network.focus(id, {scale: 1.2, animation: false});
            const p = network.canvasToDOM(network.getPositions([id])[id]);
            return [p.x, p.y];
        }""",
        node,
    )
    box = page.locator("#graph canvas").bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + x, box["y"] + y)


def node_index(page: Page, key: str) -> int:
    """The drawn id of the node with `key`."""
    found = page.evaluate("(key) => lineageView.data.nodes.findIndex((n) => n.key === key)", key)
    assert found >= 0, f"no drawn node has key {key!r}"
    return int(found)
