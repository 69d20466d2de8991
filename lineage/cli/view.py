"""`lineage view` (an interactive HTML graph) and `lineage trace` (upstream / downstream)."""

from __future__ import annotations

import io
import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from lineage.cli.options import EXIT_INPUT_ERROR, fail, prompt_password, say, settings_from
from lineage.config import Settings
from lineage.graph.lineage_graph import Kind
from lineage.graph.trace import Direction, NodeMatchError, Trace, describe_matches, resolve, trace
from lineage.report.table import SEVERITY_STYLE
from lineage.rules.engine.model import Finding, Severity
from lineage.scan import ScanResult, check, collect

SourcesArgument = Annotated[
    list[str] | None,
    typer.Argument(
        help="Definition JSON files, directories, describe_pipeline responses, `-` for stdin, "
        "or module.path:attribute naming a SageMaker SDK Pipeline."
    ),
]
OutputOption = Annotated[
    Path | None, typer.Option("--output", "-o", help="Write to this file (default: stdout).")
]
DepthOption = Annotated[int | None, typer.Option(min=1, help="At most this many hops.")]
AUTO_NEO4J = "auto"
"""The `--from-neo4j` value that means NEO4J_URI, else the local server of `lineage db`."""
Neo4jOption = Annotated[
    str | None,
    typer.Option(
        "--from-neo4j",
        help="Read the graph and findings from this Neo4j (bolt:// or neo4j://) instead of "
        f"scanning sources; `{AUTO_NEO4J}`: NEO4J_URI, else the server `lineage db start` "
        "runs. Credentials from NEO4J_USERNAME/NEO4J_PASSWORD, database from NEO4J_DATABASE.",
    ),
]
ConfigOption = Annotated[
    Path | None,
    typer.Option(help="A pyproject.toml to read \\[tool.lineage] from (default: nearest)."),
]


class ViewError(Exception):
    """A view that cannot be made: the focus matches no node or several, or a write failed."""


class TraceFormat(StrEnum):
    """Output formats of `lineage trace`."""

    TABLE = "table"
    JSON = "json"
    HTML = "html"


def write_view(
    result: ScanResult,
    path: Path,
    title: str | None = None,
    focus_on: str | None = None,
    depth: int | None = None,
) -> None:
    """Write the HTML view of a scan (or of the part around `focus_on`) to `path`."""
    try:
        page = view_html(result, title, focus_on, depth)
        path.write_text(page, encoding="utf-8")
    except NodeMatchError as exc:
        raise ViewError(f"--focus: {exc}") from None
    except OSError as exc:
        raise ViewError(f"cannot write {path}: {exc.strerror}") from None


def view_html(
    result: ScanResult, title: str | None, focus_on: str | None, depth: int | None
) -> str:
    """The page for a scan; NodeMatchError when `focus_on` names no node."""
    from lineage.view import focus, render_view  # pages only: a scan never loads them

    graph, highlight = result.graph, frozenset[str]()
    if focus_on is not None:
        graph, highlight = focus(graph, focus_on, depth)
    return render_view(graph, result.findings, title or _title(result), highlight)


def _title(result: ScanResult) -> str:
    names = sorted(str(n.get("name")) for n in result.graph.nodes(Kind.PIPELINE))
    if not names:
        return "lineage graph"
    shown = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
    return f"lineage: {shown}"


def _from_neo4j(uri: str, query: str | None) -> ScanResult:
    from neo4j.exceptions import Neo4jError

    from lineage.neo4j.connect import Neo4jConnectionError, Neo4jTarget
    from lineage.neo4j.read import read_graph, read_query

    try:
        target = Neo4jTarget.resolve(None if uri == AUTO_NEO4J else uri, prompt=prompt_password)
        with target.open() as driver:
            if query is None:
                graph, findings = read_graph(driver, target.database)
            else:
                graph, findings = read_query(driver, target.database, query)
    except Neo4jConnectionError as exc:
        raise fail(str(exc)) from None
    except Neo4jError as exc:
        raise fail(f"Neo4j refused the query: {exc.message or exc}") from None
    if graph.nx.number_of_nodes() == 0:
        raise fail(f"Neo4j at {target.uri} (database {target.database}) holds no lineage nodes")
    return ScanResult(graph, {}, findings)


