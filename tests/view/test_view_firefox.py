"""The HTML view in Debian's Firefox ESR, headless and offline: it draws the whole graph.

Playwright cannot drive Debian's Firefox (it needs its own patched build) and no geckodriver is
packaged, so the test speaks WebDriver BiDi, which Firefox serves itself
(`--remote-debugging-port`), over a WebSocket. (`firefox --screenshot` needs no protocol but
shoots as soon as the page has loaded, before vis-network's first frame about half the time.)
The profile sends every connection to a proxy that is not there (127.0.0.1:9) and turns off
DNS, updates, telemetry and remote settings, so the page can only render from what it holds.

What is checked, in the page and in a screenshot of it: the view's script ran to the end and
vis-network drew every node and edge; no error reached the console; Firefox asked for nothing
but the page; the graph area of the screenshot holds the drawing (the fill colour of every node
kind in the graph), and the side panel's header the title and stats line the script writes.
A blank page, a page without the vis-network script and a page whose script throws fail the
same check, and a page that asks for a URL shows up as a foreign request (tests below).
"""

from __future__ import annotations

import base64
import io
import json
import os
import queue
import re
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import pytest

from lineage.cli.view import write_view
from lineage.config import Settings
from lineage.scan import ScanResult, scan
from lineage.view import html as view_html
from lineage.view.style import KIND_STYLES
from tests.support.browser import require_browser
from tests.support.paths import EXAMPLE, REPO

pytestmark = pytest.mark.browser

if TYPE_CHECKING:
    from websockets.sync.client import ClientConnection

FIREFOX = Path(os.environ.get("LINEAGE_FIREFOX", "/usr/bin/firefox-esr"))
WINDOW = (1400, 900)
BACKGROUND = (0xFB, 0xFB, 0xFB)  # #graph's background in view.css
LISTENING = re.compile(r"WebDriver BiDi listening on (ws://\S+)")
OFFLINE_PREFS: dict[str, object] = {
    # every connection goes to a proxy that is not there, and no name is looked up
    "network.proxy.type": 1,
    "network.proxy.http": "127.0.0.1",
    "network.proxy.http_port": 9,
    "network.proxy.ssl": "127.0.0.1",
    "network.proxy.ssl_port": 9,
    "network.proxy.socks": "127.0.0.1",
    "network.proxy.socks_port": 9,
    "network.proxy.socks_remote_dns": True,
    "network.proxy.no_proxies_on": "",
    "network.proxy.allow_hijacking_localhost": True,
    "network.dns.disabled": True,
    # and nothing phones home
    "network.connectivity-service.enabled": False,
    "network.captive-portal-service.enabled": False,
    "network.prefetch-next": False,
    "network.predictor.enabled": False,
    "app.update.enabled": False,
    "app.update.auto": False,
    "app.normandy.enabled": False,
    "browser.safebrowsing.malware.enabled": False,
    "browser.safebrowsing.phishing.enabled": False,
    "browser.safebrowsing.downloads.enabled": False,
    "browser.shell.checkDefaultBrowser": False,
    "browser.startup.homepage_override.mstone": "ignore",
    "browser.region.network.url": "",
    "datareporting.policy.dataSubmissionEnabled": False,
    "datareporting.healthreport.uploadEnabled": False,
    "toolkit.telemetry.enabled": False,
    "toolkit.telemetry.unified": False,
    "extensions.update.enabled": False,
    "extensions.getAddons.cache.enabled": False,
    "services.settings.server": "http://127.0.0.1:9/",
    "geo.enabled": False,
}
READY = "() => Boolean(window.lineageView && window.lineageView.ready)"
Box = tuple[int, int, int, int]


class BiDiError(Exception):
    """An error answer to a WebDriver BiDi command, or an exception thrown by evaluated code."""


