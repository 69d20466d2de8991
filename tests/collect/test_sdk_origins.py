"""Findings on SDK pipelines point at the Python line that created the step."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from lineage.cli.main import app
from lineage.collect.sources import load_sources
from tests.support.paths import REPO

pytestmark = pytest.mark.slow  # imports the SageMaker SDK

runner = CliRunner()
CODE = REPO / "examples" / "abalone" / "pipeline.py"
FACTORY = "examples.abalone.pipeline:build_pipeline"


def line_of(text: str) -> int:
    """The 1-based line of the example's source that holds `text`."""
    lines = CODE.read_text(encoding="utf-8").splitlines()
    [number] = [n for n, line in enumerate(lines, 1) if text in line]
    return number


def test_each_step_is_traced_to_the_line_that_created_it() -> None:
    [loaded] = load_sources([FACTORY]).definitions
    origins = loaded.step_origins
    assert origins["AbaloneProcess"] == (
        "examples/abalone/pipeline.py",
        line_of('name="AbaloneProcess"'),
    )
    # a step collection's steps point at the collection the user wrote
    assert origins["AbaloneRegisterModel-RegisterModel"][1] == line_of(
        'name="AbaloneRegisterModel"'
    )
    steps = {s["Name"] for s in loaded.document["Steps"]}
    assert steps <= set(origins)


def test_sarif_and_json_point_findings_at_the_python_line() -> None:
    register = line_of('name="AbaloneRegisterModel"')
    report = runner.invoke(app, ["scan", FACTORY, "-f", "json"])
    assert report.exit_code == 0, report.stderr
    [finding] = json.loads(report.stdout)["findings"]  # stdout holds the report and nothing else
    assert finding["origin"] == {"file": "examples/abalone/pipeline.py", "line": register}
    sarif = runner.invoke(app, ["scan", FACTORY, "-f", "sarif"])
    [result] = json.loads(sarif.stdout)["runs"][0]["results"]
    physical = result["locations"][0]["physicalLocation"]
    assert physical == {
        "artifactLocation": {"uri": "examples/abalone/pipeline.py"},
        "region": {"startLine": register},
    }
    assert Path(REPO / physical["artifactLocation"]["uri"]).is_file()


def test_findings_in_no_step_point_at_the_pipeline_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "bad_mode_pipeline.py").write_text(
        "from sagemaker.workflow.parameters import ParameterString\n"
        "from sagemaker.workflow.pipeline import Pipeline\n"
        "\n"
        "MODE = ParameterString(name='Mode', default_value='fast', enum_values=['slow'])\n"
        "pipeline = Pipeline(\n"
        "    name='BadMode', parameters=[MODE], steps=[]\n"
        ")\n",
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    sarif = runner.invoke(app, ["scan", "bad_mode_pipeline:pipeline", "-f", "sarif"])
    results = json.loads(sarif.stdout)["runs"][0]["results"]
    [parameter] = [r for r in results if r["ruleId"] == "L115"]
    assert parameter["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "bad_mode_pipeline.py"},
        "region": {"startLine": 5},
    }
    assert all("physicalLocation" in r["locations"][0] for r in results)