def load_scan(
    sources: list[str] | None,
    from_neo4j: str | None,
    query: str | None,
    settings: Settings,
) -> ScanResult:
    """Scan the sources, or read the graph from Neo4j; input errors go to stderr."""
    if from_neo4j is not None:
        if sources:
            raise fail("give sources to scan or --from-neo4j, not both")
        return _from_neo4j(from_neo4j, query)
    if query is not None:
        raise fail("--cypher needs --from-neo4j")
    if not sources:
        raise fail("give sources to scan (files, directories, `-`) or --from-neo4j bolt://…")
    result = check(collect(sources), settings)
    for error in result.errors:
        say(str(error), style="bold red")
    return result


def _refuse_html_on_a_terminal(output: Path | None) -> None:
    """A page of HTML is no use on a terminal: ask for `-o FILE` instead of printing it there."""
    if output is None and sys.stdout.isatty():
        raise fail("the view is an HTML page: write it to a file with -o FILE (or redirect stdout)")


def emit(text: str, output: Path | None) -> None:
    """Write `text` to `output`, or to stdout without one."""
    if output is None:
        sys.stdout.write(text)
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise fail(f"cannot write {output}: {exc.strerror}") from None


def view_command(
    sources: SourcesArgument = None,
    output: OutputOption = None,
    focus_on: Annotated[
        str | None,
        typer.Option(
            "--focus",
            help="Draw only what is up- and downstream of this node: Kind:key, key, name, ARN "
            "or S3 URI prefix.",
        ),
    ] = None,
    depth: DepthOption = None,
    from_neo4j: Neo4jOption = None,
    cypher: Annotated[
        str | None,
        typer.Option(
            help="With --from-neo4j: draw only the nodes, relationships and paths this "
            "read-only Cypher query returns."
        ),
    ] = None,
    title: Annotated[str | None, typer.Option(help="The page title.")] = None,
    select: Annotated[
        list[str] | None, typer.Option(help="Only these rule codes or prefixes (L3, L301).")
    ] = None,
    ignore: Annotated[
        list[str] | None, typer.Option(help="Skip these rule codes or prefixes.")
    ] = None,
    config: ConfigOption = None,
) -> None:
    """Draw the lineage graph as one self-contained, interactive HTML page."""
    if depth is not None and focus_on is None:
        raise fail("--depth needs --focus")
    _refuse_html_on_a_terminal(output)
    settings = settings_from(config, select, ignore)
    result = load_scan(sources, from_neo4j, cypher, settings)
    try:
        page = view_html(result, title, focus_on, depth)
    except NodeMatchError as exc:
        raise fail(f"--focus: {exc}") from None
    emit(page, output)
    if output is not None:
        drawn = "the graph" if focus_on is None else f"the graph around {focus_on}"
        say(f"wrote {drawn} to {output}")
    raise typer.Exit(EXIT_INPUT_ERROR if result.errors else 0)


def trace_command(
    node: Annotated[
        str,
        typer.Argument(help="The node: Kind:key, key, name, ARN or S3 URI (prefix)."),
    ],
    sources: SourcesArgument = None,
    up: Annotated[
        bool,
        typer.Option("--up", help="What NODE depends on: datasets, code, images, jobs, steps."),
    ] = False,
    down: Annotated[
        bool,
        typer.Option("--down", help="What NODE affects: every step, model and package after it."),
    ] = False,
    depth: DepthOption = None,
    output_format: Annotated[
        TraceFormat, typer.Option("--format", "-f", help="Output format.")
    ] = TraceFormat.TABLE,
    output: OutputOption = None,
    from_neo4j: Neo4jOption = None,
    config: ConfigOption = None,
) -> None:
    """Trace a node's lineage upstream (--up), downstream (--down) or both."""
    if not up and not down:
        raise fail("pass --up (what NODE depends on), --down (what it affects) or both")
    direction = Direction.BOTH if up and down else Direction.UP if up else Direction.DOWN
    if output_format is TraceFormat.HTML:
        _refuse_html_on_a_terminal(output)
    result = load_scan(sources, from_neo4j, None, settings_from(config, None, None))
    try:
        starts = resolve(result.graph, node)
    except NodeMatchError as exc:
        raise fail(str(exc)) from None
    if len(starts) > 1:
        say(describe_matches(node, starts))
    found = trace(result.graph, starts, direction, depth)
    if output_format is TraceFormat.JSON:
        emit(json.dumps(trace_json(found, result.findings), indent=2) + "\n", output)
    elif output_format is TraceFormat.HTML:
        from lineage.view import render_view

        title = f"{_heading(found)} (from {_named(found)})"
        marked = frozenset(s.id for s in found.starts)
        page = render_view(found.subgraph(result.graph), result.findings, title, marked)
        emit(page, output)
    else:
        emit(trace_table(found, result.findings, to_file=output is not None), output)
    raise typer.Exit(EXIT_INPUT_ERROR if result.errors else 0)


