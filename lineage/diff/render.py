"""A pipeline diff as JSON, as a table, or as the view of the new version, changes marked."""

from __future__ import annotations

import io
from typing import Any

from rich.console import Console
from rich.text import Text

from lineage.diff.compare import ParameterChange, PipelineDiff, Side
from lineage.graph.lineage_graph import Kind
from lineage.view import render_view

MARKS = {"added": "+", "removed": "-", "changed": "~", "gained": "+", "lost": "-"}


def diff_json(diff: PipelineDiff) -> dict[str, Any]:
    """The diff as plain data."""
    return {
        "old": diff.old,
        "new": diff.new,
        "equal": diff.equal,
        "steps": [
            {
                "name": s.name,
                "status": s.status,
                "type": s.step_type,
                "pointers": s.pointers,
                "impact": s.impact,
            }
            for s in diff.steps
        ],
        "parameters": [
            {"name": p.name, "status": p.status, "before": p.before, "after": p.after}
            for p in diff.parameters
        ],
        "references": diff.references,
        "artifacts": diff.artifacts,
        "findings": {
            change: [f.as_dict() for f in found] for change, found in diff.findings.items()
        },
    }


def diff_table(diff: PipelineDiff, width: int | None) -> str:
    """The diff for people: one line per change, impact and pointers indented under it."""
    buffer = io.StringIO()
    console = Console(file=buffer, width=width or 160, soft_wrap=True, highlight=False)
    console.print(Text(f"{diff.old} -> {diff.new}", style="bold"))
    if diff.equal:
        console.print("no differences")
        return buffer.getvalue()
    for step in diff.steps:
        console.print(
            Text(f"{MARKS[step.status]} step {step.name} ({step.step_type}) {step.status}")
        )
        for pointer in step.pointers if step.status == "changed" else []:
            console.print(Text(f"    {pointer}"))
        if step.impact:
            console.print(Text(f"    affects: {'; '.join(step.impact)}"))
    for parameter in diff.parameters:
        detail = _parameter_detail(parameter) if parameter.status == "changed" else ""
        console.print(Text(f"{MARKS[parameter.status]} parameter {parameter.name}{detail}"))
    for what, changes in (("reference", diff.references), ("artifact", diff.artifacts)):
        for change, items in changes.items():
            for item in items:
                console.print(Text(f"{MARKS[change]} {what} {item}"))
    for change, found in diff.findings.items():
        for finding in found:
            where = f" at {finding.step}" if finding.step else ""
            line = f"{change} finding {finding.code} {finding.name}{where}: {finding.message}"
            console.print(Text(("+ " if change == "introduced" else "- ") + line))
    return buffer.getvalue()


def _parameter_detail(parameter: ParameterChange) -> str:
    """`: default 1 -> 3` for the fields of a parameter that changed."""
    before, after = parameter.before or {}, parameter.after or {}
    fields = [
        f"{k} {before.get(k)!r} -> {after.get(k)!r}" for k in after if before.get(k) != after.get(k)
    ]
    return ": " + ", ".join(fields)


def diff_html(diff: PipelineDiff, new: Side) -> str:
    """The view of the new version, its added and changed steps marked."""
    changed = {s.name for s in diff.steps if s.status in ("added", "changed")}
    marked = frozenset(n.id for n in new.graph.nodes(Kind.STEP) if n.get("name") in changed)
    removed = [s.name for s in diff.steps if s.status == "removed"]
    gone = f" (removed: {', '.join(removed)})" if removed else ""
    return render_view(new.graph, new.findings, f"diff {diff.old} -> {diff.new}{gone}", marked)
