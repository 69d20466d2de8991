"""Connecting to Neo4j: settings from options and environment, errors a user can act on."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from neo4j import Driver, GraphDatabase, NotificationMinimumSeverity
from neo4j.exceptions import AuthError, ConfigurationError, Neo4jError, ServiceUnavailable


class Neo4jConnectionError(Exception):
    """Neo4j could not be reached or refused us; the message says which and where."""


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
        """Fill the gaps from NEO4J_* variables; ask for a password a username needs."""
        final_uri = uri or env.get("NEO4J_URI")
        if not final_uri:
            raise Neo4jConnectionError(
                "no Neo4j URI: pass --neo4j bolt://host:7687 or set NEO4J_URI"
            )
        username = env.get("NEO4J_USERNAME") or None
        password = env.get("NEO4J_PASSWORD") or None
        if username and password is None and prompt is not None:
            password = prompt(f"Neo4j password for {username}")
        return cls(final_uri, username, password, env.get("NEO4J_DATABASE") or "neo4j")

    def open(self) -> Driver:
        """A driver whose connectivity has been verified."""
        auth = (self.username, self.password or "") if self.username else None
        try:
            driver = GraphDatabase.driver(
                self.uri, auth=auth, notifications_min_severity=NotificationMinimumSeverity.OFF
            )
        except (ConfigurationError, ValueError) as exc:
            raise Neo4jConnectionError(f"invalid Neo4j URI {self.uri!r}: {exc}") from None
        try:
            driver.verify_connectivity()
        except AuthError:
            driver.close()
            raise Neo4jConnectionError(
                f"Neo4j at {self.uri} refused the credentials (check NEO4J_USERNAME and "
                "NEO4J_PASSWORD)"
            ) from None
        except (ServiceUnavailable, OSError, Neo4jError) as exc:
            driver.close()
            raise Neo4jConnectionError(f"cannot reach Neo4j at {self.uri}: {exc}") from None
        return driver
