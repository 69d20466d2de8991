"""A baseline from Neo4j: the findings and live model package versions an earlier
`lineage scan --neo4j` stored, read before this scan's load replaces them."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from lineage.neo4j.cleanup import Run
from lineage.review.baseline import Baseline
from lineage.review.registry import PackageState
from lineage.rules.engine.model import Finding

# The stored findings of the scanned pipelines, and those about live registry resources (which
# the review keeps as resolved only where this scan read their group completely).
_FINDINGS = (
    "MATCH (f:Finding) WHERE f.pipeline_key IN $pipelines RETURN properties(f) AS f "
    "UNION MATCH (f:Finding)-[:ABOUT]->(n) WHERE n.arn IS NOT NULL AND f.pipeline_key IS NULL "
    "RETURN properties(f) AS f"
)
_PACKAGES = (
    "MATCH (n:ModelPackage) WHERE n.arn IS NOT NULL RETURN n {.arn, .group, .version, "
    ".approval_status, .status} AS p"
)
# Finding properties stored as JSON text (Neo4j holds no maps).
_JSON_PROPERTIES = ("suppressed", "origin")


def stored_baseline(run: Run, pipelines: Iterable[str], where: str) -> Baseline:
    """The findings stored for `pipelines` (pipeline keys) and the registry, and every stored
    live package version; `where` names the server in the report."""
    findings: dict[str, dict[str, Any]] = {}
    for record in run(_FINDINGS, write=False, pipelines=sorted(pipelines)):
        item = _finding(record["f"])
        if item["fingerprint"]:
            findings[item["fingerprint"]] = item
    states = (PackageState.from_dict(r["p"]) for r in run(_PACKAGES, write=False))
    packages = {state.arn: state for state in states if state is not None}
    return Baseline(f"neo4j {where}", findings, packages)


def _finding(props: dict[str, Any]) -> dict[str, Any]:
    """A stored finding in the JSON report's form (without the stored scan's baseline mark)."""
    decoded = dict(props)
    for key in _JSON_PROPERTIES:
        if isinstance(decoded.get(key), str):
            decoded[key] = json.loads(decoded[key])
    return replace(Finding.from_dict(decoded), baseline=None).as_dict()
