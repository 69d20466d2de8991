"""The human report: findings grouped by pipeline and step, then a summary line per level."""

from __future__ import annotations

from itertools import groupby

from rich.console import Console
from rich.table import Table
from rich.text import Text

from lineage.errors import InputError
from lineage.review.registry import PackageChange
from lineage.rules.engine.model import Finding, Severity

SEVERITY_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}
LEVEL_NAMES = {
    1: "step configuration",
    2: "registry and container configuration",
    3: "lineage and dependencies",
    4: "package creation and approval",
}


def _group_key(finding: Finding) -> tuple[str, str]:
    return (finding.pipeline or "(registry)", finding.step or "(pipeline)")


def print_table(
    console: Console,
    findings: list[Finding],
    errors: list[InputError],
    scanned: int,
    *,
    show_suppressed: bool = False,
    resolved: int | None = None,
) -> None:
    """Print input errors, grouped findings (suppressed ones only if asked; new ones marked when
    compared with a baseline) and the per-level summary."""
    for error in errors:
        console.print(Text(f"error: {error}", style="bold red"))
    hidden = [f for f in findings if f.suppressed is not None and not show_suppressed]
    findings = [f for f in findings if f.suppressed is None or show_suppressed]
    ordered = sorted(findings, key=lambda f: (*_group_key(f), f.sort_key()))
    for (pipeline, step), group in groupby(ordered, key=_group_key):
        items = list(group)
        source = items[0].source or ""
        table = Table(
            title=Text(f"{pipeline} > {step}  {source}", style="bold"),
            title_justify="left",
            show_edge=False,
            expand=False,
        )
        for column in ("line", "code", "severity", "message", "pointer"):
            table.add_column(column, overflow="fold")
        for f in items:
            table.add_row(
                str(f.line or ""),
                Text(f"{f.code} {f.name}"),
                _severity_cell(f),
                Text(f.message + (f" (also: {', '.join(f.related)})" if f.related else "")),
                Text(f.pointer),
            )
        console.print(table)
        console.print()
    for level, label in LEVEL_NAMES.items():
        at_level = [f for f in findings if f.level == level]
        counts = {s: sum(1 for f in at_level if f.severity is s) for s in Severity}
        console.print(
            f"L{level} {label}: {counts[Severity.ERROR]} error(s), "
            f"{counts[Severity.WARNING]} warning(s), {counts[Severity.INFO]} info"
        )
    console.print(
        f"{len(findings)} finding(s) in {scanned} pipeline(s)"
        + (f"; {len(errors)} source(s) could not be read" if errors else "")
    )
    if resolved is not None:
        new = sum(1 for f in findings if f.baseline == "new")
        console.print(f"against the baseline: {new} new, {resolved} resolved")
    if hidden:
        console.print(f"{len(hidden)} suppressed finding(s) not shown (--show-suppressed)")


CHANGE_STYLE = {"new": "green", "removed": "dim", "regressed": "bold red", "changed": "yellow"}


def print_package_changes(console: Console, changes: list[PackageChange]) -> None:
    """The model package versions new, removed, regressed or changed since the baseline."""
    if changes:
        table = Table(
            title=Text("model package versions since the baseline", style="bold"),
            title_justify="left",
            show_edge=False,
        )
        for column in ("package", "change", "approval", "why"):
            table.add_column(column, overflow="fold")
        for change in changes:
            table.add_row(
                change.state.label,
                Text(change.change, style=CHANGE_STYLE[change.change]),
                change.state.approval_status or "",
                "; ".join(change.reasons),
            )
        console.print(table)
    counts = {kind: sum(1 for c in changes if c.change == kind) for kind in CHANGE_STYLE}
    console.print(
        "model package versions against the baseline: "
        + ", ".join(f"{n} {kind}" for kind, n in counts.items())
    )


def _severity_cell(finding: Finding) -> Text:
    """The severity, with `new` for findings a baseline lacks and `suppressed` where shown."""
    cell = Text(finding.severity.value, style=SEVERITY_STYLE[finding.severity])
    if finding.baseline == "new":
        cell.append(" new", style="bold")
    if finding.suppressed is not None:
        cell.append(" suppressed", style="dim")
    return cell