@dataclass
class Firefox:
    """One headless Firefox and its WebDriver BiDi session; events are kept as they come."""

    socket: ClientConnection
    context: str = ""
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    _last_id: int = 0

    def command(self, method: str, params: dict[str, Any], timeout: float = 20) -> dict[str, Any]:
        self._last_id += 1
        self.socket.send(json.dumps({"id": self._last_id, "method": method, "params": params}))
        deadline = time.monotonic() + timeout
        while True:
            message = json.loads(self.socket.recv(timeout=max(0.1, deadline - time.monotonic())))
            if message.get("type") == "event":
                self._event(message["method"], message["params"])
            elif message.get("id") == self._last_id:
                if message.get("type") == "error":
                    raise BiDiError(f"{method}: {message['error']}: {message.get('message')}")
                result: dict[str, Any] = message["result"]
                return result

    def _event(self, method: str, params: dict[str, Any]) -> None:
        if method == "log.entryAdded" and params.get("level") == "error":
            self.errors.append(str(params.get("text")))
        elif method == "network.beforeRequestSent":
            self.requests.append(str(params["request"]["url"]))

    def evaluate(self, function: str) -> Any:
        """Call a JavaScript function (source text) in the page; its result, through JSON."""
        answer = self.command(
            "script.callFunction",
            {
                "functionDeclaration": f"() => JSON.stringify(({function})())",
                "target": {"context": self.context},
                "awaitPromise": False,
            },
        )
        if answer["type"] == "exception":
            raise BiDiError(answer["exceptionDetails"]["text"])
        return json.loads(answer["result"]["value"])

    def open(self, path: Path, timeout: float) -> bool:
        """Load a page afresh; whether the view says it has drawn within `timeout` seconds."""
        self.errors.clear()
        self.requests.clear()
        self.command(
            "browsingContext.navigate",
            {"context": self.context, "url": path.resolve().as_uri(), "wait": "complete"},
        )
        deadline = time.monotonic() + timeout
        while not self.evaluate(READY):
            if time.monotonic() > deadline:
                return False
            time.sleep(0.05)
        return True

    def screenshot(self) -> bytes:
        """A PNG of the viewport."""
        shot = self.command("browsingContext.captureScreenshot", {"context": self.context})
        return base64.b64decode(shot["data"])


def _listen(stream: IO[bytes], found: queue.Queue[str]) -> None:
    """Read Firefox's stderr to its end (so Firefox never blocks), passing on the BiDi address."""
    for raw in stream:
        match = LISTENING.search(raw.decode("utf-8", "replace"))
        if match:
            found.put(match.group(1))


