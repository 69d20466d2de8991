"""Level 1 rules on pipeline parameters: the types SageMaker knows and defaults that fit them."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from lineage.graph.lineage_graph import Kind, Node
from lineage.jsondoc.names import did_you_mean
from lineage.jsondoc.pointer import child
from lineage.rules.engine.model import CheckContext, Severity, Violation
from lineage.rules.engine.rulebook import node_check

# The parameter types of the Pipelines definition, and the JSON values a default of each takes.
DEFAULT_TYPES: dict[str, tuple[type, ...]] = {
    "String": (str,),
    "Integer": (int,),
    "Float": (int, float),
    "Boolean": (bool,),
}


@node_check(
    "L115",
    "invalid-parameter",
    Severity.ERROR,
    kinds=(Kind.PARAMETER,),
    summary="A pipeline parameter of an unknown type, or whose default does not fit its type",
    rationale=(
        "Pipeline parameters are String, Integer, Float or Boolean, and a `DefaultValue` must "
        'be a value of that type (an Integer default is a whole number, not `"1"` or `1.5`; '
        "a String parameter with `EnumValues` defaults to one of them). SageMaker rejects the "
        "definition, or the execution that uses the default, otherwise."
    ),
    recommendation=(
        "Use one of the four types and give the default in that type: "
        "`ParameterInteger(name=..., default_value=1)`, `ParameterFloat(..., default_value=0.7)`."
    ),
    example='{"Name": "InstanceCount", "Type": "Integer", "DefaultValue": "1"}',
    review=(
        "Corpus: 0 findings on 37 definitions and their 140 parameters. Defect fixtures: an "
        "`Int` type and a quoted Integer default."
    ),
    basis=(
        "SageMaker Pipelines definition schema (Parameters: Name, Type String|Integer|Float|"
        "Boolean, DefaultValue, EnumValues) and the SDK's ParameterTypeEnum"
    ),
)
def invalid_parameter(node: Node, context: CheckContext) -> Iterator[Violation]:
    """Parameters of unknown type, and defaults that are not a value of the declared type."""
    declared, default = str(node.get("param_type")), node.get("default")
    where = str(node.get("pointer"))
    name = node.get("name")
    if declared not in DEFAULT_TYPES:
        yield Violation(
            node,
            f"parameter {name!r} has Type {declared!r}, not one of "
            f"{', '.join(DEFAULT_TYPES)}{did_you_mean(declared, DEFAULT_TYPES)}",
            child(where, "Type"),
        )
        return
    if default is None:
        return
    if not _fits(default, declared):
        yield Violation(
            node,
            f"{declared} parameter {name!r} has the default {_shown(default)}, not "
            f"{'an' if declared == 'Integer' else 'a'} {declared.lower()}",
            child(where, "DefaultValue"),
        )
    allowed = node.get("enum_values")
    if isinstance(allowed, list) and allowed and default not in allowed:
        yield Violation(
            node,
            f"parameter {name!r} defaults to {_shown(default)}, not one of its EnumValues "
            f"{allowed}{did_you_mean(str(default), map(str, allowed))}",
            child(where, "DefaultValue"),
        )


def _fits(value: Any, declared: str) -> bool:
    wanted = DEFAULT_TYPES[declared]
    return isinstance(value, wanted) and (declared == "Boolean" or not isinstance(value, bool))


def _shown(value: Any) -> str:
    """A default as the definition's JSON writes it."""
    return repr(value) if isinstance(value, str) else json.dumps(value)
