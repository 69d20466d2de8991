"""Shared fixtures: paths to the shared corpus and the SDK-generated fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest_plugins = ["tests.neo4j_plugin", "tests.moto_plugin"]

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus"
SDK_FIXTURES = REPO / "tests" / "fixtures" / "sdk"
EXAMPLE = REPO / "examples" / "abalone" / "pipeline.json"


CORPUS_ABSENT = (
    f"the shared corpus of published pipelines is not at {CORPUS} "
    "(only the project's CI has it beside the repository)"
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Skip the tests marked `corpus` when the shared corpus is not beside the repository."""
    if CORPUS.is_dir():
        return
    for item in items:
        if item.get_closest_marker("corpus") is not None:
            item.add_marker(pytest.mark.skip(reason=CORPUS_ABSENT))


@pytest.fixture(scope="session")
def corpus() -> Path:
    """The shared corpus of published pipeline definitions; skips the test when it is absent."""
    if not CORPUS.is_dir():
        pytest.skip(CORPUS_ABSENT)
    return CORPUS