@contextmanager
def firefox(profile: Path) -> Iterator[Firefox]:
    """Headless Firefox with a fresh offline profile; fails (or skips) without, as for Chromium."""
    require_browser(FIREFOX, "Firefox")
    try:
        from websockets.sync.client import connect
    except ImportError:
        pytest.fail("websockets is not installed: pip install -e '.[test]'", pytrace=False)
    prefs = [f"user_pref({json.dumps(k)}, {json.dumps(v)});" for k, v in OFFLINE_PREFS.items()]
    (profile / "user.js").write_text("\n".join(prefs) + "\n", encoding="utf-8")
    width, height = WINDOW
    process = subprocess.Popen(
        [str(FIREFOX), "--headless", "--no-remote", "--profile", str(profile),
         "--remote-debugging-port=0", f"--window-size={width},{height}", "about:blank"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )  # fmt: skip
    assert process.stderr is not None
    found: queue.Queue[str] = queue.Queue()
    threading.Thread(target=_listen, args=(process.stderr, found), daemon=True).start()
    try:
        try:
            address = found.get(timeout=30)
        except queue.Empty:
            pytest.fail(f"{FIREFOX} did not start its WebDriver BiDi server", pytrace=False)
        with connect(f"{address}/session", max_size=None, open_timeout=10) as socket:
            browser = Firefox(socket)
            browser.command("session.new", {"capabilities": {}})
            events = ["log.entryAdded", "network.beforeRequestSent"]
            browser.command("session.subscribe", {"events": events})
            browser.context = browser.command("browsingContext.getTree", {})["contexts"][0][
                "context"
            ]
            browser.command(
                "browsingContext.setViewport",
                {"context": browser.context, "viewport": {"width": width, "height": height}},
            )
            try:
                yield browser
            finally:
                with suppress(Exception):  # the connection may close before the answer comes
                    browser.command("browser.close", {}, timeout=5)
    finally:
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@dataclass
class Picture:
    """What a screenshot shows where the graph and the side panel's header are."""

    graph_pixels: int  # pixels of the graph area that are not its background
    kind_pixels: dict[str, int]  # pixels of the graph area in each node kind's exact fill colour
    header_pixels: int  # dark (text) pixels in the side panel's header

    def kinds_drawn(self, at_least: int = 20) -> set[str]:
        return {kind for kind, count in self.kind_pixels.items() if count >= at_least}


def picture(png: bytes, graph: Box, header: Box) -> Picture:
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB")
    area = image.crop(graph)
    colours = {colour: count for count, colour in area.getcolors(maxcolors=1 << 24) or []}
    fills = {
        kind.value: tuple(int(color[i : i + 2], 16) for i in (1, 3, 5))
        for kind, (_, color, _, _) in KIND_STYLES.items()
    }
    levels = image.crop(header).convert("L").histogram()
    return Picture(
        graph_pixels=area.width * area.height - colours.get(BACKGROUND, 0),
        kind_pixels={kind: colours.get(fill, 0) for kind, fill in fills.items()},
        header_pixels=sum(levels[:160]),
    )


def boxes(browser: Firefox) -> tuple[Box, Box]:
    """Where the graph and the side panel's header are. The header holds the title and the stats
    line, both written by the script: without it the header is empty."""
    graph, header = browser.evaluate(
        """() => ["#graph", "#side > header"].map((selector) => {
            const r = document.querySelector(selector).getBoundingClientRect();
            return [r.left, r.top, r.right, r.bottom].map(Math.round);
        })"""
    )
    return tuple(graph), tuple(header)


@dataclass
class Rendered:
    """A page as Firefox loaded, ran and showed it."""

    ready: bool
    errors: list[str]
    foreign_requests: list[str]  # any URL but the page's own and inline data: URLs
    picture: Picture

    def problems(self, kinds: set[str]) -> list[str]:
        """Why this does not show the drawn view of a graph with nodes of `kinds`; [] if it does."""
        found = []
        if not self.ready:
            found.append("the view never said it had drawn")
        if self.errors:
            found.append(f"console errors: {self.errors}")
        if self.foreign_requests:
            found.append(f"requests for other URLs: {self.foreign_requests}")
        if self.picture.graph_pixels < 20_000:
            found.append(f"the graph area is nearly blank ({self.picture.graph_pixels} pixels)")
        if missing := kinds - self.picture.kinds_drawn():
            found.append(f"no node of these kinds is drawn: {sorted(missing)}")
        if self.picture.header_pixels < 150:
            found.append(f"no title and stats line ({self.picture.header_pixels} dark pixels)")
        return found


def render(browser: Firefox, page: Path, timeout: float = 10) -> Rendered:
    ready = browser.open(page, timeout)
    graph, header = boxes(browser)
    png = browser.screenshot()
    url = page.resolve().as_uri()
    return Rendered(
        ready,
        list(browser.errors),
        [r for r in browser.requests if r != url and not r.startswith("data:")],
        picture(png, graph, header),
    )


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Firefox]:
    with firefox(tmp_path_factory.mktemp("firefox-profile")) as opened:
        yield opened


