"""The `lineage` command: formats, selection, exit codes, config, rules and explain."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from lineage.cli.main import app
from lineage.report.rules_table import SIDE_BY_SIDE_WIDTH
from lineage.rules.engine.rulebook import all_rules
from tests.support.builders import abalone_like, definition, get, processing, write
from tests.support.paths import EXAMPLE, REPO, SDK_FIXTURES

runner = CliRunner()
ENGINE = ["--select", "L109,L110,L301,L303,L304,L305,L306"]


def broken(tmp_path: Path) -> Path:
    """A definition with one error (L301) and one info (L109)."""
    doc = abalone_like()
    doc["Steps"][2]["Arguments"]["ProcessingInputs"][0]["S3Input"]["S3Uri"] = get(
        "Steps.Trian.ModelArtifacts.S3ModelArtifacts"
    )
    doc["Steps"].append({"Name": "Export", "Type": "Exporting", "Arguments": {}})
    return write(tmp_path, doc, "broken.json")


def scan_json(*args: str) -> tuple[int, dict]:
    """Scan with the engine's rules only (unless args select others); exit code and report."""
    selection = [] if "--select" in args else ENGINE
    result = runner.invoke(app, ["scan", "--format", "json", *selection, *args])
    return result.exit_code, json.loads(result.stdout)


def test_json_report_schema(tmp_path: Path) -> None:
    code, report = scan_json(str(broken(tmp_path)))
    assert code == 1
    assert set(report) == {
        "schema_version",
        "tool",
        "pipelines",
        "errors",
        "skipped",
        "findings",
        "summary",
        "expired_suppressions",
    }
    assert [f["code"] for f in report["findings"]] == ["L301", "L109"]
    first = report["findings"][0]
    assert set(first) == {
        "code",
        "name",
        "level",
        "severity",
        "message",
        "pipeline",
        "step",
        "node",
        "kind",
        "pointer",
        "source",
        "line",
        "fingerprint",
    }
    assert (first["pipeline"], first["step"], first["kind"]) == (
        "broken",
        "Evaluate",
        "PropertyRef",
    )
    source_lines = Path(first["source"]).read_text().splitlines()
    assert source_lines[first["line"] - 1].strip() == '"S3Uri": {'
    assert report["summary"]["by_level"] == {"L1": 1, "L2": 0, "L3": 1, "L4": 0}


def test_exit_codes_follow_fail_on(tmp_path: Path) -> None:
    path = str(broken(tmp_path))
    assert runner.invoke(app, ["scan", path, *ENGINE]).exit_code == 1
    assert runner.invoke(app, ["scan", path, *ENGINE, "--fail-on", "never"]).exit_code == 0
    assert runner.invoke(app, ["scan", path, *ENGINE, "--ignore", "L301"]).exit_code == 0
    ignored = runner.invoke(app, ["scan", path, *ENGINE, "--ignore", "L301", "--fail-on", "info"])
    assert ignored.exit_code == 1
    clean = write(tmp_path, abalone_like(), "clean.json")
    assert runner.invoke(app, ["scan", str(clean), *ENGINE]).exit_code == 0


def test_select_and_ignore_by_prefix_and_code(tmp_path: Path) -> None:
    path = str(broken(tmp_path))
    _, only_l10 = scan_json(path, "--select", "L109,L110")
    assert [f["code"] for f in only_l10["findings"]] == ["L109"]
    _, narrowed = scan_json(path, "--select", "L3", "--ignore", "L301")
    assert narrowed["findings"] == []
    _, reenabled = scan_json(path, "--ignore", "L3", "--select", "L301")
    assert [f["code"] for f in reenabled["findings"]] == ["L301"]


def test_unknown_rule_code_is_a_usage_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["scan", str(broken(tmp_path)), "--select", "L999"])
    assert result.exit_code == 2
    assert "'L999' matches no rule code" in result.stderr


def test_settings_from_pyproject(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = str(broken(tmp_path))
    (tmp_path / "pyproject.toml").write_text(
        '[tool.lineage]\nselect = ["L109", "L301"]\nignore = ["L301"]\nfail-on = "info"\n'
        'severity = { L109 = "error" }\n'
    )
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["scan", "-f", "json", path])
    assert result.exit_code == 1
    findings = json.loads(result.stdout)["findings"]
    assert [(f["code"], f["severity"]) for f in findings] == [("L109", "error")]
    assert runner.invoke(app, ["scan", path, "--fail-on", "never"]).exit_code == 0


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ("[tool.lineage]\nfail_on = 'x'\n", "unknown key(s) fail_on"),
        ("[tool.lineage]\nfail-on = 'sometimes'\n", "'sometimes' is not one of"),
        ("[tool.lineage]\nseverity = { L301 = 'fatal' }\n", "'fatal' is not one of"),
        ("[tool.lineage\n", "invalid TOML"),
        ("[tool.lineage]\nrules-url = 'docs/rules.md'\n", "expected an http(s) URL"),
    ],
)
def test_bad_config_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, toml: str, message: str
) -> None:
    (tmp_path / "pyproject.toml").write_text(toml)
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["scan", str(broken(tmp_path))])
    assert result.exit_code == 2
    assert message in result.stderr


