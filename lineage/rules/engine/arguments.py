"""Reading a step's arguments: the objects in them, their slots, containers, images and maps."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, NamedTuple

from lineage.graph.lineage_graph import Kind, LineageGraph, Node, Rel
from lineage.jsondoc.pointer import child, split
from lineage.rules.engine.model import Violation
from lineage.sagemaker.expressions import is_expression
from lineage.sagemaker.step_types import PROCESSING_LIKE

# Maps of names to values a job passes to its code: container environments and hyper-parameters.
VALUE_MAPS = frozenset({"Environment", "HyperParameters", "StaticHyperParameters"})


@dataclass(frozen=True, slots=True)
class Part:
    """An object inside a step's arguments (empty when absent) and where it is or belongs."""

    value: dict[str, Any]
    pointer: str

    def get(self, field: str) -> Any:
        """The value of `field`, or None."""
        return self.value.get(field)

    def at(self, field: str) -> Part:
        """The object under `field` (an empty Part at its place when absent or not an object)."""
        value = self.value.get(field)
        return Part(value if isinstance(value, dict) else {}, child(self.pointer, field))

    def items(self, field: str) -> list[Part]:
        """The objects of the list under `field`."""
        values = self.value.get(field)
        if not isinstance(values, list):
            return []
        ptr = child(self.pointer, field)
        return [Part(v, child(ptr, i)) for i, v in enumerate(values) if isinstance(v, dict)]


@dataclass(frozen=True, slots=True)
class Slot:
    """A field of an argument object: where its value is or belongs, and fields that replace it."""

    owner: Part
    field: str
    alternatives: tuple[str, ...] = ()

    @property
    def value(self) -> Any:
        """The field's value, or None."""
        return self.owner.get(self.field)

    @property
    def pointer(self) -> str:
        """The JSON pointer of the field."""
        return child(self.owner.pointer, self.field)

    def filled(self) -> bool:
        """Whether the field or one of its alternatives holds a value."""
        return any(is_set(self.owner.get(f)) for f in (self.field, *self.alternatives))


def is_set(value: Any) -> bool:
    """Whether a value is given: not absent, null, blank or an empty list or object."""
    if isinstance(value, str):
        return bool(value.strip())
    return value is not None and value not in ([], {})


def literal(value: Any) -> str | None:
    """A non-blank string literal (not an expression), or None."""
    return value if isinstance(value, str) and value.strip() else None


def arguments(step: Node) -> Part:
    """The step's `Arguments` object."""
    args = (step.get("raw") or {}).get("Arguments")
    return Part(args if isinstance(args, dict) else {}, f"{step.get('pointer')}/Arguments")


def display_path(step: Node, pointer: str) -> str:
    """A pointer inside the step's arguments, written as `Containers[0].Image`."""
    path = ""
    for token in split(pointer)[len(split(arguments(step).pointer)) :]:
        path += f"[{token}]" if token.isdigit() else f".{token}"
    return path.lstrip(".")


class ImageRef(NamedTuple):
    """A container image reference split into repository (last path part), tag and digest."""

    repository: str
    tag: str
    digest: str


def image_ref(value: object) -> ImageRef | None:
    """The parts of a literal image reference; None for expressions and template placeholders."""
    text = literal(value)
    if text is None or not re.fullmatch(r"[\w.\-/:@]+", text.strip()):
        return None
    name, _, digest = text.strip().partition("@")
    repository, _, tag = name.rsplit("/", 1)[-1].partition(":")
    return ImageRef(repository, tag, digest)


def training_job_definitions(step: Node) -> list[Part]:
    """A Tuning step's training job definitions (the single one's place when it has none)."""
    args = arguments(step)
    return args.items("TrainingJobDefinitions") or [args.at("TrainingJobDefinition")]


def containers(step: Node) -> list[Part]:
    """The containers a Model step creates or a RegisterModel step registers."""
    args = arguments(step)
    if step.get("step_type") == "RegisterModel":
        return args.at("InferenceSpecification").items("Containers")
    primary = args.at("PrimaryContainer")
    return ([primary] if primary.value else []) + args.items("Containers")


def image_slots(step: Node) -> list[Slot]:
    """Where the step names the image (or the algorithm or model package) its jobs run."""
    step_type = step.get("step_type")
    if step_type in PROCESSING_LIKE:
        return [Slot(arguments(step).at("AppSpecification"), "ImageUri")]
    if step_type == "Training":
        return [_algorithm_slot(arguments(step))]
    if step_type == "Tuning":
        return [_algorithm_slot(d) for d in training_job_definitions(step)]
    if step_type == "Model":
        return [Slot(c, "Image", ("ModelPackageName",)) for c in containers(step)]
    if step_type == "RegisterModel":
        return [Slot(c, "Image") for c in containers(step)]
    return []


def metrics_sources(metrics: Part) -> list[Part]:
    """The metrics files of a ModelMetrics or DriftCheckBaselines object (not analysis configs)."""
    sections = [metrics.at(name) for name in metrics.value]
    return [
        section.at(name)
        for section in sections
        for name in section.value
        if name != "ConfigFile" and section.at(name).value
    ]


def _algorithm_slot(job: Part) -> Slot:
    return Slot(job.at("AlgorithmSpecification"), "TrainingImage", ("AlgorithmName",))


def value_maps(step: Node) -> Iterator[Part]:
    """Every environment and hyper-parameter map in the step's arguments."""
    args = arguments(step)
    stack: list[tuple[dict[str, Any], str, str | None]] = [(args.value, args.pointer, None)]
    while stack:
        value, pointer, name = stack.pop()
        nested: list[tuple[dict[str, Any], str, str | None]] = []
        for field, item in value.items():
            if isinstance(item, dict) and not is_expression(item):
                nested.append((item, child(pointer, field), field))
            elif isinstance(item, list):
                items = child(pointer, field)
                nested += [
                    (v, f"{items}/{i}", None) for i, v in enumerate(item) if isinstance(v, dict)
                ]
        nested.reverse()
        stack += nested
        if name in VALUE_MAPS:
            yield Part(value, pointer)


def parameter_read(graph: LineageGraph, step: Node, pointer: str) -> Node | None:
    """The parameter that the `{"Get": "Parameters.X"}` at `pointer` in the step reads."""
    ref_key = f"{step.key}#{pointer}"
    if not graph.has(Kind.PROPERTY_REF, ref_key):
        return None
    targets = graph.out(graph.node(Kind.PROPERTY_REF, ref_key), Rel.RESOLVES_TO)
    return next((t for t in targets if t.kind is Kind.PARAMETER), None)


def resolved_literal(
    graph: LineageGraph, step: Node, value: Any, pointer: str
) -> tuple[str, str] | None:
    """A string literal, or the string default of the parameter it reads, with its pointer."""
    text = literal(value)
    if text is not None:
        return text, pointer
    parameter = parameter_read(graph, step, pointer) if is_expression(value) else None
    default = literal(parameter.get("default")) if parameter is not None else None
    if parameter is None or default is None:
        return None
    return default, child(parameter.get("pointer"), "DefaultValue")


def missing(step: Node, slots: Iterable[Slot], what: str) -> Iterator[Violation]:
    """A violation at each slot that holds no value: `<Type> step 'X' has no <what> (<path>)`."""
    for slot in slots:
        if not slot.filled():
            fields = " or ".join((display_path(step, slot.pointer), *slot.alternatives))
            yield Violation(step, f"{describe(step)} has no {what} ({fields})", slot.pointer)


def describe(step: Node) -> str:
    """`Training step 'Train'`."""
    return f"{step.get('step_type')} step {step.get('name')!r}"
