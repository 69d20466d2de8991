"""`lineage scan` loads only what a scan needs: no graph library, AWS SDK, Neo4j driver or local
server launcher, OpenLineage client, HTML view, diff machinery, SARIF writer or Cypher files
(each of them is for another command or option), no pydantic (typer's coercion of plain values
is done without it, see lineage.cli.plain_values) and no importlib.metadata (the version is a
literal)."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.support.paths import EXAMPLE, REPO

NOT_FOR_A_SCAN = (
    "networkx",
    "boto3",
    "botocore",
    "neo4j",
    "openlineage",
    "pydantic",
    "pydantic_core",
    "typer._adapters",
    "importlib.metadata",
    "csv",
    "lineage.view",
    "lineage.diff",
    "lineage.export",
    "lineage.neo4j.audits",
    "lineage.neo4j.server.server",
    "lineage.report.rules_table",
    "lineage.report.verdicts",
    "lineage.report.sarif",
    "lineage.neo4j.cypher_files",
)


def test_a_scan_from_the_command_line_imports_nothing_it_does_not_use() -> None:
    code = (
        "import json, sys\n"
        f"sys.argv = ['lineage', 'scan', {str(EXAMPLE)!r}, '-f', 'json', '--select', 'L1']\n"
        "from lineage.cli.main import main\n"
        "try:\n"
        "    main()\n"
        "except SystemExit as done:\n"
        "    code = done.code\n"
        f"loaded = [m for m in {NOT_FOR_A_SCAN!r} if m in sys.modules]\n"
        "sys.stderr.write(json.dumps({'exit': code, 'loaded': loaded}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True
    )
    assert json.loads(done.stdout)["pipelines"]  # the scan ran and reported
    assert json.loads(done.stderr.splitlines()[-1]) == {"exit": 0, "loaded": []}
