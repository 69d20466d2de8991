"""Turn `lineage scan` SOURCE arguments into pipeline definitions, detecting each file's form."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib
import json
import os
import re
import select
import stat
import sys
from collections.abc import Callable, Iterator
from dataclasses import InitVar, dataclass, field
from pathlib import Path
from typing import Any, TextIO

from lineage.collect.sdk_origins import recorded_origins
from lineage.collect.snapshot_file import SnapshotFile, is_snapshot
from lineage.errors import InputError, SourceError
from lineage.graph.secrets import SecretSite, may_hold_secrets, redact
from lineage.jsondoc.positions import LineIndex
from lineage.jsondoc.shared import SharedValues

MAX_SOURCE_BYTES = 64 * 1024 * 1024
STDIN = "-"
"""The SOURCE argument that reads a definition from standard input."""
FIFO_WAIT_SECONDS = 10.0  # how long a named pipe may stay silent before the read gives up
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
    pipeline_origin: tuple[str, int] | None = None  # SDK sources: where the Pipeline was made
    # Keys that appear more than once in one JSON object (JSON readers keep the last).
    repeated_keys: list[str] = field(default_factory=list)
    # Where secrets were masked in `document` (nothing past this point sees their values).
    secrets: list[SecretSite] = field(init=False)
    # The JSON text the document was read from (or one that holds it): skips a clean one's walk.
    text: InitVar[str | None] = None

    def __post_init__(self, text: str | None) -> None:
        self.secrets = []
        if text is None or may_hold_secrets(text):
            self.document, self.secrets = redact(self.document)
        canonical = json.dumps(self.document, sort_keys=True, separators=(",", ":"))
        self.sha256 = hashlib.sha256(canonical.encode()).hexdigest()

    def line(self, pointer: str) -> int | None:
        """1-based line in the source file of the value at `pointer`, when the source is a file."""
        if self.line_index is None:
            return None
        return self.line_index.line(self.embedded_at if self.embedded_at is not None else pointer)

    def close_lines(self) -> None:
        """Drop the text read for `line` (when it can be read again)."""
        if self.line_index is not None:
            self.line_index.close()


@dataclass
class LoadResult:
    """Definitions and registry snapshots read, input errors met, and files skipped as not
    being definitions (snapshots in directories too)."""

    definitions: list[Definition] = field(default_factory=list)
    errors: list[InputError] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    snapshots: list[SnapshotFile] = field(default_factory=list)


class SnapshotSourceError(SourceError):
    """Raised for a registry snapshot where a definition was read: it is loaded apart."""

    def __init__(self, snapshot: SnapshotFile) -> None:
        super().__init__(InputError(snapshot.source, f"{_NOT_A_DEFINITION}: a registry snapshot"))
        self.snapshot = snapshot


def load_sources(
    args: list[str],
    stdin: TextIO | None = None,
    skip_other_json: bool = False,
    stdin_name: str | None = None,
) -> LoadResult:
    """Read every SOURCE argument; a bad one becomes an error and the rest are still read.

    JSON that is not a pipeline definition is skipped inside directories, and everywhere with
    `skip_other_json` (for hooks that pass every changed `*.json` file). Standard input (`-`)
    is reported as the file `stdin_name` when given (named after it, as that file would be).
    """
    result = LoadResult()
    values = SharedValues()  # the definitions of one scan share their equal parts
    for arg in args:
        for source, in_directory in _expand(arg, result):
            try:
                definition = _load_one(source, stdin, stdin_name, values)
            except SnapshotSourceError as found:
                if in_directory or skip_other_json:
                    result.skipped.append(source)
                else:
                    result.snapshots.append(found.snapshot)
                continue
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
    if arg != STDIN and path.is_dir():
        files = sorted(p for p in path.rglob("*.json") if p.is_file())
        if not files:
            result.errors.append(InputError(arg, "directory holds no *.json files"))
        yield from ((str(p), True) for p in files)
    else:
        yield arg, False


def _load_one(
    source: str, stdin: TextIO | None, stdin_name: str | None, values: SharedValues
) -> Definition:
    if source == STDIN:
        shown = stdin_name or STDIN
        text = (stdin or sys.stdin).read(MAX_SOURCE_BYTES + 1)
        if len(text) > MAX_SOURCE_BYTES:
            raise SourceError(
                InputError(shown, f"more than {MAX_SOURCE_BYTES:,} characters, {_limit()}")
            )
        name = Path(stdin_name).stem if stdin_name else "stdin"
        return parse_text(text, source=shown, default_name=name, values=values)
    path = Path(source)
    if not path.exists() and MODULE_SOURCE.match(source):
        return load_sdk_pipeline(source)
    text, reread = _read_file(path, source)
    return parse_text(text, source, path.stem, values, reread)


def _read_file(path: Path, source: str) -> tuple[str, Callable[[], str | None] | None]:
    """A file's text, read up to the size limit whatever the file is (a FIFO or a device too),
    and for a regular file what reads it again (None once it changed)."""
    try:
        status = path.stat()
        if stat.S_ISREG(status.st_mode) and status.st_size > MAX_SOURCE_BYTES:
            raise SourceError(InputError(source, f"file is {status.st_size:,} bytes, {_limit()}"))
        if stat.S_ISFIFO(status.st_mode):
            data = _read_fifo(path, source)
        else:
            with path.open("rb") as handle:
                data = handle.read(MAX_SOURCE_BYTES + 1)
    except FileNotFoundError:
        raise SourceError(InputError(source, "no such file or directory")) from None
    except OSError as exc:
        raise SourceError(InputError(source, f"cannot read: {exc.strerror}")) from None
    if len(data) > MAX_SOURCE_BYTES:
        raise SourceError(InputError(source, f"more than {MAX_SOURCE_BYTES:,} bytes, {_limit()}"))
    reread = functools.partial(_reread, path, status) if stat.S_ISREG(status.st_mode) else None
    return _decoded(data, source), reread


def _reread(path: Path, status: os.stat_result) -> str | None:
    """The text of a regular file read before, or None when its size or time changed since."""
    try:
        now = path.stat()
        if (now.st_size, now.st_mtime_ns) != (status.st_size, status.st_mtime_ns):
            return None
        return _decoded(path.read_bytes(), str(path))
    except (OSError, SourceError):
        return None


def _limit() -> str:
    return f"above the {MAX_SOURCE_BYTES:,}-byte limit for a pipeline definition"


def _decoded(data: bytes, source: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SourceError(
            InputError(source, f"not UTF-8 text (invalid byte at offset {exc.start})")
        ) from None


def _read_fifo(path: Path, source: str) -> bytes:
    """A named pipe's bytes until its writer closes it; an error when no writer writes in time."""
    descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    chunks: list[bytes] = []
    size = 0
    try:
        while size <= MAX_SOURCE_BYTES:
            ready, _, _ = select.select([descriptor], [], [], FIFO_WAIT_SECONDS)
            if not ready:
                waited = f"no data for {FIFO_WAIT_SECONDS:g} s"
                raise SourceError(InputError(source, f"a named pipe with no writer ({waited})"))
            chunk = os.read(descriptor, 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    finally:
        os.close(descriptor)
    return b"".join(chunks)


_NOT_A_DEFINITION = "not a pipeline definition"


def parse_text(
    text: str,
    source: str,
    default_name: str,
    values: SharedValues | None = None,
    reread: Callable[[], str | None] | None = None,
) -> Definition:
    """Parse a JSON text and classify it: definition, describe response or double-encoded
    (its equal parts shared with those `values` read before); with `reread` (what reads the
    text again), the text is not kept for the lines of findings."""
    repeated: list[str] = []
    values = values or SharedValues()
    document = _loads(values, text, source, repeated)
    if is_snapshot(document):
        raise SnapshotSourceError(SnapshotFile(source, text, document))
    index = LineIndex(text, reread)
    if isinstance(document, str):
        inner = _loads(values, document, source, repeated, pointer="")
        found = _as_definition(inner, source, default_name, "double-encoded", index, "")
    else:
        found = None
    if isinstance(document, dict):
        for key in ("PipelineDefinition", "PipelineDefinitionBody"):
            if found is None and isinstance(document.get(key), str):
                inner = _loads(values, document[key], source, repeated, pointer=f"/{key}")
                name = document.get("PipelineName")
                name = name if isinstance(name, str) and name else default_name
                found = _as_definition(inner, source, name, "describe-response", index, f"/{key}")
    if found is None:
        found = _as_definition(document, source, default_name, "definition", index, None)
    found.repeated_keys = sorted(set(repeated))
    index.close()
    return found


def _as_definition(
    document: Any,
    source: str,
    name: str,
    form: str,
    index: LineIndex,
    embedded_at: str | None,
) -> Definition:
    if not isinstance(document, dict) or not isinstance(document.get("Steps"), list):
        raise SourceError(
            InputError(
                source,
                f"{_NOT_A_DEFINITION}: expected an object with a 'Steps' list "
                f"(or a describe_pipeline response with 'PipelineDefinition'), found "
                + _found(document),
                pointer=embedded_at or None,
            )
        )
    return Definition(name, source, document, form, index, embedded_at, text=index.text)


def _found(document: Any) -> str:
    """What a document that is no definition holds, in words."""
    if not isinstance(document, dict):
        return JSON_TYPES.get(type(document), type(document).__name__)
    if "Steps" not in document:
        return "an object without 'Steps'"
    return f"an object whose 'Steps' is {JSON_TYPES.get(type(document['Steps']), 'not a list')}"


JSON_TYPES = {
    dict: "an object",
    list: "a list",
    str: "a string",
    int: "a number",
    float: "a number",
    bool: "a boolean",
    type(None): "null",
}


def _loads(
    values: SharedValues, text: str, source: str, repeated: list[str], pointer: str | None = None
) -> Any:
    """JSON text as Python values; keys repeated in one object are added to `repeated`."""
    inside = f" (in the JSON string at {pointer or '/'})" if pointer is not None else ""
    try:
        return values.loads(text, repeated)
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
    except ValueError:  # a number too long to convert (Python's 4,300-digit limit)
        found = _LONG_NUMBER.search(text)
        line = text.count("\n", 0, found.start()) + 1 if found and pointer is None else None
        raise SourceError(
            InputError(
                source,
                f"invalid JSON{inside}: a number of more than {_MAX_DIGITS:,} digits",
                line=line,
                pointer=pointer or None,
            )
        ) from None


_MAX_DIGITS = 4300
_LONG_NUMBER = re.compile(rf"\d{{{_MAX_DIGITS + 1},}}")


def load_sdk_pipeline(spec: str) -> Definition:
    """Import `module.path:attribute` and read the SageMaker SDK Pipeline's `.definition()`."""
    # The SDK logs to stdout (its config loader): keep the report there clean.
    with contextlib.redirect_stdout(sys.stderr), recorded_origins() as recorded:
        definition = _sdk_definition(spec)
    definition.step_origins = dict(recorded.steps)
    definition.pipeline_origin = recorded.pipelines.get(definition.name)
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