def test_bad_source_is_reported_and_others_still_scanned(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{\n  nope\n}")
    code, report = scan_json(str(bad), str(broken(tmp_path)))
    assert code == 2
    assert report["errors"] == [
        {
            "source": str(bad),
            "message": "invalid JSON: Expecting property name enclosed in double quotes",
            "line": 2,
            "column": 3,
            "pointer": None,
        }
    ]
    assert len(report["findings"]) == 2


def test_table_groups_by_pipeline_and_step_and_summarises_levels(tmp_path: Path) -> None:
    result = runner.invoke(app, ["scan", str(broken(tmp_path)), *ENGINE])
    out = result.stdout
    assert "broken > Evaluate" in out and "broken > Export" in out
    assert "L3 lineage and dependencies: 1 error(s), 0 warning(s), 0 info" in out
    assert "L1 step configuration: 0 error(s), 0 warning(s), 1 info" in out
    assert "2 finding(s) in 1 pipeline(s)" in out


def test_user_data_is_not_rich_markup(tmp_path: Path) -> None:
    doc = definition(processing("[bold]x[/bold]", DependsOn=["[red]y"]))
    result = runner.invoke(app, ["scan", str(write(tmp_path, doc)), *ENGINE])
    assert "'[red]y'" in result.stdout


def test_output_file(tmp_path: Path) -> None:
    target = tmp_path / "report.sarif"
    result = runner.invoke(app, ["scan", str(broken(tmp_path)), "-f", "sarif", "-o", str(target)])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert json.loads(target.read_text())["version"] == "2.1.0"


def test_rules_and_explain() -> None:
    listing = runner.invoke(app, ["rules", "--format", "json"])
    rules = {r["code"]: r for r in json.loads(listing.stdout)}
    assert {"L109", "L110", "L301", "L303", "L304", "L305", "L306"} <= set(rules)
    assert rules["L305"]["kind"] == "graph" and rules["L109"]["kind"] == "node"
    assert "dangling-step-reference" in runner.invoke(app, ["rules"]).stdout
    explained = runner.invoke(app, ["explain", "l301"])
    assert explained.exit_code == 0
    assert explained.stdout.startswith("L301 dangling-step-reference\n")
    assert "Fix: " in explained.stdout
    assert runner.invoke(app, ["explain", "dependency-cycle"]).stdout.startswith("L305")
    missing = runner.invoke(app, ["explain", "L30"])
    assert missing.exit_code == 2
    assert "did you mean" in missing.stderr


def test_stdin_through_the_real_console_script(tmp_path: Path) -> None:
    text = broken(tmp_path).read_text()
    done = subprocess.run(
        [sys.executable, "-m", "lineage", "scan", "-", "-f", "json", *ENGINE],
        input=text,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1
    assert json.loads(done.stdout)["findings"][0]["source"] == "-"


def test_no_traceback_on_internal_error(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "lineage", "scan", str(tmp_path / "missing.json")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    assert "Traceback" not in done.stderr + done.stdout
    assert "missing.json: no such file or directory" in done.stdout + done.stderr


def test_docs_rules_md_is_generated_from_the_registry() -> None:
    verdicts = str(REPO / "tests" / "corpus_verdicts.tsv")
    args = ["rules", "--format", "markdown", "--verdicts", verdicts]
    generated = runner.invoke(app, args).stdout
    committed = (REPO / "docs" / "rules.md").read_text(encoding="utf-8")
    assert committed == generated, (
        "regenerate: lineage rules --format markdown --verdicts tests/corpus_verdicts.tsv "
        "> docs/rules.md"
    )


def test_scan_writes_the_html_view_next_to_the_report(tmp_path: Path) -> None:
    page = tmp_path / "graph.html"
    secret = SDK_FIXTURES / "secret_in_env.json"
    result = runner.invoke(app, ["scan", str(EXAMPLE), str(secret), "--html", str(page)])
    assert result.exit_code == 1  # L206 is an error
    html = page.read_text(encoding="utf-8")
    assert "AbaloneRegisterModel-RegisterModel" in html
    assert "wJalrXUtnFEMI" not in html and "<script src=" not in html
    bad = runner.invoke(app, ["scan", str(EXAMPLE), "--html", str(tmp_path / "no" / "g.html")])
    assert bad.exit_code == 2
    assert bad.stderr.startswith("lineage: cannot write")


@pytest.mark.parametrize("width", [80, 160])
def test_rules_table_fits_the_terminal(width: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", str(width))
    listing = runner.invoke(app, ["rules"]).stdout
    lines = listing.splitlines()
    rules = all_rules()
    assert max(len(line) for line in lines) <= width
    assert len(lines) <= 3 * len(rules) + 2  # a rule takes at most three lines, even at 80
    for rule in rules:
        assert rule.code in listing and rule.name in listing
    side_by_side = any(rules[0].summary in line and rules[0].name in line for line in lines)
    assert side_by_side is (width >= SIDE_BY_SIDE_WIDTH)
