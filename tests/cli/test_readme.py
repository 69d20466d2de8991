"""Every `lineage …` example in the README runs as written, from a copy of the repository root."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.paths import REPO

README = REPO / "README.md"
# Examples that need a running server: tests/neo4j/test_db_server.py and test_neo4j_cli.py run them.
SERVER_EXAMPLES = ("lineage db ", "--neo4j")


def readme_examples() -> list[str]:
    """The `lineage …` command lines of the README's bash blocks, comments removed."""
    blocks = re.findall(r"```bash\n(.*?)```", README.read_text(encoding="utf-8"), re.S)
    lines = [line.split("  #")[0].strip() for block in blocks for line in block.splitlines()]
    return [line for line in lines if line.startswith("lineage ")]


EXAMPLES = [line for line in readme_examples() if not any(s in line for s in SERVER_EXAMPLES)]


def test_the_readme_has_examples_of_every_command() -> None:
    commands = {line.split()[1] for line in readme_examples()}
    assert {"scan", "view", "trace", "db"} <= commands


@pytest.mark.slow
@pytest.mark.parametrize("line", EXAMPLES)
def test_readme_example_runs(line: str, tmp_path: Path) -> None:
    shutil.copytree(REPO / "examples", tmp_path / "examples")
    command, _, stdin_file = line.partition(" < ")
    argv = shlex.split(command)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), str(REPO)])}
    stdin = tmp_path / stdin_file.strip() if stdin_file else Path(os.devnull)
    with stdin.open("rb") as sin:
        done = subprocess.run(
            [sys.executable, "-m", "lineage", *argv[1:]],
            cwd=tmp_path,
            stdin=sin,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
            env=env,
        )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
