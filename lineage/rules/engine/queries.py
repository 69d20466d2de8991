"""Small graph look-ups shared by rules."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from lineage.graph.lineage_graph import Edge, Kind, LineageGraph, Node, Rel, node_key_order
from lineage.jsondoc.pointer import child


def pipeline_steps(graph: LineageGraph, pipeline_key: str) -> dict[str, Node]:
    """The steps of a pipeline by name (computed once per graph state)."""

    def compute() -> dict[str, Node]:
        pipeline = graph.node(Kind.PIPELINE, pipeline_key)
        return {str(step.get("name")): step for step in graph.out(pipeline, Rel.HAS_STEP)}

    return graph.memo_in("pipeline_steps", pipeline_key, compute)


def step_refs(graph: LineageGraph, root: str) -> list[tuple[Node, Node]]:
    """(step, property reference) pairs whose reference has the given root (computed once per
    graph state)."""

    def compute() -> list[tuple[Node, Node]]:
        return [
            (step, ref)
            for step in graph.nodes(Kind.STEP)
            for ref in graph.out(step, Rel.USES)
            if ref.get("root") == root
        ]

    return graph.memo(("step_refs", root), compute)


def location_reads(graph: LineageGraph) -> list[Edge]:
    """The CONSUMES edges by which steps read other steps' outputs at their S3 location (`via`
    set), in edge order (computed once per graph state; only steps read by location)."""

    def compute() -> list[Edge]:
        return [
            edge
            for step in graph.nodes(Kind.STEP)
            for edge in graph.out_edges(step, Rel.CONSUMES)
            if edge.props.get("via")
        ]

    return graph.memo("location_reads", compute)


BRANCH_FIELDS = {Rel.IF_TRUE: "IfSteps", Rel.IF_FALSE: "ElseSteps"}


@dataclass(frozen=True, slots=True)
class Input:
    """A value a step reads for one of its inputs: a reference (`ref` set) or a literal URI."""

    step: Node
    pointer: str
    entry: str
    name: str | None
    ref: Node | None
    source: Node | None  # the Artifact, Step or Parameter it reads; None if unresolved

    def source_args(self) -> dict[str, Any]:
        """What the value reads, as message arguments: `via` (literal, parameter or reference)
        and `value` (the URI, the parameter's name or the expression)."""
        if self.ref is None:
            return {"via": "literal", "value": self.source.get("uri") if self.source else None}
        if self.source is not None and self.source.kind is Kind.PARAMETER:
            return {"via": "parameter", "value": self.source.get("name")}
        return {"via": "reference", "value": self.ref.get("expression")}


def step_inputs(graph: LineageGraph, step: Node, input_kind: str) -> list[Input]:
    """The values `step` reads for inputs of one kind (`model`, `metrics`, …), by pointer."""
    found: list[Input] = []
    for edge in graph.out_edges(step, Rel.USES):
        if edge.props.get("input_kind") == input_kind:
            targets = graph.out(edge.target, Rel.RESOLVES_TO)
            found.append(_input(step, edge, edge.target, targets[0] if targets else None))
    for edge in consumed(graph, step, input_kind):
        if edge.props.get("literal"):
            found.append(_input(step, edge, None, edge.target))
    return sorted(found, key=lambda value: value.pointer)


def _input(step: Node, edge: Edge, ref: Node | None, source: Node | None) -> Input:
    props = edge.props
    return Input(step, props["arg"], props["entry"], props.get("input_name"), ref, source)


def consumed(graph: LineageGraph, step: Node, input_kind: str) -> list[Edge]:
    """The CONSUMES edges of `step` for inputs of one kind (`model`, `image`, …)."""
    return [
        e for e in graph.out_edges(step, Rel.CONSUMES) if e.props.get("input_kind") == input_kind
    ]


def by_entry(values: list[Input]) -> dict[str, list[Input]]:
    """Input values grouped by their entry (container, channel, metrics source), in order."""
    groups: dict[str, list[Input]] = {}
    for value in values:
        groups.setdefault(value.entry, []).append(value)
    return groups


def input_producers(graph: LineageGraph, value: Input) -> list[Node]:
    """The steps that produce what an input value reads (none for a parameter)."""
    source = value.source
    if source is None or source.kind is Kind.PARAMETER:
        return []
    if source.kind is Kind.STEP:
        return [source]
    if value.ref is None:
        return uri_producers(graph, value.step, str(source.get("uri")))
    return graph.into(source, Rel.PRODUCES)


def uri_producers(graph: LineageGraph, reader: Node, uri: str) -> list[Node]:
    """Other steps of the reader's pipeline that declare an output at `uri` or above it.

    Model artifacts do not count: a job writes its model below the output path under a job name
    chosen at run time, so no literal URI names the model of the current execution."""
    exact, folders = _output_uris(graph, reader.get("pipeline"))
    found = dict(exact.get(uri, {}))
    index = uri.find("/")
    while index >= 0:
        found.update(folders.get(uri[:index], {}))
        index = uri.find("/", index + 1)
    found.pop(reader.key, None)
    return [found[key] for key in sorted(found)]


StepsByUri = dict[str, dict[str, Node]]


def _output_uris(graph: LineageGraph, pipeline_key: str) -> tuple[StepsByUri, StepsByUri]:
    """The pipeline's non-model output URIs → their steps by key: as written, and as folders
    (without a trailing `/`) that any URI below them is within."""

    def compute() -> tuple[StepsByUri, StepsByUri]:
        exact: StepsByUri = {}
        folders: StepsByUri = {}
        for step in graph.out(graph.node(Kind.PIPELINE, pipeline_key), Rel.HAS_STEP):
            for out in graph.out(step, Rel.PRODUCES):
                uri = out.get("uri")
                if out.get("artifact_kind") != "model" and isinstance(uri, str):
                    exact.setdefault(uri, {})[step.key] = step
                    folders.setdefault(uri.removesuffix("/"), {})[step.key] = step
        return exact, folders

    return graph.memo_in("output_uris", pipeline_key, compute)


def referenced_steps(graph: LineageGraph, step: Node) -> list[tuple[Node, Node]]:
    """(reference, step it names) for each `Steps.<name>` reference to a step of the pipeline
    (computed once per graph state)."""

    def compute() -> list[tuple[Node, Node]]:
        steps = pipeline_steps(graph, step.get("pipeline"))
        return [
            (ref, steps[ref.get("target_step")])
            for ref in graph.out(step, Rel.USES)
            if ref.get("root") == "Steps" and ref.get("target_step") in steps
        ]

    return graph.memo_in("referenced_steps", step.key, compute)


def upstream_steps(graph: LineageGraph, step: Node) -> list[Node]:
    """Other steps `step` reads data from: by reference, or at a literal URI they write to
    (computed once per graph state)."""

    def compute() -> list[Node]:
        found = {target.key: target for _, target in referenced_steps(graph, step)}
        for edge in graph.out_edges(step, Rel.CONSUMES):
            if edge.props.get("literal"):
                found.update(
                    (s.key, s) for s in uri_producers(graph, step, str(edge.target.get("uri")))
                )
        found.pop(step.key, None)
        return [found[key] for key in sorted(found)]

    return graph.memo_in("upstream_steps", step.key, compute)


def read_models(graph: LineageGraph, steps: list[Node]) -> dict[str, Node]:
    """Model artifacts read by `steps` or by any step they read data from, directly or not
    (found once per graph state for the same steps)."""
    found = graph.memo_in(
        "read_models", tuple(step.key for step in steps), lambda: _read_models(graph, steps)
    )
    return dict(found)


def _read_models(graph: LineageGraph, steps: list[Node]) -> dict[str, Node]:
    seen = {step.key: step for step in steps}
    queue = list(steps)
    models: dict[str, Node] = {}
    while queue:
        step = queue.pop()
        models.update(
            (a.key, a) for a in graph.out(step, Rel.CONSUMES) if a.get("artifact_kind") == "model"
        )
        for upstream in upstream_steps(graph, step):
            if upstream.key not in seen:
                seen[upstream.key] = upstream
                queue.append(upstream)
    return dict(sorted(models.items()))


def enclosing_branches(graph: LineageGraph, step: Node) -> list[tuple[Node, Rel]]:
    """The Condition steps around `step`, innermost first, each with the branch it sits in."""
    parents = _branch_parents(graph)
    found: list[tuple[Node, Rel]] = []
    current = step
    while current.key in parents:
        found.append(parents[current.key])
        current = parents[current.key][0]
    return found


def _branch_parents(graph: LineageGraph) -> dict[str, tuple[Node, Rel]]:
    """Step key → the Condition step whose branch holds it and the branch, if-branch first
    (computed once per graph state; only Condition steps have branches)."""

    def compute() -> dict[str, tuple[Node, Rel]]:
        found: dict[str, tuple[Node, Rel]] = {}
        for rel in BRANCH_FIELDS:
            for condition in steps_of_type(graph, "Condition"):
                for step in graph.out(condition, rel):
                    found.setdefault(step.key, (condition, rel))
        return found

    return graph.memo("branch_parents", compute)


def depends_on(graph: LineageGraph, step: Node) -> list[tuple[str, Node]]:
    """(pointer of the entry, step) for each `DependsOn` entry naming a step of the pipeline."""
    return [
        (child(child(step.get("pointer"), "DependsOn"), edge.props["arg"]), edge.target)
        for edge in graph.out_edges(step, Rel.DEPENDS_ON)
    ]


def pipeline_parameters(graph: LineageGraph, pipeline_key: str) -> dict[str, Node]:
    """The parameters of a pipeline by name (computed once per graph state)."""

    def compute() -> dict[str, Node]:
        pipeline = graph.node(Kind.PIPELINE, pipeline_key)
        return {str(p.get("name")): p for p in graph.out(pipeline, Rel.HAS_PARAMETER)}

    return graph.memo_in("pipeline_parameters", pipeline_key, compute)


def steps_of_type(graph: LineageGraph, *step_types: str) -> list[Node]:
    """The steps of the given types, in key order (computed once per graph state)."""

    def by_type() -> dict[Any, list[Node]]:
        found: dict[Any, list[Node]] = {}
        for step in graph.nodes(Kind.STEP):
            found.setdefault(step.get("step_type"), []).append(step)
        return found

    def compute() -> list[Node]:
        steps = graph.memo("steps by type", by_type)
        lists = [steps.get(step_type, []) for step_type in dict.fromkeys(step_types)]
        if len(lists) == 1:
            return lists[0]
        return sorted((step for found in lists for step in found), key=node_key_order)

    return graph.memo(("steps_of_type", step_types), compute)


def unsupported_entries(
    graph: LineageGraph, step: Node, input_kind: str, supported: Callable[[Input], object]
) -> Iterator[Input]:
    """For each entry of an input kind none of whose resolved values is `supported`: the first."""
    for values in by_entry(step_inputs(graph, step, input_kind)).values():
        known = [value for value in values if value.source is not None]
        if known and not any(supported(value) for value in known):
            yield known[0]
