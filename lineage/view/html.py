"""One self-contained HTML page: the vis-network script bundled with pyvis, inlined.

Nothing is loaded from a CDN and nothing is written besides the page; a Content-Security-Policy
allows only the page's own scripts (by hash), so markup smuggled into the data cannot run.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
from importlib import resources
from typing import Any

from lineage import __version__

VIS_VERSION = "vis-9.1.2"
MARKER = re.compile(r"@@([A-Z_]+)@@")


def _vis_asset(name: str) -> str:
    """A file of the vis-network copy that ships inside the pyvis package."""
    return (resources.files("pyvis") / "lib" / VIS_VERSION / name).read_text(encoding="utf-8")


def _own_asset(name: str) -> str:
    return (resources.files("lineage.view") / name).read_text(encoding="utf-8")


def _script(source: str) -> str:
    """Script text safe inside <script>: no closing tag, no source map to fetch."""
    source = re.sub(r"^//# sourceMappingURL=.*$", "", source, flags=re.MULTILINE)
    return source.replace("</script", "<\\/script")


def _style(source: str) -> str:
    return source.replace("</style", "<\\/style")


def _json_for_html(payload: dict[str, Any]) -> str:
    """JSON that cannot end its <script> element early: `<`, `>` and `&` as escapes."""
    text = json.dumps(payload, ensure_ascii=True, separators=(",", ":"), allow_nan=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _hash(source: str) -> str:
    digest = hashlib.sha256(source.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def render_html(payload: dict[str, Any]) -> str:
    """The page for a view payload (see `lineage.view.data.view_payload`)."""
    vis_js = _script(_vis_asset("vis-network.min.js"))
    view_js = _script(_own_asset("view.js"))
    csp = (
        "default-src 'none'; "
        f"script-src {_hash(vis_js)} {_hash(view_js)}; "
        "style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"
    )
    parts = {
        "CSP": csp,
        "VERSION": html.escape(__version__),
        "TITLE": html.escape(str(payload["title"])),
        "VIS_CSS": _style(_vis_asset("vis-network.css")),
        "VIEW_CSS": _style(_own_asset("view.css")),
        "DATA": _json_for_html(payload),
        "VIS_JS": vis_js,
        "VIEW_JS": view_js,
    }
    return MARKER.sub(lambda m: parts[m.group(1)], _own_asset("template.html"))
