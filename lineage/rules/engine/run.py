"""Run the enabled rules over a graph and turn their violations into located findings."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import Protocol

from lineage.collect.sources import Definition
from lineage.graph.lineage_graph import Kind, LineageGraph, Node
from lineage.jsondoc.pointer import named
from lineage.rules.engine.model import CheckContext, Finding, Rule, RuleSettings, Violation
from lineage.rules.engine.queries import steps_of_type
from lineage.rules.engine.rulebook import all_rules, get_rule


class Locator:
    """Finds the pipeline, step, source file and line of a node."""

    def __init__(self, graph: LineageGraph, definitions: Mapping[str, Definition]) -> None:
        self.graph = graph
        self.definitions = definitions
        # A finding's (code, node, pointer) -> its definition and the pointer to find the line of.
        self._lines: dict[tuple[str, str, str], tuple[Definition, str]] = {}

    def pipeline_key(self, node: Node) -> str | None:
        """The key of the pipeline a node belongs to, if any."""
        return node.key if node.kind is Kind.PIPELINE else node.get("pipeline")

    def step_name(self, node: Node) -> str | None:
        """The name of the step a node belongs to, if any."""
        if node.kind is Kind.STEP:
            return str(node.get("name"))
        step_key = node.get("step") or node.get("producer")
        if step_key and self.graph.has(Kind.STEP, step_key):
            return str(self.graph.node(Kind.STEP, step_key).get("name"))
        return None

    def finding(self, rule: Rule, settings: RuleSettings, violation: Violation) -> Finding:
        """A finding for one violation of `rule`, its line left for `located` to find."""
        node = violation.node
        pointer = violation.pointer if violation.pointer is not None else node.get("pointer", "")
        pipeline_key = self.pipeline_key(node)
        definition = self.definitions.get(pipeline_key) if pipeline_key else None
        pipeline_name = (
            self.graph.node(Kind.PIPELINE, pipeline_key).get("name")
            if pipeline_key and self.graph.has(Kind.PIPELINE, pipeline_key)
            else None
        )
        found = Finding(
            fingerprint=finding_fingerprint(rule.code, node.key, pointer or "", definition),
            code=rule.code,
            name=rule.name,
            level=rule.level,
            severity=settings.severity_of(rule.code, rule.severity),
            message=violation.message,
            pipeline=pipeline_name,
            step=self.step_name(node),
            node=node.key,
            kind=node.kind.value,
            pointer=pointer or "",
            source=definition.source if definition else None,
            line=None,
            origin=self.origin(definition, self.step_name(node)),
        )
        if definition is not None and pointer is not None:
            self._lines.setdefault(_finding_key(found), (definition, pointer))
        return found

    def located(self, findings: Iterable[Finding]) -> list[Finding]:
        """The findings with their lines, each definition's text read (and dropped) once."""
        located = list(findings)
        by_definition: dict[int, list[tuple[int, Definition, str]]] = {}
        for index, finding in enumerate(located):
            found = self._lines.get(_finding_key(finding))
            if found is not None:
                by_definition.setdefault(id(found[0]), []).append((index, *found))
        for group in by_definition.values():
            for index, definition, pointer in group:
                located[index] = replace(located[index], line=definition.line(pointer))
            group[0][1].close_lines()
        return located

    @staticmethod
    def origin(definition: Definition | None, step: str | None) -> tuple[str, int] | None:
        """Where an SDK source's code created the step (or, for what is in no step, the
        pipeline), when it is known."""
        if definition is None:
            return None
        found = definition.step_origins.get(step) if step is not None else None
        return found or definition.pipeline_origin


def finding_fingerprint(
    code: str, node_key: str, pointer: str, definition: Definition | None
) -> str:
    """A hash of the code, the node and the pointer, with list positions replaced by the names
    of the steps, parameters, inputs and outputs they select (`lineage.jsondoc.pointer.named`)."""
    if definition is not None:
        pointer = named(definition.document, pointer)
        owner, hash_mark, fragment = node_key.partition("#")
        if hash_mark:
            node_key = f"{owner}#{named(definition.document, fragment)}"
    text = "\x1f".join((code, node_key, pointer))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


