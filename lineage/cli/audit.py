"""`lineage audit`: list the saved audit queries, or run one against Neo4j."""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from lineage.cli.options import fail, prompt_password

if TYPE_CHECKING:
    from lineage.neo4j.audits import Audit


class AuditFormat(StrEnum):
    """Output formats of `lineage audit`."""

    TABLE = "table"
    JSON = "json"


def audit_command(
    name: Annotated[
        str | None, typer.Argument(help="The audit to run; omit it to list the audits.")
    ] = None,
    param: Annotated[
        list[str] | None,
        typer.Option(
            "--param",
            "-p",
            help="A parameter as name=value, repeatable. Numbers, true, false, null, JSON lists "
            'and "quoted" strings are read as JSON; anything else is a string.',
        ),
    ] = None,
    neo4j: Annotated[
        str | None,
        typer.Option(
            "--neo4j",
            envvar="NEO4J_URI",
            help="The Neo4j to query (bolt:// or neo4j://); credentials from NEO4J_USERNAME/"
            "NEO4J_PASSWORD, database from NEO4J_DATABASE.",
        ),
    ] = None,
    output_format: Annotated[
        AuditFormat, typer.Option("--format", "-f", help="Output format.")
    ] = AuditFormat.TABLE,
    browser: Annotated[
        bool,
        typer.Option(
            "--browser",
            help="Print the audit for Neo4j Browser (its :param lines, then the query) "
            "instead of running it.",
        ),
    ] = False,
) -> None:
    """Run a saved audit query (cypher/audits/) against Neo4j, or list them."""
    from neo4j.exceptions import DriverError, Neo4jError

    from lineage.neo4j.audit_browser import browser_script
    from lineage.neo4j.audit_run import execute
    from lineage.neo4j.audits import AuditError, bind, list_audits, load_audit, parse_params
    from lineage.neo4j.connect import Neo4jConnectionError, Neo4jTarget

    try:
        if name is None:
            _print_list(list_audits(), output_format)
            return
        audit = load_audit(name)
        bound = bind(audit, parse_params(param or []))
        if browser:
            sys.stdout.write(browser_script(audit, bound))
            return
        target = Neo4jTarget.resolve(neo4j, prompt=prompt_password)
        with target.open() as driver:
            columns, rows = execute(driver, target.database, audit, bound)
    except (AuditError, Neo4jConnectionError) as exc:
        raise fail(str(exc)) from None
    except (Neo4jError, DriverError) as exc:
        raise fail(f"audit {name!r} failed in Neo4j: {exc}") from None
    if output_format is AuditFormat.JSON:
        records = [dict(zip(columns, row, strict=True)) for row in rows]
        document = {"audit": name, "parameters": bound, "columns": columns, "rows": records}
        sys.stdout.write(json.dumps(document, indent=2, default=str) + "\n")
        return
    table = Table(show_edge=False, caption=f"{len(rows)} row" + ("" if len(rows) == 1 else "s"))
    for column in columns:
        table.add_column(Text(column))
    for row in rows:
        table.add_row(*(Text(cell_text(value)) for value in row))
    _console().print(table)


def _print_list(audits: list[Audit], output_format: AuditFormat) -> None:
    if output_format is AuditFormat.JSON:
        listing = [
            {
                "name": audit.name,
                "title": audit.title,
                "parameters": [asdict(p) for p in audit.parameters],
                "columns": list(audit.columns),
            }
            for audit in audits
        ]
        sys.stdout.write(json.dumps(listing, indent=2) + "\n")
        return
    table = Table("audit", "title", "parameters", show_edge=False)
    for audit in audits:
        described = "\n".join(p.describe() for p in audit.parameters)
        table.add_row(Text(audit.name), Text(audit.title), Text(described))
    _console().print(table)


def cell_text(value: Any) -> str:
    """A plain value as table text: lists one item per line, maps as JSON, null as nothing."""
    if value is None:
        return ""
    if isinstance(value, list):
        return "\n".join(cell_text(item) for item in value)
    if isinstance(value, dict):
        return json.dumps(value, default=str)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _console() -> Console:
    """Standard output; wide when it is not a terminal, so that keys and URIs stay whole."""
    return Console(highlight=False, width=None if sys.stdout.isatty() else 240)
