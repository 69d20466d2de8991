"""The HTML view without a browser: self-contained, escaped, secret-free, laid out, and its CLI."""

from __future__ import annotations

import json
import os
import pty
import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from lineage.cli.main import app
from lineage.cli.view import ViewError, view_html, write_view
from lineage.config import Settings
from lineage.graph.lineage_graph import Kind, Rel
from lineage.graph.secrets import SECRET_MASK
from lineage.scan import ScanResult, scan
from lineage.view import render_view
from lineage.view.data import SHOWN_PROPERTIES, view_payload
from lineage.view.style import KIND_STYLES, REL_STYLES
from tests.support.builders import definition, get, model, processing, write
from tests.support.paths import EXAMPLE, SDK_FIXTURES
from tests.support.registry_graph import registry_graph

SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
ACCESS_KEY_ID = "AKIAIOSFODNN7EXAMPLE"
runner = CliRunner()


@pytest.fixture(scope="module")
def abalone() -> ScanResult:
    return scan([str(EXAMPLE)], Settings())


def embedded_data(page: str) -> dict:
    match = re.search(r'<script id="lineage-data" type="application/json">(.*?)</script>', page)
    assert match is not None
    return json.loads(match.group(1))


def test_page_is_self_contained(abalone: ScanResult) -> None:
    page = render_view(abalone.graph, abalone.findings, "abalone")
    assert re.search(r"<(script|img|iframe)[^>]*\ssrc=", page) is None
    assert "<link" not in page
    assert "sourceMappingURL" not in page
    assert "vis-network" in page
    assert "default-src 'none'" in page
    for src in re.findall(r"script-src ([^;]*);", page):
        assert "unsafe" not in src


