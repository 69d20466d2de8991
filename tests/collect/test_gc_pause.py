"""A scan pauses the cyclic garbage collector and leaves it nothing young to walk afterwards."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest

from lineage.config import Settings
from lineage.scan import check, collect

EXAMPLE = str(Path(__file__).parents[2] / "examples" / "abalone" / "pipeline.json")


@pytest.fixture
def collector_on() -> Iterator[None]:
    """The collector enabled, as in a fresh process; restored afterwards."""
    was = gc.isenabled()
    gc.enable()
    yield
    if not was:
        gc.disable()


def test_what_a_scan_allocated_is_counted_old(collector_on: None) -> None:
    result = collect([EXAMPLE])
    young = len(gc.get_objects(generation=0))
    check(result, Settings())
    assert gc.isenabled()
    assert young < 1_000  # the graph and its documents sit in the oldest generation
    assert len(gc.get_objects(generation=0)) < 1_000
    assert result.findings


def test_objects_another_program_froze_stay_frozen(collector_on: None) -> None:
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        collect([EXAMPLE])
        assert gc.get_freeze_count() == frozen
    finally:
        gc.unfreeze()
