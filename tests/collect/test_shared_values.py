"""The definitions of one scan share their equal JSON values; only files keep no text for lines."""

from __future__ import annotations

import io
import json
from pathlib import Path

from lineage.collect.sources import load_sources
from lineage.jsondoc.shared import SharedValues

STEP = {
    "Name": "Train",
    "Type": "Training",
    "Arguments": {"ResourceConfig": {"InstanceCount": 1, "VolumeSizeInGB": 30}, "Tags": ["a"]},
}


def definition_text(name: str) -> str:
    """A definition of one step, indented so that each member has its own line."""
    return json.dumps({"Version": "2020-12-01", "Steps": [{**STEP, "Name": name}]}, indent=2)


def test_equal_objects_lists_and_strings_are_one_object_across_documents() -> None:
    values = SharedValues()
    first = values.loads(definition_text("A"), [])
    second = values.loads(definition_text("B"), [])
    one, other = first["Steps"][0], second["Steps"][0]
    assert one is not other and one["Name"] != other["Name"]
    assert one["Arguments"] is other["Arguments"]
    assert one["Arguments"]["Tags"] is other["Arguments"]["Tags"]
    assert first["Version"] is second["Version"]
    assert first == json.loads(definition_text("A"))


def test_values_equal_in_python_but_not_in_json_stay_apart() -> None:
    values = SharedValues()
    read = [values.loads(text, []) for text in ('{"v": 1}', '{"v": true}', '{"v": 1.0}')]
    assert [type(doc["v"]) for doc in read] == [int, bool, float]
    signed = [values.loads(text, []) for text in ("[0.0]", "[-0.0]", '{"z": 0.0}', '{"z": -0.0}')]
    assert [str(doc[0]) for doc in signed[:2]] == ["0.0", "-0.0"]
    assert [str(doc["z"]) for doc in signed[2:]] == ["0.0", "-0.0"]


def test_repeated_keys_are_still_found() -> None:
    values = SharedValues()
    repeated: list[str] = []
    assert values.loads('{"a": 1, "a": 2, "b": {"c": 1, "c": 1}}', repeated) == {
        "a": 2,
        "b": {"c": 1},
    }
    assert sorted(repeated) == ["a", "c"]


def test_definitions_of_one_scan_share_their_equal_parts(tmp_path: Path) -> None:
    for name in ("a", "b"):
        (tmp_path / f"{name}.json").write_text(definition_text(name.upper()), encoding="utf-8")
    first, second = load_sources([str(tmp_path)]).definitions
    args = [d.document["Steps"][0]["Arguments"] for d in (first, second)]
    assert args[0] is args[1]


def test_a_file_is_read_again_for_lines_and_a_changed_one_gives_none(tmp_path: Path) -> None:
    path = tmp_path / "p.json"
    path.write_text(definition_text("Train"), encoding="utf-8")
    (definition,) = load_sources([str(path)]).definitions
    pointer = "/Steps/0/Arguments/ResourceConfig/VolumeSizeInGB"
    line = definition.line(pointer)
    assert line is not None
    assert "VolumeSizeInGB" in path.read_text(encoding="utf-8").splitlines()[line - 1]
    definition.close_lines()
    assert definition.line(pointer) == line  # read again, the file unchanged

    definition.close_lines()
    path.write_text("\n\n" + definition_text("Train"), encoding="utf-8")  # lines moved
    assert definition.line(pointer) is None  # rather than a line of the old text


def test_stdin_keeps_its_text_for_lines() -> None:
    loaded = load_sources(["-"], stdin=io.StringIO(definition_text("Train")))
    (definition,) = loaded.definitions
    definition.close_lines()
    assert definition.line("/Steps/0/Name") == 5
