"""A scan: load sources, collect them into one graph, run the rules."""

from __future__ import annotations

import functools
import gc
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import ParamSpec, TextIO, TypeVar

from lineage.checks.engine import GraphRuleBackend, enabled_rules, fold_same_cause, run_rules
from lineage.checks.model import Finding
from lineage.collect.definition import collect_definition
from lineage.collect.snapshot_file import SnapshotFile
from lineage.collect.sources import Definition, load_sources
from lineage.config import Settings
from lineage.errors import InputError, SourceError
from lineage.graph import LineageGraph

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
            gc.enable()

    return paused


def build_graph(
    definitions: list[Definition], errors: list[InputError] | None = None
) -> tuple[LineageGraph, dict[str, Definition]]:
    """One graph from several definitions, and each definition by its pipeline key; a
    definition the collector fails on becomes an error in `errors` and the others are kept."""
    graph = LineageGraph()
    by_pipeline = {}
    for definition in definitions:
        try:
            pipeline = collect_definition(definition, graph)
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
    sources: list[str], stdin: TextIO | None = None, skip_other_json: bool = False
) -> ScanResult:
    """Read the sources into one graph (registry snapshots as the collector had put them); no
    rules run yet (see `load_sources`)."""
    loaded = load_sources(sources, stdin, skip_other_json)
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
