"""Reading sources: forms detected by content, and clear errors for bad input."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

from lineage.collect import sources
from lineage.collect.sources import load_sources
from tests.support.builders import definition, processing, write
from tests.support.paths import EXAMPLE

DOC = definition(processing("Prep", outputs=("train",)))


def test_definition_file(tmp_path: Path) -> None:
    result = load_sources([str(write(tmp_path, DOC, "any-name.txt"))])
    [loaded] = result.definitions
    assert (loaded.form, loaded.name, result.errors) == ("definition", "any-name", [])
    assert loaded.line("/Steps/0/Name") == 7


def test_describe_pipeline_response_uses_its_name_and_maps_lines_to_the_string(
    tmp_path: Path,
) -> None:
    response = {
        "PipelineArn": "arn:aws:sagemaker:us-east-1:1:pipeline/p",
        "PipelineName": "churn",
        "PipelineDefinition": json.dumps(DOC),
        "PipelineStatus": "Active",
    }
    path = write(tmp_path, response, "describe.json")
    [loaded] = load_sources([str(path)]).definitions
    assert (loaded.form, loaded.name) == ("describe-response", "churn")
    assert loaded.document == DOC
    assert loaded.line("/Steps/0") == 4  # the line of "PipelineDefinition"


def test_double_encoded_definition(tmp_path: Path) -> None:
    path = tmp_path / "double.json"
    path.write_text(json.dumps(json.dumps(DOC)), encoding="utf-8")
    [loaded] = load_sources([str(path)]).definitions
    assert (loaded.form, loaded.document) == ("double-encoded", DOC)


def test_stdin() -> None:
    [loaded] = load_sources(["-"], stdin=io.StringIO(json.dumps(DOC))).definitions
    assert (loaded.source, loaded.name) == ("-", "stdin")


def test_directory_reads_json_below_it_and_skips_non_definitions(tmp_path: Path) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    write(tmp_path / "a" / "b", DOC, "deep.json")
    write(tmp_path, DOC, "top.json")
    write(tmp_path, {"name": "not a pipeline"}, "package.json")
    (tmp_path / "notes.txt").write_text("ignored")
    result = load_sources([str(tmp_path)])
    assert sorted(d.name for d in result.definitions) == ["deep", "top"]
    assert result.skipped == [str(tmp_path / "package.json")]
    assert result.errors == []


def test_same_names_are_made_unique(tmp_path: Path) -> None:
    (tmp_path / "x").mkdir()
    write(tmp_path, DOC)
    write(tmp_path / "x", DOC)
    result = load_sources([str(tmp_path)])
    assert [d.name for d in result.definitions] == ["pipeline", "pipeline~2"]


def test_malformed_json_reports_line_and_column_and_keeps_other_sources(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{\n  "Steps": [\n    {"Name": "A",,}\n  ]\n}\n')
    good = write(tmp_path, DOC, "good.json")
    result = load_sources([str(bad), str(good)])
    [error] = result.errors
    assert (error.line, error.column) == (3, 18)
    assert str(error).startswith(f"{bad}:3:18: invalid JSON: Expecting property name")
    assert [d.source for d in result.definitions] == [str(good)]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"[1, 2]", "not a pipeline definition: expected an object with a 'Steps' list"),
        (b'{"Version": "2020-12-01"}', "found an object without 'Steps'"),
        (b'"{\\"Steps\\": 3}"', "not a pipeline definition"),
        (b'{"PipelineDefinition": "{not json"}', "invalid JSON (in the JSON string at /Pipeline"),
        (b"\xff\xfe{}", "not UTF-8 text (invalid byte at offset 0)"),
        (b"[" * 100_000 + b"]" * 100_000, "JSON nested too deeply"),
        (b"", "invalid JSON: Expecting value"),
    ],
)
def test_bad_input_gets_one_clear_error(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "in.json"
    path.write_bytes(content)
    [error] = load_sources([str(path)]).errors
    assert message in error.message
    assert error.source == str(path)


def test_missing_file_and_empty_directory(tmp_path: Path) -> None:
    errors = load_sources([str(tmp_path / "nope.json"), str(tmp_path)]).errors
    assert [e.message for e in errors] == [
        "no such file or directory",
        "directory holds no *.json files",
    ]


def test_huge_file_is_refused_before_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sources, "MAX_SOURCE_BYTES", 1000)
    path = write(tmp_path, definition(*[processing(f"S{i}") for i in range(20)]))
    [error] = load_sources([str(path)]).errors
    assert error.message.endswith("bytes, above the 1,000-byte limit for a pipeline definition")


def test_module_attribute_without_sdk_says_how_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "needs_sdk.py").write_text("import sagemaker.workflow.pipeline\npipeline = None\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setitem(sys.modules, "sagemaker", None)  # import of sagemaker now fails
    [error] = load_sources(["needs_sdk:pipeline"]).errors
    assert "pip install 'sagemaker-lineage[sdk]'" in error.message


def test_module_attribute_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "mod_ok.py").write_text("value = 3\ndef boom():\n    raise RuntimeError('no')\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    errors = load_sources(["no_such_mod:x", "mod_ok:missing", "mod_ok:value", "mod_ok:boom"]).errors
    assert [e.message for e in errors] == [
        "cannot import module 'no_such_mod'",
        "module 'mod_ok' has no attribute 'missing'",
        "'value' is a int, not a SageMaker Pipeline",
        "calling mod_ok:boom failed: RuntimeError: no",
    ]


@pytest.mark.slow  # imports the SageMaker SDK
def test_sdk_pipeline_object_gives_the_committed_definition() -> None:
    [loaded] = load_sources(["examples.abalone.pipeline:pipeline"]).definitions
    assert (loaded.form, loaded.name, loaded.line_index) == ("sdk", "AbalonePipeline", None)
    committed = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    assert loaded.document == committed


@pytest.mark.slow  # imports the SageMaker SDK
def test_sdk_factory_function_is_called() -> None:
    [loaded] = load_sources(["examples.abalone.pipeline:build_pipeline"]).definitions
    assert loaded.name == "AbalonePipeline"
