"""Every warning and error on the public corpus has a reviewed verdict; fixed false alarms stay
fixed; and the rules doc shows each rule's false-alarm rate from the verdicts."""

from __future__ import annotations

from pathlib import Path

import pytest

from lineage.report.verdicts import VerdictsError, read_verdicts, tally
from tests.support.corpus_verdicts import REFRESH, VERDICTS_FILE, compare, corpus_findings


@pytest.mark.corpus
def test_every_corpus_finding_has_a_verdict_and_fixed_ones_stay_fixed() -> None:
    result = compare(corpus_findings(), read_verdicts(VERDICTS_FILE))
    assert result.unjudged == [], f"findings without a verdict: {REFRESH}"
    assert result.returned == [], "false alarms judged fixed are raised again"
    assert result.stale == [], f"verdicts on findings no longer raised: {REFRESH}"


def test_the_verdicts_file_reads_and_false_alarms_stay_under_five_percent() -> None:
    counts = tally(read_verdicts(VERDICTS_FILE))
    judged = sum(c["true"] + c["false"] + c["noise"] for c in counts.values())
    false = sum(c["false"] for c in counts.values())
    assert judged > 0 and false / judged <= 0.05


def test_a_malformed_verdicts_file_names_its_row(tmp_path: Path) -> None:
    bad = tmp_path / "v.tsv"
    bad.write_text("file\tcode\tpointer\tverdict\treason\na.json\tL101\t/Steps/0\tmaybe\tx\n")
    with pytest.raises(VerdictsError, match=r"v.tsv:2: expected 5 columns, a verdict of"):
        read_verdicts(bad)
