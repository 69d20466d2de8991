"""Seeded mutations of real definitions, and a run of every output over each one."""

from __future__ import annotations

import copy
import io
import json
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from rich.console import Console

from lineage.config import Settings
from lineage.report.json_report import json_report
from lineage.report.sarif import sarif_log
from lineage.report.table import print_table
from lineage.rules.engine.run import enabled_rules
from lineage.scan import scan
from lineage.view import render_view

# What a mutation may put in place of a value: every JSON type, odd text, deep and huge values.
REPLACEMENTS: list[Any] = [
    None,
    True,
    0,
    -1,
    1.5,
    10**40,
    "",
    "s3://",
    "\u202e\u0000\ud7ff",
    "${placeholder}",
    [],
    [1, 2],
    ["x"],
    {},
    {"Get": "Steps.Nope.Prop"},
    {"Get": 3},
    {"Std:Join": {"On": 5, "Values": "x"}},
    {"Std:JsonGet": {"PropertyFile": {"Get": "Steps.X.PropertyFiles.Y"}, "Path": None}},
    [[[[[[[[[[{}]]]]]]]]]],
]


# How the scan's safety net reports a crash it caught (see lineage/scan.py).
INTERNAL = ("could not be collected", "could not run")


def paths(value: Any, at: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every path to a value inside `value` (object keys and list indexes)."""
    yield at
    if isinstance(value, dict):
        for key, item in value.items():
            yield from paths(item, (*at, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from paths(item, (*at, index))


def mutate(document: Any, rng: random.Random, count: int = 3) -> Any:
    """A copy of `document` with `count` random replacements, deletions or wrappings."""
    changed = copy.deepcopy(document)
    for _ in range(count):
        places = [p for p in paths(changed) if p]
        if not places:  # everything was deleted: nothing left to change
            break
        where = rng.choice(places)
        parent = changed
        for token in where[:-1]:
            parent = parent[token]
        last = where[-1]
        action = rng.random()
        if action < 0.6:
            parent[last] = copy.deepcopy(rng.choice(REPLACEMENTS))
        elif action < 0.8 and isinstance(parent, dict):
            del parent[last]
        else:
            parent[last] = [parent[last]]
    return changed


def run_every_output(path: Path) -> None:
    """Scan one file and render it in every format and as the view; raise on any failure."""
    result = scan([str(path)], Settings())
    internal = [
        e
        for e in result.errors
        if e.message.startswith(("could not be collected", "could not run"))
    ]
    assert not internal, internal  # the scan's safety net caught a crash: fix its cause
    pipelines = [{"name": d.name, "source": d.source} for d in result.definitions.values()]
    json.loads(json_report(result.findings, result.errors, pipelines, result.skipped, "0"))
    json.dumps(sarif_log(result.findings, enabled_rules(Settings()), result.errors, "0"))
    print_table(Console(file=io.StringIO(), width=120), result.findings, result.errors, 1)
    render_view(result.graph, result.findings, "fuzz")


def fuzz(bases: list[Path], cases: int, seed: int, folder: Path) -> int:
    """Run `cases` mutated definitions through every output; the number run."""
    rng = random.Random(seed)
    documents = [json.loads(b.read_text(encoding="utf-8")) for b in bases]
    for number in range(cases):
        mutated = mutate(rng.choice(documents), rng, rng.randint(1, 4))
        path = folder / "case.json"
        path.write_text(json.dumps(mutated), encoding="utf-8")
        try:
            run_every_output(path)
        except Exception as exc:
            kept = folder / f"failing-{seed}-{number}.json"
            kept.write_text(json.dumps(mutated, indent=1), encoding="utf-8")
            raise AssertionError(f"case {number} (seed {seed}) failed, kept in {kept}") from exc
    return cases
