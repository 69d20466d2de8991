"""The `--format sarif` report: a SARIF 2.1.0 log for code-scanning tools (GitHub, VS Code, ...)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import Any
from urllib.parse import quote

from lineage import __version__
from lineage.collect.sources import MODULE_SOURCE, STDIN
from lineage.errors import InputError
from lineage.report.rules_doc import rule_anchor
from lineage.report.snapshot import Snapshot
from lineage.rules.engine.model import Finding, Rule, Severity
from lineage.rules.engine.run import finding_fingerprint

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
TOOL_NAME = "lineage"
DISTRIBUTION = "sagemaker-lineage"
FINGERPRINT_KEY = "lineageFindingHash/v2"

LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}

# A `module.path:attribute` source (an SDK pipeline), as the loader recognises it.


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
    rules_url: str | None = None,
    snapshots: list[Snapshot] | None = None,
) -> dict[str, Any]:
    """A SARIF 2.1.0 log of one run; file URIs are made relative to `base_dir` (default: cwd).

    `resolved`: a baseline's findings that are gone (results with baselineState `absent`);
    `warnings`: tool notifications such as expired suppressions; `registry_changes`: the model
    package versions changed since the baseline (the run's `lineage/registryChanges` property);
    `rules_url`: docs/rules.md as published, each rule's `helpUri` is its anchor there (default:
    `default_rules_url()`); `snapshots`: registry snapshots, where results about live resources
    and definitions point.
    """
    docs = rules_url or default_rules_url()
    base = (base_dir if base_dir is not None else Path.cwd()).absolute()
    rule_index: dict[str, int] = {}
    for index, rule in enumerate(rules):
        rule_index.setdefault(rule.code, index)
    invocation: dict[str, Any] = {"executionSuccessful": not errors}
    notes = [_notification(e, base) for e in errors]
    notes += [{"level": "warning", "message": {"text": text}} for text in warnings or []]
    if notes:
        invocation["toolExecutionNotifications"] = notes
    where = Where(base, snapshots or [])
    absent = [
        {**_result(f, rule_index.get(f.code), where), "baselineState": "absent"}
        for f in sorted(resolved or [], key=Finding.sort_key)
    ]
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": TOOL_NAME,
                "version": version,
                "semanticVersion": version,
                "rules": [_descriptor(rule, docs) for rule in rules],
            }
        },
        "invocations": [invocation],
        "columnKind": "unicodeCodePoints",
        "results": [
            _result(f, rule_index.get(f.code), where)
            for f in sorted(findings, key=Finding.sort_key)
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
    if source == STDIN or source.startswith("arn:"):
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


def default_rules_url() -> str | None:
    """docs/rules.md of the installed version, from the package's `Repository` project URL."""
    from importlib.metadata import PackageNotFoundError, metadata

    try:
        urls = metadata(DISTRIBUTION).get_all("Project-URL") or []
    except PackageNotFoundError:
        return None
    for entry in urls:
        label, _, url = entry.partition(",")
        if label.strip().lower() == "repository":
            return f"{url.strip().rstrip('/')}/blob/v{__version__}/docs/rules.md"
    return None


def _descriptor(rule: Rule, docs: str | None) -> dict[str, Any]:
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.rationale},
        "help": {"text": rule.recommendation},
        **({"helpUri": f"{docs}#{rule_anchor(rule)}"} if docs else {}),
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


@dataclass(frozen=True)
class Where:
    """What results are located against: the project root and the registry snapshots."""

    base: Path
    snapshots: list[Snapshot]

    def physical(self, finding: Finding) -> dict[str, Any] | None:
        """The file and line of a finding: its source, the SDK code that made its step, or the
        registry snapshot (a live definition's line in it, or the live resource's)."""
        uri = artifact_uri(finding.source, self.base) if finding.source is not None else None
        if uri is not None:
            return _physical(uri, finding.line, None)
        if finding.origin is not None:  # an SDK pipeline: the Python line that made the step
            code_uri = artifact_uri(finding.origin[0], self.base)
            if code_uri is not None:
                return _physical(code_uri, finding.origin[1], None)
        for snapshot in self.snapshots:
            line = snapshot.line(finding)
            snapshot_uri = artifact_uri(str(snapshot.path), self.base)
            if line is not None and snapshot_uri is not None:
                return _physical(snapshot_uri, line, None)
        return None


def _result(finding: Finding, rule_index: int | None, where: Where) -> dict[str, Any]:
    location: dict[str, Any] = {}
    physical = where.physical(finding)
    if physical is not None:
        location["physicalLocation"] = physical
    uri = artifact_uri(finding.source, where.base) if finding.source is not None else None
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
