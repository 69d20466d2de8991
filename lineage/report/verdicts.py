"""Reviewed verdicts on the findings of a corpus: a TSV kept beside the tests, summed per rule."""

from __future__ import annotations

import csv
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

# true: a real defect or risk; false: a false alarm; noise: right but not worth a warning;
# fixed: a false alarm the rule no longer raises (kept so that it cannot come back unnoticed).
VERDICTS = ("true", "false", "noise", "fixed")
COLUMNS = ("file", "code", "pointer", "verdict", "reason")


class VerdictsError(ValueError):
    """A verdicts file that cannot be read; the message names the file and the row."""


@dataclass(frozen=True)
class Verdict:
    """A reviewer's judgement of one finding (see VERDICTS)."""

    file: str
    code: str
    pointer: str
    verdict: str
    reason: str

    @property
    def key(self) -> tuple[str, str, str]:
        """What identifies the finding: its file (relative to the corpus), code and pointer."""
        return self.file, self.code, self.pointer


def read_verdicts(path: Path) -> list[Verdict]:
    """The rows of a verdicts TSV (a header row, then one judged finding per row)."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise VerdictsError(f"{path}: cannot read: {exc.strerror}") from None
    rows = list(csv.reader(lines, delimiter="\t"))
    if not rows or tuple(rows[0]) != COLUMNS:
        raise VerdictsError(f"{path}: the first row must be {' '.join(COLUMNS)} (tab-separated)")
    verdicts = []
    for number, row in enumerate(rows[1:], start=2):
        if len(row) != len(COLUMNS) or row[3] not in VERDICTS or not row[4].strip():
            raise VerdictsError(
                f"{path}:{number}: expected {len(COLUMNS)} columns, a verdict of "
                f"{'/'.join(VERDICTS)} and a reason"
            )
        verdicts.append(Verdict(*row))
    return verdicts


def tally(verdicts: list[Verdict]) -> dict[str, Counter[str]]:
    """Per rule code: how many findings were judged true, false, noise, and fixed."""
    counts: dict[str, Counter[str]] = {}
    for verdict in verdicts:
        counts.setdefault(verdict.code, Counter())[verdict.verdict] += 1
    return counts
