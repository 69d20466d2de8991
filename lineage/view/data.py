"""The page's data: nodes, edges and findings, built only from whitelisted scalar properties.

A step's `raw` arguments and any property not listed in `SHOWN_PROPERTIES` never reach the
page; secrets were masked before the graph was built (`lineage.graph.secrets`).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from lineage.graph.lineage_graph import Kind, LineageGraph, Node, node_id
from lineage.graph.trace import FORWARD
from lineage.rules.engine.model import Finding, Severity
from lineage.rules.engine.rulebook import UnknownRuleError, get_rule
from lineage.view.layout import layered_layout
from lineage.view.style import KIND_STYLES, style_tables

# Graphs above this many nodes are drawn without curves, and edges hide while dragging.
LARGE_GRAPH = 1000
LABEL_LINE = 40
CHAR_WIDTH = 8.0  # average width of a label character at the drawn font size
LINE_HEIGHT = 18.0
# Shapes that draw their label inside, and the height they add to it.
LABEL_INSIDE = {"box": 14.0, "ellipse": 18.0}
SEVERITY_MARKS = {Severity.ERROR: "\u2716", Severity.WARNING: "\u25b2", Severity.INFO: "\u25cf"}
VALUE_LENGTH = 1000

# The properties a panel shows, in this order; everything else stays out of the page.
SHOWN_PROPERTIES = (
    "name",
    "step_type",
    "display_name",
    "description",
    "artifact_kind",
    "uri",
    "param_type",
    "default",
    "enum_values",
    "expression",
    "target_step",
    "target_parameter",
    "path",
    "json_path",
    "resolved",
    "path_valid",
    "path_error",
    "output_name",
    "file_path",
    "via_parameter",
    "producer",
    "group",
    "version",
    "approval_status",
    "approval_status_expression",
    "approval_description",
    "has_metrics",
    "status",
    "failure_reason",
    "job_type",
    "step_name",
    "execution",
    "pipeline_arn",
    "image",
    "images",
    "model_artifact",
    "model_data_urls",
    "package_count",
    "approved_versions",
    "generated_by",
    "project_id",
    "repository",
    "commit_id",
    "arn",
    "account",
    "region",
    "created_at",
    "created_by",
    "modified_at",
    "modified_by",
    "model_name",
    "model_package_group_name",
    "depends_on",
    "parent",
    "branch",
    "cache_enabled",
    "retry_policies",
    "function_arn",
    "sqs_queue_url",
    "cluster_id",
    "check_type",
    "skip_check",
    "register_new_baseline",
    "fail_on_violation",
    "pipeline",
    "step",
    "source",
    "form",
    "definition_version",
    "sha256",
    "pointer",
)


def display(value: Any) -> str | None:
    """A scalar (or list of scalars) as text; None for anything else."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str | int | float):
        return str(value)[:VALUE_LENGTH]
    if isinstance(value, list) and value and all(isinstance(v, str | int | float) for v in value):
        return ", ".join(str(v) for v in value)[:VALUE_LENGTH]
    return None


def node_label(node: Node, findings: Counter[Severity]) -> str:
    """The text drawn on a node: its name, what it is, and how many findings of what severity."""
    name = str(node.get("name") or node.key)
    if node.kind is Kind.STEP:
        lines = [name, str(node.get("step_type") or "?")]
    elif node.kind is Kind.ARTIFACT:
        lines = [name.rstrip("/").rsplit("/", 1)[-1], str(node.get("artifact_kind") or "artifact")]
    elif node.kind is Kind.PROPERTY_REF:
        lines = []
    elif node.kind is Kind.MODEL_PACKAGE:
        version = node.get("version")
        status = node.get("approval_status") or node.get("approval_status_expression")
        lines = [f"package v{version}" if version else "package", str(status or "")]
    else:
        lines = [name.rsplit("/", 1)[-1] if node.kind is Kind.JOB else name]
    marks = [
        f"{SEVERITY_MARKS[s]} {n} {s.value}{'s' if n > 1 and s is not Severity.INFO else ''}"
        for s in (Severity.ERROR, Severity.WARNING, Severity.INFO)
        if (n := findings[s])
    ]
    lines.append(", ".join(marks))
    return "\n".join(_clip(line) for line in lines if line)


