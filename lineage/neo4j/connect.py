"""Connecting to Neo4j: settings from options and environment, errors a user can act on."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from neo4j import Driver, GraphDatabase, NotificationMinimumSeverity
from neo4j.exceptions import (
    AuthError,
    ConfigurationError,
    DatabaseError,
    Neo4jError,
    ServiceUnavailable,
    SessionExpired,
    TransientError,
)

from lineage.errors import InputError

RETRY_SECONDS = 30.0
"""How long a transaction is retried after a lost connection (the driver's default)."""


class Neo4jConnectionError(Exception):
    """Neo4j could not be reached or refused us; the message says which and where."""


# What a connection lost or a server gone raises once the driver's retries are spent.
CONNECTION_LOST: tuple[type[Exception], ...] = (ServiceUnavailable, SessionExpired, OSError)
# The same, and a server that failed (out of memory, a database gone) after those retries.
LOST: tuple[type[Exception], ...] = (*CONNECTION_LOST, TransientError, DatabaseError)


@dataclass(frozen=True)
class Neo4jTarget:
    """Where to connect: URI, credentials (None for a server without auth) and database."""

    uri: str
    username: str | None
    password: str | None
    database: str

    @classmethod
    def resolve(
        cls,
        uri: str | None,
        env: Mapping[str, str] = os.environ,
        prompt: Callable[[str], str] | None = None,
    ) -> Neo4jTarget:
        """Fill the gaps from NEO4J_* variables, else the server `lineage db start` runs; ask
        for a password a username needs."""
        final_uri = uri or env.get("NEO4J_URI") or _local_server_uri()
        if not final_uri:
            raise Neo4jConnectionError(
                "no Neo4j URI: pass --neo4j bolt://host:7687, set NEO4J_URI, or start a local "
                "server with `lineage db start`"
            )
        username = env.get("NEO4J_USERNAME") or None
        password = env.get("NEO4J_PASSWORD") or None
        if username and password is None and prompt is not None:
            password = prompt(f"Neo4j password for {username}")
        return cls(final_uri, username, password, env.get("NEO4J_DATABASE") or "neo4j")

    @property
    def where(self) -> str:
        """The URI without any credentials written into it, for messages."""
        try:
            parts = urlsplit(self.uri)
        except ValueError:
            return "the Neo4j URI given"
        host = parts.netloc.rpartition("@")[2]
        return parts._replace(netloc=host).geturl() if parts.netloc else self.uri

    def told(self, exc: Exception) -> str:
        """What an exception says, on one line, with the URI shown as `where`."""
        return " ".join(str(exc).replace(self.uri, self.where).split())[:300]

    def lost(self, exc: Exception) -> InputError:
        """The input error of a connection lost during a scan."""
        why = self.told(exc) or type(exc).__name__
        what = "connection lost" if isinstance(exc, CONNECTION_LOST) else "the server failed"
        return InputError(
            f"Neo4j at {self.where}",
            f"{what} during the scan ({type(exc).__name__}: {why}); the graph there may be "
            "partly loaded, and the next scan into it repairs it",
        )

    def open(self) -> Driver:
        """A driver whose connectivity has been verified."""
        auth = (self.username, self.password or "") if self.username else None
        try:
            driver = GraphDatabase.driver(
                self.uri,
                auth=auth,
                notifications_min_severity=NotificationMinimumSeverity.OFF,
                max_transaction_retry_time=RETRY_SECONDS,
            )
        except (ConfigurationError, ValueError) as exc:
            raise Neo4jConnectionError(
                f"invalid Neo4j URI {self.where!r}: {self.told(exc)}"
            ) from None
        try:
            driver.verify_connectivity()
        except AuthError:
            driver.close()
            raise Neo4jConnectionError(
                f"Neo4j at {self.where} refused the credentials (check NEO4J_USERNAME and "
                "NEO4J_PASSWORD)"
            ) from None
        except (ServiceUnavailable, OSError, Neo4jError) as exc:
            driver.close()
            raise Neo4jConnectionError(
                f"cannot reach Neo4j at {self.where}: {self.told(exc)}"
            ) from None
        return driver


def _local_server_uri() -> str | None:
    """The Bolt URI of the server `lineage db start` runs in its default data directory."""
    # Imported here: the launcher is only needed without a URI.
    from lineage.neo4j.server.server import server_status

    info = server_status()
    return None if info is None else info.uri
