"""Collect the live registry: each account, region and group, with describes in a bounded pool."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from lineage.collect.registry import fetch, transform
from lineage.collect.registry.arns import parse_arn
from lineage.collect.registry.context import Failed, Region, Run, attempt
from lineage.collect.registry.links import Links
from lineage.collect.registry.load import RegistryGraph
from lineage.collect.registry.model import RegistryCollection, RegistryOptions, Scope
from lineage.collect.registry.progress import tracker
from lineage.collect.registry.session import Clients, accounts, base_session
from lineage.errors import InputError
from lineage.graph.lineage_graph import LineageGraph, Node

Record = dict[str, Any]


@dataclass
class GroupRead:
    """A group's summary, its versions as listed, and the full records read of them."""

    summary: Record
    versions: list[Record] = field(default_factory=list)
    records: dict[str, Record] = field(default_factory=dict)
    failure: str | None = None

    @property
    def name(self) -> str:
        """The group's name."""
        return str(self.summary.get("ModelPackageGroupName"))

    def read(self, client: Any) -> None:
        """List the group's versions, then read their full records (Search, 100 a call)."""
        versions = fetch.list_versions(client, self.name)
        records = fetch.search_versions(client, self.name) if versions else {}
        self.versions, self.records = versions, records

    def missing(self) -> list[str]:
        """Listed versions that Search did not return (to describe one by one)."""
        if self.failure is not None:
            return []
        arns = (str(v.get("ModelPackageArn")) for v in self.versions)
        return [arn for arn in arns if arn not in self.records]


def collect_registry(options: RegistryOptions, graph: LineageGraph) -> RegistryCollection:
    """Collect every account and region into `graph`; what failed is skipped with a warning."""
    collection = RegistryCollection()
    clients = Clients(options, collection.counter)
    base = base_session(options)
    if isinstance(base, InputError):
        collection.warnings.append(base)
        return collection
    regions = options.regions or tuple(r for r in (base.region_name,) if r)
    if not regions:
        message = "no region: pass --region, or set AWS_REGION or a region in the profile"
        collection.warnings.append(InputError("--region", message))
        return collection
    with (
        ThreadPoolExecutor(options.workers) as pool,
        tracker(options.progress, options.progress_every) as progress,
    ):
        run = Run(options, clients, pool, RegistryGraph(graph), progress, collection)
        for account in accounts(base, options, clients, regions[0]):
            if isinstance(account, InputError):
                collection.warnings.append(account)
                continue
            for name in regions:
                region = Region(run, account, name)
                reads = collect_groups(region)
                if reads is not None:
                    Links(region).collect(load_groups(region, reads))
                    mark_complete(region, reads)
    return collection


def collect_groups(region: Region) -> list[GroupRead] | None:
    """Every wanted group with its versions' records; None when the groups cannot be listed."""
    listed = attempt(lambda: fetch.list_groups(region.client))
    if isinstance(listed, Failed):
        region.warn(f"region skipped: {listed.reason}")
        return None
    wanted = region.run.options.groups
    reads = [GroupRead(s) for s in listed if not wanted or s.get("ModelPackageGroupName") in wanted]
    listed_versions = region.map("groups", lambda read: read.read(region.client), reads)
    for read, result in zip(reads, listed_versions, strict=True):
        if isinstance(result, Failed):
            read.failure = result.reason
    missing = [(read, arn) for read in reads for arn in read.missing()]
    described = region.map(
        "versions", lambda item: fetch.describe_version(region.client, item[1]), missing
    )
    for (read, arn), record in zip(missing, described, strict=True):
        if isinstance(record, Failed):
            region.warn(f"version {arn} skipped: {record.reason}", [read.name])
        else:
            read.records[arn] = record
    return reads


def load_groups(region: Region, reads: list[GroupRead]) -> list[Node]:
    """Group and package nodes (packages changed since `--since` only); the packages loaded."""
    since = region.run.options.since
    loaded: list[Node] = []
    for read in reads:
        arn = parse_arn(read.summary.get("ModelPackageGroupArn"))
        if read.failure is not None:
            region.warn(f"model package group {read.name!r} skipped: {read.failure}", [read.name])
        if arn is None:
            continue
        versions = read.versions if read.failure is None else None
        group = region.run.graph.group(transform.group_props(read.summary, arn, versions))
        for version in versions or []:
            record = read.records.get(str(version.get("ModelPackageArn")))
            package_arn = parse_arn(version.get("ModelPackageArn"))
            if record is None or package_arn is None:
                continue
            props = transform.package_props(record, version, package_arn)
            if since is None or transform.changed_since(props, since):
                loaded.append(region.run.graph.package(props, group))
    region.run.collection.packages += len(loaded)
    return loaded


def mark_complete(region: Region, reads: list[GroupRead]) -> None:
    """Record the scopes read entirely (none for `--since`): only those are cleaned up."""
    options, complete = region.run.options, region.run.collection.complete
    if options.since is not None:
        return
    complete.extend(
        Scope(region.scope.account, region.scope.region, read.name)
        for read in reads
        if read.failure is None and read.name not in region.incomplete
    )
    if not options.groups:
        complete.append(region.scope)
