"""Every file of the shared corpus scans without a crash; the broken ones give a clean error."""

from __future__ import annotations

from pathlib import Path

import pytest

from lineage.collect.sources import load_sources
from lineage.config import Settings
from lineage.scan import scan
from tests.support.paths import CORPUS, CORPUS_ABSENT

ALL_FILES = sorted(p for p in CORPUS.rglob("*") if p.is_file()) if CORPUS.is_dir() else []
DEFINITIONS = [
    p
    for p in ALL_FILES
    if p.suffix == ".json" and p.parent.name not in ("odd", "schema", "model_packages")
]
ODD_FILES = [p for p in ALL_FILES if p.parent.name == "odd"]


def each(paths: list[Path]) -> list[object]:
    """Parameters of one test a file, or one skipped with the corpus's reason when it is absent
    (rather than pytest's "got empty parameter set")."""
    if paths:
        return [pytest.param(p, id=p.name) for p in paths]
    return [pytest.param(None, id="no-corpus", marks=pytest.mark.skip(reason=CORPUS_ABSENT))]


BROKEN = {
    "asset-prediction-sagemaker-pipelines-example__pipeline.jinja-template.json": (
        "invalid JSON: Expecting property name enclosed in double quotes",
        10,
        78,
    ),
    "sagemaker_pipelines__pipeline_definition@4c254eb.pyrepr.txt": (
        "invalid JSON: Expecting property name enclosed in double quotes",
        1,
        2,
    ),
}


def test_the_corpus_is_there(corpus: Path) -> None:
    assert len(DEFINITIONS) >= 30


@pytest.mark.parametrize("path", each(DEFINITIONS))
def test_definition_scans_cleanly(path: Path) -> None:
    result = scan([str(path)], Settings())
    assert result.errors == []
    assert len(result.definitions) == 1
    assert next(iter(result.graph.nodes())) is not None


@pytest.mark.parametrize("path", each(ODD_FILES))
def test_odd_files(path: Path) -> None:
    result = load_sources([str(path)])
    if path.name in BROKEN:
        message, line, column = BROKEN[path.name]
        [error] = result.errors
        assert (error.message, error.line, error.column) == (message, line, column)
    else:
        assert result.errors == [] and len(result.definitions) == 1


def test_whole_corpus_directory_in_one_run(corpus: Path) -> None:
    result = scan([str(corpus)], Settings())
    assert len(result.definitions) == 37
    assert {Path(e.source).name for e in result.errors} == {
        "asset-prediction-sagemaker-pipelines-example__pipeline.jinja-template.json"
    }
    assert len(result.skipped) == 7  # model package listings and the JSON schema
