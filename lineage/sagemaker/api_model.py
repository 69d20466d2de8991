"""The SageMaker API model from botocore: step arguments against request shapes, property
paths against the response shapes the SageMaker SDK builds step `properties` from."""

from __future__ import annotations

import difflib
import json
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache, cached_property, lru_cache
from typing import Any, TypeAlias, TypeGuard

from lineage.jsondoc.names import did_you_mean
from lineage.jsondoc.pointer import child
from lineage.sagemaker.expressions import is_expression
from lineage.sagemaker.property_path import Attr, Index, MapKey, Token, render
from lineage.sagemaker.service_models import service_model

SAGEMAKER = "sagemaker"
EMR = "emr"
# Properties the SDK adds to steps without a botocore shape, written as botocore shapes.
PIPELINE = "pipeline"
_PIPELINE_SHAPES: dict[str, dict[str, Any]] = {
    "QualityCheckStepProperties": {
        "type": "structure",
        "members": {
            name: {"shape": "S3Uri"}
            for name in (
                "CalculatedBaselineConstraints",
                "CalculatedBaselineStatistics",
                "BaselineUsedForDriftCheckConstraints",
                "BaselineUsedForDriftCheckStatistics",
            )
        },
    },
    "ClarifyCheckStepProperties": {
        "type": "structure",
        "members": {
            "CalculatedBaselineConstraints": {"shape": "S3Uri"},
            "BaselineUsedForDriftCheckConstraints": {"shape": "S3Uri"},
        },
    },
    "AutoMLStepProperties": {
        "type": "structure",
        "members": {"BestCandidateProperties": {"shape": "BestCandidateProperties"}},
    },
    "BestCandidateProperties": {
        "type": "structure",
        "members": {
            "ModelInsightsJsonReportPath": {"shape": "S3Uri"},
            "ExplainabilityJsonReportPath": {"shape": "S3Uri"},
        },
    },
    "ConditionStepProperties": {
        "type": "structure",
        "members": {"Outcome": {"shape": "Boolean"}},
    },
    "OutputParameterStepProperties": {
        "type": "structure",
        "members": {"OutputParameters": {"shape": "OutputParameters"}},
    },
    "OutputParameters": {"type": "map", "key": {"shape": "String"}, "value": {"shape": "String"}},
    "S3Uri": {"type": "string"},
    "String": {"type": "string"},
    "Boolean": {"type": "boolean"},
}

ShapeRef = tuple[str, str]

# The request each step type's `Arguments` are sent as (SDK v2 emits AutoML V1 requests).
REQUEST_SHAPES: dict[str, str] = {
    "Training": "CreateTrainingJobRequest",
    "Processing": "CreateProcessingJobRequest",
    "QualityCheck": "CreateProcessingJobRequest",
    "ClarifyCheck": "CreateProcessingJobRequest",
    "Model": "CreateModelInput",
    "RegisterModel": "CreateModelPackageInput",
    "Transform": "CreateTransformJobRequest",
    "Tuning": "CreateHyperParameterTuningJobRequest",
    "AutoML": "CreateAutoMLJobRequest",
}

# Required request members the pipeline service fills in itself (the SDK drops them).
SERVICE_FILLED: dict[str, frozenset[str]] = {
    "CreateTrainingJobRequest": frozenset({"TrainingJobName"}),
    "CreateProcessingJobRequest": frozenset({"ProcessingJobName"}),
    "CreateModelInput": frozenset({"ModelName"}),
    "CreateTransformJobRequest": frozenset({"TransformJobName"}),
    "CreateHyperParameterTuningJobRequest": frozenset({"HyperParameterTuningJobName"}),
    "CreateAutoMLJobRequest": frozenset({"AutoMLJobName"}),
}

