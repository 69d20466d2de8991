"""`lineage diff OLD NEW`: parsing its arguments and printing the diff."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from lineage.cli.options import fail, prompt_password, settings_from
from lineage.cli.view import AUTO_NEO4J

EXIT_EQUAL, EXIT_DIFFERENT = 0, 1


class DiffFormat(StrEnum):
    """Output formats of `lineage diff`."""

    TABLE = "table"
    JSON = "json"
    HTML = "html"


def diff_command(
    old: Annotated[
        str,
        typer.Argument(
            help="The earlier version: a definition or describe_pipeline response "
            "(with --from-neo4j: the version to compare with the stored one)."
        ),
    ],
    new: Annotated[
        str | None, typer.Argument(help="The later version, in any form `lineage scan` reads.")
    ] = None,
    output_format: Annotated[
        DiffFormat, typer.Option("--format", "-f", help="Output format.")
    ] = DiffFormat.TABLE,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file (default: stdout).")
    ] = None,
    config: Annotated[
        Path | None,
        typer.Option(help="A pyproject.toml to read \\[tool.lineage] from (default: nearest)."),
    ] = None,
    from_neo4j: Annotated[
        str | None,
        typer.Option(
            "--from-neo4j",
            help="Compare OLD with the definition the last `scan --neo4j` stored in this Neo4j "
            f"(bolt:// or neo4j://; `{AUTO_NEO4J}`: NEO4J_URI, else the server `lineage db "
            "start` runs), environment values withheld on both sides.",
        ),
    ] = None,
    name: Annotated[
        str | None,
        typer.Option(help="With --from-neo4j: the stored pipeline (default: OLD's name)."),
    ] = None,
) -> None:
    """Compare two versions of a pipeline, or one with the version stored in Neo4j: steps,
    parameters, references, artifacts, findings, and the registrations, models and transforms
    each change reaches. Exit 0 when equal, 1 when different."""
    from lineage.diff.render import diff_html, diff_json, diff_table  # loaded by `diff` only
    from lineage.diff.run import DiffInputError, diff_sources

    if output_format is DiffFormat.HTML and output is None and sys.stdout.isatty():
        raise fail("the diff view is an HTML page: write it to a file with -o FILE")
    settings = settings_from(config, None, None)
    if (new is None) == (from_neo4j is None) or (name is not None and from_neo4j is None):
        raise fail("give OLD and NEW, or one version with --from-neo4j URI (and --name)")
    try:
        if new is not None:
            diff, newer = diff_sources(old, new, settings)
        else:
            from lineage.diff.stored import diff_stored  # the Neo4j driver, only when asked

            uri = None if from_neo4j == AUTO_NEO4J else from_neo4j
            diff, newer = diff_stored(old, uri, name, settings, prompt_password)
    except DiffInputError as exc:
        for error in exc.errors[:-1]:
            typer.echo(f"lineage: {error}", err=True)
        raise fail(str(exc.errors[-1])) from None
    if output_format is DiffFormat.JSON:
        text = json.dumps(diff_json(diff), indent=2) + "\n"
    elif output_format is DiffFormat.HTML:
        text = diff_html(diff, newer)
    else:
        text = diff_table(diff, None if output is None and sys.stdout.isatty() else 160)
    if output is None:
        sys.stdout.write(text)
    else:
        try:
            output.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise fail(f"cannot write {output}: {exc.strerror}") from None
    raise typer.Exit(EXIT_EQUAL if diff.equal else EXIT_DIFFERENT)
