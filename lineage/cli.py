"""The `lineage` command line: scan, rules, explain (and db)."""

from __future__ import annotations

import io
import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from lineage import __version__
from lineage.backends import NEO4J_BATCH_SIZE
from lineage.checks.engine import enabled_rules
from lineage.checks.model import Rule
from lineage.checks.registry import UnknownRuleError, all_rules, get_rule
from lineage.config import ConfigError, Settings, load_settings
from lineage.db.cli import db_app
from lineage.report.json_report import json_report
from lineage.report.rules_doc import rules_markdown
from lineage.report.sarif import sarif_log
from lineage.report.table import print_table
from lineage.scan import ScanResult, check, collect
from lineage.suggest import close_matches

EXIT_CLEAN, EXIT_FINDINGS, EXIT_INPUT_ERROR = 0, 1, 2

app = typer.Typer(
    name="lineage",
    help="Lineage analysis and validation of SageMaker pipelines and the Model Registry.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
app.add_typer(db_app, name="db", help="Start, stop and inspect a local Neo4j server.")
stderr = Console(stderr=True, highlight=False)


class ReportFormat(StrEnum):
    """Output formats of `lineage scan`."""

    TABLE = "table"
    JSON = "json"
    SARIF = "sarif"


class ListFormat(StrEnum):
    """Output formats of `lineage rules`."""

    TABLE = "table"
    JSON = "json"
    MARKDOWN = "markdown"


def fail(message: str) -> typer.Exit:
    """Print a one-line error to stderr; return the exit for a usage or input error."""
    stderr.print(Text(f"lineage: {message}", style="bold red"))
    return typer.Exit(EXIT_INPUT_ERROR)


def _settings(
    config: Path | None, select: list[str] | None, ignore: list[str] | None, fail_on: str | None
) -> Settings:
    try:
        return load_settings(config=config).with_options(select, ignore, fail_on)
    except ConfigError as exc:
        raise fail(str(exc)) from None


@app.command("scan")
def scan_command(
    sources: Annotated[
        list[str],
        typer.Argument(
            help="Definition JSON files, directories, describe_pipeline responses, "
            "`-` for stdin, or module.path:attribute naming a SageMaker SDK Pipeline."
        ),
    ],
    output_format: Annotated[
        ReportFormat, typer.Option("--format", "-f", help="Report format.")
    ] = ReportFormat.TABLE,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the report to this file.")
    ] = None,
    select: Annotated[
        list[str] | None, typer.Option(help="Only these rule codes or prefixes (L3, L301).")
    ] = None,
    ignore: Annotated[
        list[str] | None, typer.Option(help="Skip these rule codes or prefixes.")
    ] = None,
    fail_on: Annotated[
        str | None,
        typer.Option(help="Exit 1 on findings at or above: error, warning, info, never."),
    ] = None,
    config: Annotated[
        Path | None,
        typer.Option(help="A pyproject.toml to read [tool.lineage] from (default: nearest)."),
    ] = None,
    neo4j: Annotated[
        str | None,
        typer.Option(
            envvar="NEO4J_URI",
            help="Also load the graph and findings into this Neo4j (bolt:// or neo4j://); "
            "credentials from NEO4J_USERNAME/NEO4J_PASSWORD, database from NEO4J_DATABASE.",
        ),
    ] = None,
    neo4j_batch_size: Annotated[
        int, typer.Option(min=1, help="Rows per UNWIND batch when loading into Neo4j.")
    ] = NEO4J_BATCH_SIZE,
) -> None:
    """Scan pipeline definitions and report the findings."""
    settings = _settings(config, select, ignore, fail_on)
    result = collect(sources)
    if neo4j is None:
        check(result, settings)
    else:
        _scan_in_neo4j(result, settings, neo4j, neo4j_batch_size)
    report = _render(result, settings, output_format, to_file=output is not None)
    if output is not None:
        try:
            output.write_text(report, encoding="utf-8")
        except OSError as exc:
            raise fail(f"cannot write {output}: {exc.strerror}") from None
        for error in result.errors:
            stderr.print(Text(f"lineage: {error}", style="bold red"))
    else:
        sys.stdout.write(report)
    raise typer.Exit(_exit_code(result, settings))


def _scan_in_neo4j(result: ScanResult, settings: Settings, uri: str, batch_size: int) -> None:
    """Load the graph into Neo4j, run the graph rules there, then load the findings."""
    from lineage.backends.neo4j_connect import Neo4jConnectionError, Neo4jTarget
    from lineage.backends.neo4j_load import Neo4jLoader
    from lineage.backends.neo4j_rules import Neo4jRuleBackend

    try:
        target = Neo4jTarget.resolve(uri, prompt=_prompt_password)
        with target.open() as driver:
            loader = Neo4jLoader(driver, target.database, batch_size)
            report = loader.load_graph(result.graph)
            backend = Neo4jRuleBackend(driver, target.database, list(result.definitions))
            check(result, settings, backend)
            loader.load_findings(result.findings, report)
            loader.finish(set(result.definitions), report)
    except Neo4jConnectionError as exc:
        raise fail(str(exc)) from None
    stderr.print(
        Text(
            f"lineage: loaded {report.rows} rows into {target.uri} (database "
            f"{target.database}), scan {report.scan_id}; removed {report.removed} stale nodes"
        )
    )