# The shapes a step's `properties` are built from, as the SDK builds them.
RESPONSE_SHAPES: dict[str, tuple[ShapeRef, ...]] = {
    "Training": ((SAGEMAKER, "DescribeTrainingJobResponse"),),
    "Processing": ((SAGEMAKER, "DescribeProcessingJobResponse"),),
    "Model": ((SAGEMAKER, "DescribeModelOutput"),),
    "RegisterModel": ((SAGEMAKER, "DescribeModelPackageOutput"),),
    "Transform": ((SAGEMAKER, "DescribeTransformJobResponse"),),
    "Tuning": (
        (SAGEMAKER, "DescribeHyperParameterTuningJobResponse"),
        (SAGEMAKER, "ListTrainingJobsForHyperParameterTuningJobResponse"),
    ),
    "AutoML": ((SAGEMAKER, "DescribeAutoMLJobResponse"), (PIPELINE, "AutoMLStepProperties")),
    "EMR": ((EMR, "Step"),),
    "QualityCheck": ((PIPELINE, "QualityCheckStepProperties"),),
    "ClarifyCheck": ((PIPELINE, "ClarifyCheckStepProperties"),),
    "Condition": ((PIPELINE, "ConditionStepProperties"),),
    "Lambda": ((PIPELINE, "OutputParameterStepProperties"),),
    "Callback": ((PIPELINE, "OutputParameterStepProperties"),),
    "Fail": (),
}

# Step types whose property files are read as `PropertyFiles.<name>`.
PROPERTY_FILE_STEPS = frozenset({"Processing"})

# The JSON types each scalar shape type accepts (bool is excluded from numbers separately).
_SCALARS: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "integer": (int,),
    "long": (int,),
    "float": (int, float),
    "double": (int, float),
    "boolean": (bool,),
    "timestamp": (str, int, float),
}
_CONTAINERS: dict[str, tuple[type, ...]] = {"structure": (dict,), "map": (dict,), "list": (list,)}
# A whole value that is a template placeholder (Terraform, CloudFormation) is filled in before
# the definition reaches SageMaker, so it is accepted like an expression.
_PLACEHOLDER = re.compile(r"\$\{[^{}]*\}")
_ENUM_LISTED = 6
_NO_NAMES: frozenset[str] = frozenset()


class ProblemKind(StrEnum):
    """What is wrong with an argument value."""

    UNKNOWN_KEY = "unknown-key"
    MISSING_MEMBER = "missing-member"
    WRONG_TYPE = "wrong-type"
    BAD_ENUM = "bad-enum"
    OUT_OF_BOUNDS = "out-of-bounds"


@dataclass(frozen=True, slots=True)
class ArgumentProblem:
    """One violation of a request shape, at the JSON pointer of the offending value (for a
    missing member, where the member belongs)."""

    kind: ProblemKind
    pointer: str
    message: str


@dataclass(frozen=True)
class Shape:
    """One shape of a service model: its type and, by type, members, item (list member or map
    value) or enum; map keys are strings and no request shape used here restricts them."""

    service: str
    name: str
    type: str
    members: Mapping[str, str] = field(default_factory=dict)
    required: frozenset[str] = frozenset()
    item: str | None = None
    enum: tuple[str, ...] = ()
    minimum: float | None = None  # numbers: the value; strings and lists: the length
    maximum: float | None = None
    pattern: str | None = None  # strings: a regular expression the whole value must match

    @cached_property
    def member_shapes(self) -> dict[str, Shape]:
        """The shape of each member, by member name."""
        return {name: shape(self.service, ref) for name, ref in self.members.items()}

    @cached_property
    def required_members(self) -> tuple[str, ...]:
        """The required members, in the order of `members`."""
        return tuple(name for name in self.members if name in self.required)

    def child(self, name: str | None) -> Shape:
        """The shape `name` of the same service (`name` is never None for a valid model)."""
        assert name is not None
        return shape(self.service, name)


@dataclass(frozen=True, slots=True)
class ExpressionSlot:
    """An expression standing where the request takes a value of `shape`."""

    pointer: str
    display: str
    shape: Shape


@dataclass(slots=True)
class ArgumentReport:
    """Everything one walk over a step's arguments found."""

    problems: list[ArgumentProblem] = field(default_factory=list)
    expressions: list[ExpressionSlot] = field(default_factory=list)

    @property
    def enum_expressions(self) -> list[ExpressionSlot]:
        """The expressions standing where the request takes an enum value."""
        return [slot for slot in self.expressions if slot.shape.enum]


@cache
def _service_shapes(service: str) -> Mapping[str, Any]:
    """The raw shapes of a botocore service model (loaded once per service)."""
    if service == PIPELINE:
        return _PIPELINE_SHAPES
    shapes: Mapping[str, Any] = service_model(service)["shapes"]
    return shapes


