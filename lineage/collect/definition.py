"""The definition collector: one pipeline definition in, pipeline/step/parameter nodes out."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from lineage.collect.artifacts import (
    add_declared_outputs,
    add_inputs,
    add_location_reads,
    add_registration,
    located_outputs,
)
from lineage.collect.ordering import add_run_order
from lineage.collect.references import add_references
from lineage.collect.sources import Definition
from lineage.graph.lineage_graph import Kind, LineageGraph, Node, Rel
from lineage.graph.secrets import SecretSite
from lineage.jsondoc.pointer import child, within
from lineage.jsondoc.subtree_memo import SubtreeMemo

BRANCHES = (("IfSteps", Rel.IF_TRUE), ("ElseSteps", Rel.IF_FALSE))
# Step-level fields outside `Arguments` kept as step properties (expressions as JSON text).
STEP_FIELDS = {
    "FunctionArn": "function_arn",
    "SqsQueueUrl": "sqs_queue_url",
    "ClusterId": "cluster_id",
    "CheckType": "check_type",
    "SkipCheck": "skip_check",
    "RegisterNewBaseline": "register_new_baseline",
    "FailOnViolation": "fail_on_violation",
    "ModelPackageGroupName": "model_package_group_name",
}


@dataclass(frozen=True)
class StepEntry:
    """A step object found in the definition, with where it sits."""

    raw: dict[str, Any]
    pointer: str
    parent: str | None
    branch: str | None


class PipelineBuilder:
    """Adds one definition's nodes to the graph, recording structural defects on the pipeline."""

    def __init__(self, definition: Definition, graph: LineageGraph, walks: SubtreeMemo) -> None:
        self.definition = definition
        self.graph = graph
        self.walks = walks
        self.problems: list[dict[str, str]] = []
        self.pipeline = graph.add_node(
            Kind.PIPELINE,
            f"pipeline:{definition.name}",
            name=definition.name,
            source=definition.source,
            form=definition.form,
            definition_version=_scalar(definition.document.get("Version")),
            sha256=definition.sha256,
            pointer="",
        )
        self.steps: dict[str, Node] = {}
        self.parameters: list[Node] = []

    def problem(self, pointer: str, message: str) -> None:
        """Record a structural defect of the definition (reported by rule L110)."""
        self.problems.append({"pointer": pointer, "message": message})

    def step_key(self, name: str) -> str:
        """The key of step `name` of this pipeline."""
        return f"{self.definition.name}/{name}"

    def build(self) -> None:
        """Add parameters, steps, declared outputs, then references and lineage edges."""
        for key in self.definition.repeated_keys:
            self.problem("", f"key {key!r} appears twice in one object: only the last is read")
        self._add_parameters()
        entries = self._find_steps()
        for entry in entries:
            self._add_step(entry)
        for entry in entries:
            self._link_step(entry)
        for node in self.steps.values():
            add_declared_outputs(self, node)
        inputs = {}
        for node in self.steps.values():
            add_references(self, node)
            inputs[node.key] = add_inputs(self, node)
            add_registration(self, node)
        outputs = located_outputs(self)  # reading locations adds no output
        for node in self.steps.values():
            add_location_reads(self, node, inputs[node.key], outputs)
            add_run_order(self, node)
        self.graph.add_node(Kind.PIPELINE, self.pipeline.key, problems=self.problems)
        self._place_secrets()

    def _place_secrets(self) -> None:
        """Give each masked secret to the node it sits in (its innermost step, its parameter,
        else the pipeline) and to the steps that read it through a parameter."""
        owners = sorted(
            (
                *((str(n.get("pointer")), n) for n in self.steps.values()),
                *((str(n.get("pointer")), n) for n in self.parameters),
            ),
            key=lambda item: len(item[0]),
            reverse=True,
        )
        placed: dict[tuple[Kind, str], list[SecretSite]] = {}
        for site in self.definition.secrets:
            for pointer in dict.fromkeys((site.pointer, *site.read_at)):
                owner = next((n for p, n in owners if within(pointer, p)), self.pipeline)
                sites = placed.setdefault((owner.kind, owner.key), [])
                if site not in sites:
                    sites.append(site)
        for (kind, key), sites in placed.items():
            self.graph.add_node(kind, key, secrets=tuple(sites))

    def _add_parameters(self) -> None:
        params = self.definition.document.get("Parameters", [])
        if not isinstance(params, list):
            self.problem("/Parameters", "'Parameters' is not a list")
            return
        seen: set[str] = set()
        for index, param in enumerate(params):
            ptr = f"/Parameters/{index}"
            name = param.get("Name") if isinstance(param, dict) else None
            if not isinstance(name, str) or not name:
                self.problem(ptr, "parameter without a 'Name'")
                continue
            if name in seen:
                self.problem(child(ptr, "Name"), f"parameter {name!r} is declared twice")
                continue
            seen.add(name)
            node = self.graph.add_node(
                Kind.PARAMETER,
                f"{self.definition.name}/parameters/{name}",
                name=name,
                param_type=_scalar(param.get("Type")) or "String",
                default=_scalar(param.get("DefaultValue")),
                enum_values=param.get("EnumValues"),
                pointer=ptr,
                pipeline=self.pipeline.key,
            )
            self.graph.add_edge(self.pipeline, Rel.HAS_PARAMETER, node)
            self.parameters.append(node)

    def _find_steps(self) -> list[StepEntry]:
        """Every step object, nested Condition branches included, in document order."""
        found: list[StepEntry] = []
        stack: list[tuple[Any, str, str | None, str | None]] = [
            (self.definition.document["Steps"], "/Steps", None, None)
        ]
        while stack:
            steps, ptr, parent, branch = stack.pop()
            if not isinstance(steps, list):
                self.problem(ptr, "expected a list of steps")
                continue
            nested: list[tuple[Any, str, str | None, str | None]] = []
            for index, raw in enumerate(steps):
                step_ptr = child(ptr, index)
                if not isinstance(raw, dict):
                    self.problem(step_ptr, "step is not an object")
                    continue
                found.append(StepEntry(raw, step_ptr, parent, branch))
                args = raw.get("Arguments")
                if raw.get("Type") == "Condition" and isinstance(args, dict):
                    nested.extend(
                        (
                            args[field],
                            child(child(step_ptr, "Arguments"), field),
                            self._raw_key(raw),
                            field,
                        )
                        for field, _ in BRANCHES
                        if field in args
                    )
            stack.extend(reversed(nested))
        return found

    def _raw_key(self, raw: dict[str, Any]) -> str | None:
        name = raw.get("Name")
        return self.step_key(name) if isinstance(name, str) else None

    def _add_step(self, entry: StepEntry) -> None:
        raw, ptr = entry.raw, entry.pointer
        name, step_type = raw.get("Name"), raw.get("Type")
        if not isinstance(name, str) or not name:
            self.problem(ptr, "step without a 'Name'")
            return
        if name in self.steps:
            self.problem(child(ptr, "Name"), f"step name {name!r} is used twice")
            return
        if not isinstance(step_type, str) or not step_type:
            self.problem(ptr, f"step {name!r} has no 'Type'")
            step_type = None
        depends_on = raw.get("DependsOn")
        cache = raw.get("CacheConfig")
        retries = raw.get("RetryPolicies")
        node = self.graph.add_node(
            Kind.STEP,
            self.step_key(name),
            name=name,
            step_type=step_type,
            pointer=ptr,
            pipeline=self.pipeline.key,
            display_name=_scalar(raw.get("DisplayName")),
            description=_scalar(raw.get("Description")),
            depends_on=[d for d in depends_on if isinstance(d, str)]
            if isinstance(depends_on, list)
            else [],
            cache_enabled=bool(cache.get("Enabled")) if isinstance(cache, dict) else False,
            retry_policies=len(retries) if isinstance(retries, list) else 0,
            parent=entry.parent,
            branch=entry.branch,
            raw=_without_branches(raw),
            **{prop: _scalar(raw.get(field)) for field, prop in STEP_FIELDS.items()},
        )
        if depends_on is not None and not isinstance(depends_on, list):
            self.problem(child(ptr, "DependsOn"), "'DependsOn' is not a list of step names")
        if retries is not None and not isinstance(retries, list):
            self.problem(child(ptr, "RetryPolicies"), "'RetryPolicies' is not a list of policies")
        self.steps[name] = node
        self.graph.add_edge(self.pipeline, Rel.HAS_STEP, node)

    def _link_step(self, entry: StepEntry) -> None:
        node = self.steps.get(str(entry.raw.get("Name")))
        if node is None or node.get("pointer") != entry.pointer:
            return
        for index, target in enumerate(node.get("depends_on")):
            if target in self.steps:
                self.graph.add_edge(node, Rel.DEPENDS_ON, self.steps[target], arg=index)
        args = entry.raw.get("Arguments")
        if node.get("step_type") != "Condition" or not isinstance(args, dict):
            return
        for field, rel in BRANCHES:
            branch = args.get(field)
            for index, raw in enumerate(branch if isinstance(branch, list) else []):
                target = self.steps.get(str(raw.get("Name"))) if isinstance(raw, dict) else None
                if target is not None and target.get("parent") == node.key:
                    self.graph.add_edge(node, rel, target, arg=index)


def _without_branches(raw: dict[str, Any]) -> dict[str, Any]:
    """The step object with nested Condition branches replaced by the names they hold."""
    args = raw.get("Arguments")
    if raw.get("Type") != "Condition" or not isinstance(args, dict):
        return raw
    trimmed = dict(args)
    for field, _ in BRANCHES:
        if isinstance(args.get(field), list):
            trimmed[field] = [s.get("Name") for s in args[field] if isinstance(s, dict)]
    return {**raw, "Arguments": trimmed}


def _scalar(value: Any) -> Any:
    """A value fit for a node property: scalars as they are, anything else as JSON text."""
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return json.dumps(value, sort_keys=True)


def collect_definition(
    definition: Definition, graph: LineageGraph, walks: SubtreeMemo | None = None
) -> Node:
    """Add one definition to `graph`; return its Pipeline node. Definitions collected together
    may share `walks`, so that steps they hold in common are walked once."""
    builder = PipelineBuilder(definition, graph, SubtreeMemo() if walks is None else walks)
    builder.build()
    return graph.node(Kind.PIPELINE, builder.pipeline.key)