def node_size(kind: Kind, label: str) -> tuple[float, float]:
    """About how wide and high a node of `kind` with `label` is drawn, in pixels."""
    shape, _, size, _ = KIND_STYLES[kind]
    lines = label.splitlines()
    text = max((len(line) for line in lines), default=0) * CHAR_WIDTH
    if shape in LABEL_INSIDE:
        return text + 24, len(lines) * LINE_HEIGHT + LABEL_INSIDE[shape]
    return max(size * 2.0, text), size * 2.0 + len(lines) * LINE_HEIGHT


def _clip(line: str) -> str:
    return line if len(line) <= LABEL_LINE else line[: LABEL_LINE - 1] + "…"


def _recommendation(code: str) -> str:
    try:
        return get_rule(code).recommendation
    except UnknownRuleError:
        return ""


def view_payload(
    graph: LineageGraph,
    findings: list[Finding],
    title: str,
    highlight: frozenset[str] = frozenset(),
) -> dict[str, Any]:
    """Everything the page draws, as JSON-ready data (`highlight`: node ids to mark)."""
    nodes = list(graph.nodes())
    index = {node.id: i for i, node in enumerate(nodes)}
    shown = [f for f in findings if node_id(Kind(f.kind), f.node) in index]
    about: dict[str, list[int]] = {}
    for i, finding in enumerate(shown):
        about.setdefault(node_id(Kind(finding.kind), finding.node), []).append(i)
    counts = {nid: Counter(shown[i].severity for i in mine) for nid, mine in about.items()}
    labels = {node.id: node_label(node, counts.get(node.id, Counter())) for node in nodes}
    positions = layered_layout(graph, {n.id: node_size(n.kind, labels[n.id]) for n in nodes})
    node_rows = []
    for node in nodes:
        mine = counts.get(node.id, Counter())
        worst = max(mine, key=lambda s: s.rank, default=None)
        x, y = positions[node.id]
        node_rows.append(
            {
                "id": index[node.id],
                "kind": node.kind.value,
                "key": node.key,
                "label": labels[node.id],
                "x": round(x, 1),
                "y": round(y, 1),
                "severity": worst.value if worst else None,
                "findings": about.get(node.id, []),
                "props": _props(node),
                "highlight": node.id in highlight,
            }
        )
    edge_rows = []
    for u, v, rel in graph.nx.edges(data="rel"):
        up, down = (u, v) if rel in FORWARD else (v, u)
        edge_rows.append([index[up], index[down], rel.value])
    severities = Counter(f.severity.value for f in shown)
    return {
        "title": title,
        "large": len(nodes) > LARGE_GRAPH,
        "stats": {
            "nodes": len(nodes),
            "edges": len(edge_rows),
            "findings": len(shown),
            **{s.value: severities.get(s.value, 0) for s in Severity},
        },
        "styles": style_tables(),
        "nodes": node_rows,
        "edges": edge_rows,
        "findings": [_finding(f) for f in shown],
    }


def _props(node: Node) -> list[list[str]]:
    shown = ((prop, display(node.get(prop))) for prop in SHOWN_PROPERTIES)
    return [[prop, text] for prop, text in shown if text is not None]


def _finding(finding: Finding) -> dict[str, Any]:
    return {
        "code": finding.code,
        "name": finding.name,
        "severity": finding.severity.value,
        "message": finding.message,
        "recommendation": _recommendation(finding.code),
        "pointer": finding.pointer,
        "source": finding.source,
        "line": finding.line,
    }