@cache
def shape(service: str, name: str) -> Shape:
    """The shape `name` of `service` (KeyError when the model has no such shape)."""
    raw = _service_shapes(service)[name]
    return Shape(
        service=service,
        name=name,
        type=raw["type"],
        members={k: v["shape"] for k, v in raw.get("members", {}).items()},
        required=frozenset(raw.get("required", ())),
        item=(raw.get("member") or raw.get("value") or {}).get("shape"),
        enum=tuple(raw.get("enum", ())),
        minimum=raw.get("min"),
        maximum=raw.get("max"),
        pattern=raw.get("pattern"),
    )


def enum_text(value: str, allowed: Shape) -> str:
    """`'x', not a valid <Shape> (one of …)` with a suggestion, to follow `is`."""
    values = allowed.enum
    listing = (
        ", ".join(repr(v) for v in values)
        if len(values) <= _ENUM_LISTED
        else f"{len(values)} values"
    )
    return f"{value!r}, not a valid {allowed.name} (one of {listing}){did_you_mean(value, values)}"


def bounds_problem(value: Any, spec: Shape) -> str | None:
    """`is 0, below the minimum 1 (VolumeSizeInGB)` when a value breaks its shape's bounds."""
    if isinstance(value, bool) or _is_placeholder(value) or not _fits(value, spec.type):
        return None
    if isinstance(value, int | float):
        size, unit = value, ""
    elif isinstance(value, str | list):
        size, unit = len(value), " item(s)" if isinstance(value, list) else " character(s)"
    else:
        return None
    shown = f"has {size}{unit}" if unit else f"is {json.dumps(value)}"
    if spec.minimum is not None and size < spec.minimum:
        return f"{shown}, below the minimum {spec.minimum:g}{unit} ({spec.name})"
    if spec.maximum is not None and size > spec.maximum:
        return f"{shown}, above the maximum {spec.maximum:g}{unit} ({spec.name})"
    if isinstance(value, str) and not _matches(value, spec.pattern):
        return f"{json.dumps(value)} does not match the pattern {spec.pattern} ({spec.name})"
    return None


@cache
def _compiled(pattern: str) -> re.Pattern[str] | None:
    """A botocore pattern for Python's `re`; None for Java-only syntax such as `\\p{L}`."""
    try:
        return re.compile(pattern)
    except re.error:
        return None


def _matches(value: str, pattern: str | None) -> bool:
    """Whether `value` matches all of `pattern` (true when it cannot be checked)."""
    compiled = _compiled(pattern) if pattern else None
    return compiled is None or "${" in value or compiled.fullmatch(value) is not None


def _describe(value: Any) -> str:
    """How a JSON value reads in a message: its JSON type and, for scalars, its text."""
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "null"
    kind = (
        "a boolean"
        if isinstance(value, bool)
        else "a string"
        if isinstance(value, str)
        else "a number"
    )
    return f"{kind} ({json.dumps(value)})"


def _expected(spec: Shape) -> str:
    """What a shape takes, as a message reads it: `an integer`, `a list (Channels)`, …"""
    if spec.type in ("structure", "map"):
        return f"an object ({spec.name})"
    if spec.type == "list":
        return f"a list ({spec.name})"
    return "an integer" if spec.type == "integer" else f"a {spec.type}"


def _is_placeholder(value: Any) -> bool:
    """Whether a value is a whole template placeholder such as `${instance_type}`."""
    if not isinstance(value, str) or not value.startswith("${"):
        return False
    return _PLACEHOLDER.fullmatch(value) is not None


def _fits(value: Any, shape_type: str) -> bool:
    """Whether a JSON value has the JSON type a shape type takes (booleans are not numbers)."""
    wanted = _CONTAINERS.get(shape_type) or _SCALARS[shape_type]
    return isinstance(value, wanted) and (bool in wanted or not isinstance(value, bool))