def _prompt_password(question: str) -> str:
    from lineage.backends.neo4j_connect import Neo4jConnectionError

    if not sys.stdin.isatty():
        raise Neo4jConnectionError(
            "NEO4J_USERNAME is set but NEO4J_PASSWORD is not, and there is no terminal to ask"
        )
    return str(typer.prompt(question, hide_input=True))


def _render(result: ScanResult, settings: Settings, fmt: ReportFormat, to_file: bool) -> str:
    if fmt is ReportFormat.JSON:
        pipelines = [
            {"name": d.name, "source": d.source, "form": d.form, "sha256": d.sha256}
            for d in result.definitions.values()
        ]
        return json_report(result.findings, result.errors, pipelines, result.skipped, __version__)
    if fmt is ReportFormat.SARIF:
        log = sarif_log(result.findings, enabled_rules(settings), result.errors, __version__)
        return json.dumps(log, indent=2) + "\n"
    buffer = io.StringIO()
    console = Console(
        file=buffer,
        force_terminal=not to_file and sys.stdout.isatty(),
        width=None if sys.stdout.isatty() and not to_file else 160,
        highlight=False,
    )
    print_table(console, result.findings, result.errors, len(result.definitions))
    return buffer.getvalue()


def _exit_code(result: ScanResult, settings: Settings) -> int:
    if result.errors:
        return EXIT_INPUT_ERROR
    if any(settings.fails(f.severity) for f in result.findings):
        return EXIT_FINDINGS
    return EXIT_CLEAN


@app.command("rules")
def rules_command(
    output_format: Annotated[ListFormat, typer.Option("--format", "-f")] = ListFormat.TABLE,
) -> None:
    """List every rule: code, name, level, severity and what it checks."""
    rules = all_rules()
    if output_format is ListFormat.JSON:
        sys.stdout.write(json.dumps([r.metadata() for r in rules], indent=2) + "\n")
        return
    if output_format is ListFormat.MARKDOWN:
        sys.stdout.write(rules_markdown(rules))
        return
    table = Table(show_edge=False)
    for column in ("code", "name", "level", "severity", "kind"):
        table.add_column(column, no_wrap=True)
    table.add_column("summary", overflow="fold")
    for rule in rules:
        meta = rule.metadata()
        table.add_row(
            rule.code, rule.name, f"L{rule.level}", rule.severity.value, meta["kind"], rule.summary
        )
    Console(highlight=False).print(table)


@app.command("explain")
def explain_command(code: Annotated[str, typer.Argument(help="A rule code or name.")]) -> None:
    """Show a rule's documentation: rationale, recommendation and an example."""
    try:
        rule = get_rule(code)
    except UnknownRuleError:
        candidates = [r.code for r in all_rules()] + [r.name for r in all_rules()]
        hint = close_matches(code, candidates, n=3)
        raise fail(
            f"no rule {code!r}"
            + (f"; did you mean {', '.join(hint)}?" if hint else "")
            + " (`lineage rules` lists them all)"
        ) from None
    sys.stdout.write(explain_text(rule))


def explain_text(rule: Rule) -> str:
    """The plain-text explanation of one rule."""
    lines = [
        f"{rule.code} {rule.name}",
        "",
        f"Level:       L{rule.level}",
        f"Severity:    {rule.severity.value}",
        f"Kind:        {'graph rule' if rule.is_graph_rule else 'node check'}",
        f"Applies to:  {rule.applies_to}",
        "",
        rule.summary + ".",
        "",
        "Why: " + rule.rationale,
        "",
        "Fix: " + rule.recommendation,
    ]
    if rule.example:
        lines += ["", "Example that triggers it:", "    " + rule.example]
    return "\n".join(lines) + "\n"


@app.callback(invoke_without_command=True)
def _root(
    version: Annotated[bool, typer.Option("--version", help="Print the version.")] = False,
) -> None:
    if version:
        sys.stdout.write(f"lineage {__version__}\n")
        raise typer.Exit(EXIT_CLEAN)


def main() -> None:
    """Entry point: run the app; no traceback ever reaches the user."""
    try:
        app(standalone_mode=True)
    except SystemExit:
        raise
    except KeyboardInterrupt:
        stderr.print("lineage: interrupted")
        sys.exit(130)
    except Exception as exc:
        stderr.print(Text(f"lineage: internal error: {type(exc).__name__}: {exc}", style="red"))
        sys.exit(EXIT_INPUT_ERROR)
