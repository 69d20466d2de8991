"""Scan the two versions a diff compares, under one pipeline name so their findings line up."""

from __future__ import annotations

from lineage.collect.sources import Definition, load_sources
from lineage.config import Settings
from lineage.diff.compare import PipelineDiff, Side, compare
from lineage.errors import InputError
from lineage.rules.engine.run import run_rules
from lineage.scan import build_graph


class DiffInputError(Exception):
    """A version that cannot be compared: unreadable, or not exactly one pipeline."""

    def __init__(self, errors: list[InputError]) -> None:
        super().__init__("; ".join(str(e) for e in errors))
        self.errors = errors


def one_definition(source: str) -> Definition:
    loaded = load_sources([source])
    if loaded.errors:
        raise DiffInputError(loaded.errors)
    if len(loaded.definitions) != 1:
        found = f"{len(loaded.definitions)} pipeline definitions"
        raise DiffInputError([InputError(source, f"{found}; diff compares one with one")])
    return loaded.definitions[0]


def _side(definition: Definition, settings: Settings) -> Side:
    graph, definitions = build_graph([definition])
    return Side(definition.source, graph, run_rules(graph, definitions, settings))


def diff_sources(old: str, new: str, settings: Settings) -> tuple[PipelineDiff, Side]:
    """Compare the pipeline definition in `old` with the one in `new`; also the new side."""
    return diff_definitions(one_definition(old), one_definition(new), settings)


def diff_definitions(
    before: Definition, after: Definition, settings: Settings
) -> tuple[PipelineDiff, Side]:
    """Compare two definitions, scanned under the name of `after`; also the new side."""
    before.name = after.name
    newer = _side(after, settings)
    return compare(_side(before, settings), newer), newer