@lru_cache(maxsize=1 << 16)  # steps repeat the same instance types, counts and names
def _leaf_problem(service: str, name: str, kind: str, value: Any) -> tuple[ProblemKind, str] | None:
    """What is wrong with a scalar `value` (of type named `kind`) where shape `name` is taken:
    the problem and the message after the value's display path; None when nothing is."""
    spec = shape(service, name)
    if _is_placeholder(value):
        return None
    if not _fits(value, spec.type):
        return ProblemKind.WRONG_TYPE, f"must be {_expected(spec)}, not {_describe(value)}"
    if spec.enum and value not in spec.enum:
        return ProblemKind.BAD_ENUM, f"is {enum_text(value, spec)}"
    broken = bounds_problem(value, spec)
    return None if broken is None else (ProblemKind.OUT_OF_BOUNDS, broken)


# Where a value sits: the (pointer, display) of the walk's root, or its parent's place, its
# member name or index, and how `display` shows it; rendered only for what gets reported.
_Place: TypeAlias = "tuple[str, str] | tuple[_Place, str | int, str]"
_MEMBER, _INDEX, _KEY = ".{}", "[{}]", "[{!r}]"


def _render(place: _Place) -> tuple[str, str]:
    """The JSON pointer and the display path (`Arguments.Channels[0]`) of a place."""
    if len(place) == 2:
        return place
    parent, token, shown = place
    pointer, display = _render(parent)
    return child(pointer, token), display + shown.format(token)


class _ArgumentWalker:
    """Walks a JSON value against a request shape, collecting problems and enum expressions."""

    def __init__(self) -> None:
        self.report = ArgumentReport()

    def problem(self, kind: ProblemKind, pointer: str, message: str) -> None:
        """Record one problem."""
        self.report.problems.append(ArgumentProblem(kind, pointer, message))

    def walk(
        self, value: Any, spec: Shape, place: _Place, exempt: frozenset[str] = _NO_NAMES
    ) -> None:
        """Check `value` against `spec`; `exempt` members of a structure may be missing."""
        if isinstance(value, dict):
            if is_expression(value):
                if spec.type not in _CONTAINERS:
                    pointer, display = _render(place)  # displays repeat across pipelines
                    slot = ExpressionSlot(pointer, sys.intern(display), spec)
                    self.report.expressions.append(slot)
                return
            if spec.type == "structure":
                self._structure(value, spec, place, exempt)
                return
            if spec.type == "map":
                item = spec.child(spec.item)
                for name, element in value.items():
                    self.walk(element, item, (place, name, _KEY))
                return
        elif isinstance(value, list):
            if spec.type == "list":
                item = spec.child(spec.item)
                for index, element in enumerate(value):
                    self.walk(element, item, (place, index, _INDEX))
                self._bounds(value, spec, place)
                return
        else:
            found = _leaf_problem(spec.service, spec.name, type(value).__name__, value)
            if found is not None:
                pointer, display = _render(place)
                self.problem(found[0], pointer, f"{display} {found[1]}")
            return
        pointer, display = _render(place)
        message = f"{display} must be {_expected(spec)}, not {_describe(value)}"
        self.problem(ProblemKind.WRONG_TYPE, pointer, message)

    def _bounds(self, value: Any, spec: Shape, place: _Place) -> None:
        """Record a value outside its shape's minimum, maximum or pattern."""
        broken = bounds_problem(value, spec)
        if broken is not None:
            pointer, display = _render(place)
            self.problem(ProblemKind.OUT_OF_BOUNDS, pointer, f"{display} {broken}")

    def _structure(
        self, value: dict[str, Any], spec: Shape, place: _Place, exempt: frozenset[str]
    ) -> None:
        members = spec.member_shapes
        missing = [m for m in spec.required_members if m not in value and m not in exempt]
        misspelt: set[str] = set()  # required members an unknown key stands in for
        for name, element in value.items():
            member = members.get(name)
            if member is not None:
                self.walk(element, member, (place, name, _MEMBER))
            else:
                pointer, display = _render((place, name, _MEMBER))
                meant = difflib.get_close_matches(name, missing, n=1, cutoff=0.6)
                misspelt.update(meant)
                self.problem(
                    ProblemKind.UNKNOWN_KEY,
                    pointer,
                    f"{display} is not a member of {spec.name}"
                    + (f" (did you mean {meant[0]!r}?)" if meant else did_you_mean(name, members)),
                )
        for name in missing:
            if name not in misspelt:
                pointer, display = _render((place, name, _MEMBER))
                self.problem(
                    ProblemKind.MISSING_MEMBER,
                    pointer,
                    f"{display} is required by {spec.name} and missing",
                )


