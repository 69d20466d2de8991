"""A local Neo4j server for lineage: Docker when an engine answers, else Java + Maven jars."""

from lineage.neo4j.server.base import NEO4J_VERSION, Neo4jUnavailable, ServerInfo
from lineage.neo4j.server.server import (
    default_data_dir,
    free_port,
    server_status,
    start_server,
    stop_server,
)

__all__ = [
    "NEO4J_VERSION",
    "Neo4jUnavailable",
    "ServerInfo",
    "default_data_dir",
    "free_port",
    "server_status",
    "start_server",
    "stop_server",
]
