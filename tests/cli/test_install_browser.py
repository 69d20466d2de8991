"""scripts/install-browser.sh waits for apt while another apt or dpkg holds its lock."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.support.paths import REPO

# A stand-in for apt-get: busy (the dpkg lock held) for the first BUSY calls, then it "installs"
# the browsers by writing executables where the script looks for them.
FAKE_APT = """#!/usr/bin/env bash
calls=$(( $(cat "$STATE/calls" 2>/dev/null || echo 0) + 1 ))
echo $calls >"$STATE/calls"
echo "$*" >>"$STATE/log"
if [ "$calls" -le "$BUSY" ]; then
  echo "E: Could not get lock /var/lib/dpkg/lock-frontend. It is held by process 1 (apt-get)" >&2
  exit 100
fi
if [ "$1" = "-o" ] && [ "$3" = "install" ]; then
  for browser in "$LINEAGE_CHROMIUM" "$LINEAGE_FIREFOX"; do
    printf '#!/bin/sh\\necho %s 1.0\\n' "$(basename "$browser")" >"$browser"
    chmod +x "$browser"
  done
fi
"""


def run_script(tmp_path: Path, busy: int, apt: str = FAKE_APT) -> subprocess.CompletedProcess[str]:
    """Run a copy of the script (its note goes beside the copy) with `apt` as apt-get."""
    scripts = tmp_path / "repo" / "scripts"
    scripts.mkdir(parents=True)
    shutil.copy(REPO / "scripts" / "install-browser.sh", scripts)
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "apt-get").write_text(apt, encoding="utf-8")
    (bin_dir / "apt-get").chmod(0o755)
    env = {
        **os.environ,
        "PATH": f"{bin_dir}:{os.environ['PATH']}",
        "STATE": str(tmp_path),
        "BUSY": str(busy),
        "LINEAGE_CHROMIUM": str(tmp_path / "chromium"),
        "LINEAGE_FIREFOX": str(tmp_path / "firefox-esr"),
        "LINEAGE_APT_RETRY_SECONDS": "0",
    }
    return subprocess.run(
        ["bash", str(scripts / "install-browser.sh")],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="the script installs only as root")


def test_a_busy_apt_is_waited_for(tmp_path: Path) -> None:
    done = run_script(tmp_path, busy=2)
    assert done.returncode == 0, done.stderr
    assert done.stderr.count("apt is busy") == 2
    calls = (tmp_path / "log").read_text(encoding="utf-8").splitlines()
    assert [c.split()[2] for c in calls] == ["update", "update", "update", "install"]
    assert all(c.startswith("-o DPkg::Lock::Timeout=") for c in calls)
    assert "chromium 1.0" in done.stdout and "firefox-esr 1.0" in done.stdout


def test_another_apt_failure_fails_at_once_and_says_why(tmp_path: Path) -> None:
    missing = "#!/bin/sh\necho 'E: Unable to locate package chromium' >&2\nexit 100\n"
    failed = run_script(tmp_path, busy=0, apt=missing)
    assert failed.returncode != 0
    assert "Unable to locate package chromium" in failed.stderr
    assert "apt is busy" not in failed.stderr
