"""`lineage rules` as a table that fits the terminal: name and summary side by side when wide,
the summary under the name when narrow (80 columns)."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from lineage.report.table import SEVERITY_STYLE
from lineage.rules.engine.model import Rule

# Below this width the summary goes under the rule's name instead of beside it.
SIDE_BY_SIDE_WIDTH = 120


def print_rules(console: Console, rules: list[Rule]) -> None:
    """One row per rule: code, severity, name and summary (`lineage explain CODE` for more)."""
    wide = console.width >= SIDE_BY_SIDE_WIDTH
    table = Table(show_edge=False, pad_edge=False, box=None, header_style="bold")
    table.add_column("code", no_wrap=True)
    table.add_column("severity", no_wrap=True)
    if wide:
        table.add_column("name", no_wrap=True)
        table.add_column("summary", overflow="fold")
    else:
        table.add_column("rule", overflow="fold")
    for rule in rules:
        severity = Text(rule.severity.value, style=SEVERITY_STYLE[rule.severity])
        name = Text(rule.name, style="bold")
        if wide:
            table.add_row(rule.code, severity, name, rule.summary)
        else:
            table.add_row(rule.code, severity, Text.assemble(name, "\n", rule.summary))
    console.print(table)
    console.print(Text("`lineage explain CODE` shows a rule's rationale, fix and example.", "dim"))
