"""The `lineage` command line: scan, rules, explain, view, trace, audit and db."""

from __future__ import annotations

import io
import json
import sys
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console

from lineage import __version__
from lineage.cli import plain_values
from lineage.cli.audit import audit_command
from lineage.cli.db import db_app
from lineage.cli.diff import diff_command
from lineage.cli.export import export_app
from lineage.cli.options import (
    EXIT_CLEAN,
    EXIT_FINDINGS,
    EXIT_INPUT_ERROR,
    FailOn,
    fail,
    prompt_password,
    say,
    settings_from,
)
from lineage.cli.registry import RegistryArgs, collect_registry
from lineage.cli.view import ViewError, trace_command, view_command, write_view
from lineage.collect.sources import STDIN
from lineage.config import Settings
from lineage.jsondoc.names import close_matches
from lineage.neo4j import NEO4J_BATCH_SIZE
from lineage.report.json_report import json_report
from lineage.report.snapshot import Snapshot, indexed, snapshot_path, write_snapshot
from lineage.report.table import print_package_changes, print_table
from lineage.review.baseline import Baseline, BaselineError, read_baseline
from lineage.review.outcome import Outcome, review
from lineage.review.registry import Coverage, PackageState, changes_json, package_states
from lineage.rules.engine.model import Finding, Rule
from lineage.rules.engine.rulebook import UnknownRuleError, all_rules, get_rule
from lineage.rules.engine.run import enabled_rules
from lineage.scan import ScanResult, check, check_in_neo4j, collect

if TYPE_CHECKING:
    from lineage.collect.registry.model import RegistryCollection