def test_nothing_but_the_page_is_written(
    abalone: ScanResult, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write_view(abalone, Path("graph.html"))
    assert [p.name for p in tmp_path.iterdir()] == ["graph.html"]


def test_payload_holds_every_node_and_edge_once(abalone: ScanResult) -> None:
    payload = view_payload(abalone.graph, abalone.findings, "abalone")
    assert len(payload["nodes"]) == abalone.graph.nx.number_of_nodes()
    assert len(payload["edges"]) == abalone.graph.nx.number_of_edges()
    assert len({(n["x"], n["y"]) for n in payload["nodes"]}) == len(payload["nodes"])
    (flagged,) = [n for n in payload["nodes"] if n["findings"]]
    assert flagged["severity"] == "info"
    assert flagged["label"].endswith("\u25cf 1 info")
    assert payload["findings"][0]["recommendation"]


def test_the_same_graph_gives_the_same_page(abalone: ScanResult) -> None:
    first = render_view(abalone.graph, abalone.findings, "abalone")
    again = scan([str(EXAMPLE)], Settings())
    assert render_view(again.graph, again.findings, "abalone") == first


def test_data_flows_down_the_page(abalone: ScanResult) -> None:
    payload = view_payload(abalone.graph, abalone.findings, "abalone")
    y = {n["key"]: n["y"] for n in payload["nodes"]}
    order = [
        "s3://sagemaker-us-east-1-111122223333/abalone/data/abalone-dataset.csv",
        "pipeline/AbaloneProcess",
        "pipeline/AbaloneTrain",
        "pipeline/AbaloneEval",
        "pipeline/AbaloneMSECond",
        "pipeline/AbaloneRegisterModel-RegisterModel",
        "pipeline/AbaloneRegisterModel-RegisterModel/package",
        "AbaloneModelPackageGroup",
    ]
    assert [y[key] for key in order] == sorted(y[key] for key in order)


def test_raw_arguments_and_secrets_stay_out() -> None:
    result = scan([str(SDK_FIXTURES / "secret_in_env.json")], Settings())
    page = render_view(result.graph, result.findings, "secret")
    assert SECRET not in page
    assert ACCESS_KEY_ID not in page
    assert "AWS_SECRET_ACCESS_KEY" in page  # the finding names the key, never the value
    assert '"raw"' not in page
    data = embedded_data(page)
    assert {row[0] for n in data["nodes"] for row in n["props"]} <= set(SHOWN_PROPERTIES)


def test_secrets_stay_out_even_when_the_rule_is_ignored() -> None:
    result = scan([str(SDK_FIXTURES / "secret_in_env.json")], Settings(ignore=("L2",)))
    assert not any(f.code == "L206" for f in result.findings)
    page = render_view(result.graph, result.findings, "secret")
    assert SECRET not in page
    assert ACCESS_KEY_ID not in page


def test_a_parameter_default_that_feeds_a_secret_is_withheld(tmp_path: Path) -> None:
    step = model("Serve", "s3://bucket/model.tar.gz")
    step["Arguments"]["PrimaryContainer"]["Environment"] = {
        "DB_PASSWORD": get("Parameters.DbSetting")
    }
    parameters = [
        {"Name": "DbSetting", "Type": "String", "DefaultValue": "hunter2-correct-horse"},
        {"Name": "Region", "Type": "String", "DefaultValue": "eu-west-1"},
    ]
    result = scan([str(write(tmp_path, definition(step, parameters=parameters)))], Settings())
    assert any(f.code == "L206" for f in result.findings)
    page = render_view(result.graph, result.findings, "p")
    assert "hunter2-correct-horse" not in page
    data = embedded_data(page)
    defaults = {
        n["key"]: dict(n["props"]).get("default") for n in data["nodes"] if n["kind"] == "Parameter"
    }
    assert defaults == {
        "pipeline/parameters/DbSetting": SECRET_MASK,
        "pipeline/parameters/Region": "eu-west-1",
    }


def test_markup_cannot_leave_the_data_block(tmp_path: Path) -> None:
    hostile = "</script><script>alert(1)</script><!--"
    doc = definition(processing(hostile, outputs=("out",), Description="<b>&amp;</b>"))
    result = scan([str(write(tmp_path, doc))], Settings())
    page = render_view(result.graph, result.findings, "<title>&")
    assert hostile not in page
    assert "<b>&amp;</b>" not in page
    assert "<title>&lt;title&gt;&amp;</title>" in page
    data = embedded_data(page)
    step = next(n for n in data["nodes"] if n["kind"] == "Step")
    assert dict(step["props"])["name"] == hostile
    assert dict(step["props"])["description"] == "<b>&amp;</b>"
    assert data["title"] == "<title>&"


def test_a_large_graph_is_laid_out_without_overlaps() -> None:
    graph, findings = registry_graph(1500)
    payload = view_payload(graph, findings, "registry")
    assert payload["large"] is True
    assert len({(n["x"], n["y"]) for n in payload["nodes"]}) == graph.nx.number_of_nodes()
    xs = [n["x"] for n in payload["nodes"]]
    ys = [n["y"] for n in payload["nodes"]]
    width, height = max(xs) - min(xs), max(ys) - min(ys)
    assert 0.2 < width / height < 5


def test_focus_draws_only_the_lineage_around_a_node(abalone: ScanResult) -> None:
    data = embedded_data(view_html(abalone, None, "AbaloneTrain", 1))
    keys = {n["key"] for n in data["nodes"]}
    assert "pipeline/AbaloneTrain" in keys
    assert "pipeline/AbaloneProcess" in keys
    assert "pipeline/AbaloneTrain/model" in keys
    assert "pipeline/AbaloneTransform" not in keys
    (start,) = [n for n in data["nodes"] if n["highlight"]]
    assert start["key"] == "pipeline/AbaloneTrain"


def test_write_view_reports_a_bad_focus(abalone: ScanResult, tmp_path: Path) -> None:
    with pytest.raises(ViewError, match="close matches: AbaloneTrain"):
        write_view(abalone, tmp_path / "v.html", focus_on="AbaloneTrian")
    with pytest.raises(ViewError, match="cannot write"):
        write_view(abalone, tmp_path / "missing" / "v.html")


def test_view_command_writes_the_page(tmp_path: Path) -> None:
    out = tmp_path / "graph.html"
    result = runner.invoke(app, ["view", str(EXAMPLE), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "wrote the graph to" in result.stderr
    data = embedded_data(out.read_text(encoding="utf-8"))
    assert data["title"] == "lineage: pipeline"
    assert data["stats"]["findings"] == 1


def test_view_command_to_stdout_with_focus_and_title() -> None:
    args = ["view", str(EXAMPLE), "--focus", "AbaloneEval", "--depth", "2", "--title", "eval"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0
    data = embedded_data(result.stdout)
    assert data["title"] == "eval"
    assert data["stats"]["nodes"] < 49


def test_view_command_honours_rule_selection(tmp_path: Path) -> None:
    out = tmp_path / "graph.html"
    result = runner.invoke(app, ["view", str(EXAMPLE), "--ignore", "L404", "-o", str(out)])
    assert result.exit_code == 0
    assert embedded_data(out.read_text(encoding="utf-8"))["stats"]["findings"] == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["view"], "give sources to scan"),
        (["view", str(EXAMPLE), "--depth", "2"], "--depth needs --focus"),
        (["view", str(EXAMPLE), "--focus", "Nope"], "--focus: no node matches 'Nope'"),
        (["view", str(EXAMPLE), "--cypher", "MATCH (n) RETURN n"], "--cypher needs --from-neo4j"),
        (
            ["view", str(EXAMPLE), "--from-neo4j", "bolt://localhost:1"],
            "give sources to scan or --from-neo4j, not both",
        ),
        (["view", str(EXAMPLE), "--select", "L999"], "matches no rule code"),
        (
            ["view", "--from-neo4j", "bolt://127.0.0.1:9"],
            "cannot reach Neo4j at bolt://127.0.0.1:9",
        ),
    ],
)
def test_view_command_errors_are_one_line(args: list[str], message: str) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_view_command_draws_what_loaded_and_exits_2_on_input_errors(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    out = tmp_path / "graph.html"
    result = runner.invoke(app, ["view", str(EXAMPLE), str(bad), "-o", str(out)])
    assert result.exit_code == 2
    assert "bad.json" in result.stderr
    assert embedded_data(out.read_text(encoding="utf-8"))["stats"]["nodes"] == 49


def test_kinds_have_styles() -> None:
    assert set(KIND_STYLES) == set(Kind)
    assert set(REL_STYLES) == set(Rel)


@pytest.mark.parametrize(
    "args",
    [["view", str(EXAMPLE)], ["trace", "AbaloneTrain", str(EXAMPLE), "--up", "-f", "html"]],
)
def test_html_is_not_printed_on_a_terminal(args: list[str]) -> None:
    leader, follower = pty.openpty()
    try:
        done = subprocess.run(
            [sys.executable, "-m", "lineage", *args],
            stdout=follower,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
            check=False,
        )
        os.set_blocking(leader, False)
        try:
            printed = os.read(leader, 1 << 16)
        except BlockingIOError:
            printed = b""
    finally:
        os.close(leader)
        os.close(follower)
    assert done.returncode == 2
    assert "write it to a file with -o FILE" in done.stderr
    assert b"<html" not in printed
