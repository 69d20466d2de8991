"""The registry options `scan` and `export` share, and collecting the registry with them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from lineage.cli.options import fail, say
from lineage.scan import ScanResult, collect_registry_into

if TYPE_CHECKING:
    from lineage.collect.registry import RegistryCollection


@dataclass(frozen=True)
class RegistryArgs:
    """The scan options that read the live registry, as given."""

    registry: bool
    regions: list[str] | None
    profile: str | None
    role_arns: list[str] | None
    endpoint_url: str | None
    groups: list[str] | None
    since: str | None
    snapshot: Path | None

    def check(self) -> bool:
        """Whether to read the registry; the registry options without --registry are an error."""
        given = [
            name
            for name, value in (
                ("--region", self.regions),
                ("--profile", self.profile),
                ("--role-arn", self.role_arns),
                ("--endpoint-url", self.endpoint_url),
                ("--group", self.groups),
                ("--since", self.since),
                ("--snapshot", self.snapshot),
            )
            if value
        ]
        if given and not self.registry:
            raise fail(f"{', '.join(given)}: only used with --registry")
        return self.registry

    def since_time(self) -> datetime | None:
        """`--since` as an aware datetime (UTC when no offset is given)."""
        if self.since is None:
            return None
        try:
            parsed = datetime.fromisoformat(self.since)
        except ValueError:
            raise fail(
                f"--since: {self.since!r} is not an ISO 8601 date or time "
                "(2024-05-01 or 2024-05-01T12:00:00+00:00)"
            ) from None
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def collect_registry(
    result: ScanResult, wanted: RegistryArgs, quiet: bool, echo: bool
) -> RegistryCollection:
    """Collect the registry into the scan's graph and say what was read."""
    from lineage.collect.registry import RegistryOptions
    from lineage.collect.registry.progress import chosen

    options = RegistryOptions(
        regions=tuple(wanted.regions or ()),
        profile=wanted.profile,
        role_arns=tuple(wanted.role_arns or ()),
        endpoint_url=wanted.endpoint_url,
        groups=tuple(wanted.groups or ()),
        since=wanted.since_time(),
        progress=chosen(quiet),
    )
    collection = collect_registry_into(result, options)
    for warning in collection.warnings if echo else ():
        say(f"warning: {warning}", style="yellow")
    say(
        f"registry: {collection.packages} model package version(s), "
        f"{len(collection.definitions)} pipeline(s), {collection.counter.total()} API call(s)"
        + ("; partial: parts were skipped" if collection.partial else "")
    )
    return collection