class GraphRuleBackend(Protocol):
    """Where graph rules run: the same rules, the same violations, on any backend."""

    def prepare(self, rules: list[Rule], context: CheckContext) -> None:
        """Told the graph rules about to be asked for, before the first (a backend may run
        them at once)."""
        ...

    def violations(self, rule: Rule, context: CheckContext) -> Iterable[Violation]:
        """The violations of one graph rule."""
        ...


class MemoryBackend:
    """Graph rules as Python over the in-memory networkx graph (the default)."""

    def prepare(self, rules: list[Rule], context: CheckContext) -> None:
        """Nothing to do ahead: each rule runs when asked."""

    def violations(self, rule: Rule, context: CheckContext) -> Iterable[Violation]:
        """Run the rule's Python query."""
        assert rule.graph_check is not None
        return rule.graph_check(context)


def enabled_rules(settings: RuleSettings) -> list[Rule]:
    """The rules the settings select."""
    return [rule for rule in all_rules() if settings.enabled(rule.code)]


def node_violations(rule: Rule, context: CheckContext) -> Iterable[Violation]:
    """Run a node check on every node it applies to."""
    assert rule.node_check is not None
    for kind in rule.kinds:
        for node in _applicable(context.graph, kind, rule.step_types):
            yield from rule.node_check(node, context)


def _applicable(graph: LineageGraph, kind: Kind, step_types: tuple[str, ...]) -> list[Node]:
    """The nodes of `kind` (only those of `step_types`, when given) in key order, found once
    for all the rules that share them."""

    def compute() -> list[Node]:
        if kind is Kind.STEP and step_types:
            return steps_of_type(graph, *step_types)
        nodes = graph.nodes(kind)
        return [n for n in nodes if not step_types or n.get("step_type") in step_types]

    return graph.memo(("applicable nodes", kind, step_types), compute)


def run_rules(
    graph: LineageGraph,
    definitions: Mapping[str, Definition],
    settings: RuleSettings,
    rules: list[Rule] | None = None,
    backend: GraphRuleBackend | None = None,
) -> list[Finding]:
    """Every finding of the enabled rules (or of `rules`), in report order, without duplicates."""
    graph_backend = backend or MemoryBackend()
    context = CheckContext(graph, settings)
    locator = Locator(graph, definitions)
    findings: dict[tuple[str, str, str], Finding] = {}
    chosen = rules if rules is not None else enabled_rules(settings)
    graph_backend.prepare([rule for rule in chosen if rule.is_graph_rule], context)
    for rule in chosen:
        violations = (
            graph_backend.violations(rule, context)
            if rule.is_graph_rule
            else node_violations(rule, context)
        )
        for violation in violations:
            finding = locator.finding(rule, settings, violation)
            findings.setdefault(_finding_key(finding), finding)
    return sorted(fold_same_cause(locator.located(findings.values())), key=Finding.sort_key)


def _finding_key(finding: Finding) -> tuple[str, str, str]:
    """What makes a finding one: its code, node and pointer."""
    return (finding.code, finding.node, finding.pointer)


def fold_same_cause(findings: list[Finding]) -> list[Finding]:
    """Drop the findings a rule absorbs (`Rule.absorbs`) where that rule fired for the same
    cause (the same node, or the same step), naming their codes in its `related`."""
    by_cause: dict[tuple[str | None, ...], list[Finding]] = {}
    for finding in findings:
        for cause in _causes(finding):
            by_cause.setdefault(cause, []).append(finding)
    folded: set[int] = set()
    related: dict[int, set[str]] = {}
    absorbed = {code: get_rule(code).absorbs for code in {f.code for f in findings}}
    for finding in findings:
        absorbs = absorbed[finding.code]
        for cause in _causes(finding) if absorbs else ():
            for other in by_cause[cause]:
                if other.code in absorbs:
                    folded.add(id(other))
                    related.setdefault(id(finding), set()).add(other.code)
    return [
        replace(f, related=tuple(sorted(related[id(f)]))) if id(f) in related else f
        for f in findings
        if id(f) not in folded
    ]


def _causes(finding: Finding) -> list[tuple[str | None, ...]]:
    """What a finding is about: its node, and its step when it has one."""
    causes: list[tuple[str | None, ...]] = [("node", finding.node)]
    if finding.step is not None:
        causes.append(("step", finding.pipeline, finding.step))
    return causes
