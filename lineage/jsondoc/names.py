"""'Did you mean' suggestions for misspelled names."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """` (did you mean 'x'?)` for the closest candidate, or an empty string."""
    matches = difflib.get_close_matches(word, sorted(set(candidates)), n=1, cutoff=0.6)
    return f" (did you mean {matches[0]!r}?)" if matches else ""


def close_matches(word: str, candidates: Iterable[str], n: int = 5) -> list[str]:
    """Up to `n` candidates that look like `word`, best first."""
    return difflib.get_close_matches(word, sorted(set(candidates)), n=n, cutoff=0.5)
