"""Pipeline definitions in Neo4j: stored on each Pipeline node by `lineage scan --neo4j`, read
back by `lineage diff NEW --from-neo4j URI`.

A definition's secrets are masked when it is read (`lineage.graph.secrets`); on top of that, every
literal under an `Environment` map is withheld here (references to parameters and step
properties stay), as the registry collector keeps no container environment. A diff against a
stored definition withholds the same on the new side, so a change of only such a value does not
show."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from lineage.collect.sources import Definition
from lineage.graph.lineage_graph import Kind, LineageGraph
from lineage.neo4j.cleanup import Run

WITHHELD = "(withheld)"
ENVIRONMENT = "Environment"
DEFINITION_PROPERTY = "definition"
_STORED = (
    "MATCH (p:Pipeline {key: $key}) "
    "RETURN p.definition AS definition, p.last_scanned_at AS scanned_at"
)


class StoredDefinitionError(LookupError):
    """No stored definition for the pipeline asked for; the message says why and what to do."""


def withheld(definition: Definition) -> Definition:
    """A copy of `definition` with the literals under its Environment maps withheld."""
    document = _withheld(definition.document, in_environment=False)
    return Definition(definition.name, definition.source, document, definition.form)


def keep_definitions(graph: LineageGraph, definitions: Mapping[str, Definition]) -> None:
    """Put each pipeline's withheld definition on its Pipeline node, for Neo4j to store."""
    for key, definition in definitions.items():
        if graph.has(Kind.PIPELINE, key):
            text = json.dumps(withheld(definition).document, sort_keys=True)
            graph.add_node(Kind.PIPELINE, key, **{DEFINITION_PROPERTY: text})


def stored_definition(run: Run, name: str, where: str) -> Definition:
    """The definition the last `scan --neo4j` stored for pipeline `name`."""
    found = run(_STORED, write=False, key=f"pipeline:{name}")
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


def _withheld(value: Any, in_environment: bool) -> Any:
    """Literals under Environment maps withheld; `{"Get": ...}` references kept."""
    if isinstance(value, dict):
        if in_environment and set(value) == {"Get"} and isinstance(value["Get"], str):
            return value
        return {
            key: _withheld(item, in_environment or (key == ENVIRONMENT and isinstance(item, dict)))
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [_withheld(item, in_environment) for item in value]
    return WITHHELD if in_environment and value is not None else value
