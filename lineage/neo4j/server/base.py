"""Shared pieces of the local Neo4j launcher: the pinned version, `ServerInfo`, the error."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

NEO4J_VERSION = "5.26.30"
"""The Neo4j release used by both routes: the Maven jars and the Docker image tag."""

BROWSER_VERSION = "5.24.0"
"""The Neo4j Browser jar (`org.neo4j.client:neo4j-browser`) the Java route serves over HTTP:
the newest 5.x on Maven Central (the Docker image bundles its own)."""

DEFAULT_HTTP_PORT = 7474
"""The HTTP port (Neo4j Browser) of `lineage db start` unless `--http-port` or `--no-http`."""

DEFAULT_HEAP = "512m"
"""The server's Java heap unless `--heap` says otherwise: enough for the test suite."""

DATA_ENV = "LINEAGE_NEO4J_DATA"
"""The environment variable naming the server's data directory (else ~/.local/share/...)."""

Method = Literal["java", "docker"]
_HEAP = re.compile(r"[1-9][0-9]*[mMgG]")
_PROBLEM = re.compile(r"\bERROR\b|Exception\b|^Error:")


@dataclass(frozen=True)
class ServerInfo:
    """A running local Neo4j server, as recorded in its data directory's state file."""

    uri: str
    port: int
    data_dir: Path
    pid: int | None
    method: Method
    http_port: int | None = None

    @property
    def browser_url(self) -> str | None:
        """The address of Neo4j Browser on this server; None when it serves no HTTP."""
        if self.http_port is None:
            return None
        return f"http://127.0.0.1:{self.http_port}/browser/"


class Neo4jUnavailable(Exception):  # noqa: N818 (the name is part of the API)
    """Neo4j could not be started or reached; the one-line message says what is missing.
    `detail` holds supporting text (the tail of a log or of Maven's output), possibly empty."""

    def __init__(self, message: str, detail: str = "") -> None:
        super().__init__(message)
        self.detail = detail


def parse_heap(text: str) -> str:
    """Check a heap size such as `512m` or `4g` (at least 256 MiB); return it lower-cased."""
    if not _HEAP.fullmatch(text.strip()):
        raise Neo4jUnavailable(f"heap size {text!r} is not a number followed by m or g, like 2g")
    heap = text.strip().lower()
    mebibytes = int(heap[:-1]) * (1024 if heap.endswith("g") else 1)
    if mebibytes < 256:
        raise Neo4jUnavailable(f"heap size {heap} is too small: Neo4j needs at least 256m")
    return heap


def tail(text: str, lines: int = 20) -> str:
    """Return the last `lines` non-blank lines of `text`."""
    kept = [line for line in text.splitlines() if line.strip()]
    return "\n".join(kept[-lines:])


def headline(text: str) -> str:
    """Pick the most telling line of a failure's output: the root `Caused by:`, else the first
    ERROR/exception line, else the last line."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    causes = [line for line in lines if line.startswith("Caused by:")]
    problems = [line for line in lines if _PROBLEM.search(line)]
    return (causes[-1:] or problems[:1] or lines[-1:] or ["no output"])[0]
