"""Level 1 rules against the SageMaker API model in botocore: step arguments, types and bounds."""

from __future__ import annotations

from collections.abc import Iterator

from lineage.graph.lineage_graph import Kind, LineageGraph, Node, Rel
from lineage.jsondoc.pointer import child
from lineage.rules.engine.model import CheckContext, Severity, Violation
from lineage.rules.engine.rulebook import node_check
from lineage.sagemaker.api_model import (
    REQUEST_SHAPES,
    ArgumentReport,
    ExpressionSlot,
    ProblemKind,
    bounds_problem,
    check_arguments,
    enum_text,
)

TYPED_STEPS = tuple(REQUEST_SHAPES)
# Members a dedicated rule reports (L101 role, L102 image, L108 transform output, L401 approval),
# so L105/L106 leave them out instead of reporting the same problem twice.
DEDICATED_MEMBERS = frozenset(
    {"RoleArn", "ExecutionRoleArn", "TrainingImage", "ImageUri", "Image", "ModelApprovalStatus"}
)


def _dedicated(pointer: str) -> bool:
    """Whether the member at `pointer` belongs to a dedicated rule."""
    parts = pointer.rsplit("/", 2)
    return parts[-1] in DEDICATED_MEMBERS or parts[-2:] == ["TransformOutput", "S3OutputPath"]


@node_check(
    "L105",
    "invalid-arguments",
    Severity.ERROR,
    kinds=(Kind.STEP,),
    step_types=TYPED_STEPS,
    summary="Step arguments that do not fit the SageMaker API request of the step's type",
    rationale=(
        "A step's `Arguments` are sent to SageMaker as the request of its job: "
        "CreateTrainingJob for Training, CreateProcessingJob for Processing and the check steps, "
        "CreateModel, CreateModelPackage, CreateTransformJob, CreateHyperParameterTuningJob, "
        "CreateAutoMLJob. A member the request does not have (often a typo or a wrong "
        "nesting level), a required member that is missing, or a value of the wrong JSON type "
        "makes the step fail when the pipeline runs, after the steps before it have spent their "
        "time and money. The request shapes come from the service model that ships with botocore; "
        "the job or model name the pipeline service fills in itself is not required, and "
        "pipeline expressions (`Get`, `Std:Join`, `Std:JsonGet`) are accepted for any value."
    ),
    recommendation=(
        "Fix the member at the reported JSON pointer: correct its spelling (the message suggests "
        "the closest member), add the required member, or give the value the type the API takes "
        "(numbers unquoted, strings quoted, objects and lists as such)."
    ),
    example='{"Type": "Training", "Arguments": {"ResourceConfig": {"InstanceTyp": "ml.m5.large"}}}',
    review=(
        "Corpus (37 definitions), the 12 SDK fixtures and the example: 16 findings, all true "
        "positives: 14 on the placeholder Training steps of 7 SDK unit-test literals (fake "
        "`input_data`, no OutputDataConfig), and ChannelName and S3DataType missing from the "
        "CloudFormation docs example. The names the service fills in (omitted by 161 steps) are "
        "exempt; missing roles, images and transform outputs are left to L101, L102 and L108 "
        "(first review reported them twice); none on SDK-built definitions."
    ),
    basis=(
        "botocore's sagemaker service model (service-2.json): the request shape of the step's "
        "job: members, required members and JSON types of every argument"
    ),
)
def invalid_arguments(node: Node, context: CheckContext) -> Iterator[Violation]:
    """Unknown members, missing required members and wrongly typed values in `Arguments`."""
    report = _arguments_report(context.graph, node)
    for problem in report.problems:
        if problem.kind in (ProblemKind.BAD_ENUM, ProblemKind.OUT_OF_BOUNDS):
            continue
        if problem.kind is ProblemKind.MISSING_MEMBER and _dedicated(problem.pointer):
            continue
        yield Violation(node, problem.message, pointer=problem.pointer)


