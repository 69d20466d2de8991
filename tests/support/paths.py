"""Where things are: the repository, the tests, the SDK-generated fixtures, the example, and the
shared corpus of published pipelines (beside the repository only in the project's CI)."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
TESTS = REPO / "tests"
CORPUS = REPO.parent / "shared" / "corpus"
SDK_FIXTURES = TESTS / "fixtures" / "sdk"
EXAMPLE = REPO / "examples" / "abalone" / "pipeline.json"
CORPUS_ABSENT = (
    f"the shared corpus of published pipelines is not at {CORPUS} "
    "(only the project's CI has it beside the repository)"
)