def check_arguments(step_type: str, arguments: Any, pointer: str) -> ArgumentReport:
    """Walk a step's `Arguments` (at `pointer`) against the request shape of its type."""
    request = shape(SAGEMAKER, REQUEST_SHAPES[step_type])
    walker = _ArgumentWalker()
    if arguments is None:
        walker.problem(
            ProblemKind.MISSING_MEMBER,
            pointer,
            f"a {step_type} step needs Arguments ({request.name})",
        )
    else:
        exempt = SERVICE_FILLED.get(request.name, _NO_NAMES)
        walker.walk(arguments, request, (pointer, "Arguments"), exempt)
    return walker.report


def validate_arguments(step_type: str, arguments: Any, pointer: str) -> list[ArgumentProblem]:
    """The request-shape violations in a step's `Arguments` (expressions accepted anywhere)."""
    return check_arguments(step_type, arguments, pointer).problems


def has_properties_model(step_type: str | None) -> TypeGuard[str]:
    """Whether property paths into steps of this type can be checked."""
    return step_type in RESPONSE_SHAPES


def validate_property_path(step_type: str, path: list[Token]) -> str | None:
    """None when `path` (after `Steps.<name>`) is a property of a `step_type` step, else why not."""
    resolved = _resolve_path(step_type, tuple(path))
    return resolved if isinstance(resolved, str) else None


def property_type(step_type: str, path: list[Token]) -> str | None:
    """The botocore type (`string`, `integer`, `float`, `boolean`, ...) of the property `path`
    reads on a `step_type` step; None for property files and paths that are not properties."""
    resolved = _resolve_path(step_type, tuple(path))
    return resolved.type if isinstance(resolved, Shape) else None


@cache
def _resolve_path(step_type: str, path: tuple[Token, ...]) -> Shape | str | None:
    """The shape `path` reads, None for a property file (no shape), or why it is no property."""
    roots = [shape(service, name) for service, name in RESPONSE_SHAPES[step_type]]
    if not roots:
        return f"a {step_type} step has no properties"
    if not path:
        return f"the reference names the {step_type} step itself, not one of its properties"
    first = path[0]
    if step_type in PROPERTY_FILE_STEPS and first == Attr("PropertyFiles"):
        if len(path) == 2 and isinstance(path[1], Attr):
            return None
        return "a property file is read as PropertyFiles.<PropertyFileName>"
    if not isinstance(first, Attr):
        return f"a {step_type} step's properties start with a name, not {first}"
    owner = next((r for r in roots if first.name in r.members), None)
    if owner is None:
        names = [m for r in roots for m in r.members]
        api = ", ".join(r.name for r in roots if r.service != PIPELINE)
        return (
            f"a {step_type} step has no property {first.name!r}"
            + (f" ({api})" if api else "")
            + did_you_mean(first.name, names)
        )
    current = owner.child(owner.members[first.name])
    for position, token in enumerate(path[1:], start=1):
        selected = _select(current, token, render(list(path[:position])))
        if isinstance(selected, str):
            return selected
        current = selected
    return current


def _select(current: Shape, token: Token, where: str) -> Shape | str:
    """The shape `token` selects inside `current` (reached by `where`), or why it cannot."""
    kind = current.type
    if isinstance(token, Attr):
        if kind == "structure":
            if token.name in current.members:
                return current.child(current.members[token.name])
            return f"{where} ({current.name}) has no member {token.name!r}" + did_you_mean(
                token.name, current.members
            )
        if kind == "list":
            return f"{where} is a list: select an item with [0] or ['name'] before {token}"
        if kind == "map":
            return f"{where} is a map: select a value with ['key'] before {token}"
        return f"{where} is a {kind} and has no member {token.name!r}"
    if kind == "list":
        return current.child(current.item)
    if kind == "map" and isinstance(token, MapKey):
        return current.child(current.item)
    if kind == "map" and isinstance(token, Index):
        return f"{where} is a map: select a value with a quoted key, not {token}"
    return f"{where} is a {kind}, not a list or map: {token} does not apply"