@node_check(
    "L106",
    "invalid-enum-value",
    Severity.ERROR,
    kinds=(Kind.STEP,),
    step_types=TYPED_STEPS,
    summary="An argument value, or the default of the parameter it reads, that the API does not "
    "accept for that member",
    rationale=(
        "Many request members take one of a fixed set of values: instance types, input modes, "
        "the model approval status, S3 data and compression types. SageMaker rejects any other "
        "value when the step runs. A value taken from a pipeline parameter is checked through "
        "the parameter's default, which is what every execution that does not override it uses."
    ),
    recommendation=(
        "Use one of the values the API lists for the member (the message suggests the closest); "
        "for a parameter, fix its `DefaultValue`."
    ),
    example='{"ModelApprovalStatus": "Approve"}',
    review=(
        "0 findings on the corpus, the SDK fixtures and the example. 3 false positives on the "
        "sn-infra-pipeline Terraform template (`${…_instance_type}` as InstanceType) were fixed "
        "by accepting whole-value template placeholders; all 92 expressions in enum slots read "
        "parameters whose defaults are valid."
    ),
    basis=(
        "botocore's sagemaker service model (service-2.json): the request shape of the step's "
        "job: each member's enum, checked for literals and parameter defaults"
    ),
)
def invalid_enum_value(node: Node, context: CheckContext) -> Iterator[Violation]:
    """Literal enum values outside the API's enum, and parameters whose default is."""
    report = _arguments_report(context.graph, node)
    for problem in report.problems:
        if problem.kind is ProblemKind.BAD_ENUM and not _dedicated(problem.pointer):
            yield Violation(node, problem.message, pointer=problem.pointer)
    graph = context.graph
    for slot in report.enum_expressions:
        if _dedicated(slot.pointer):
            continue
        ref_key = f"{node.key}#{slot.pointer}"
        if not graph.has(Kind.PROPERTY_REF, ref_key):
            continue
        for param in graph.out(graph.node(Kind.PROPERTY_REF, ref_key), Rel.RESOLVES_TO):
            default = param.get("default")
            if (
                param.kind is Kind.PARAMETER
                and isinstance(default, str)
                and default not in slot.shape.enum
            ):
                yield Violation(
                    node,
                    f"{slot.display} reads parameter {param.get('name')!r}, whose default is "
                    + enum_text(default, slot.shape),
                    pointer=slot.pointer,
                )


# What a parameter of each type can stand for, by botocore shape type.
PARAMETER_FITS = {
    "String": frozenset({"string", "timestamp"}),
    "Integer": frozenset({"integer", "long", "float", "double", "string"}),
    "Float": frozenset({"float", "double", "string"}),
    "Boolean": frozenset({"boolean", "string"}),
}
SHAPE_BASIS = "botocore's sagemaker service model (service-2.json): each request member's shape"


def _parameter_slots(graph: LineageGraph, node: Node) -> list[tuple[ExpressionSlot, Node]]:
    """Each expression in the step's arguments that reads a pipeline parameter, with it (found
    once for the rules that read them)."""
    return graph.memo_in(
        "parameter slots", node.id, lambda: list(_find_parameter_slots(graph, node))
    )


def _find_parameter_slots(graph: LineageGraph, node: Node) -> Iterator[tuple[ExpressionSlot, Node]]:
    for slot in _arguments_report(graph, node).expressions:
        ref_key = f"{node.key}#{slot.pointer}"
        if not graph.has(Kind.PROPERTY_REF, ref_key) or _dedicated(slot.pointer):
            continue
        for param in graph.out(graph.node(Kind.PROPERTY_REF, ref_key), Rel.RESOLVES_TO):
            if param.kind is Kind.PARAMETER:
                yield slot, param


