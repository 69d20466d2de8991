"""`lineage export openlineage`: events that validate against the official client's models, a
round trip through a local HTTP receiver, dataset identities a catalogue can join on, no secrets."""

from __future__ import annotations

import json
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import attr
import jsonschema
import pytest
from neo4j import Driver
from openlineage.client.constants import DEFAULT_PRODUCER as CLIENT_PRODUCER
from openlineage.client.event_v2 import (
    InputDataset,
    Job,
    JobEvent,
    OutputDataset,
    Run,
    RunEvent,
    RunState,
)
from openlineage.client.generated.base import BaseFacet
from openlineage.client.generated.datasource_dataset import DatasourceDatasetFacet
from openlineage.client.generated.documentation_job import DocumentationJobFacet
from openlineage.client.generated.error_message_run import ErrorMessageRunFacet
from openlineage.client.generated.job_type_job import JobTypeJobFacet
from openlineage.client.generated.parent_run import ParentRunFacet
from openlineage.client.generated.source_code_location_job import SourceCodeLocationJobFacet
from openlineage.client.generated.tags_run import TagsRunFacet
from typer.testing import CliRunner

from lineage.cli.main import app
from lineage.collect.registry import RegistryCollection
from lineage.config import Settings
from lineage.export import facets
from lineage.export.events import build_events, run_id
from lineage.export.output import http_transport, ndjson, send
from lineage.graph.lineage_graph import Kind, LineageGraph, Rel
from lineage.neo4j.load import Neo4jLoader
from lineage.scan import ScanResult, scan
from tests.support.builders import definition, get, processing, training, write
from tests.support.moto_plugin import Hooks
from tests.support.neo4j_helpers import wipe
from tests.support.paths import EXAMPLE
from tests.support.registry_scenario import REGION, Scenario, collect_all

ABALONE = "tests/fixtures/sdk/abalone.json"
SDK_FACTORY = "examples.abalone.pipeline:build_pipeline"
NOW = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
SCHEMAS = json.loads((Path(facets.__file__).parent / "facets.json").read_text(encoding="utf-8"))
STANDARD: dict[str, type[BaseFacet]] = {
    "jobType": JobTypeJobFacet,
    "documentation": DocumentationJobFacet,
    "sourceCodeLocation": SourceCodeLocationJobFacet,
    "dataSource": DatasourceDatasetFacet,
    "errorMessage": ErrorMessageRunFacet,
    "parent": ParentRunFacet,
    "tags": TagsRunFacet,  # added by the client as it emits: its version
}
CUSTOM: dict[str, type[BaseFacet]] = {
    facets.STEP: facets.StepJobFacet,
    facets.PIPELINE: facets.PipelineJobFacet,
    facets.FINDINGS: facets.FindingsJobFacet,
    facets.ARTIFACT: facets.ArtifactDatasetFacet,
    facets.MODEL_PACKAGE: facets.ModelPackageDatasetFacet,
    facets.RUN: facets.SageMakerRunFacet,
}
ACCESS_KEY = "AKIAIOSFODNN7EXAMPLE"


def export(tmp_path: Path, *args: str, env: dict[str, str] | None = None) -> list[dict[str, Any]]:
    """Run the command to an NDJSON file and read its events back."""
    out = tmp_path / "events.ndjson"
    result = CliRunner().invoke(app, ["export", "openlineage", *args, "-o", str(out)], env=env)
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]


def check_facet(key: str, value: dict[str, Any]) -> None:
    """A facet is the client's (or our custom) model: its schemaURL, producer and fields."""
    cls = STANDARD.get(key) or CUSTOM[key]
    assert value["_schemaURL"] == cls._get_schema()
    assert value["_producer"] == (facets.PRODUCER if key != "tags" else CLIENT_PRODUCER)
    fields = {a.name: a for a in attr.fields(cls)}
    assert set(value) <= set(fields), f"{key}: unknown fields {set(value) - set(fields)}"
    if key in STANDARD:
        required = {n for n, a in fields.items() if a.default is attr.NOTHING and a.init}
        assert required <= set(value), f"{key}: missing {required - set(value)}"
    else:
        name = value["_schemaURL"].rsplit("/", 1)[1]
        jsonschema.validate(value, {"$ref": f"#/$defs/{name}", "$defs": SCHEMAS["$defs"]})