def _heading(found: Trace) -> str:
    return {
        Direction.UP: "upstream",
        Direction.DOWN: "downstream",
        Direction.BOTH: "up- and downstream",
    }[found.direction]


def _named(found: Trace) -> str:
    """`Kind key` of the one start, or `N nodes` when NODE named several."""
    if len(found.starts) == 1:
        return f"{found.starts[0].kind.value} {found.starts[0].key}"
    return f"{len(found.starts)} nodes"


def _findings_by_node(findings: list[Finding]) -> dict[tuple[str, str], list[Finding]]:
    by_node: dict[tuple[str, str], list[Finding]] = {}
    for finding in findings:
        by_node.setdefault((finding.kind, finding.node), []).append(finding)
    return by_node


def trace_json(found: Trace, findings: list[Finding]) -> dict[str, Any]:
    """A trace as plain data: the start node and every node reached, nearest first."""
    by_node = _findings_by_node(findings)

    def codes(kind: Kind, key: str) -> list[str]:
        return sorted({f.code for f in by_node.get((kind.value, key), [])})

    return {
        "starts": [
            {
                "kind": start.kind.value,
                "key": start.key,
                "name": start.get("name"),
                "findings": codes(start.kind, start.key),
            }
            for start in found.starts
        ],
        "direction": found.direction.value,
        "depth": found.depth,
        "nodes": [
            {
                "kind": r.node.kind.value,
                "key": r.node.key,
                "name": r.node.get("name"),
                "distance": r.distance,
                "via": r.via.value,
                "previous": r.previous.key,
                "findings": codes(r.node.kind, r.node.key),
            }
            for r in found.reached
        ],
    }


def trace_table(found: Trace, findings: list[Finding], to_file: bool) -> str:
    """The trace as a table (references between steps are counted, not listed)."""
    by_node = _findings_by_node(findings)
    buffer = io.StringIO()
    console = Console(
        file=buffer,
        width=None if sys.stdout.isatty() and not to_file else 160,
        force_terminal=not to_file and sys.stdout.isatty(),
        highlight=False,
    )
    listed = [r for r in found.reached if r.node.kind is not Kind.PROPERTY_REF]
    hidden = len(found.reached) - len(listed)
    heading = Text(f"{_heading(found)} of ", style="bold")
    heading.append(Text(_named(found), style="bold"))
    heading.append(f": {len(listed)} node(s)")
    if hidden:
        heading.append(f", and {hidden} reference(s) between them not listed")
    console.print(heading)
    table = Table(show_edge=False)
    for column in ("hops", "kind", "name", "key", "findings"):
        table.add_column(column, overflow="fold")
    rows = [(0, s) for s in found.starts] if len(found.starts) > 1 else []
    rows += [(r.distance, r.node) for r in listed]
    for distance, node in rows:
        mine = by_node.get((node.kind.value, node.key), [])
        table.add_row(
            str(distance),
            node.kind.value,
            Text(str(node.get("name") or "")),
            Text(node.key),
            _finding_cell(mine),
        )
    console.print(table)
    return buffer.getvalue()


def _finding_cell(findings: list[Finding]) -> Text:
    cell = Text()
    for severity in (Severity.ERROR, Severity.WARNING, Severity.INFO):
        codes = sorted({f.code for f in findings if f.severity is severity})
        if codes:
            cell.append(("  " if cell else "") + " ".join(codes), style=SEVERITY_STYLE[severity])
    return cell
