"""The `--format sarif` report: a SARIF 2.1.0 log for code-scanning tools (GitHub, VS Code, ...)."""

from __future__ import annotations

import os
from pathlib import Path, PurePath
from typing import Any
from urllib.parse import quote

from lineage.collect.sources import MODULE_SOURCE
from lineage.errors import InputError
from lineage.rules.engine.model import Finding, Rule, Severity
from lineage.rules.engine.run import finding_fingerprint

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
TOOL_NAME = "lineage"
FINGERPRINT_KEY = "lineageFindingHash/v2"

LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}

# A `module.path:attribute` source (an SDK pipeline), as the loader recognises it.
_STDIN = "-"


def sarif_log(
    findings: list[Finding],
    rules: list[Rule],
    errors: list[InputError],
    version: str,
    *,
    base_dir: Path | None = None,
    resolved: list[Finding] | None = None,
    warnings: list[str] | None = None,
    registry_changes: dict[str, list[dict[str, Any]]] | None = None,
) -> dict[str, Any]:
    """A SARIF 2.1.0 log of one run; file URIs are made relative to `base_dir` (default: cwd).

    `resolved`: a baseline's findings that are gone (results with baselineState `absent`);
    `warnings`: tool notifications such as expired suppressions; `registry_changes`: the model
    package versions changed since the baseline (the run's `lineage/registryChanges` property).
    """
    base = (base_dir if base_dir is not None else Path.cwd()).absolute()
    rule_index: dict[str, int] = {}
    for index, rule in enumerate(rules):
        rule_index.setdefault(rule.code, index)
    invocation: dict[str, Any] = {"executionSuccessful": not errors}
    notes = [_notification(e, base) for e in errors]
    notes += [{"level": "warning", "message": {"text": text}} for text in warnings or []]
    if notes:
        invocation["toolExecutionNotifications"] = notes
    absent = [
        {**_result(f, rule_index.get(f.code), base), "baselineState": "absent"}
        for f in sorted(resolved or [], key=Finding.sort_key)
    ]
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": TOOL_NAME,
                "version": version,
                "semanticVersion": version,
                "rules": [_descriptor(rule) for rule in rules],
            }
        },
        "invocations": [invocation],
        "columnKind": "unicodeCodePoints",
        "results": [
            _result(f, rule_index.get(f.code), base) for f in sorted(findings, key=Finding.sort_key)
        ]
        + absent,
    }
    if registry_changes is not None:
        run["properties"] = {"lineage/registryChanges": registry_changes}
    return {"$schema": SARIF_SCHEMA, "version": SARIF_VERSION, "runs": [run]}


def repository_root(start: Path) -> Path:
    """The top of the git work tree holding `start`, or `start` itself outside one."""
    for folder in (start.absolute(), *start.absolute().parents):
        if (folder / ".git").exists():
            return folder
    return start.absolute()


def sarif_level(severity: Severity) -> str:
    """The SARIF level of a severity: error, warning, or note (for info)."""
    return LEVELS[severity]


def fingerprint(finding: Finding) -> str:
    """The finding's stable fingerprint (computed from code, node and pointer if it has none)."""
    return finding.fingerprint or finding_fingerprint(
        finding.code, finding.node, finding.pointer, None
    )


def artifact_uri(source: str, base: Path) -> str | None:
    """`source` as a URI reference, relative to `base` when inside it; None if not a file."""
    if source == _STDIN or source.startswith("arn:"):
        return None  # standard input, or a pipeline read from the live registry
    if MODULE_SOURCE.match(source) and not Path(source).exists():
        return None
    path = Path(source)
    absolute = Path(os.path.normpath(path.absolute()))
    try:
        relative = PurePath(os.path.relpath(absolute, base))
    except ValueError:  # another drive (Windows)
        return absolute.as_uri()
    if path.is_absolute() and relative.parts[:1] == ("..",):
        return absolute.as_uri()
    return quote(relative.as_posix(), safe="/")