def check_event(event: dict[str, Any]) -> None:
    """An event rebuilds into the client's models (its validators run) and carries schemaURLs."""
    job = Job(event["job"]["namespace"], event["job"]["name"])
    inputs = [InputDataset(d["namespace"], d["name"]) for d in event.get("inputs", [])]
    outputs = [OutputDataset(d["namespace"], d["name"]) for d in event.get("outputs", [])]
    common = {"eventTime": event["eventTime"], "producer": event["producer"]}
    if "run" in event:
        model: JobEvent | RunEvent = RunEvent(
            eventType=RunState(event["eventType"]),
            run=Run(runId=event["run"]["runId"]),
            job=job,
            inputs=inputs,
            outputs=outputs,
            **common,
        )
    else:
        model = JobEvent(job=job, inputs=inputs, outputs=outputs, **common)
    assert event["schemaURL"] == model.schemaURL
    assert event["producer"] == facets.PRODUCER
    for key, value in event["job"].get("facets", {}).items():
        check_facet(key, value)
    for key, value in event.get("run", {}).get("facets", {}).items():
        check_facet(key, value)
    for dataset in [*event.get("inputs", []), *event.get("outputs", [])]:
        for key, value in dataset.get("facets", {}).items():
            check_facet(key, value)


def jobs(events: list[dict[str, Any]]) -> Counter[tuple[str, str]]:
    """How many JobEvents each job has."""
    return Counter((e["job"]["namespace"], e["job"]["name"]) for e in events if "run" not in e)


def test_every_event_validates_and_carries_schema_urls(tmp_path: Path) -> None:
    events = export(tmp_path, ABALONE, "tests/fixtures/sdk/secret_in_env.json")
    assert events
    for event in events:
        check_event(event)
    keys = {k for e in events for k in e["job"].get("facets", {})}
    assert {"jobType", facets.STEP, facets.PIPELINE, facets.FINDINGS} <= keys


def test_a_job_per_step_under_its_pipeline_with_its_datasets(tmp_path: Path) -> None:
    events = export(tmp_path, ABALONE)
    steps = {s["Name"] for s in _steps(json.loads(Path(ABALONE).read_text(encoding="utf-8")))}
    assert jobs(events) == Counter(
        [("sagemaker", "abalone")] + [("sagemaker", f"abalone.{s}") for s in steps]
    )
    by_name = {e["job"]["name"]: e for e in events}
    train = by_name["abalone.AbaloneTrain"]
    assert train["job"]["facets"][facets.STEP]["parentJob"] == {
        "namespace": "sagemaker",
        "name": "abalone",
    }
    assert {(d["namespace"], d["name"]) for d in train["inputs"]} == {
        ("s3://sagemaker-us-east-1-111122223333", "abalone/processed/train"),
        ("s3://sagemaker-us-east-1-111122223333", "abalone/processed/validation"),
    }
    register = by_name["abalone.AbaloneRegisterModel-RegisterModel"]
    (package,) = register["outputs"]
    assert package["name"] == "model-package-group/AbaloneModelPackageGroup"
    facet = package["facets"][facets.MODEL_PACKAGE]
    assert facet["approvalStatusExpression"] == "Parameters.ModelApprovalStatus"
    assert "ModelQuality.Statistics" in facet["metricsSources"]


