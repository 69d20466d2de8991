"""A scan, in its one order: read the sources and the live registry into one graph, run the rules
(in memory, or in Neo4j after loading the graph there), load the findings, clean up. The CLI,
the benchmarks and the tests call these functions; none of them orders the steps itself."""

from __future__ import annotations

import functools
import gc
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ParamSpec, TextIO, TypeVar

from lineage.collect.definition import collect_definition
from lineage.collect.snapshot_file import SnapshotFile
from lineage.collect.sources import Definition, load_sources
from lineage.config import Settings
from lineage.errors import InputError, SourceError
from lineage.graph.lineage_graph import LineageGraph
from lineage.jsondoc.subtree_memo import SubtreeMemo
from lineage.rules.engine.model import Finding
from lineage.rules.engine.run import GraphRuleBackend, enabled_rules, fold_same_cause, run_rules

if TYPE_CHECKING:
    from lineage.collect.registry.model import RegistryCollection, RegistryOptions
    from lineage.neo4j.cleanup import LoadReport
    from lineage.neo4j.connect import Neo4jTarget
    from lineage.review.baseline import Baseline

P = ParamSpec("P")
R = TypeVar("R")


@dataclass
class ScanResult:
    """Everything a scan produced: the graph, its sources (definitions and registry snapshots),
    findings and input errors."""

    graph: LineageGraph
    definitions: dict[str, Definition]
    findings: list[Finding]
    errors: list[InputError] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    snapshots: list[SnapshotFile] = field(default_factory=list)  # registry snapshots read


def _without_gc(function: Callable[P, R]) -> Callable[P, R]:
    """Pause the cyclic garbage collector during `function`: a scan allocates many long-lived
    objects and next to no reference cycles, so collections would only rescan the graph."""

    @functools.wraps(function)
    def paused(*args: P.args, **kwargs: P.kwargs) -> R:
        if not gc.isenabled():
            return function(*args, **kwargs)
        gc.disable()
        try:
            return function(*args, **kwargs)
        finally:
            _age_young_objects()
            gc.enable()

    return paused


def _age_young_objects() -> None:
    """Count what the pause allocated as old: the collector's next young collection would
    otherwise walk all of it (~1 s for 1,000 definitions). Left alone when something else
    froze objects (freezing and unfreezing moves every tracked object to the oldest generation)."""
    if gc.get_freeze_count() == 0:
        gc.freeze()
        gc.unfreeze()


def build_graph(
    definitions: list[Definition], errors: list[InputError] | None = None
) -> tuple[LineageGraph, dict[str, Definition]]:
    """One graph from several definitions, and each definition by its pipeline key; a
    definition the collector fails on becomes an error in `errors` and the others are kept."""
    graph, walks = LineageGraph(), SubtreeMemo()
    by_pipeline = {}
    for definition in definitions:
        try:
            pipeline = collect_definition(definition, graph, walks)
        except Exception as exc:
            if errors is None:
                raise
            errors.append(InputError(definition.source, f"could not be collected: {_what(exc)}"))
            continue
        by_pipeline[pipeline.key] = definition
    return graph, by_pipeline


def _what(exc: Exception) -> str:
    return f"{type(exc).__name__}: {exc}"[:300]


@_without_gc
def collect(
    sources: list[str],
    stdin: TextIO | None = None,
    skip_other_json: bool = False,
    stdin_name: str | None = None,
) -> ScanResult:
    """Read the sources into one graph (registry snapshots as the collector had put them); no
    rules run yet (see `load_sources`, and its `stdin_name` for what stdin is reported as)."""
    loaded = load_sources(sources, stdin, skip_other_json, stdin_name)
    graph, definitions = build_graph(loaded.definitions, loaded.errors)
    if loaded.snapshots:
        from lineage.collect.registry.offline import load_snapshot

        for snapshot in loaded.snapshots:
            try:
                definitions.update(load_snapshot(snapshot, graph))
            except SourceError as exc:
                loaded.errors.append(exc.error)
    return ScanResult(graph, definitions, [], loaded.errors, loaded.skipped, loaded.snapshots)


@_without_gc
def check(
    result: ScanResult, settings: Settings, backend: GraphRuleBackend | None = None
) -> ScanResult:
    """Run the enabled rules over a collected scan (graph rules on `backend`); a rule that fails
    on this input becomes an error naming it, and every other rule's findings are kept."""
    try:
        result.findings = run_rules(result.graph, result.definitions, settings, backend=backend)
    except Exception:
        findings = []
        for rule in enabled_rules(settings):
            try:
                findings += run_rules(result.graph, result.definitions, settings, [rule], backend)
            except Exception as exc:
                result.errors.append(
                    InputError(f"rule {rule.code}", f"could not run: {_what(exc)}")
                )
        result.findings = sorted(fold_same_cause(findings), key=Finding.sort_key)
    return result


def scan(sources: list[str], settings: Settings, stdin: TextIO | None = None) -> ScanResult:
    """Scan every source with the memory backend."""
    return check(collect(sources, stdin), settings)


def collect_registry_into(result: ScanResult, options: RegistryOptions) -> RegistryCollection:
    """Collect the live registry into the scan's graph; its warnings become input errors."""
    from lineage.collect.registry.collector import collect_registry

    collection = collect_registry(options, result.graph)
    result.definitions.update(collection.definitions)
    result.errors.extend(collection.warnings)
    return collection


@dataclass
class Neo4jCheck:
    """What a check in Neo4j did: the load's report (None when the connection was lost), and
    the baseline the previous load left, when it was asked for."""

    report: LoadReport | None
    earlier: Baseline | None = None


def check_in_neo4j(
    result: ScanResult,
    settings: Settings,
    target: Neo4jTarget,
    batch_size: int,
    registry: RegistryCollection | None = None,
    read_baseline: bool = False,
) -> Neo4jCheck:
    """Load the graph and each pipeline's definition into Neo4j (cleaning up the pipelines and
    registry scopes read completely), run the graph rules there, then load the findings; with
    `read_baseline`, first read what the previous load stored. A connection lost on the way
    becomes an input error naming the server, and the rules run in memory instead."""
    from lineage.neo4j.baseline import stored_baseline
    from lineage.neo4j.connect import LOST
    from lineage.neo4j.definitions import keep_definitions
    from lineage.neo4j.load import Neo4jLoader
    from lineage.neo4j.rules import Neo4jRuleBackend
    from lineage.rules.l3_live_registry import scan_scope

    driver = target.open()
    checked, earlier = False, None
    try:
        with driver:
            loader = Neo4jLoader(driver, target.database, batch_size)
            if read_baseline:
                earlier = stored_baseline(loader.run, result.definitions, target.where)
            keep_definitions(result.graph, result.definitions)
            report = loader.load_graph(
                result.graph,
                pipelines=result.definitions,
                scopes=registry.complete if registry is not None else (),
            )
            scope = scan_scope(result.graph, result.definitions)
            check(result, settings, Neo4jRuleBackend(driver, target.database, scope))
            checked = True
            loader.load_findings(result.findings, report)
    except LOST as exc:
        result.errors.append(target.lost(exc))
        if not checked:
            check(result, settings)
        return Neo4jCheck(None, earlier)
    return Neo4jCheck(report, earlier)