def _descriptor(rule: Rule) -> dict[str, Any]:
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.rationale},
        "help": {"text": rule.recommendation},
        "defaultConfiguration": {"level": sarif_level(rule.severity)},
        **(
            {
                "relationships": [
                    {"target": {"id": code}, "kinds": ["superset"]} for code in rule.absorbs
                ]
            }
            if rule.absorbs
            else {}
        ),
        "properties": {
            "level": rule.level,
            "appliesTo": rule.applies_to,
            "tags": [TOOL_NAME, f"L{rule.level}", "graph" if rule.is_graph_rule else "node"],
        },
    }


def _result(finding: Finding, rule_index: int | None, base: Path) -> dict[str, Any]:
    location: dict[str, Any] = {}
    uri = artifact_uri(finding.source, base) if finding.source is not None else None
    if uri is not None:
        location["physicalLocation"] = _physical(uri, finding.line, None)
    elif finding.origin is not None:  # an SDK pipeline: the Python line that made the step
        code_uri = artifact_uri(finding.origin[0], base)
        if code_uri is not None:
            location["physicalLocation"] = _physical(code_uri, finding.origin[1], None)
    logical = [_pointer_location(finding.pointer)] if finding.pointer else []
    logical.append(
        {
            "name": finding.node,
            "fullyQualifiedName": finding.node,
            "kind": "object",
            "properties": {"nodeKind": finding.kind},
        }
    )
    if finding.source is not None and uri is None:
        logical.append(_source_location(finding.source))
    location["logicalLocations"] = logical
    result: dict[str, Any] = {"ruleId": finding.code}
    if rule_index is not None:
        result["ruleIndex"] = rule_index
    if finding.baseline is not None:
        result["baselineState"] = finding.baseline
    if finding.suppressed is not None:
        result["suppressions"] = [
            {
                "kind": "external",
                "status": "accepted",
                "justification": finding.suppressed.reason,
                **(
                    {"properties": {"expires": finding.suppressed.expires}}
                    if finding.suppressed.expires
                    else {}
                ),
            }
        ]
    result.update(
        {
            "level": sarif_level(finding.severity),
            "message": {"text": finding.message},
            "locations": [location],
            "partialFingerprints": {FINGERPRINT_KEY: fingerprint(finding)},
            "properties": {
                key: value
                for key, value in (
                    ("pipeline", finding.pipeline),
                    ("step", finding.step),
                    ("node", finding.node),
                    ("nodeKind", finding.kind),
                    ("pointer", finding.pointer),
                    ("level", finding.level),
                    ("source", finding.source),
                    ("related", list(finding.related) or None),
                )
                if value is not None
            },
        }
    )
    return result


def _notification(error: InputError, base: Path) -> dict[str, Any]:
    location: dict[str, Any] = {}
    uri = artifact_uri(error.source, base)
    if uri is not None:
        location["physicalLocation"] = _physical(uri, error.line, error.column)
    logical = [_pointer_location(error.pointer)] if error.pointer else []
    if uri is None:
        logical.append(_source_location(error.source))
    if logical:
        location["logicalLocations"] = logical
    notification: dict[str, Any] = {"level": "error", "message": {"text": str(error)}}
    if location:
        notification["locations"] = [location]
    notification["properties"] = {"source": error.source}
    return notification


def _physical(uri: str, line: int | None, column: int | None) -> dict[str, Any]:
    physical: dict[str, Any] = {"artifactLocation": {"uri": uri}}
    if line is not None and line >= 1:
        region: dict[str, Any] = {"startLine": line}
        if column is not None and column >= 1:
            region["startColumn"] = column
        physical["region"] = region
    return physical


def _pointer_location(pointer: str) -> dict[str, Any]:
    last = pointer.rsplit("/", 1)[-1].replace("~1", "/").replace("~0", "~")
    return {"name": last, "fullyQualifiedName": pointer, "kind": "value"}


def _source_location(source: str) -> dict[str, Any]:
    kind = "module" if MODULE_SOURCE.match(source) else "resource"
    return {"name": source, "fullyQualifiedName": source, "kind": kind}