@node_check(
    "L116",
    "parameter-type-mismatch",
    Severity.ERROR,
    kinds=(Kind.STEP,),
    step_types=TYPED_STEPS,
    summary="A pipeline parameter used where the API takes a value of another type",
    rationale=(
        "A parameter is substituted into the request when the step runs. A String parameter "
        "where the API takes a number (an instance count, a volume size, a timeout), a Float "
        "where it takes an integer, or a Boolean where it takes a number is rejected then, even "
        "though the definition upserts. Integer, Float and Boolean parameters may stand for "
        "strings."
    ),
    recommendation=(
        "Declare the parameter with the type the member takes (`ParameterInteger` for counts "
        "and sizes, `ParameterFloat` for fractions), or pass another parameter."
    ),
    example='{"InstanceCount": {"Get": "Parameters.InstanceCount"}} with InstanceCount a String',
    review=(
        "Corpus: 0 findings on 37 definitions. Defect fixture: a String parameter for a "
        "processing job's instance count."
    ),
    basis=SHAPE_BASIS,
)
def parameter_type_mismatch(node: Node, context: CheckContext) -> Iterator[Violation]:
    """Parameters whose declared type cannot stand for the member's shape type."""
    for slot, param in _parameter_slots(context.graph, node):
        declared = str(param.get("param_type"))
        fits = PARAMETER_FITS.get(declared)
        if fits is None or slot.shape.type in fits:
            continue
        yield Violation(
            node,
            f"{slot.display} reads {declared} parameter {param.get('name')!r}, but the API takes "
            f"{'an' if slot.shape.type == 'integer' else 'a'} {slot.shape.type} there "
            f"({slot.shape.name})",
            slot.pointer,
        )


@node_check(
    "L117",
    "value-out-of-bounds",
    Severity.ERROR,
    kinds=(Kind.STEP,),
    step_types=TYPED_STEPS,
    summary="An argument value, or a parameter's default, outside the range, length or pattern "
    "the API allows",
    rationale=(
        "The API constrains many members beyond their type: instance counts and volume sizes "
        "have minimums and maximums, names and URIs a length and a pattern, lists a number of "
        "items. SageMaker rejects a value outside them when the step runs. A value taken from a "
        "parameter is checked through its default, which every execution that does not "
        "override it uses. Template placeholders (`${...}`) and patterns Python cannot read are "
        "not judged."
    ),
    recommendation=(
        "Bring the value within the bound the message names (or fix the parameter's "
        "`DefaultValue`)."
    ),
    example='{"ResourceConfig": {"VolumeSizeInGB": 0}}',
    review=(
        "Corpus: 0 findings on 37 definitions. Defect fixtures: a processing volume above the "
        "16384 GB maximum, and a processing job on 0 instances taken from a parameter default."
    ),
    basis=SHAPE_BASIS + " (min, max and pattern)",
)
def value_out_of_bounds(node: Node, context: CheckContext) -> Iterator[Violation]:
    """Literal values and parameter defaults outside their member's bounds."""
    for problem in _arguments_report(context.graph, node).problems:
        if problem.kind is ProblemKind.OUT_OF_BOUNDS and not _dedicated(problem.pointer):
            yield Violation(node, problem.message, pointer=problem.pointer)
    for slot, param in _parameter_slots(context.graph, node):
        default = param.get("default")
        # An empty default is the idiom for "no default": each execution must pass a value.
        broken = bounds_problem(default, slot.shape) if default not in (None, "") else None
        if broken is not None:
            yield Violation(
                node,
                f"{slot.display} reads parameter {param.get('name')!r}, whose default {broken}",
                slot.pointer,
            )


def _arguments_report(graph: LineageGraph, node: Node) -> ArgumentReport:
    """The step's `Arguments` checked against the request shape of its type: once for all the
    rules that read it, and once for steps that share the very same `Arguments` object at the
    same pointer (the scan's reader shares equal subtrees; documents are never changed)."""
    raw = node.get("raw")
    arguments = raw.get("Arguments") if isinstance(raw, dict) else None
    step_type, step_pointer = node.get("step_type"), node.get("pointer")
    # The graph holds `arguments` while the memo lives (a change clears it): its id is not reused.
    return graph.memo_in(
        "arguments report",
        (step_type, id(arguments), step_pointer),
        lambda: check_arguments(step_type, arguments, child(step_pointer, "Arguments")),
    )
