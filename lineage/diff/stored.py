"""`lineage diff NEW --from-neo4j URI`: a definition against the one `scan --neo4j` stored."""

from __future__ import annotations

from collections.abc import Callable

from neo4j.exceptions import Neo4jError

from lineage.config import Settings
from lineage.diff.compare import PipelineDiff, Side
from lineage.diff.run import DiffInputError, diff_definitions, one_definition
from lineage.errors import InputError
from lineage.neo4j.connect import LOST, Neo4jConnectionError, Neo4jTarget
from lineage.neo4j.definitions import StoredDefinitionError, stored_definition, withheld
from lineage.neo4j.load import Neo4jLoader

# A connection lost or a query refused while reading the stored definition.
FAILED: tuple[type[Exception], ...] = (*LOST, Neo4jError)


def diff_stored(
    new: str,
    uri: str | None,
    name: str | None,
    settings: Settings,
    prompt: Callable[[str], str] | None = None,
) -> tuple[PipelineDiff, Side]:
    """Compare the stored definition of pipeline `name` (default: the new one's name) with the
    one in `new`, whose possible secrets are withheld as the stored one's are (`prompt` asks
    for a password the Neo4j user needs)."""
    after = withheld(one_definition(new))
    wanted = name or after.name
    try:
        target = Neo4jTarget.resolve(uri, prompt=prompt)
    except Neo4jConnectionError as exc:
        raise DiffInputError([InputError("--from-neo4j", str(exc))]) from None
    try:
        with target.open() as driver:
            loader = Neo4jLoader(driver, target.database)
            before = stored_definition(loader.run, wanted, target.where)
    except (Neo4jConnectionError, StoredDefinitionError) as exc:
        raise DiffInputError([InputError("--from-neo4j", str(exc))]) from None
    except FAILED as exc:
        error = InputError("--from-neo4j", f"{type(exc).__name__}: {target.told(exc)}")
        raise DiffInputError([error]) from None
    return diff_definitions(before, after, settings)
