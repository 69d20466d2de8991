"""What the collection phases share: the run, the region being collected, failures as values."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TypeVar

from lineage.collect.registry.arns import Arn
from lineage.collect.registry.faults import AWS_ERRORS, reason
from lineage.collect.registry.load import RegistryGraph
from lineage.collect.registry.model import RegistryCollection, RegistryOptions, Scope
from lineage.collect.registry.progress import Tracker
from lineage.collect.registry.session import Account, Clients
from lineage.errors import InputError

T = TypeVar("T")
U = TypeVar("U")


@dataclass(frozen=True)
class Failed:
    """A call that still failed after botocore's retries, and why."""

    reason: str


def attempt(call: Callable[[], T]) -> T | Failed:
    """Run one call; its failure becomes a value, so that the calls around it go on."""
    try:
        return call()
    except AWS_ERRORS as exc:
        return Failed(reason(exc))


@dataclass
class Run:
    """One collection: options, clients, the graph, progress and the result."""

    options: RegistryOptions
    clients: Clients
    graph: RegistryGraph
    progress: Tracker
    collection: RegistryCollection


class Region:
    """One region of one account: its client, its describe pool of `workers` threads (SageMaker
    throttles per account and region), its warnings, the groups a failure left incomplete."""

    def __init__(self, run: Run, account: Account, name: str) -> None:
        self.run = run
        self.client = run.clients.client(account.session, "sagemaker", name)
        self.pool = ThreadPoolExecutor(run.options.workers, thread_name_prefix="describe")
        self.scope = Scope(account.account, name)
        self.label = f"{account.label} region {name}"
        self.incomplete: set[str] = set()
        self.warnings: list[InputError] = []  # the collection takes them in the planned order

    def map(self, what: str, call: Callable[[T], U], items: list[T]) -> list[U | Failed]:
        """`call` on every item in the pool, in order; failures as `Failed` (progress shown as
        `<account> <region>: <what>`)."""
        done = self.run.progress.phase(
            f"{self.scope.account} {self.scope.region}: {what}", len(items)
        )
        results: list[U | Failed] = []
        for result in self.pool.map(lambda item: attempt(lambda: call(item)), items):
            results.append(result)
            done()
        return results

    def owns(self, arn: Arn) -> bool:
        """Whether a resource is in this account and region."""
        return (arn.account, arn.region) == (self.scope.account, self.scope.region)

    def warn(self, message: str, groups: Iterable[str] = ()) -> None:
        """A collection warning naming what was skipped; `groups` are no longer complete."""
        self.warnings.append(InputError(self.label, message))
        self.incomplete.update(groups)
