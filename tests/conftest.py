"""Shared fixtures: paths to the shared corpus and the SDK-generated fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest_plugins = ["tests.neo4j_plugin", "tests.moto_plugin"]

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus"
SDK_FIXTURES = REPO / "tests" / "fixtures" / "sdk"
EXAMPLE = REPO / "examples" / "abalone" / "pipeline.json"


@pytest.fixture(scope="session")
def corpus() -> Path:
    """The shared corpus of published pipeline definitions."""
    if not CORPUS.is_dir():
        pytest.fail(f"the shared corpus is missing: expected it at {CORPUS}")
    return CORPUS
