"""Steps that definitions hold in common are walked once a scan, with the same graph and findings
as when each is walked on its own."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import lineage.rules.l1_api_shapes as api_shapes
from lineage.collect import references
from lineage.config import Settings
from lineage.graph.lineage_graph import Kind
from lineage.jsondoc.subtree_memo import SubtreeMemo
from lineage.scan import check, collect

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "abalone" / "pipeline.json"


def counted(function: Callable[..., Any], calls: list[object]) -> Callable[..., Any]:
    """`function`, noting the first argument of each call in `calls`."""

    def counting(value: object, *rest: Any) -> Any:
        calls.append(value)
        return function(value, *rest)

    return counting


def test_a_value_is_walked_once_per_object_and_pointer() -> None:
    walks, calls = SubtreeMemo(), []
    walk = counted(lambda value, pointer: (pointer, len(value)), calls)
    shared, equal = {"a": 1}, {"a": 1}
    assert walks(walk, shared, "/x") == walks(walk, shared, "/x") == ("/x", 1)
    assert walks(walk, shared, "/y") == ("/y", 1)  # results hold pointers: another place, again
    walks(walk, equal, "/x")  # equal but another object: walked on its own
    assert calls == [shared, shared, equal]


@pytest.fixture
def three_copies(tmp_path: Path) -> Path:
    """The example pipeline three times, under three names (the reader shares their steps)."""
    text = EXAMPLE.read_text(encoding="utf-8")
    for name in ("a", "b", "c"):
        (tmp_path / f"{name}.json").write_text(text, encoding="utf-8")
    return tmp_path


def test_steps_shared_by_definitions_are_walked_once(
    three_copies: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    gets: list[object] = []
    monkeypatch.setattr(references, "find_gets", counted(references.find_gets, gets))
    reports: list[object] = []
    monkeypatch.setattr(api_shapes, "check_arguments", counted(api_shapes.check_arguments, reports))
    result = check(collect([str(three_copies)]), Settings())
    steps = list(result.graph.nodes(Kind.STEP))
    per_pipeline = len(steps) // 3
    # A Condition step's object is made for its pipeline (its branches become names): its own.
    conditions = sum(step.get("step_type") == "Condition" for step in steps)
    assert per_pipeline == 8 and conditions == 3
    assert len(gets) == per_pipeline - 1 + conditions
    assert 0 < len(reports) <= per_pipeline
    by_pipeline: dict[str, list[str]] = {}
    for finding in result.findings:
        by_pipeline.setdefault(finding.source, []).append(f"{finding.code} {finding.pointer}")
    assert len(by_pipeline) == 3 and len({tuple(v) for v in by_pipeline.values()}) == 1
