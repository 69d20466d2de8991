"""`lineage db`: start, stop and inspect the local Neo4j server."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, NoReturn

import typer

from lineage.db.base import DEFAULT_HEAP, NEO4J_VERSION, Neo4jUnavailable, parse_heap
from lineage.db.server import default_data_dir, server_status, start_server, stop_server

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
        help=f"Data directory of the server [default: {default_data_dir()}].",
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
    data: DataOption = None,
    heap: Annotated[
        str,
        typer.Option(
            "--heap",
            help="Java heap of a new server, e.g. 4g for a graph of 100k+ nodes.",
        ),
    ] = DEFAULT_HEAP,
) -> None:
    """Start the server (or find it running) and print its bolt URI on stdout."""
    try:
        info = start_server(port=port, data_dir=data, heap=parse_heap(heap), notify=_note)
    except (Neo4jUnavailable, OSError) as exc:
        _fail(str(exc))
    pid = f", pid {info.pid}" if info.pid is not None else ""
    _note(
        f"Neo4j {NEO4J_VERSION} ({info.method}{pid}) listens on {info.uri} with authentication "
        f"DISABLED, bound to 127.0.0.1 only; data in {info.data_dir}"
    )
    sys.stdout.write(info.uri + "\n")


@db_app.command()
def stop(data: DataOption = None) -> None:
    """Stop the server of the data directory."""
    try:
        stopped = stop_server(data)
    except (Neo4jUnavailable, OSError) as exc:
        _fail(str(exc))
    sys.stdout.write("stopped\n" if stopped else "not running\n")


@db_app.command()
def status(data: DataOption = None) -> None:
    """Print the running server's URI, method and pid; exit 1 if none runs."""
    try:
        info = server_status(data)
    except (Neo4jUnavailable, OSError) as exc:
        _fail(str(exc))
    if info is None:
        sys.stdout.write("not running\n")
        raise typer.Exit(EXIT_NOT_RUNNING)
    pid = f" pid={info.pid}" if info.pid is not None else ""
    sys.stdout.write(f"running {info.uri} method={info.method}{pid} data={info.data_dir}\n")
