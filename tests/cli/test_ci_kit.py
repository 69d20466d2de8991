"""The adoption kit: the pre-commit hook runs `lineage scan` as its manifest says."""

from __future__ import annotations

import shlex
import subprocess
import sys
from pathlib import Path

import yaml

from tests.support.builders import write
from tests.support.paths import EXAMPLE, REPO


def test_the_pre_commit_hook_scans_the_files_it_is_given(tmp_path: Path) -> None:
    [hook] = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert hook["id"] == "lineage-scan" and hook["language"] == "python"
    assert hook["types"] == ["json"] and hook["pass_filenames"] is True
    command = shlex.split(hook["entry"])
    assert command[:2] == ["lineage", "scan"]
    not_a_pipeline = write(tmp_path, {"name": "web", "version": "1.0.0"}, "package.json")
    run = [sys.executable, "-m", "lineage", *command[1:], str(EXAMPLE), str(not_a_pipeline)]
    clean = subprocess.run(run, capture_output=True, text=True, timeout=120, check=False)
    assert clean.returncode == 0, clean.stderr
    broken = write(tmp_path, {"Version": "2020-12-01", "Steps": [{"Name": "A"}]}, "bad.json")
    failing = subprocess.run([*run, str(broken)], capture_output=True, text=True, check=False)
    assert failing.returncode in (1, 2)
