"""Run many seeded mutations of the SDK fixtures (and the corpus, if beside the repository)
through the scan, every report format and the view: `python scripts/fuzz.py --cases 5000`."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.support.fuzzing import fuzz  # noqa: E402
from tests.support.paths import CORPUS, SDK_FIXTURES  # noqa: E402


def main() -> int:
    """Parse the options, fuzz, and print how many cases ran and how long it took."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=int(time.time()))
    parser.add_argument(
        "--keep", type=Path, default=Path("fuzz-failures"), help="where a failing case is kept"
    )
    options = parser.parse_args()
    bases = sorted(SDK_FIXTURES.glob("*.json"))
    if CORPUS.is_dir():
        bases += sorted(p for p in CORPUS.glob("*.json"))
    started = time.monotonic()
    options.keep.mkdir(parents=True, exist_ok=True)
    ran = fuzz(bases, options.cases, options.seed, options.keep)
    print(
        f"{ran} mutated definitions (seed {options.seed}), no failure, "
        f"{time.monotonic() - started:.0f} s"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
