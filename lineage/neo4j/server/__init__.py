"""A local Neo4j server for lineage: Docker when an engine answers, else Java + Maven jars.

The launcher (`server`, with the Docker, Java and Maven routes) loads on first use of one of its
names here, so `lineage db --help` and every other command start without it."""

from typing import Any

from lineage.neo4j.server.base import DATA_ENV, NEO4J_VERSION, Neo4jUnavailable, ServerInfo

LAUNCHER = ("default_data_dir", "free_port", "server_status", "start_server", "stop_server")

__all__ = [
    "DATA_ENV",
    "NEO4J_VERSION",
    "Neo4jUnavailable",
    "ServerInfo",
    "default_data_dir",
    "free_port",
    "server_status",
    "start_server",
    "stop_server",
]


def __getattr__(name: str) -> Any:
    """A launcher function, imported when first asked for."""
    if name not in LAUNCHER:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from lineage.neo4j.server import server

    return getattr(server, name)
