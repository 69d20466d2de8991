"""The public corpus's warning and error findings against their reviewed verdicts.

`python -m tests.support.corpus_verdicts` prints the findings that have no verdict yet, as TSV
rows to judge and add to tests/corpus_verdicts.tsv, and the rows that no longer match the scan.
"""

from __future__ import annotations

import csv
import sys
from dataclasses import dataclass

from lineage.config import Settings
from lineage.report.verdicts import Verdict, read_verdicts
from lineage.rules.engine.model import Severity
from lineage.scan import scan
from tests.support.paths import CORPUS, REPO

VERDICTS_FILE = REPO / "tests" / "corpus_verdicts.tsv"
CURRENT = frozenset({"true", "false", "noise"})  # verdicts on findings the scan still raises
REFRESH = (
    "run `python -m tests.support.corpus_verdicts`, judge the new rows, drop or re-judge stale ones"
)

Key = tuple[str, str, str]


@dataclass(frozen=True)
class Comparison:
    """The corpus findings against the verdicts file."""

    unjudged: list[Key]
    returned: list[Verdict]  # findings judged false alarms and fixed, raised again
    stale: list[Verdict]  # verdicts on findings the scan no longer raises


def corpus_findings() -> dict[Key, str]:
    """Every warning and error on the corpus (default settings), by key, with its message."""
    found = {}
    for finding in scan([str(CORPUS)], Settings()).findings:
        if finding.severity is Severity.INFO or finding.source is None:
            continue
        file = str(finding.source).removeprefix(f"{CORPUS}/")
        found[(file, finding.code, finding.pointer)] = finding.message
    return found


def compare(found: dict[Key, str], verdicts: list[Verdict]) -> Comparison:
    """Which findings lack a verdict, which fixed ones came back, which verdicts are stale."""
    judged = {v.key: v for v in verdicts}
    return Comparison(
        unjudged=sorted(k for k in found if k not in judged),
        returned=[v for v in verdicts if v.verdict == "fixed" and v.key in found],
        stale=[v for v in verdicts if v.verdict in CURRENT and v.key not in found],
    )


def main() -> int:
    """Print the rows to add (unjudged findings) and the stale rows; 1 when any."""
    found = corpus_findings()
    result = compare(found, read_verdicts(VERDICTS_FILE))
    writer = csv.writer(sys.stdout, delimiter="\t", lineterminator="\n")
    for key in result.unjudged:
        writer.writerow((*key, "?", found[key]))
    for verdict in result.stale + result.returned:
        print(f"# {verdict.verdict} verdict no longer matches: {' '.join(verdict.key)}")
    return 1 if result.unjudged or result.stale or result.returned else 0


if __name__ == "__main__":
    raise SystemExit(main())
