"""The property path tokenizer."""

from __future__ import annotations

import pytest

from lineage.sagemaker.property_path import Attr, Index, MapKey, PathSyntaxError, render, tokenize


def test_processing_output_path() -> None:
    tokens = tokenize("Steps.Prep.ProcessingOutputConfig.Outputs['train'].S3Output.S3Uri")
    assert tokens == [
        Attr("Steps"),
        Attr("Prep"),
        Attr("ProcessingOutputConfig"),
        Attr("Outputs"),
        MapKey("train"),
        Attr("S3Output"),
        Attr("S3Uri"),
    ]


def test_list_index_and_double_quoted_key() -> None:
    assert tokenize("Steps.Tune.TrainingJobSummaries[0].TrainingJobName") == [
        Attr("Steps"),
        Attr("Tune"),
        Attr("TrainingJobSummaries"),
        Index(0),
        Attr("TrainingJobName"),
    ]
    assert tokenize('Steps.L.OutputParameters["a.b[c]"]')[-1] == MapKey("a.b[c]")


def test_render_is_the_inverse_of_tokenize() -> None:
    path = "Steps.Prep.ProcessingOutputConfig.Outputs['train'].S3Output.S3Uri"
    assert render(tokenize(path)) == path


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("Steps..X", "empty member name"),
        ("Steps.X[", "unterminated '['"),
        ("Steps.X['a", "unterminated quoted key"),
        ("Steps.X[a]", "index must be a number or a quoted key"),
        ("Steps.X.", "path ends without a member name"),
        ("Steps.X[0]Y", "expected '.' or '['"),
    ],
)
def test_malformed_paths_say_what_is_wrong(path: str, reason: str) -> None:
    with pytest.raises(PathSyntaxError) as caught:
        tokenize(path)
    assert caught.value.reason == reason


def test_each_call_gets_its_own_list_of_the_remembered_tokens() -> None:
    first = tokenize("Steps.Train.ModelArtifacts.S3ModelArtifacts")
    first.append(Index(9))
    assert tokenize("Steps.Train.ModelArtifacts.S3ModelArtifacts") == [
        Attr("Steps"),
        Attr("Train"),
        Attr("ModelArtifacts"),
        Attr("S3ModelArtifacts"),
    ]
