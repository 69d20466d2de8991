"""Line numbers of JSON pointers."""

from __future__ import annotations

import json

from lineage.jsondoc.positions import LineIndex


def test_lines_of_nested_values() -> None:
    text = json.dumps({"a": [1, {"b/c": "x", "d": [True, None]}], "e~f": {}}, indent=2)
    index = LineIndex(text)
    lines = text.splitlines()
    assert lines[index.line("/a") - 1].strip() == '"a": ['
    assert lines[index.line("/a/1/b~1c") - 1].strip() == '"b/c": "x",'
    assert lines[index.line("/a/1/d/1") - 1].strip() == "null"
    assert lines[index.line("/e~0f") - 1].strip() == '"e~f": {}'


def test_missing_pointer_falls_back_to_nearest_ancestor() -> None:
    index = LineIndex('{\n"a":\n {"b": 1}}')
    assert index.line("/a/zzz") == 3
    assert index.line("") == 1


def test_strings_with_brackets_and_escapes_do_not_confuse_it() -> None:
    text = '{"a": "[{\\"x\\": 1}]",\n "b": [\n "]", "}"\n ]}'
    index = LineIndex(text)
    assert index.line("/b/1") == 3
