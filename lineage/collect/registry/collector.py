"""Collect the live registry: the accounts and regions read at once, describes in a bounded pool.

Each account and region is read in a thread of its own (at most `REGION_WORKERS` at once, each
with a describe pool of `--workers` threads: at most 4 x (8 + 1) threads in all); what it
read is written into the graph on the calling thread, in the order a sequential run would, so that
the graph, the warnings and the complete scopes do not depend on which region answered first."""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor
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
REGION_WORKERS = 4  # account regions read at once, each with its own `workers` describe threads


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
        ThreadPoolExecutor(REGION_WORKERS, thread_name_prefix="region") as region_pool,
        tracker(options.progress, options.progress_every) as progress,
    ):
        run = Run(options, clients, RegistryGraph(graph), progress, collection)
        planned: list[InputError | tuple[Region, Future[RegionRead | None]]] = []
        for account in accounts(base, options, clients, regions[0]):
            if isinstance(account, InputError):
                planned.append(account)
                continue
            for name in regions:
                region = Region(run, account, name)  # clients are made on this thread
                planned.append((region, region_pool.submit(read_region, region)))
        for item in planned:  # written in the planned order, whichever region finished first
            if isinstance(item, InputError):
                collection.warnings.append(item)
                continue
            region, future = item
            load_region(region, future.result())
            collection.warnings.extend(region.warnings)
    return collection


@dataclass
class RegionRead:
    """Everything read of one account and region, not yet in the graph."""

    reads: list[GroupRead]
    groups: list[tuple[Record, list[Record]]]  # each group's props and its packages' props
    links: Links


def read_region(region: Region) -> RegionRead | None:
    """Read a region's groups, versions and what produced them (a thread of its own; no graph
    writes); None when its groups cannot be listed."""
    with region.pool:
        reads = collect_groups(region)
        if reads is None:
            return None
        groups = group_props(region, reads)
        links = Links(region)
        links.read([props for _, packages in groups for props in packages])
        return RegionRead(reads, groups, links)


def load_region(region: Region, read: RegionRead | None) -> None:
    """Write what was read of a region into the graph (on the calling thread)."""
    if read is None:
        return
    read.links.load(load_groups(region, read.groups))
    mark_complete(region, read.reads)


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


def group_props(region: Region, reads: list[GroupRead]) -> list[tuple[Record, list[Record]]]:
    """Each readable group's props and its packages' (those changed since `--since` only)."""
    since = region.run.options.since
    groups: list[tuple[Record, list[Record]]] = []
    for read in reads:
        arn = parse_arn(read.summary.get("ModelPackageGroupArn"))
        if read.failure is not None:
            region.warn(f"model package group {read.name!r} skipped: {read.failure}", [read.name])
        if arn is None:
            continue
        versions = read.versions if read.failure is None else None
        packages: list[Record] = []
        for version in versions or []:
            record = read.records.get(str(version.get("ModelPackageArn")))
            package_arn = parse_arn(version.get("ModelPackageArn"))
            if record is None or package_arn is None:
                continue
            props = transform.package_props(record, version, package_arn)
            if since is None or transform.changed_since(props, since):
                packages.append(props)
        groups.append((transform.group_props(read.summary, arn, versions), packages))
    return groups


def load_groups(region: Region, groups: list[tuple[Record, list[Record]]]) -> list[Node]:
    """Group and package nodes; the packages loaded."""
    graph = region.run.graph
    loaded: list[Node] = []
    for props, packages in groups:
        group = graph.group(props)
        loaded.extend(graph.package(package, group) for package in packages)
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
