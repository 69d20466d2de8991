"""Artifacts of a step: the outputs it declares, the literal URIs it reads, what it registers."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from lineage.collect.builder import Builder
from lineage.graph.lineage_graph import Kind, Node, Rel
from lineage.jsondoc.pointer import child
from lineage.sagemaker.expressions import is_expression
from lineage.sagemaker.locations import Location, Places, at_or_under, location_of
from lineage.sagemaker.step_types import CONSUMED_LOCATIONS, MODEL_PRODUCERS, PROCESSING_LIKE

# Training channels the SageMaker SDK fills with its own code (remote functions), not with data.
SDK_CHANNEL_PREFIX = "sagemaker_"
# The framework a token of an image's repository name names (`sagemaker-xgboost`).
FRAMEWORK_TOKENS = {
    "xgboost": "xgboost",
    "scikit": "scikit-learn",
    "sklearn": "scikit-learn",
    "pytorch": "pytorch",
    "tensorflow": "tensorflow",
    "mxnet": "mxnet",
}


# Output names of reports written for people: evaluations, analyses, metrics, bias, summaries.
REPORT = re.compile(r"report|analysis|evaluation|metric|explainab|bias|summary", re.IGNORECASE)


def image_framework(uri: object) -> str | None:
    """The ML framework an image's repository name names, if exactly one."""
    if not isinstance(uri, str):
        return None
    parts = uri.split("/")
    if len(parts) > 1 and ("." in parts[0] or ":" in parts[0]):
        parts = parts[1:]
    repository = re.split(r"[:@]", "/".join(parts), maxsplit=1)[0]
    found = {FRAMEWORK_TOKENS.get(token) for token in re.split(r"[-_./]", repository.lower())}
    found.discard(None)
    return found.pop() if len(found) == 1 else None


def output_key(step_key: str, family: str, name: str) -> str:
    """Key of a declared output: `<step key>/<family>/<name>`."""
    return f"{step_key}/{family}/{name}"


def model_key(step_key: str) -> str:
    """Key of the model artifact a Training, Tuning or AutoML step produces."""
    return f"{step_key}/model"


def _produce(builder: Builder, step: Node, key: str, pointer: str, **props: Any) -> None:
    artifact = builder.graph.add_node(
        Kind.ARTIFACT,
        key,
        producer=step.key,
        pointer=pointer,
        pipeline=builder.pipeline.key,
        **props,
    )
    builder.graph.add_edge(step, Rel.PRODUCES, artifact, arg=pointer)


def _object(value: Any) -> Mapping[str, Any]:
    """`value` when it is a JSON object, else an empty one (L105 reports its type)."""
    return value if isinstance(value, dict) else {}


