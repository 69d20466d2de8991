"""Level 1 rule on a Processing step's property files: their members and the output they name."""

from __future__ import annotations

from collections.abc import Iterator

from lineage.graph.lineage_graph import Kind, Node
from lineage.jsondoc.names import did_you_mean
from lineage.jsondoc.pointer import child
from lineage.rules.engine.arguments import arguments, describe
from lineage.rules.engine.model import CheckContext, Severity, Violation
from lineage.rules.engine.rulebook import node_check

MEMBERS = ("PropertyFileName", "OutputName", "FilePath")


@node_check(
    "L114",
    "invalid-property-file",
    Severity.ERROR,
    kinds=(Kind.STEP,),
    step_types=("Processing",),
    summary="A property file without its three members, or naming an output the step lacks",
    rationale=(
        "A Processing step's `PropertyFiles` entries tell SageMaker which JSON file of which "
        "output to read for `Std:JsonGet`: each has exactly `PropertyFileName`, `OutputName` "
        "and `FilePath`, and `OutputName` must be one of the step's `ProcessingOutputs`. "
        "Otherwise the definition is rejected, or the gate that reads the file fails when it "
        "runs (a common slip: `output_name` in `PropertyFile(...)` differs from the "
        "`ProcessingOutput`'s name)."
    ),
    recommendation=(
        "Give `PropertyFile(name=..., output_name=..., path=...)` the `output_name` of one of "
        "the step's `ProcessingOutput`s (the message suggests the closest)."
    ),
    example='{"PropertyFiles": [{"PropertyFileName": "Report", "OutputName": "evaluaton", '
    '"FilePath": "evaluation.json"}]}',
    review=(
        "Corpus: 0 findings on the 15 property files of 37 definitions. Defect fixtures: an "
        "OutputName that misspells the evaluation output, and a file without its path."
    ),
    basis=(
        "SageMaker Pipelines definition schema (Processing step PropertyFiles) and the SDK's "
        "PropertyFile.expr (PropertyFileName, OutputName, FilePath)"
    ),
)
def invalid_property_file(node: Node, context: CheckContext) -> Iterator[Violation]:
    """Property files with missing or extra members, or naming an undeclared output."""
    raw = node.get("raw")
    files = raw.get("PropertyFiles") if isinstance(raw, dict) else None
    if not isinstance(files, list):
        return
    outputs = [
        o.get("OutputName")
        for o in arguments(node).at("ProcessingOutputConfig").items("Outputs")
        if isinstance(o.get("OutputName"), str)
    ]
    base = child(node.get("pointer"), "PropertyFiles")
    for index, entry in enumerate(files):
        where = child(base, index)
        if not isinstance(entry, dict):
            yield Violation(node, f"a property file of {describe(node)} is not an object", where)
            continue
        yield from _members(node, entry, where)
        name = entry.get("OutputName")
        if isinstance(name, str) and name not in outputs:
            declared = ", ".join(map(repr, outputs)) or "none"
            yield Violation(
                node,
                f"property file {entry.get('PropertyFileName')!r} of {describe(node)} reads "
                f"output {name!r}, which the step does not declare (outputs: {declared})"
                + did_you_mean(name, outputs),
                child(where, "OutputName"),
            )


def _members(node: Node, entry: dict[str, object], where: str) -> Iterator[Violation]:
    for member in MEMBERS:
        if not isinstance(entry.get(member), str) or not str(entry[member]).strip():
            yield Violation(
                node,
                f"a property file of {describe(node)} lacks {member} (a non-empty string)",
                child(where, member),
            )
    for member in sorted(set(entry) - set(MEMBERS)):
        yield Violation(
            node,
            f"a property file of {describe(node)} has {member!r}, which property files do not "
            f"take ({', '.join(MEMBERS)}){did_you_mean(member, MEMBERS)}",
            child(where, member),
        )