def _steps(document: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for step in document["Steps"]:
        yield step
        for branch in ("IfSteps", "ElseSteps"):
            yield from _steps({"Steps": step.get("Arguments", {}).get(branch, [])})


def test_pipelines_sharing_an_s3_location_share_the_dataset(tmp_path: Path) -> None:
    writer = write(tmp_path, definition(processing("Prep", outputs=("train",))), "writer.json")
    reader = write(
        tmp_path, definition(training("Train", "s3://bucket/Prep/train/")), "reader.json"
    )
    events = {e["job"]["name"]: e for e in export(tmp_path, str(writer), str(reader))}
    written = events["writer.Prep"]["outputs"][0]
    read = events["reader.Train"]["inputs"][0]
    assert (written["namespace"], written["name"]) == (read["namespace"], read["name"])
    assert (read["namespace"], read["name"]) == ("s3://bucket", "Prep/train")


def test_symbolic_parts_of_a_joined_location_stay_readable(tmp_path: Path) -> None:
    step = processing("Prep", outputs=("train",))
    join = {
        "Std:Join": {"On": "/", "Values": ["s3://bucket", get("Execution.ExecutionId"), "train"]}
    }
    step["Arguments"]["ProcessingOutputConfig"]["Outputs"][0]["S3Output"]["S3Uri"] = join
    events = export(tmp_path, str(write(tmp_path, definition(step), "joined.json")))
    (output,) = next(e for e in events if e["job"]["name"] == "joined.Prep")["outputs"]
    assert (output["namespace"], output["name"]) == ("s3://bucket", "{Execution.ExecutionId}/train")
    assert output["facets"][facets.ARTIFACT]["symbolic"] is True
    assert output["facets"][facets.ARTIFACT]["executionScoped"] is True


def test_findings_go_along_as_a_job_facet(tmp_path: Path) -> None:
    events = export(tmp_path, "tests/fixtures/sdk/secret_in_env.json")
    codes = {
        f["code"]
        for e in events
        for f in e["job"].get("facets", {}).get(facets.FINDINGS, {}).get("findings", [])
    }
    assert "L206" in codes


def test_sdk_steps_carry_their_source_code_location() -> None:
    from lineage.scan import collect

    result = collect([SDK_FACTORY])
    assert not result.errors
    events = build_events(result, NOW)
    located = {
        e.job.name: e.job.facets["sourceCodeLocation"]
        for e in events
        if e.job.facets and "sourceCodeLocation" in e.job.facets
    }
    process = located["AbalonePipeline.AbaloneProcess"]
    assert process.type == "file" and process.path == "examples/abalone/pipeline.py"
    assert process.url.startswith("file://") and "#L" in process.url


Received = list[tuple[str, dict[str, str], dict[str, Any]]]


class Receiver(BaseHTTPRequestHandler):
    """Records every POSTed event with its path and headers, and answers with `status`."""

    received: Received
    status: int

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.received.append((self.path, dict(self.headers), json.loads(body)))
        self.send_response(self.status)
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet."""


@contextmanager
def serving(status: int) -> Iterator[tuple[str, Received]]:
    """A real HTTP server on 127.0.0.1 in a thread: its URL and what it received."""
    received: Received = []
    handler = type("Handler", (Receiver,), {"received": received, "status": status})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", received
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture
def receiver() -> Iterator[tuple[str, Received]]:
    """A receiver that accepts every event."""
    with serving(201) as found:
        yield found


def test_round_trip_through_a_local_receiver_sees_one_event_per_job(
    tmp_path: Path, receiver: tuple[str, Received]
) -> None:
    url, received = receiver
    key = "test-api-key-0123456789"
    result = CliRunner().invoke(
        app,
        ["export", "openlineage", ABALONE, "--url", url, "--api-key-env", "TEST_OL_KEY"],
        env={"TEST_OL_KEY": key},
    )
    assert result.exit_code == 0, result.output
    assert key not in result.output
    expected = export(tmp_path, ABALONE)
    assert {p for p, _, _ in received} == {"/api/v1/lineage"}
    assert {h["Authorization"] for _, h, _ in received} == {f"Bearer {key}"}
    events = [e for _, _, e in received]
    assert jobs(events) == jobs(expected) and set(jobs(events).values()) == {1}
    for event in events:
        check_event(event)


@pytest.fixture(scope="module")
def live(registry_scenario: Scenario, aws_environment: None) -> ScanResult:
    """The moto registry's pipelines, executions and jobs, collected as `--registry` does."""
    graph, collection, _ = collect_all(registry_scenario)
    return _as_scan(graph, collection)


def _as_scan(graph: LineageGraph, collection: RegistryCollection) -> ScanResult:
    return ScanResult(graph, dict(collection.definitions), [])


def test_live_runs_round_trip_one_run_per_job_under_its_execution(
    live: ScanResult, receiver: tuple[str, Received]
) -> None:
    url, received = receiver
    built = build_events(live, NOW)
    assert send(built, http_transport(url, "api/v1/lineage", None, 5.0)) == len(built)
    runs: dict[str, list[dict[str, Any]]] = {}
    for _, headers, event in received:
        assert "Authorization" not in headers
        check_event(event)
        if "run" in event:
            runs.setdefault(event["run"]["runId"], []).append(event)
    graph = live.graph
    executions = [e for e in graph.nodes(Kind.PIPELINE_EXECUTION) if graph.out(e, Rel.RUN_OF)]
    assert executions
    timed = registered = 0
    for execution in executions:
        states = [e["eventType"] for e in runs[run_id(execution.key)]]
        assert states[0] == "START" and len(states) <= 2
        for job in graph.into(execution, Rel.GENERATED_BY):
            if job.kind is not Kind.JOB or not graph.out(job, Rel.RUN_OF):
                continue
            events = runs[run_id(job.key)]
            assert next(e["eventType"] for e in events) == "START"
            if job.get("started_at"):
                timed += 1
                assert [e["eventTime"] for e in events] == [
                    job.get("started_at"),
                    job.get("ended_at"),
                ]
            assert len({e["job"]["name"] for e in events}) == 1
            parent = events[0]["run"]["facets"]["parent"]
            assert parent["run"]["runId"] == run_id(execution.key)
        for package in graph.into(execution, Rel.GENERATED_BY):
            made_by = graph.out(package, Rel.GENERATED_BY)
            if package.kind is not Kind.MODEL_PACKAGE or Kind.STEP not in {s.kind for s in made_by}:
                continue
            registered += 1
            *_, last = runs[run_id(package.key)]
            assert last["job"]["name"].endswith(f".{package.get('execution_step')}")
            assert last["eventType"] == "COMPLETE"
            version = next(d for d in last["outputs"] if d["name"].startswith("model-package/"))
            facet = version["facets"][facets.MODEL_PACKAGE]
            assert (version["namespace"], facet["arn"]) == (
                package.key.partition(":model-package/")[0],
                package.key,
            )
            assert facet["approvalStatus"] == package.get("approval_status")
    assert timed  # the steps' own start and end times
    assert registered  # the package versions the executions' RegisterModel steps created
    failed = [e for events in runs.values() for e in events if e["eventType"] == "FAIL"]
    assert any("errorMessage" in e["run"]["facets"] for e in failed)


def test_the_command_reads_the_registry_like_scan(
    registry_scenario: Scenario, aws_hooks: Hooks, tmp_path: Path
) -> None:
    registry_scenario.install(aws_hooks)
    live = ["--registry", "--endpoint-url", registry_scenario.endpoint, "--region", REGION, "-q"]
    events = export(tmp_path, *live, "--group", "churn")
    runs = {e["run"]["runId"] for e in events if "run" in e}
    assert runs and all(e["job"]["namespace"].startswith("sagemaker://") for e in events)
    for event in events:
        check_event(event)


def test_a_refusal_is_reported_without_the_key() -> None:
    key = "test-api-key-abcdef"
    with serving(401) as (url, received):
        result = CliRunner().invoke(
            app,
            ["export", "openlineage", ABALONE, "--url", f"{url}/?token=query-secret"],
            env={"OPENLINEAGE_API_KEY": key},
        )
    assert result.exit_code == 2
    assert len(received) == 1  # the first refusal stops the export
    assert f"could not send the events to {url}: HTTP 401" in result.output
    assert key not in result.output and "query-secret" not in result.output


def test_a_url_without_a_scheme_is_a_usage_error() -> None:
    result = CliRunner().invoke(app, ["export", "openlineage", ABALONE, "--url", "localhost"])
    assert result.exit_code == 2
    assert "--url: not an http:// or https:// URL with a host" in result.output


@pytest.mark.parametrize(
    "place",
    [
        pytest.param("userinfo", id="s3-uri-userinfo"),
        pytest.param("parameter", id="parameter-default"),
        pytest.param("key", id="s3-key"),
    ],
)
def test_an_access_key_in_a_definition_never_reaches_the_events(tmp_path: Path, place: str) -> None:
    uri = f"s3://{ACCESS_KEY}:wJalrXUtnFEMI@bucket/raw/data.csv"
    if place == "key":
        uri = f"s3://bucket/{ACCESS_KEY}/raw/data.csv"
    if place != "parameter":
        document = definition(processing("Prep", outputs=("train",), inputs={"raw": uri}))
    else:
        document = definition(
            processing("Prep", outputs=("train",), inputs={"raw": get("Parameters.InputData")}),
            parameters=[{"Name": "InputData", "Type": "String", "DefaultValue": uri}],
        )
    out = tmp_path / "events.ndjson"
    CliRunner().invoke(
        app, ["export", "openlineage", str(write(tmp_path, document)), "-o", str(out)]
    )
    text = out.read_text(encoding="utf-8")
    assert "raw/data.csv" in text
    assert ACCESS_KEY not in text


def flows(events: list[dict[str, Any]]) -> dict[tuple[str, str], tuple[list[Any], ...]]:
    """Each job's input and output identities and finding codes."""
    return {
        (e["job"]["namespace"], e["job"]["name"]): (
            sorted((d["namespace"], d["name"]) for d in e.get("inputs", [])),
            sorted((d["namespace"], d["name"]) for d in e.get("outputs", [])),
            sorted(
                f["code"] for f in e["job"]["facets"].get(facets.FINDINGS, {}).get("findings", [])
            ),
        )
        for e in events
    }


def test_from_neo4j_exports_the_jobs_and_datasets_of_the_scan(
    neo4j_driver: Driver, neo4j_uri: str, tmp_path: Path
) -> None:
    wipe(neo4j_driver)
    result = scan([ABALONE], Settings())
    Neo4jLoader(neo4j_driver, "neo4j").load(result.graph, result.findings, set(result.definitions))
    try:
        from_db = export(tmp_path, "--from-neo4j", neo4j_uri)
    finally:
        wipe(neo4j_driver)
    assert flows(from_db) == flows(export(tmp_path, ABALONE))


def test_ndjson_is_one_event_a_line() -> None:
    from lineage.scan import collect

    events = build_events(collect([ABALONE]), NOW)
    lines = ndjson(events).splitlines()
    assert len(lines) == len(events)
    assert all(json.loads(line)["eventTime"] == NOW.isoformat() for line in lines)


def test_the_abalone_picture_in_the_docs_holds(tmp_path: Path) -> None:
    events = export(tmp_path, str(EXAMPLE))
    datasets = {(d["namespace"], d["name"]) for e in events for d in e["inputs"] + e["outputs"]}
    assert len(events) == 9 and len(datasets) == 12  # docs/lineage-export.md
    train = "abalone/processed/train"
    writers = {e["job"]["name"] for e in events if train in {d["name"] for d in e["outputs"]}}
    readers = {e["job"]["name"] for e in events if train in {d["name"] for d in e["inputs"]}}
    assert (writers, readers) == ({"pipeline.AbaloneProcess"}, {"pipeline.AbaloneTrain"})
