"""`lineage db`: start, stop and inspect the local Neo4j server."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, NoReturn

import typer

from lineage.neo4j.server.base import (
    DATA_ENV,
    DEFAULT_HEAP,
    DEFAULT_HTTP_PORT,
    NEO4J_VERSION,
    Neo4jUnavailable,
    ServerInfo,
    parse_heap,
)

EXIT_NOT_RUNNING = 1
EXIT_ERROR = 2

db_app = typer.Typer(
    help="Run a local Neo4j server (Docker if an engine answers, else Java with Maven jars).",
    no_args_is_help=True,
    add_completion=False,
)

DataOption = Annotated[
    Path | None,
    typer.Option(
        "--data",
        file_okay=False,
        help=f"Data directory of the server [default: ${DATA_ENV}, else "
        "~/.local/share/lineage/neo4j].",
        show_default=False,
    ),
]


def _fail(message: str) -> NoReturn:
    """Print a one-line error to stderr and exit 2."""
    sys.stderr.write(f"lineage db: {' '.join(message.split())}\n")
    raise typer.Exit(EXIT_ERROR)


def _note(message: str) -> None:
    """Print a progress note to stderr."""
    sys.stderr.write(f"lineage db: {message}\n")


@db_app.command()
def start(
    port: Annotated[
        int, typer.Option("--port", min=1, max=65535, help="Bolt port on 127.0.0.1.")
    ] = 7687,
    http_port: Annotated[
        int,
        typer.Option(
            "--http-port", min=1, max=65535, help="HTTP port of Neo4j Browser on 127.0.0.1."
        ),
    ] = DEFAULT_HTTP_PORT,
    no_http: Annotated[
        bool, typer.Option("--no-http", help="Serve no HTTP (no Neo4j Browser).")
    ] = False,
    data: DataOption = None,
    heap: Annotated[
        str,
        typer.Option(
            "--heap",
            help="Java heap of a new server, e.g. 4g for a graph of 100k+ nodes.",
        ),
    ] = DEFAULT_HEAP,
) -> None:
    """Start the server (or find it running) and print its bolt URI on stdout; the addresses of
    Bolt and Neo4j Browser go to stderr."""
    from lineage.neo4j.server.server import start_server

    try:
        info = start_server(
            port=port,
            data_dir=data,
            http_port=None if no_http else http_port,
            heap=parse_heap(heap),
            notify=_note,
        )
    except (Neo4jUnavailable, OSError) as exc:
        _fail(str(exc))
    sys.stderr.write(describe(info))
    sys.stdout.write(info.uri + "\n")


def describe(info: ServerInfo) -> str:
    """The lines `db start` prints to stderr: what runs, where Bolt and the Browser are."""
    pid = f", pid {info.pid}" if info.pid is not None else ""
    browser = (
        f"{info.browser_url}  (Connect URL {info.uri}, authentication: none)"
        if info.browser_url
        else "off (--no-http)"
    )
    return (
        f"lineage db: Neo4j {NEO4J_VERSION} ({info.method}{pid}) is ready, bound to 127.0.0.1 "
        "only, authentication DISABLED\n"
        f"  Bolt:    {info.uri}\n"
        f"  Browser: {browser}\n"
        f"  Data:    {info.data_dir}\n"
    )


@db_app.command()
def stop(data: DataOption = None) -> None:
    """Stop the server of the data directory."""
    from lineage.neo4j.server.server import stop_server

    try:
        stopped = stop_server(data)
    except (Neo4jUnavailable, OSError) as exc:
        _fail(str(exc))
    sys.stdout.write("stopped\n" if stopped else "not running\n")


@db_app.command()
def status(data: DataOption = None) -> None:
    """Print the running server's URI, method and pid; exit 1 if none runs."""
    from lineage.neo4j.server.server import server_status

    try:
        info = server_status(data)
    except (Neo4jUnavailable, OSError) as exc:
        _fail(str(exc))
    if info is None:
        sys.stdout.write("not running\n")
        raise typer.Exit(EXIT_NOT_RUNNING)
    pid = f" pid={info.pid}" if info.pid is not None else ""
    browser = f" browser={info.browser_url}" if info.browser_url else ""
    sys.stdout.write(
        f"running {info.uri}{browser} method={info.method}{pid} data={info.data_dir}\n"
    )
