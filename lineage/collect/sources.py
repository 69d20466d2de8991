"""Turn `lineage scan` SOURCE arguments into pipeline definitions, detecting each file's form."""

from __future__ import annotations

import contextlib
import hashlib
import importlib
import json
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from lineage.collect.sdk_origins import recorded_step_origins
from lineage.errors import InputError, SourceError
from lineage.jsonpos import LineIndex

MAX_SOURCE_BYTES = 64 * 1024 * 1024
MODULE_SOURCE = re.compile(r"^[A-Za-z_][\w.]*:[A-Za-z_][\w.]*$")
_SDK_MISSING = (
    "the SageMaker Python SDK is not installed; install it with "
    "`pip install 'sagemaker-lineage[sdk]'` (or `pip install sagemaker`)"
)


@dataclass
class Definition:
    """One pipeline definition and where it came from."""

    name: str
    source: str
    document: dict[str, Any]
    form: str
    line_index: LineIndex | None = None
    embedded_at: str | None = None
    sha256: str = field(init=False)
    # SDK sources: step name -> (Python file, line) of the code that created the step.
    step_origins: dict[str, tuple[str, int]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        canonical = json.dumps(self.document, sort_keys=True, separators=(",", ":"))
        self.sha256 = hashlib.sha256(canonical.encode()).hexdigest()

    def line(self, pointer: str) -> int | None:
        """1-based line in the source file of the value at `pointer`, when the source is a file."""
        if self.line_index is None:
            return None
        return self.line_index.line(self.embedded_at if self.embedded_at is not None else pointer)


@dataclass
class LoadResult:
    """Definitions read, input errors met, and files skipped as not being definitions."""

    definitions: list[Definition] = field(default_factory=list)
    errors: list[InputError] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def load_sources(
    args: list[str], stdin: TextIO | None = None, skip_other_json: bool = False
) -> LoadResult:
    """Read every SOURCE argument; a bad one becomes an error and the rest are still read.

    JSON that is not a pipeline definition is skipped inside directories, and everywhere with
    `skip_other_json` (for hooks that pass every changed `*.json` file).
    """
    result = LoadResult()
    for arg in args:
        for source, in_directory in _expand(arg, result):
            try:
                definition = _load_one(source, stdin)
            except SourceError as exc:
                other_json = exc.error.message.startswith(_NOT_A_DEFINITION)
                if other_json and (in_directory or skip_other_json):
                    result.skipped.append(exc.error.source)
                else:
                    result.errors.append(exc.error)
                continue
            result.definitions.append(definition)
    _make_names_unique(result.definitions)
    return result


def _expand(arg: str, result: LoadResult) -> Iterator[tuple[str, bool]]:
    """The sources one argument names: itself, or every `*.json` below a directory."""
    path = Path(arg)
    if arg != "-" and path.is_dir():
        files = sorted(p for p in path.rglob("*.json") if p.is_file())
        if not files:
            result.errors.append(InputError(arg, "directory holds no *.json files"))
        yield from ((str(p), True) for p in files)
    else:
        yield arg, False


def _load_one(source: str, stdin: TextIO | None) -> Definition:
    if source == "-":
        text = (stdin or sys.stdin).read()
        return parse_text(text, source="-", default_name="stdin")
    path = Path(source)
    if not path.exists() and MODULE_SOURCE.match(source):
        return load_sdk_pipeline(source)
    return parse_text(_read_file(path, source), source=source, default_name=path.stem)


def _read_file(path: Path, source: str) -> str:
    try:
        size = path.stat().st_size
        if size > MAX_SOURCE_BYTES:
            raise SourceError(
                InputError(
                    source,
                    f"file is {size:,} bytes, above the {MAX_SOURCE_BYTES:,}-byte limit "
                    "for a pipeline definition",
                )
            )
        data = path.read_bytes()
    except FileNotFoundError:
        raise SourceError(InputError(source, "no such file or directory")) from None
    except OSError as exc:
        raise SourceError(InputError(source, f"cannot read: {exc.strerror}")) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SourceError(
            InputError(source, f"not UTF-8 text (invalid byte at offset {exc.start})")
        ) from None


_NOT_A_DEFINITION = "not a pipeline definition"


def parse_text(text: str, source: str, default_name: str) -> Definition:
    """Parse a JSON text and classify it: definition, describe response or double-encoded."""
    document = _loads(text, source)
    index = LineIndex(text)
    if isinstance(document, str):
        inner = _loads(document, source, pointer="")
        return _as_definition(inner, source, default_name, "double-encoded", index, "")
    if isinstance(document, dict):
        for key in ("PipelineDefinition", "PipelineDefinitionBody"):
            if isinstance(document.get(key), str):
                inner = _loads(document[key], source, pointer=f"/{key}")
                name = document.get("PipelineName")
                name = name if isinstance(name, str) and name else default_name
                return _as_definition(inner, source, name, "describe-response", index, f"/{key}")
    return _as_definition(document, source, default_name, "definition", index, None)


def _as_definition(
    document: Any,
    source: str,
    name: str,
    form: str,
    index: LineIndex,
    embedded_at: str | None,
) -> Definition:
    if not isinstance(document, dict) or not isinstance(document.get("Steps"), list):
        found = type(document).__name__ if not isinstance(document, dict) else "an object"
        raise SourceError(
            InputError(
                source,
                f"{_NOT_A_DEFINITION}: expected an object with a 'Steps' list "
                f"(or a describe_pipeline response with 'PipelineDefinition'), found {found}"
                + (" without 'Steps'" if isinstance(document, dict) else ""),
                pointer=embedded_at or None,
            )
        )
    return Definition(name, source, document, form, index, embedded_at)


def _loads(text: str, source: str, pointer: str | None = None) -> Any:
    inside = f" (in the JSON string at {pointer or '/'})" if pointer is not None else ""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise SourceError(
            InputError(
                source,
                f"invalid JSON{inside}: {exc.msg}",
                line=exc.lineno if pointer is None else None,
                column=exc.colno if pointer is None else None,
                pointer=pointer or None,
            )
        ) from None
    except RecursionError:
        raise SourceError(InputError(source, f"JSON nested too deeply{inside}")) from None


def load_sdk_pipeline(spec: str) -> Definition:
    """Import `module.path:attribute` and read the SageMaker SDK Pipeline's `.definition()`."""
    # The SDK logs to stdout (its config loader): keep the report there clean.
    with contextlib.redirect_stdout(sys.stderr), recorded_step_origins() as origins:
        definition = _sdk_definition(spec)
    definition.step_origins = dict(origins)
    return definition


def _sdk_definition(spec: str) -> Definition:
    """Import the SDK Pipeline `spec` names (calling a factory) and parse its definition."""
    module_name, _, attribute = spec.partition(":")
    if "" not in sys.path and str(Path.cwd()) not in sys.path:
        sys.path.insert(0, str(Path.cwd()))
    try:
        target: Any = importlib.import_module(module_name)
        for part in attribute.split("."):
            target = getattr(target, part)
    except ModuleNotFoundError as exc:
        missing = exc.name or ""
        if missing == "sagemaker" or missing.startswith("sagemaker."):
            raise SourceError(InputError(spec, _SDK_MISSING)) from None
        raise SourceError(InputError(spec, f"cannot import module {missing!r}")) from None
    except AttributeError:
        raise SourceError(
            InputError(spec, f"module {module_name!r} has no attribute {attribute!r}")
        ) from None
    except Exception as exc:
        raise SourceError(
            InputError(spec, f"importing {module_name!r} failed: {type(exc).__name__}: {exc}")
        ) from None
    if not hasattr(target, "definition") and callable(target):
        target = _call(spec, target)
    if not callable(getattr(target, "definition", None)):
        raise SourceError(
            InputError(
                spec, f"{attribute!r} is a {type(target).__name__}, not a SageMaker Pipeline"
            )
        )
    text = _call(spec, target.definition)
    if not isinstance(text, str):
        text = json.dumps(text)
    name = getattr(target, "name", None)
    definition = parse_text(
        text, source=spec, default_name=name if isinstance(name, str) else attribute
    )
    definition.form, definition.line_index = "sdk", None
    return definition


def _call(spec: str, function: Any) -> Any:
    try:
        return function()
    except Exception as exc:
        raise SourceError(
            InputError(spec, f"calling {spec} failed: {type(exc).__name__}: {exc}")
        ) from None


def _make_names_unique(definitions: list[Definition]) -> None:
    """Give pipelines with the same name distinct names, in argument order."""
    seen: dict[str, int] = {}
    for definition in definitions:
        count = seen.get(definition.name, 0) + 1
        seen[definition.name] = count
        if count > 1:
            definition.name = f"{definition.name}~{count}"