def _literal(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def publishes_reports(raw: Mapping[str, Any], outputs: list[Any]) -> bool:
    """Whether a processing job's outputs are reports for people (its end products): a Clarify
    job, an evaluation read through property files, or outputs all named as reports."""
    args = raw.get("Arguments")
    app = args.get("AppSpecification") if isinstance(args, dict) else None
    image = str(app.get("ImageUri") or "") if isinstance(app, dict) else ""
    names = [o.get("OutputName") for o in outputs if isinstance(o, dict)]
    return (
        "clarify" in image
        or bool(raw.get("PropertyFiles"))
        or (bool(names) and all(isinstance(n, str) and REPORT.search(n) for n in names))
    )


def add_declared_outputs(builder: Builder, step: Node) -> None:
    """Processing outputs, property files, output parameters, model and transform outputs."""
    raw, ptr, step_type = step.get("raw"), step.get("pointer"), step.get("step_type")
    args = raw.get("Arguments") if isinstance(raw.get("Arguments"), dict) else {}
    args_ptr = child(ptr, "Arguments")
    if step_type in PROCESSING_LIKE:
        outputs = _object(args.get("ProcessingOutputConfig")).get("Outputs") or []
        if isinstance(outputs, list) and publishes_reports(raw, outputs):
            builder.graph.add_node(Kind.STEP, step.key, publishes_reports=True)
        for index, output in _objects(outputs):
            name = output.get("OutputName")
            if isinstance(name, str):
                out_ptr = f"{args_ptr}/ProcessingOutputConfig/Outputs/{index}"
                uri = _object(output.get("S3Output")).get("S3Uri")
                _produce(
                    builder,
                    step,
                    output_key(step.key, "outputs", name),
                    out_ptr,
                    artifact_kind="dataset",
                    name=name,
                    uri=_known_uri(builder, uri),
                    location=_location(builder, uri),
                    position=index,
                )
    for index, prop_file in _objects(raw.get("PropertyFiles") or []):
        name = prop_file.get("PropertyFileName")
        if isinstance(name, str):
            _produce(
                builder,
                step,
                output_key(step.key, "property_files", name),
                child(child(ptr, "PropertyFiles"), index),
                artifact_kind="property_file",
                name=name,
                output_name=_literal(prop_file.get("OutputName")),
                file_path=_literal(prop_file.get("FilePath")),
            )
    for index, param in _objects(raw.get("OutputParameters") or []):
        name = param.get("OutputName")
        if isinstance(name, str):
            _produce(
                builder,
                step,
                output_key(step.key, "output_parameters", name),
                child(child(ptr, "OutputParameters"), index),
                artifact_kind="output_parameter",
                name=name,
                output_type=_literal(param.get("OutputType")),
            )
    if step_type in MODEL_PRODUCERS:
        out_path = _object(args.get("OutputDataConfig")).get("S3OutputPath")
        _produce(
            builder,
            step,
            model_key(step.key),
            args_ptr,
            artifact_kind="model",
            name="model",
            uri=_known_uri(builder, out_path),
            location=_location(builder, out_path),
        )
    if step_type == "Transform":
        out_path = _object(args.get("TransformOutput")).get("S3OutputPath")
        _produce(
            builder,
            step,
            output_key(step.key, "outputs", "transform"),
            f"{args_ptr}/TransformOutput",
            artifact_kind="dataset",
            name="transform",
            uri=_known_uri(builder, out_path),
            location=_location(builder, out_path),
        )


@dataclass(frozen=True)
class Slot:
    """One argument a step reads an input from, and the entry (channel, container, …) it is in."""

    value: Any
    pointer: str
    entry: Any
    entry_pointer: str


# An input slot of a step and the kind of input it reads (dataset, model, image, code).
InputSlot = tuple[str, Slot]


def add_inputs(builder: Builder, step: Node) -> list[InputSlot]:
    """Tag the step's references by the input they fill; artifacts for literal URIs it reads.
    Returns its data input slots (not images, not code), for `add_location_reads`."""
    raw, ptr, step_type = step.get("raw"), step.get("pointer"), step.get("step_type") or ""
    data: list[InputSlot] = []
    for pattern, kind in CONSUMED_LOCATIONS.get(step_type, ()):
        for slot in builder.walks(_slots, raw, ptr, pattern):
            if kind not in ("image", "code"):
                data.append((kind, slot))
            tags = _tag_references(builder, step, slot, _input_kind(kind, slot.entry))
            uri, parameter = _uri(builder, slot.value)
            if uri is None:
                continue
            artifact = builder.graph.add_node(
                Kind.ARTIFACT,
                uri,
                artifact_kind=tags["input_kind"],
                uri=uri,
                name=uri,
                via_parameter=parameter,
                framework=image_framework(uri) if tags["input_kind"] == "image" else None,
                **_first_sighting(builder, Kind.ARTIFACT, uri, slot.pointer),
            )
            builder.graph.add_edge(
                step, Rel.CONSUMES, artifact, arg=slot.pointer, literal=parameter is None, **tags
            )
    if step_type == "Transform":
        for slot in builder.walks(_slots, raw, ptr, "Arguments/ModelName"):
            _tag_references(builder, step, slot, "model_name")
            builder.graph.add_node(Kind.STEP, step.key, model_name=_literal(slot.value))
    return data


def add_location_reads(
    builder: Builder, step: Node, inputs: list[InputSlot], outputs: Places[tuple[str, Node]]
) -> None:
    """`(step)-[:CONSUMES {via}]->(output)` for each input whose S3 location another step of the
    pipeline writes: `via: location` when it is that place (the same, inside it, or around
    it), `via: stale-location` when it is that place only in another execution (one side
    holds the execution id or start time, the other does not); `inputs` are the step's data
    input slots (`add_inputs`), `outputs` the pipeline's `located_outputs`."""
    for kind, slot in inputs:
        read = location_of(slot.value, _default(builder))
        if read is None:
            continue
        for written, (producer, artifact) in outputs.near(read):
            via = _reads(read, written) if producer != step.key else None
            if via is not None:
                entry = slot.entry if isinstance(slot.entry, dict) else {}
                name = entry.get("InputName", entry.get("ChannelName"))
                builder.graph.add_edge(
                    step,
                    Rel.CONSUMES,
                    artifact,
                    arg=slot.pointer,
                    via=via,
                    location=read.text,
                    input_kind=_input_kind(kind, slot.entry),
                    entry=slot.entry_pointer,
                    input_name=name if isinstance(name, str) else None,
                )


def _reads(read: Location, written: Location) -> str | None:
    """`location`, `stale-location` or None: how reading `read` relates to what is written."""
    if at_or_under(read, written) or at_or_under(written, read):
        return "location"
    if read.execution_scoped == written.execution_scoped:
        return None
    # The same place but for the per-execution part: the output itself, or a file right in it.
    fixed_read, fixed_written = read.fixed(), written.fixed()
    depth = len(fixed_read.segments()) - len(fixed_written.segments())
    if depth in (0, 1) and at_or_under(fixed_read, fixed_written):
        return "stale-location"
    return None


def located_outputs(builder: Builder) -> Places[tuple[str, Node]]:
    """The pipeline's non-model outputs with a location: (producer key, artifact) by place."""
    found = []
    for step in builder.steps.values():
        for artifact in builder.graph.out(step, Rel.PRODUCES):
            text = artifact.get("location")
            if text and artifact.get("artifact_kind") != "model":
                found.append((Location(text), (step.key, artifact)))
    return Places(found)


def _known_uri(builder: Builder, value: Any) -> str | None:
    """The URI an output names before the run: a literal, or a Join or parameter default whose
    every part is known, so that literal reads of it match however it is written."""
    found = location_of(value, _default(builder))
    return found.text if found is not None and found.resolved else _literal(value)


def _location(builder: Builder, value: Any) -> str | None:
    found = location_of(value, _default(builder))
    return found.text if found else None


def _default(builder: Builder) -> Callable[[str], Any]:
    """The default of a parameter of the pipeline by name (None when it has none)."""

    def default(name: str) -> Any:
        key = f"{builder.definition.name}/parameters/{name}"
        return (
            builder.graph.node(Kind.PARAMETER, key).get("default")
            if builder.graph.has(Kind.PARAMETER, key)
            else None
        )

    return default


def _tag_references(builder: Builder, step: Node, slot: Slot, input_kind: str) -> dict[str, Any]:
    """Mark the USES and CONSUMES edges of the references inside `slot` with the input they fill."""
    entry = slot.entry if isinstance(slot.entry, dict) else {}
    name = entry.get("InputName", entry.get("ChannelName"))
    tags = {
        "input_kind": input_kind,
        "entry": slot.entry_pointer,
        "input_name": name if isinstance(name, str) else None,
    }
    below = f"{slot.pointer}/"

    def inside(edge: Mapping[str, Any]) -> bool:
        arg = str(edge.get("arg"))
        return arg == slot.pointer or arg.startswith(below)

    builder.graph.update_out_edges(step, (Rel.USES, Rel.CONSUMES), inside, **tags)
    return tags


def _first_sighting(builder: Builder, kind: Kind, key: str, pointer: str) -> dict[str, str]:
    """Where a node shared between steps and pipelines was first seen (kept on later sightings)."""
    if builder.graph.has(kind, key):
        return {}
    return {"pointer": pointer, "pipeline": builder.pipeline.key}


def _input_kind(kind: str, entry: Any) -> str:
    """Code, not a dataset: a processing input named `code`, a training channel the SDK fills."""
    if kind != "dataset" or not isinstance(entry, dict):
        return kind
    channel = entry.get("ChannelName")
    if entry.get("InputName") == "code" or (
        isinstance(channel, str) and channel.startswith(SDK_CHANNEL_PREFIX)
    ):
        return "code"
    return kind


def _uri(builder: Builder, value: Any) -> tuple[str | None, str | None]:
    """The URI a value names: a literal, or the string default of the parameter it reads."""
    if isinstance(value, str):
        text = value.strip('"')
        return (text or None), None
    if is_expression(value) and isinstance(value.get("Get"), str):
        expression: str = value["Get"]
        if expression.startswith("Parameters."):
            name = expression.removeprefix("Parameters.")
            key = f"{builder.definition.name}/parameters/{name}"
            if builder.graph.has(Kind.PARAMETER, key):
                default = builder.graph.node(Kind.PARAMETER, key).get("default")
                if isinstance(default, str) and default:
                    return default, name
    return None, None


# A value a pattern matched so far: value, pointer, entry, and the value and pointer it is in.
_Match = tuple[Any, str, tuple[Any, str] | None, Any, str]


def _slots(value: Any, ptr: str, pattern: str) -> tuple[Slot, ...]:
    """Values at a `/`-separated pattern (`*` = any list index or member), each with its entry:
    the item the last `*` matched, or the value's parent when the pattern has no `*`."""
    matches: list[_Match] = [(value, ptr, None, None, "")]
    for head in pattern.split("/"):
        found: list[_Match] = []
        for current, at, entry, _, _ in matches:
            if head == "*":
                if isinstance(current, list):
                    items = [(item, f"{at}/{i}") for i, item in enumerate(current)]
                elif isinstance(current, dict) and not is_expression(current):
                    items = [(item, child(at, k)) for k, item in current.items()]
                else:
                    continue
                found += [
                    (item, item_ptr, (item, item_ptr), current, at) for item, item_ptr in items
                ]
            elif isinstance(current, dict) and head in current:
                found.append((current[head], child(at, head), entry, current, at))
        matches = found
    return tuple(
        Slot(item, at, *(entry or (parent, parent_ptr)))
        for item, at, entry, parent, parent_ptr in matches
    )


def _objects(items: Any) -> Iterator[tuple[int, dict[str, Any]]]:
    if isinstance(items, list):
        yield from ((i, item) for i, item in enumerate(items) if isinstance(item, dict))


def add_registration(builder: Builder, step: Node) -> None:
    """RegisterModel → ModelPackage (`<step key>/package`) → ModelPackageGroup."""
    if step.get("step_type") != "RegisterModel":
        return
    raw = step.get("raw")
    args = raw.get("Arguments") if isinstance(raw.get("Arguments"), dict) else {}
    args_ptr = child(step.get("pointer"), "Arguments")
    group_value = args.get("ModelPackageGroupName")
    group_name, via_parameter = _uri(builder, group_value)
    status = args.get("ModelApprovalStatus")
    package = builder.graph.add_node(
        Kind.MODEL_PACKAGE,
        f"{step.key}/package",
        pointer=args_ptr,
        pipeline=builder.pipeline.key,
        step=step.key,
        group=group_name,
        approval_status=status if isinstance(status, str) else None,
        approval_status_expression=status.get("Get") if isinstance(status, dict) else None,
        description=_literal(args.get("ModelPackageDescription")),
        has_metrics=bool(args.get("ModelMetrics")),
    )
    builder.graph.add_edge(step, Rel.REGISTERS, package)
    if group_name is not None:
        group = builder.graph.add_node(
            Kind.MODEL_PACKAGE_GROUP,
            group_name,
            name=group_name,
            via_parameter=via_parameter,
            **_first_sighting(
                builder, Kind.MODEL_PACKAGE_GROUP, group_name, f"{args_ptr}/ModelPackageGroupName"
            ),
        )
        builder.graph.add_edge(package, Rel.IN_GROUP, group)
