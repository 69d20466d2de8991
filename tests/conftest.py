"""Shared fixtures: paths to the shared corpus and the SDK-generated fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.paths import CORPUS, CORPUS_ABSENT, REPO

pytest_plugins = ["tests.support.neo4j_plugin", "tests.support.moto_plugin"]


# Tests that use these fixtures talk to a server the run starts: marked so `-m` can leave them out.
SERVER_MARKS = {"neo4j_server": "neo4j", "moto_endpoint": "moto"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark the tests that use a Neo4j or moto server; skip the tests marked `corpus` when the
    shared corpus is not beside the repository."""
    for item in items:
        fixtures = getattr(item, "fixturenames", ())
        for fixture, mark in SERVER_MARKS.items():
            if fixture in fixtures:
                item.add_marker(getattr(pytest.mark, mark))
        if not CORPUS.is_dir() and item.get_closest_marker("corpus") is not None:
            item.add_marker(pytest.mark.skip(reason=CORPUS_ABSENT))


@pytest.fixture(scope="session")
def corpus() -> Path:
    """The shared corpus of published pipeline definitions; skips the test when it is absent."""
    if not CORPUS.is_dir():
        pytest.skip(CORPUS_ABSENT)
    return CORPUS


_TOP_AT_START = {p.name for p in REPO.iterdir()}


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Fail the run when a test left a file at the top of the checkout (tests write to tmp)."""
    left = sorted({p.name for p in REPO.iterdir()} - _TOP_AT_START - {".pytest_cache"})
    if left:
        session.config.get_terminal_writer().line(f"tests left files in the checkout: {left}")
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
