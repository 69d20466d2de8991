"""Every realistic defect raises its expected finding, at its pointer, and nothing else loud."""

from __future__ import annotations

import functools
import json
from pathlib import Path

import pytest

from lineage.config import Settings
from lineage.rules.engine.model import Finding, Severity
from lineage.scan import scan
from tests.support.builders import write
from tests.support.defects import Defect, all_defects

DEFECT_LIST = all_defects()
BASES = sorted({d.base for d in DEFECT_LIST})


def _loud(findings: list[Finding]) -> set[tuple[str, str]]:
    """The (code, pointer) of every warning and error."""
    return {(f.code, f.pointer) for f in findings if f.severity is not Severity.INFO}


@functools.cache
def _base_findings(base: Path) -> list[Finding]:
    return scan([str(base)], Settings()).findings


@pytest.mark.parametrize("base", BASES, ids=lambda p: p.name)
def test_base_is_clean(base: Path) -> None:
    assert _loud(_base_findings(base)) == set()


@pytest.mark.parametrize("defect", DEFECT_LIST, ids=lambda d: d.name)
def test_defect_is_found_once(defect: Defect, tmp_path: Path) -> None:
    path = write(tmp_path, defect.document, f"{defect.base.stem}.json")
    findings = scan([str(path)], Settings()).findings
    found = {(f.code, f.pointer) for f in findings}
    assert (defect.code, defect.pointer) in found, (
        defect.summary,
        json.dumps([f.as_dict() for f in findings], indent=1),
    )
    new = _loud(findings) - _loud(_base_findings(defect.base))
    assert new <= {(defect.code, defect.pointer)}, (defect.summary, sorted(new))


def test_there_are_enough_defects_of_every_class() -> None:
    assert len(DEFECT_LIST) >= 40
    classes = {d.name.split("-", 1)[0] for d in DEFECT_LIST}
    assert {"svc", "loc", "base"} <= classes
