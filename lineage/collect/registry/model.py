"""What a registry collection is asked to do and what it reports back."""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from lineage.collect.registry.progress import LINE_EVERY_SECONDS, ProgressStyle
from lineage.collect.sources import Definition
from lineage.errors import InputError

DEFAULT_WORKERS = 8


@dataclass(frozen=True)
class RegistryOptions:
    """The `lineage scan --registry` options."""

    regions: tuple[str, ...] = ()
    profile: str | None = None
    role_arns: tuple[str, ...] = ()
    endpoint_url: str | None = None
    groups: tuple[str, ...] = ()
    since: datetime | None = None
    progress: ProgressStyle = ProgressStyle.OFF
    progress_every: float = LINE_EVERY_SECONDS
    workers: int = DEFAULT_WORKERS


@dataclass(frozen=True)
class Scope:
    """A part of a registry: one account and region, and one group of it or (None) all groups."""

    account: str
    region: str
    group: str | None = None

    def label(self) -> str:
        """How warnings name it: `account 1111 region us-east-1`."""
        return f"account {self.account} region {self.region}"


class CallCounter:
    """API calls made, by `service:Operation` (retries not counted); safe across threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.calls: Counter[str] = Counter()

    def add(self, operation: str) -> None:
        """Count one call."""
        with self._lock:
            self.calls[operation] += 1

    def total(self) -> int:
        """All calls made."""
        return sum(self.calls.values())


@dataclass
class RegistryCollection:
    """Pipelines read from the registry, what was skipped, and which scopes were read entirely."""

    definitions: dict[str, Definition] = field(default_factory=dict)
    warnings: list[InputError] = field(default_factory=list)
    complete: list[Scope] = field(default_factory=list)
    counter: CallCounter = field(default_factory=CallCounter)
    packages: int = 0

    @property
    def partial(self) -> bool:
        """Whether anything was skipped: the scan then exits 2 and skips cleanup of those parts."""
        return bool(self.warnings)
