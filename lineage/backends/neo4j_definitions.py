"""Pipeline definitions in Neo4j, with what may be a secret withheld: stored on each Pipeline node
by `lineage scan --neo4j`, read back by `lineage diff NEW --from-neo4j URI`.

Withheld: every literal under an `Environment` map (references to parameters and step properties
stay), every value the credential check (L206) flags, and access key ids anywhere (masked). A
diff against a stored definition withholds the same on the new side, so a change of only such a
value does not show."""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping
from typing import Any

from lineage.backends.neo4j_cleanup import Run
from lineage.checks.container_config import ACCESS_KEY_ID
from lineage.checks.model import CheckContext
from lineage.checks.registry import get_rule
from lineage.collect.sources import Definition
from lineage.config import Settings
from lineage.graph import Kind, LineageGraph
from lineage.pointer import split

WITHHELD = "(withheld)"
ENVIRONMENT = "Environment"
MASKED_KEY = "AKIA****************"
SECRET_RULE = "L206"
DEFINITION_PROPERTY = "definition"
_STORED = (
    "MATCH (p:Pipeline {key: $key}) "
    "RETURN p.definition AS definition, p.last_scanned_at AS scanned_at"
)


class StoredDefinitionError(LookupError):
    """No stored definition for the pipeline asked for; the message says why and what to do."""


def withheld_document(definition: Definition, graph: LineageGraph) -> dict[str, Any]:
    """`definition`'s document with possible secrets withheld; `graph` holds its steps."""
    document = copy.deepcopy(definition.document)
    for pointer in sorted(_flagged(f"pipeline:{definition.name}", graph)):
        _replace(document, split(pointer))
    result: dict[str, Any] = _scrubbed(document, in_environment=False)
    return result


def withheld(definition: Definition, graph: LineageGraph) -> Definition:
    """A copy of `definition` whose document has possible secrets withheld."""
    return Definition(
        definition.name, definition.source, withheld_document(definition, graph), definition.form
    )


def keep_definitions(graph: LineageGraph, definitions: Mapping[str, Definition]) -> None:
    """Put each pipeline's withheld definition on its Pipeline node, for Neo4j to store."""
    for key, definition in definitions.items():
        if graph.has(Kind.PIPELINE, key):
            text = json.dumps(withheld_document(definition, graph), sort_keys=True)
            graph.add_node(Kind.PIPELINE, key, **{DEFINITION_PROPERTY: text})


def stored_definition(run: Run, name: str, where: str) -> Definition:
    """The definition the last `scan --neo4j` stored for pipeline `name`."""
    [*found] = run(_STORED, write=False, key=f"pipeline:{name}")
    if not found:
        raise StoredDefinitionError(
            f"no pipeline {name!r} in Neo4j at {where}; `lineage scan --neo4j` stores it "
            "(--name picks another stored pipeline)"
        )
    text = found[0]["definition"]
    if not isinstance(text, str):
        raise StoredDefinitionError(
            f"pipeline {name!r} in Neo4j at {where} was stored without its definition "
            "(by an earlier version of lineage); scan it again with --neo4j"
        )
    scanned = found[0]["scanned_at"]
    source = f"neo4j {where}, pipeline {name}" + (f", scanned {scanned}" if scanned else "")
    return Definition(name, source, json.loads(text), "definition")


def _flagged(pipeline: str, graph: LineageGraph) -> set[str]:
    """The pointers of the values the credential check flags in one pipeline's steps."""
    check = get_rule(SECRET_RULE).node_check
    assert check is not None
    context = CheckContext(graph, Settings())
    return {
        violation.pointer
        for step in graph.nodes(Kind.STEP)
        if step.get("pipeline") == pipeline and isinstance(step.get("raw"), dict)
        for violation in check(step, context)
        if violation.pointer
    }


def _replace(document: Any, tokens: list[str]) -> None:
    """Withhold the value at `tokens` in `document`, when it is there."""
    node = document
    for token in tokens[:-1]:
        node = _member(node, token)
    last = tokens[-1] if tokens else None
    if isinstance(node, dict) and last in node:
        node[last] = WITHHELD
    elif isinstance(node, list) and last is not None and last.isdigit() and int(last) < len(node):
        node[int(last)] = WITHHELD


def _member(node: Any, token: str) -> Any:
    if isinstance(node, dict):
        return node.get(token)
    if isinstance(node, list) and token.isdigit() and int(token) < len(node):
        return node[int(token)]
    return None


def _scrubbed(value: Any, in_environment: bool) -> Any:
    """Literals under Environment withheld (`{"Get": ...}` references kept), access key ids
    masked."""
    if isinstance(value, dict):
        if in_environment and set(value) == {"Get"} and isinstance(value["Get"], str):
            return value
        return {
            key: _scrubbed(item, in_environment or (key == ENVIRONMENT and isinstance(item, dict)))
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [_scrubbed(item, in_environment) for item in value]
    if in_environment and value is not None:
        return WITHHELD
    if isinstance(value, str):
        return ACCESS_KEY_ID.sub(MASKED_KEY, value)
    return value
