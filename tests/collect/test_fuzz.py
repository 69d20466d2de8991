"""No mutated definition crashes the scan, a report format or the view (a bounded, seeded run;
`python scripts/fuzz.py --cases N` runs longer)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.fuzzing import fuzz
from tests.support.paths import SDK_FIXTURES

pytestmark = pytest.mark.slow

BASES = sorted(SDK_FIXTURES.glob("*.json"))


def test_mutated_definitions_never_crash_any_output(tmp_path: Path) -> None:
    assert fuzz(BASES, cases=300, seed=20261204, folder=tmp_path) == 300