plain_values.install()
app = typer.Typer(
    name="lineage",
    help="Lineage analysis and validation of SageMaker pipelines and the Model Registry.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
app.add_typer(db_app, name="db", help="Start, stop and inspect a local Neo4j server.")
app.add_typer(export_app, name="export", help="Export the lineage graph to other tools.")
app.command("view")(view_command)
app.command("audit")(audit_command)
app.command("trace")(trace_command)
app.command("diff")(diff_command)


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


@app.command("scan")
def scan_command(
    sources: Annotated[
        list[str] | None,
        typer.Argument(
            help="Definition JSON files, directories, describe_pipeline responses, "
            "`-` for stdin, or module.path:attribute naming a SageMaker SDK Pipeline "
            "(optional with --registry)."
        ),
    ] = None,
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
        FailOn | None,
        typer.Option(help="Exit 1 on findings at or above this severity (default: error)."),
    ] = None,
    config: Annotated[
        Path | None,
        typer.Option(help="A pyproject.toml to read \\[tool.lineage] from (default: nearest)."),
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
    html: Annotated[
        Path | None,
        typer.Option(help="Also write the interactive HTML view of the graph to this file."),
    ] = None,
    registry: Annotated[
        bool,
        typer.Option(
            "--registry", help="Also collect the live SageMaker Model Registry (docs/registry.md)."
        ),
    ] = False,
    region: Annotated[
        list[str] | None,
        typer.Option(help="Registry: an AWS region to read (repeatable; default: the profile's)."),
    ] = None,
    profile: Annotated[str | None, typer.Option(help="Registry: the AWS profile to use.")] = None,
    role_arn: Annotated[
        list[str] | None,
        typer.Option(help="Registry: assume this role to read its account (repeatable)."),
    ] = None,
    endpoint_url: Annotated[
        str | None, typer.Option(help="Registry: send the AWS calls here (e.g. an emulator).")
    ] = None,
    group: Annotated[
        list[str] | None,
        typer.Option(help="Registry: only this model package group (repeatable)."),
    ] = None,
    since: Annotated[
        str | None,
        typer.Option(
            help="Registry: only versions created or changed since this ISO 8601 date or time "
            "(incremental: nothing is cleaned up in Neo4j)."
        ),
    ] = None,
    project_root: Annotated[
        Path | None,
        typer.Option(
            file_okay=False,
            help="SARIF: file URIs relative to this directory (default: the git work tree's top, "
            "else the current directory).",
        ),
    ] = None,
    stdin_filename: Annotated[
        str | None,
        typer.Option(
            "--stdin-filename",
            metavar="PATH",
            help="The file to report the definition read from `-` as (named after it, and "
            "in every format relative to --project-root like other files); lines still come "
            "from standard input.",
        ),
    ] = None,
    skip_other_json: Annotated[
        bool,
        typer.Option(
            "--skip-other-json",
            help="Skip JSON files that are not pipeline definitions, as in directories "
            "(for hooks that pass every changed *.json).",
        ),
    ] = False,
    baseline: Annotated[
        str | None,
        typer.Option(
            help="An earlier JSON report, or `neo4j`: what the last --neo4j scan stored there. "
            "Mark findings new or unchanged, list the resolved ones and the model package "
            "versions new, removed or regressed, and let --fail-on count only the new findings."
        ),
    ] = None,
    show_suppressed: Annotated[
        bool,
        typer.Option(
            "--show-suppressed", help="Table: also list findings accepted by `suppress` entries."
        ),
    ] = False,
    snapshot: Annotated[
        Path | None,
        typer.Option(
            help="Registry: write what was collected (redacted) to this JSON file, where SARIF "
            "results on the registry point (default: beside --output as NAME.registry.json; "
            "lineage-registry.json for SARIF on stdout).",
        ),
    ] = None,
    quiet: Annotated[
        bool,
        typer.Option(
            "--quiet",
            "-q",
            help="Registry: no progress on stderr (shown by default: a bar at a "
            "terminal, a line every few seconds in CI and logs).",
        ),
    ] = False,
) -> None:
    """Scan pipeline definitions and the live registry, and report the findings."""
    settings = settings_from(config, select, ignore, fail_on.value if fail_on else None)
    earlier = _read_baseline(baseline, neo4j)
    wanted = RegistryArgs(registry, region, profile, role_arn, endpoint_url, group, since, snapshot)
    if not sources and not registry:
        raise fail(
            "missing SOURCE: give pipeline definitions (files, directories, -), or --registry"
        )
    if stdin_filename is not None and STDIN not in (sources or []):
        raise fail("--stdin-filename names standard input: give `-` as a SOURCE")
    result = collect(sources or [], skip_other_json=skip_other_json, stdin_name=stdin_filename)
    collection = (
        collect_registry(result, wanted, quiet, echo=output is None) if wanted.check() else None
    )
    if neo4j is None:
        check(result, settings)
    else:
        stored = _scan_in_neo4j(
            result, settings, neo4j, neo4j_batch_size, collection, baseline == NEO4J_BASELINE
        )
        earlier = stored or earlier
    coverage = Coverage.of(collection.complete if collection else (), result.graph)
    packages = package_states(result.graph) if collection is not None else None
    outcome = review(result.findings, settings, earlier, coverage, packages)
    result.findings = outcome.findings
    for warning in outcome.expiry_warnings():
        say(f"warning: {warning}", style="yellow")
    if html is not None:
        try:
            write_view(result, html)
        except ViewError as exc:
            raise fail(str(exc)) from None
    shown = Shown(
        output_format,
        to_file=output is not None,
        show_suppressed=show_suppressed,
        project_root=project_root,
    )
    written = (
        _write_snapshot(result, collection, snapshot, output, output_format)
        if collection is not None
        else None
    )
    snapshots = [indexed(s) for s in result.snapshots] + ([written] if written else [])
    report = _render(result, settings, outcome, shown, packages, snapshots)
    if output is not None:
        try:
            output.write_text(report, encoding="utf-8")
        except OSError as exc:
            raise fail(f"cannot write {output}: {exc.strerror}") from None
        for error in result.errors:
            say(str(error), style="bold red")
    else:
        sys.stdout.write(report)
    raise typer.Exit(_exit_code(result, settings, outcome))


NEO4J_BASELINE = "neo4j"


def _read_baseline(given: str | None, neo4j: str | None) -> Baseline | None:
    """The JSON report `--baseline` names; None when none is given or it is read from Neo4j."""
    if given == NEO4J_BASELINE:
        if neo4j is None:
            raise fail("--baseline neo4j: give the server with --neo4j URI (or NEO4J_URI)")
        return None
    if given is None:
        return None
    try:
        return read_baseline(Path(given))
    except BaselineError as exc:
        raise fail(f"--baseline: {exc}") from None


@dataclass(frozen=True)
class Shown:
    """How the report is shown: its format, whether it goes to a file, suppressed findings."""

    format: ReportFormat
    to_file: bool
    show_suppressed: bool
    project_root: Path | None  # SARIF URIs are relative to it; None: the git top level


def _write_snapshot(
    result: ScanResult,
    collection: RegistryCollection,
    chosen: Path | None,
    output: Path | None,
    output_format: ReportFormat,
) -> Snapshot | None:
    """Write the registry snapshot where asked, or beside the report (see `snapshot_path`)."""
    sarif_on_stdout = output is None and output_format is ReportFormat.SARIF
    path = chosen or snapshot_path(output, sarif_on_stdout)
    if path is None:
        return None
    if output is not None and path.absolute() == output.absolute():
        raise fail(f"--snapshot: {path} is the report's own file")
    try:
        written = write_snapshot(path, result.graph, collection)
    except OSError as exc:
        raise fail(f"cannot write {path}: {exc.strerror}") from None
    say(f"registry snapshot: {path}")
    return written


def _scan_in_neo4j(
    result: ScanResult,
    settings: Settings,
    uri: str,
    batch_size: int,
    registry: RegistryCollection | None = None,
    baseline: bool = False,
) -> Baseline | None:
    """Check the scan in the Neo4j at `uri` and say what was written; with `baseline`, return
    what the previous load stored, read before this one replaces it."""
    from lineage.neo4j.connect import Neo4jConnectionError, Neo4jTarget

    try:
        target = Neo4jTarget.resolve(uri, prompt=prompt_password)
        checked = check_in_neo4j(result, settings, target, batch_size, registry, baseline)
    except Neo4jConnectionError as exc:
        raise fail(str(exc)) from None
    if checked.report is not None:
        report = checked.report
        say(
            f"wrote {report.rows} rows ({report.unchanged} unchanged) into {target.where} "
            f"(database {target.database}), "
            f"scan {report.scan_id}; removed {report.removed} stale nodes"
        )
    return checked.earlier


def _render(
    result: ScanResult,
    settings: Settings,
    outcome: Outcome,
    shown: Shown,
    packages: list[PackageState] | None,
    snapshots: list[Snapshot],
) -> str:
    resolved = [Finding.from_dict(item) for item in outcome.resolved]
    changes = outcome.packages
    if shown.format is ReportFormat.JSON:
        pipelines = [
            {"name": d.name, "source": d.source, "form": d.form, "sha256": d.sha256}
            for d in result.definitions.values()
        ]
        extra: dict[str, Any] = {"expired_suppressions": outcome.expiry_warnings()}
        if packages is not None:
            extra["registry"] = {"packages": [s.as_dict() for s in packages]}
        if outcome.baseline is not None:
            extra |= {"baseline": outcome.baseline, "resolved": outcome.resolved}
        if changes is not None:
            extra["registry_changes"] = changes_json(changes)
        return json_report(
            result.findings, result.errors, pipelines, result.skipped, __version__, extra
        )
    if shown.format is ReportFormat.SARIF:
        from lineage.report.sarif import repository_root, sarif_log  # SARIF only

        log = sarif_log(
            result.findings,
            enabled_rules(settings),
            result.errors,
            __version__,
            base_dir=shown.project_root or repository_root(Path.cwd()),
            resolved=resolved,
            warnings=outcome.expiry_warnings() + outcome.regressions(),
            registry_changes=changes_json(changes) if changes is not None else None,
            rules_url=settings.rules_url,
            snapshots=snapshots,
        )
        return json.dumps(log, indent=2) + "\n"
    buffer = io.StringIO()
    console = Console(
        file=buffer,
        force_terminal=not shown.to_file and sys.stdout.isatty(),
        width=None if sys.stdout.isatty() and not shown.to_file else 160,
        highlight=False,
    )
    print_table(
        console,
        result.findings,
        result.errors,
        len(result.definitions),
        show_suppressed=shown.show_suppressed,
        resolved=len(resolved) if outcome.baseline is not None else None,
    )
    if changes is not None:
        print_package_changes(console, changes)
    return buffer.getvalue()


def _exit_code(result: ScanResult, settings: Settings, outcome: Outcome) -> int:
    if result.errors:
        return EXIT_INPUT_ERROR
    if any(settings.fails(f.severity) for f in outcome.counted()):
        return EXIT_FINDINGS
    return EXIT_CLEAN


@app.command("rules")
def rules_command(
    output_format: Annotated[ListFormat, typer.Option("--format", "-f")] = ListFormat.TABLE,
    verdicts: Annotated[
        Path | None,
        typer.Option(
            help="Markdown: add each rule's judged findings and false-alarm rate from this "
            "verdicts TSV (tests/corpus_verdicts.tsv)."
        ),
    ] = None,
) -> None:
    """List every rule: code, name, level, severity and what it checks."""
    from lineage.report.rules_doc import rules_markdown
    from lineage.report.rules_table import print_rules
    from lineage.report.verdicts import VerdictsError, read_verdicts, tally

    rules = all_rules()
    if output_format is ListFormat.JSON:
        sys.stdout.write(json.dumps([r.metadata() for r in rules], indent=2) + "\n")
        return
    if output_format is ListFormat.MARKDOWN:
        try:
            judged = tally(read_verdicts(verdicts)) if verdicts is not None else None
        except VerdictsError as exc:
            raise fail(str(exc)) from None
        sys.stdout.write(rules_markdown(rules, judged))
        return
    print_rules(Console(highlight=False), rules)


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


ABSORBS = "where this rule fires, their findings for the same step are folded into its finding"


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
    if rule.absorbs:
        lines += ["", f"Absorbs: {', '.join(rule.absorbs)} (one cause, one finding: {ABSORBS})"]
    if rule.basis:
        lines += ["", f"Basis: {rule.basis}"]
    if rule.example:
        lines += ["", "Example that triggers it:", "    " + rule.example]
    return "\n".join([*lines, "", *_where_defined(rule)]) + "\n"


def _where_defined(rule: Rule) -> list[str]:
    """Where the rule's code, its Cypher twin and its documentation are in the repository."""
    from lineage.neo4j.cypher_files import CYPHER_DIR  # `lineage explain` only

    lines = [f"Defined in:  {rule.module.replace('.', '/')}.py"]
    cypher = f"rules/{rule.code}.cypher"
    if rule.is_graph_rule and (CYPHER_DIR / cypher).is_file():
        lines.append(f"Cypher:      cypher/{cypher}")
    return [*lines, f"Docs:        docs/rules.md#{rule.code.lower()}-{rule.name}"]


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
        say("interrupted")
        sys.exit(130)
    except Exception as exc:
        say(f"internal error: {type(exc).__name__}: {exc}", style="red")
        sys.exit(EXIT_INPUT_ERROR)
