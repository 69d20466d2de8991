"""Clean up after a load, by difference: within the completely collected pipelines and registry
scopes, remove the nodes, relationships and findings that the loaded scan no longer has.

The graph is cleaned before the rules run (they see exactly this scan's graph), the findings
after this scan's findings are loaded. A stale node goes with the findings about it; a shared
node loses the membership of the complete pipelines that no longer use it, and goes only when
no pipeline uses it and nothing links to it. Nothing under an incomplete scope is removed."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

from lineage.graph.lineage_graph import Kind, LineageGraph
from lineage.neo4j.cartography import (
    FINDINGS_OF,
    IN_ACCOUNT,
    IN_BUCKET,
    JOINS_OF,
    KIND_OF,
    OWNED,
    RELEASE,
)
from lineage.neo4j.cypher_files import used
from lineage.neo4j.rows import SHARED_KINDS, finding_key, pipeline_users
from lineage.rules.engine.model import Finding

JOINS = [IN_ACCOUNT, IN_BUCKET]
# Nodes that belong to exactly one pipeline (their `pipeline` property).
OWNED_KINDS = (Kind.STEP, Kind.PARAMETER, Kind.PROPERTY_REF, Kind.MODEL_PACKAGE)
# Live registry nodes an account and region hold.
LIVE_KINDS = (Kind.MODEL_PACKAGE_GROUP, Kind.MODEL_PACKAGE, Kind.PIPELINE_EXECUTION, Kind.JOB)

# The outgoing relationships of rewritten nodes that the scan no longer has; their targets.
# (Relationships to nodes of other tools, and to accounts and buckets, are left alone.)
_STALE_EDGES = (
    "UNWIND $rows AS row MATCH (n:{label} {{key: row.key}})-[r]->(m) "
    "WITH r, m, row, type(r) IN $lineage_rels AS ours, " + KIND_OF.format(node="m") + " AS kind "
    "WHERE ours AND NOT type(r) + '|' + kind + '|' + m.key + '|' + coalesce(r.arg, '') "
    "IN row.edges DELETE r RETURN DISTINCT kind AS label, m.key AS key"
)
_SHARED_NEIGHBOURS = (
    "MATCH (n)-->(s) WHERE s:Artifact OR s:ModelPackageGroup "
    "RETURN DISTINCT CASE WHEN s:Artifact THEN 'Artifact' ELSE 'ModelPackageGroup' END AS label, "
    "s.key AS key"
)
_ORPHANS = (
    "UNWIND $keys AS key MATCH (n:{label} {{key: key}}) WHERE n.pipelines IS NULL "
    "AND NOT EXISTS {{ (n)-[r]-() WHERE NOT type(r) IN $joins }} "
)
# Shared nodes lose the membership of the complete pipelines that no longer use them.
_LEFT = (
    "MATCH (n:{label}) WHERE any(p IN n.pipelines WHERE p IN $pipelines) "
    "WITH n, [p IN n.pipelines WHERE NOT p IN $pipelines "
    "OR p IN coalesce($users_{label}[n.key], [])] AS kept WHERE size(kept) < size(n.pipelines) "
)
_MEMBERSHIP = (
    _LEFT + "SET n.pipelines = CASE WHEN size(kept) = 0 THEN null ELSE kept END "
    "RETURN '{label}' AS label, n.key AS key"
)
# Delete the matched nodes `n` with the findings about them; release live nodes (what is
# Cartography's stays).
_DELETE = FINDINGS_OF + JOINS_OF + "DETACH DELETE n"
_RELEASE = FINDINGS_OF + JOINS_OF + RELEASE
# Stale nodes of the complete pipelines: owned nodes, and artifacts their steps produced.
_OWNED = "MATCH (n:{label}) WHERE n.pipeline IN $pipelines AND NOT n.key IN $keys_{label} "
_PRODUCED = (
    "MATCH (n:Artifact) WHERE n.pipeline IN $pipelines AND n.producer IS NOT NULL "
    "AND NOT n.key IN $keys_Artifact "
)
# Which of those selections match anything: one statement, so that a load with nothing stale
# (a first load, an unchanged one) is not one planned statement per label and selection.
_ANY = "RETURN '{part}' AS part LIMIT 1"
PRODUCED = "produced"
_PIPELINE_FINDINGS = (
    "MATCH (f:Finding) WHERE f.pipeline_key IN $pipelines AND NOT f.key IN $findings "
    "DETACH DELETE f"
)
# Live registry nodes of one account and region.
_LIVE = "n.arn IS NOT NULL AND n.account = $account AND n.region = $region"
_STALE_PACKAGES = f"MATCH (n:ModelPackage) WHERE {_LIVE} AND n.group IN $groups "
_STALE_GROUPS = f"MATCH (n:ModelPackageGroup) WHERE {_LIVE} AND $whole "
_REGISTRY_FINDINGS = (
    f"MATCH (f:Finding)-[:ABOUT]->(n) WHERE {_LIVE} AND NOT f.key IN $findings "
    "AND (n:ModelPackage AND n.group IN $groups OR n:ModelPackageGroup AND n.name IN $groups) "
    "DETACH DELETE f"
)
# Stale executions and jobs no package links to any more.
_ORPHAN_EXECUTIONS = (
    f"MATCH (n:PipelineExecution) WHERE {_LIVE} AND NOT n.key IN $keys "
    "AND NOT EXISTS { (:ModelPackage)-[:GENERATED_BY]->(n) } "
)
_ORPHAN_JOBS = (
    f"MATCH (n:Job) WHERE {_LIVE} AND NOT n.key IN $keys "
    "AND NOT EXISTS { (:ModelPackage)-[:GENERATED_BY]->(n) } "
    "AND NOT EXISTS { (n)-[:GENERATED_BY]->(:PipelineExecution) } "
)


class Run(Protocol):
    """Runs one query in a write (or read) transaction and returns its records."""

    def __call__(
        self, query: str, *, write: bool = True, **params: Any
    ) -> list[dict[str, Any]]: ...


class RegistryScope(Protocol):
    """A completely collected part of a registry: an account and region, and one group of it
    (or None: the region's whole list of groups)."""

    @property
    def account(self) -> str: ...

    @property
    def region(self) -> str: ...

    @property
    def group(self) -> str | None: ...


@dataclass
class LoadReport:
    """What a load did: the scan stamp, the complete pipelines and registry scopes it cleans up,
    rows written and left as they were, nodes and findings removed; and what its cleanup needs:
    the graph and findings loaded, the nodes rewritten."""

    scan_id: str
    scanned_at: str
    pipelines: set[str] = field(default_factory=set)
    scopes: list[RegistryScope] = field(default_factory=list)
    rows: int = 0
    unchanged: int = 0
    removed: int = 0
    warnings: list[str] = field(default_factory=list)
    graph: LineageGraph = field(default_factory=LineageGraph, repr=False)
    findings: list[Finding] = field(default_factory=list, repr=False)
    rewritten: dict[Kind, list[dict[str, Any]]] = field(default_factory=dict, repr=False)
    created: dict[Kind, set[str]] = field(default_factory=dict, repr=False)  # keys not stored


def cleanup_pipelines(run: Run, pipelines: set[str], report: LoadReport) -> int:
    """Remove the nodes and relationships earlier loads wrote into the complete `pipelines` and
    this one did not (with the findings about them); count the nodes removed."""
    if not pipelines:
        return 0
    names = sorted(pipelines)
    owned = [
        row
        for kind, rows in report.rewritten.items()
        for row in rows
        if (row["key"] if kind is Kind.PIPELINE else row["props"].get("pipeline")) in pipelines
    ]
    shared = _stale_edges(run, report, {row["key"] for row in owned})
    graph, removed = report.graph, 0
    users = pipeline_users(graph)
    params: dict[str, Any] = {"pipelines": names}
    for kind in (*OWNED_KINDS, Kind.ARTIFACT):
        params[f"keys_{kind.value}"] = _keys(graph, kind)
    for kind in SHARED_KINDS:
        mine = {n.key: sorted(users[n.id]) for n in graph.nodes(kind) if n.id in users}
        params[f"users_{kind.value}"] = mine
    selects = {kind.value: _OWNED.format(label=kind.value) for kind in OWNED_KINDS}
    selects[PRODUCED] = _PRODUCED
    lefts = {kind.value: _LEFT.format(label=kind.value) for kind in SHARED_KINDS}
    probe = " UNION ".join(
        select + _ANY.format(part=part)
        for part, select in [*selects.items(), *((f"left {k}", q) for k, q in lefts.items())]
    )
    stale = {record["part"] for record in run(probe, write=False, **used(probe, params))}
    for kind in OWNED_KINDS:
        select = selects[kind.value]
        if kind.value in stale:
            neighbours = select + _SHARED_NEIGHBOURS
            shared.update(_pairs(run(neighbours, **used(neighbours, params))))
            removed += _count(run, select + _DELETE, **used(select, params))
    if PRODUCED in stale:
        removed += _count(run, _PRODUCED + _DELETE, **used(_PRODUCED, params))
    for kind in SHARED_KINDS:
        if f"left {kind.value}" in stale:
            query = _MEMBERSHIP.format(label=kind.value)
            shared.update(_pairs(run(query, **used(query, params))))
    return removed + _orphans(run, shared)


def cleanup_registry(run: Run, scopes: Iterable[RegistryScope], report: LoadReport) -> int:
    """Remove the live registry nodes an earlier load wrote and this one did not, within the
    completely collected `scopes` only (with the findings about them); count them."""
    graph, removed = report.graph, 0
    packages, group_keys = _keys(graph, Kind.MODEL_PACKAGE), _keys(graph, Kind.MODEL_PACKAGE_GROUP)
    executions, jobs = _keys(graph, Kind.PIPELINE_EXECUTION), _keys(graph, Kind.JOB)
    for params in _registry_params(scopes):
        params.update(OWNED)
        names = params["groups"]
        complete = _complete_live(report, params["account"], params["region"], names)
        shared = _stale_edges(run, report, complete)
        removed += _count(
            run, _STALE_PACKAGES + "AND NOT n.key IN $keys " + _RELEASE, keys=packages, **params
        )
        stale_groups = _STALE_GROUPS + "AND NOT n.key IN $keys "
        removed += _count(
            run,
            stale_groups + "MATCH (x:ModelPackage)-[:IN_GROUP]->(n) WITH x AS n " + _RELEASE,
            keys=group_keys,
            **params,
        )
        removed += _count(run, stale_groups + _RELEASE, keys=group_keys, **params)
        removed += _count(run, _ORPHAN_EXECUTIONS + _RELEASE, keys=executions, **params)
        shared.update(_pairs(run(_ORPHAN_JOBS + _SHARED_NEIGHBOURS, keys=jobs, **params)))
        removed += _count(run, _ORPHAN_JOBS + _RELEASE, keys=jobs, **params)
        removed += _orphans(run, shared)
    return removed


def cleanup_findings(run: Run, report: LoadReport) -> int:
    """Remove the findings earlier loads wrote about the complete pipelines and registry scopes
    of `report` that its findings no longer have; count them."""
    findings = [finding_key(f) for f in report.findings]
    removed = 0
    if report.pipelines:
        pipelines = sorted(report.pipelines)
        removed += _count(run, _PIPELINE_FINDINGS, pipelines=pipelines, findings=findings)
    for params in _registry_params(report.scopes):
        removed += _count(run, _REGISTRY_FINDINGS, findings=findings, **params)
    return removed


def _registry_params(scopes: Iterable[RegistryScope]) -> list[dict[str, Any]]:
    """Per account and region: its complete groups, and whether its list of groups is whole."""
    groups: dict[tuple[str, str], list[str]] = {}
    whole: set[tuple[str, str]] = set()
    for scope in scopes:
        where = (scope.account, scope.region)
        groups.setdefault(where, [])
        if scope.group is None:
            whole.add(where)
        else:
            groups[where].append(scope.group)
    return [
        {"account": account, "region": region, "groups": names, "whole": (account, region) in whole}
        for (account, region), names in sorted(groups.items())
    ]


def _stale_edges(run: Run, report: LoadReport, keys: set[str]) -> set[tuple[str, str]]:
    """Delete the outgoing relationships of the rewritten nodes `keys` that the scan no longer
    has; return the (label, key) of the shared nodes they pointed at. (A node this load
    created has only the relationships it wrote.)"""
    shared: set[tuple[str, str]] = set()
    for kind, rows in report.rewritten.items():
        created = report.created.get(kind, set())
        mine = [
            {"key": r["key"], "edges": r["edges"]}
            for r in rows
            if r["key"] in keys and not r["partial"] and r["key"] not in created
        ]
        if mine:
            query = _STALE_EDGES.format(label=kind.value)
            shared.update(_pairs(run(query, rows=mine, **OWNED)))
    return shared


def _complete_live(report: LoadReport, account: str, region: str, groups: list[str]) -> set[str]:
    """The rewritten live nodes of an account and region whose relationships the scan read
    completely: packages of complete groups; groups, executions and jobs (each read whole)."""
    keys: set[str] = set()
    for kind in LIVE_KINDS:
        for row in report.rewritten.get(kind, []):
            props = row["props"]
            if (props.get("account"), props.get("region")) != (account, region):
                continue
            if kind is not Kind.MODEL_PACKAGE or props.get("group") in groups:
                keys.add(row["key"])
    return keys


def _pairs(records: list[dict[str, Any]]) -> set[tuple[str, str]]:
    shared = {kind.value for kind in SHARED_KINDS}
    return {(r["label"], r["key"]) for r in records if r["label"] in shared}


def _orphans(run: Run, shared: set[tuple[str, str]]) -> int:
    """Delete those of the shared nodes `shared` that nothing links to any more."""
    removed = 0
    for kind in SHARED_KINDS:
        keys = sorted(key for label, key in shared if label == kind.value)
        if keys:
            query = _ORPHANS.format(label=kind.value) + _DELETE
            removed += _count(run, query, keys=keys, joins=JOINS)
    return removed


def _keys(graph: LineageGraph, kind: Kind) -> list[str]:
    return [node.key for node in graph.nodes(kind)]


def _count(run: Run, query: str, **params: Any) -> int:
    """Run a deleting query; return how many rows it matched."""
    return int(run(query + " RETURN count(*) AS n", **params)[0]["n"])
