"""Artifacts of a step: the outputs it declares, the literal URIs it reads, what it registers."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from lineage.collect.expressions import is_expression
from lineage.collect.step_types import CONSUMED_LOCATIONS, MODEL_PRODUCERS, PROCESSING_LIKE
from lineage.graph import Kind, Node, Rel
from lineage.pointer import child

if TYPE_CHECKING:
    from lineage.collect.definition import PipelineBuilder


def output_key(step_key: str, family: str, name: str) -> str:
    """Key of a declared output: `<step key>/<family>/<name>`."""
    return f"{step_key}/{family}/{name}"


def model_key(step_key: str) -> str:
    """Key of the model artifact a Training, Tuning or AutoML step produces."""
    return f"{step_key}/model"


def _produce(builder: PipelineBuilder, step: Node, key: str, pointer: str, **props: Any) -> None:
    artifact = builder.graph.add_node(
        Kind.ARTIFACT,
        key,
        producer=step.key,
        pointer=pointer,
        pipeline=builder.pipeline.key,
        **props,
    )
    builder.graph.add_edge(step, Rel.PRODUCES, artifact, arg=pointer)


def _literal(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def add_declared_outputs(builder: PipelineBuilder, step: Node) -> None:
    """Processing outputs, property files, output parameters, model and transform outputs."""
    raw, ptr, step_type = step.get("raw"), step.get("pointer"), step.get("step_type")
    args = raw.get("Arguments") if isinstance(raw.get("Arguments"), dict) else {}
    args_ptr = child(ptr, "Arguments")
    if step_type in PROCESSING_LIKE:
        outputs = (args.get("ProcessingOutputConfig") or {}).get("Outputs") or []
        for index, output in _objects(outputs):
            name = output.get("OutputName")
            if isinstance(name, str):
                out_ptr = f"{args_ptr}/ProcessingOutputConfig/Outputs/{index}"
                uri = (output.get("S3Output") or {}).get("S3Uri")
                _produce(
                    builder,
                    step,
                    output_key(step.key, "outputs", name),
                    out_ptr,
                    artifact_kind="dataset",
                    name=name,
                    uri=_literal(uri),
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
        out_path = (args.get("OutputDataConfig") or {}).get("S3OutputPath")
        _produce(
            builder,
            step,
            model_key(step.key),
            args_ptr,
            artifact_kind="model",
            name="model",
            uri=_literal(out_path),
        )
    if step_type == "Transform":
        out_path = (args.get("TransformOutput") or {}).get("S3OutputPath")
        _produce(
            builder,
            step,
            output_key(step.key, "outputs", "transform"),
            f"{args_ptr}/TransformOutput",
            artifact_kind="dataset",
            name="transform",
            uri=_literal(out_path),
        )


def add_literal_inputs(builder: PipelineBuilder, step: Node) -> None:
    """Artifacts for literal URIs (or parameter defaults) in the places a step reads from."""
    raw, ptr = step.get("raw"), step.get("pointer")
    for pattern, kind in CONSUMED_LOCATIONS.get(step.get("step_type") or "", ()):
        for value, value_ptr, parent in _match(raw, ptr, pattern.split("/"), None):
            artifact_kind = _input_kind(kind, parent)
            uri, parameter = _uri(builder, value)
            if uri is None:
                continue
            artifact = builder.graph.add_node(
                Kind.ARTIFACT,
                uri,
                artifact_kind=artifact_kind,
                uri=uri,
                name=uri,
                via_parameter=parameter,
                **_first_sighting(builder, Kind.ARTIFACT, uri, value_ptr),
            )
            builder.graph.add_edge(step, Rel.CONSUMES, artifact, arg=value_ptr)


def _first_sighting(builder: PipelineBuilder, kind: Kind, key: str, pointer: str) -> dict[str, str]:
    """Where a node shared between steps and pipelines was first seen (kept on later sightings)."""
    if builder.graph.has(kind, key):
        return {}
    return {"pointer": pointer, "pipeline": builder.pipeline.key}


def _input_kind(kind: str, parent: Any) -> str:
    """A processing input named `code` is code, not a dataset."""
    if kind == "dataset" and isinstance(parent, dict) and parent.get("InputName") == "code":
        return "code"
    return kind


def _uri(builder: PipelineBuilder, value: Any) -> tuple[str | None, str | None]:
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


def _match(value: Any, ptr: str, parts: list[str], parent: Any) -> Iterator[tuple[Any, str, Any]]:
    """Values at a `/`-separated pattern (`*` = any list index or member), with their parents."""
    if not parts:
        yield value, ptr, parent
        return
    head, rest = parts[0], parts[1:]
    if head == "*":
        if isinstance(value, list):
            for index, item in enumerate(value):
                yield from _match(item, child(ptr, index), rest, value)
        elif isinstance(value, dict) and not is_expression(value):
            for key, item in value.items():
                yield from _match(item, child(ptr, key), rest, value)
    elif isinstance(value, dict) and head in value:
        yield from _match(value[head], child(ptr, head), rest, value)


def _objects(items: Any) -> Iterator[tuple[int, dict[str, Any]]]:
    if isinstance(items, list):
        yield from ((i, item) for i, item in enumerate(items) if isinstance(item, dict))


def add_registration(builder: PipelineBuilder, step: Node) -> None:
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