@pytest.fixture(scope="module")
def abalone() -> Iterator[ScanResult]:
    """The bundled example, scanned by its path in the repository (as the README shows it)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(REPO)
        yield scan([str(EXAMPLE.relative_to(REPO))], Settings())


@pytest.fixture(scope="module")
def kinds(abalone: ScanResult) -> set[str]:
    """The node kinds in the example: each must show in the drawing."""
    return {str(data["kind"]) for _, data in abalone.graph.nx.nodes(data=True)}


def test_firefox_draws_the_whole_view_offline(
    browser: Firefox, abalone: ScanResult, kinds: set[str], tmp_path: Path
) -> None:
    page = tmp_path / "abalone.html"
    write_view(abalone, page)
    rendered = render(browser, page)
    assert rendered.problems(kinds) == []
    graph = abalone.graph.nx
    drawn = browser.evaluate(
        "() => [lineageView.network.body.nodeIndices.length,"
        " lineageView.network.body.edgeIndices.length]"
    )
    assert drawn == [graph.number_of_nodes(), graph.number_of_edges()]
    stats = browser.evaluate("() => document.getElementById('stats').textContent")
    assert stats.startswith(f"{graph.number_of_nodes()} nodes · {graph.number_of_edges()} edges")
    assert browser.evaluate("() => document.getElementById('title').textContent") == (
        "lineage: pipeline"
    )


def test_a_blank_page_fails_the_check(browser: Firefox, kinds: set[str], tmp_path: Path) -> None:
    page = tmp_path / "blank.html"
    page.write_text(
        "<!DOCTYPE html><style>body{margin:0;display:flex;height:100vh}"
        "#graph{flex:1;background:#fbfbfb}#side{flex:0 0 380px}</style>"
        '<main id="graph"></main><aside id="side"><header><h1 id="title"></h1>'
        '<p id="stats"></p></header><p>Find a node</p></aside>',
        encoding="utf-8",
    )
    rendered = render(browser, page, timeout=1)
    problems = rendered.problems(kinds)
    assert not rendered.ready
    assert rendered.picture.graph_pixels < 1_000
    assert rendered.picture.kinds_drawn() == set()
    assert any("stats line" in problem for problem in problems)


def test_a_page_without_the_vis_script_fails_the_check(
    browser: Firefox, abalone: ScanResult, kinds: set[str], tmp_path: Path
) -> None:
    page = tmp_path / "no-vis.html"
    write_view(abalone, page)
    text = page.read_text(encoding="utf-8")
    start = text.index("<script>", text.index('id="lineage-data"'))  # vis-network's script
    end = text.index("</script>", start) + len("</script>")
    assert "vis-network" in text[start:end]
    page.write_text(text[:start] + text[end:], encoding="utf-8")
    rendered = render(browser, page, timeout=2)
    problems = rendered.problems(kinds)
    assert not rendered.ready
    assert any("vis is not defined" in error for error in rendered.errors), rendered.errors
    assert rendered.picture.graph_pixels < 1_000
    assert rendered.picture.kinds_drawn() == set()
    assert any("stats line" in problem for problem in problems)


def test_a_page_whose_script_throws_fails_the_check(
    browser: Firefox,
    abalone: ScanResult,
    kinds: set[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    own_asset = view_html._own_asset

    def broken(name: str) -> str:  # the script throws before it draws (its CSP hash still fits)
        source = own_asset(name)
        if name == "view.js":
            source = source.replace("var nodes = new vis.DataSet(", "undefinedThing(); (", 1)
        return source

    monkeypatch.setattr(view_html, "_own_asset", broken)
    page = tmp_path / "broken.html"
    write_view(abalone, page)
    rendered = render(browser, page, timeout=2)
    problems = rendered.problems(kinds)
    assert not rendered.ready
    assert any("undefinedThing" in error for error in rendered.errors), rendered.errors
    assert rendered.picture.kinds_drawn() == set()
    assert any("stats line" in problem for problem in problems)


def test_a_page_that_asks_for_a_url_shows_a_foreign_request_and_gets_nothing(
    browser: Firefox, abalone: ScanResult, kinds: set[str], tmp_path: Path
) -> None:
    """The request log sees what a page asks for, and the profile's network answers nothing."""
    page = tmp_path / "cdn.html"
    write_view(abalone, page)
    text = page.read_text(encoding="utf-8")
    text = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", text, count=1)
    cdn = "https://unpkg.com/vis-network/standalone/umd/vis-network.min.js"
    tag = f'<script src="{cdn}" onload="window.cdn = 1" onerror="window.cdn = 0"></script>'
    page.write_text(text.replace("</body>", f"{tag}</body>", 1), encoding="utf-8")
    rendered = render(browser, page)
    assert cdn in rendered.foreign_requests
    assert browser.evaluate("() => window.cdn") == 0
    assert any("requests for other URLs" in problem for problem in rendered.problems(kinds))
