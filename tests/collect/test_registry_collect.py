"""The registry collector against a real moto server over HTTP, through real boto3: pagination,
bulk reads, links to executions, pipelines and jobs, retries, and what a failure skips."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from lineage.collect.registry.model import RegistryCollection, Scope
from lineage.collect.registry.progress import ProgressStyle, Tracker, chosen
from lineage.config import Settings
from lineage.graph.lineage_graph import Kind, LineageGraph, Rel
from lineage.rules.engine.run import run_rules
from lineage.scan import scan
from tests.support.builders import write
from tests.support.moto_plugin import Call, Hooks, Reply

# Versions per group in the main account and region.
from tests.support.registry_scenario import (
    ACCOUNT,
    LIVE_KINDS,
    OTHER_ACCOUNT,
    OTHER_REGION,
    PIPELINE,
    REGION,
    ROLE,
    SECRET,
    VERSIONS,
    Scenario,
    churn_definition,
    collect,
    collect_all,
    live,
    package,
)


@pytest.fixture(scope="module")
def collected(
    registry_scenario: Scenario, aws_environment: None
) -> tuple[LineageGraph, RegistryCollection, Hooks]:
    """One full collection, shared by the read-only tests of this module."""
    return collect_all(registry_scenario)


def test_every_group_and_version_is_collected_across_list_pages(
    collected: tuple[LineageGraph, RegistryCollection, Hooks],
) -> None:
    graph, collection, _ = collected
    assert collection.warnings == [] and not collection.partial
    assert collection.packages == sum(VERSIONS.values())
    groups = {n.get("name"): n for n in live(graph, Kind.MODEL_PACKAGE_GROUP)}
    assert set(groups) == set(VERSIONS)
    for name, count in VERSIONS.items():
        members = graph.nx.in_edges(groups[name].id, data="rel")
        assert sum(1 for _, _, rel in members if rel is Rel.IN_GROUP) == count
        assert groups[name].get("package_count") == count
    assert groups["churn"].get("approved_versions") == [1, 2, 5]
    calls = collection.counter.calls
    assert calls["sagemaker:ListModelPackages"] == 3 + 3  # bulk: 250 versions, 3 pages of 100
    assert calls["sagemaker:Search"] == len(VERSIONS)
    assert calls["sagemaker:ListPipelineExecutionSteps"] == 2 * 5  # 5 steps each, 3 a page
    assert "sagemaker:DescribeModelPackage" not in calls
    assert set(collection.complete) == {
        *(Scope(ACCOUNT, REGION, g) for g in VERSIONS),
        Scope(ACCOUNT, REGION),
    }


def test_api_calls_are_list_pages_bulk_reads_and_one_per_execution_pipeline_and_job(
    collected: tuple[LineageGraph, RegistryCollection, Hooks],
) -> None:
    _, collection, hooks = collected
    assert dict(collection.counter.calls) == {
        "sts:GetCallerIdentity": 1,
        "sagemaker:ListModelPackageGroups": 1,
        "sagemaker:ListModelPackages": 6,  # a page per 100 versions of each group
        "sagemaker:Search": 4,  # idem (moto answers with one page whatever the size)
        "sagemaker:DescribePipelineExecution": 5,
        "sagemaker:ListPipelineExecutionSteps": 10,  # the recorded steps come 3 a page
        "sagemaker:DescribePipeline": 1,
        "sagemaker:DescribeTrainingJob": 7,  # 5 runs, churn-adhoc, and bulk-train once
    }
    assert sum(hooks.sent.values()) == collection.counter.total()  # no retries


def test_live_nodes_carry_arn_account_region_and_cartography_labels(
    collected: tuple[LineageGraph, RegistryCollection, Hooks], registry_scenario: Scenario
) -> None:
    graph, _, _ = collected
    nodes = [*live(graph, Kind.MODEL_PACKAGE), *(n for k in LIVE_KINDS for n in live(graph, k))]
    nodes += live(graph, Kind.PIPELINE)
    assert all(n.key == n.get("arn") or n.kind is Kind.PIPELINE for n in nodes)
    assert {(n.get("account"), n.get("region")) for n in nodes} == {(ACCOUNT, REGION)}
    first = package(graph, registry_scenario, "churn/1")
    assert first.get("cartography_label") == "AWSSageMakerModelPackage"
    assert first.get("approval_description", "").startswith("Reviewed in RISK-42")
    assert first.get("metrics") == ["ModelQuality.Constraints", "ModelQuality.Statistics"]
    assert first.get("project_id") == "p-churn"
    assert first.get("modified_by") == "fake-user-profile-name"


def test_packages_link_to_executions_steps_jobs_and_data(
    collected: tuple[LineageGraph, RegistryCollection, Hooks], registry_scenario: Scenario
) -> None:
    graph, collection, _ = collected
    first = package(graph, registry_scenario, "churn/1")
    origins = {n.kind: n for n in graph.out(first, Rel.GENERATED_BY)}
    assert origins[Kind.PIPELINE_EXECUTION].key == registry_scenario.executions["ok"]
    assert origins[Kind.STEP].get("name") == "Register"
    assert first.get("execution_step") == "Register"
    job = origins[Kind.JOB]
    assert job.key == registry_scenario.jobs["ok"] and job.get("step_name") == "Train"
    assert [s.get("name") for s in graph.out(job, Rel.RUN_OF)] == ["Train"]
    assert [a.key for a in graph.out(job, Rel.CONSUMES)] == ["s3://bucket/Prep/train"]
    assert [a.key for a in graph.out(job, Rel.PRODUCES)] == first.get("model_data_urls")
    execution = origins[Kind.PIPELINE_EXECUTION]
    pipeline = graph.out(execution, Rel.RUN_OF)[0]
    assert pipeline.get("pipeline_name") == PIPELINE
    assert pipeline.key in collection.definitions
    bulk_jobs = {
        n.key
        for v in range(1, 4)
        for n in graph.out(package(graph, registry_scenario, f"bulk/{v}"), Rel.GENERATED_BY)
    }
    assert len(bulk_jobs) == 1  # the same training job seen 250 times is one node
    assert graph.out(package(graph, registry_scenario, "churn/4"), Rel.GENERATED_BY) == []


def test_definition_rules_apply_to_the_live_pipeline_as_to_its_file(
    collected: tuple[LineageGraph, RegistryCollection, Hooks], tmp_path: Any
) -> None:
    graph, collection, _ = collected
    settings = Settings(ignore=("L318", "L319", "L320", "L41"))
    live_findings = run_rules(graph, collection.definitions, settings)
    file_findings = scan([str(write(tmp_path, churn_definition()))], settings).findings
    assert file_findings
    assert sorted((f.code, f.pointer) for f in live_findings) == sorted(
        (f.code, f.pointer) for f in file_findings
    )


def test_no_secret_reaches_the_graph(
    collected: tuple[LineageGraph, RegistryCollection, Hooks],
) -> None:
    graph, _, _ = collected
    everything = [n.props for n in graph.nodes()] + [e.props for e in graph.edges()]
    assert SECRET not in repr(everything)


def test_throttling_is_retried_and_the_collection_completes(
    registry_scenario: Scenario, aws_hooks: Hooks
) -> None:
    aws_hooks.fail("ListModelPackages", "ThrottlingException", times=2)
    aws_hooks.fail("Search", "ThrottlingException", times=1)
    _, collection = collect(registry_scenario, aws_hooks, groups=("churn",))
    assert collection.warnings == []
    assert collection.packages == VERSIONS["churn"]
    assert (
        aws_hooks.sent["ListModelPackages"]
        == collection.counter.calls["sagemaker:ListModelPackages"] + 2
    )


def test_access_denied_on_a_group_skips_that_group_only(
    registry_scenario: Scenario, aws_hooks: Hooks
) -> None:
    aws_hooks.fail(
        "ListModelPackages",
        "AccessDeniedException",
        when=lambda call: call.params.get("ModelPackageGroupName") == "restricted",
    )
    _, collection = collect(registry_scenario, aws_hooks)
    assert collection.partial
    [warning] = collection.warnings
    assert warning.source == f"account {ACCOUNT} region {REGION}"
    assert "'restricted' skipped: AccessDeniedException" in warning.message
    assert collection.packages == sum(VERSIONS.values()) - VERSIONS["restricted"]
    assert Scope(ACCOUNT, REGION, "restricted") not in collection.complete
    assert Scope(ACCOUNT, REGION, "churn") in collection.complete


@pytest.mark.parametrize(
    ("operation", "body"),
    [
        ("ListModelPackages", b"<html>gateway timeout</html>"),  # not JSON: botocore reads {}
        ("ListModelPackages", b"{}"),  # JSON without the list: must not read as no versions
        ("Search", b"[1, 2]"),  # botocore's parser raises AttributeError on it
        ("ListModelPackageGroups", b'{"ModelPackageGroupSummaryList": 7}'),  # TypeError
    ],
)
def test_an_unreadable_response_is_a_failed_call_like_an_aws_error(
    registry_scenario: Scenario, aws_hooks: Hooks, operation: str, body: bytes
) -> None:
    def unreadable(call: Call) -> Reply | None:
        about = json.dumps(call.params)  # the group listing, or the group `restricted`
        if call.operation == operation and ("Group" not in about or "restricted" in about):
            return Reply(200, body)
        return None

    aws_hooks.add(unreadable)
    _, collection = collect(registry_scenario, aws_hooks, groups=("churn", "restricted"))
    [warning] = collection.warnings
    assert f"unreadable {operation} response" in warning.message
    assert Scope(ACCOUNT, REGION, "restricted") not in collection.complete
    if operation != "ListModelPackageGroups":
        assert Scope(ACCOUNT, REGION, "churn") in collection.complete


def test_access_denied_on_a_region_skips_that_region_only(
    registry_scenario: Scenario, aws_hooks: Hooks
) -> None:
    aws_hooks.fail(
        "ListModelPackageGroups",
        "AccessDeniedException",
        when=lambda call: call.region == OTHER_REGION,
    )
    _, collection = collect(
        registry_scenario, aws_hooks, regions=(REGION, OTHER_REGION), groups=("churn", "west")
    )
    [warning] = collection.warnings
    assert warning.source.endswith(f"region {OTHER_REGION}")
    assert "region skipped" in warning.message
    assert collection.packages == VERSIONS["churn"]
    assert {s.region for s in collection.complete} == {REGION}


def test_roles_read_several_accounts_and_a_denied_role_is_skipped(
    registry_scenario: Scenario, aws_hooks: Hooks
) -> None:
    denied = ROLE.format("333344445555")
    aws_hooks.fail(
        "AssumeRole",
        "AccessDenied",
        when=lambda call: call.params.get("RoleArn") == denied,
        status=403,
    )
    roles = (ROLE.format(ACCOUNT), ROLE.format(OTHER_ACCOUNT), denied)
    graph, collection = collect(
        registry_scenario, aws_hooks, role_arns=roles, groups=("churn-legacy", "fraud")
    )
    [warning] = collection.warnings
    assert warning.source == f"account 333344445555 (role {denied})"
    accounts = {n.get("name"): n.get("account") for n in live(graph, Kind.MODEL_PACKAGE_GROUP)}
    assert accounts == {"churn-legacy": ACCOUNT, "fraud": OTHER_ACCOUNT}
    fraud = package(graph, registry_scenario, "fraud/1")
    assert [j.get("name") for j in graph.out(fraud, Rel.GENERATED_BY)] == ["fraud-train"]


@pytest.mark.parametrize(
    ("code", "status"), [("UnknownOperationException", 400), ("AccessDeniedException", 400)]
)
def test_versions_are_described_one_by_one_where_search_is_unavailable(
    registry_scenario: Scenario, aws_hooks: Hooks, code: str, status: int
) -> None:
    aws_hooks.fail("Search", code, status=status)
    graph, collection = collect(registry_scenario, aws_hooks, groups=("churn",))
    assert collection.warnings == []
    assert collection.counter.calls["sagemaker:DescribeModelPackage"] == VERSIONS["churn"]
    first = package(graph, registry_scenario, "churn/1")
    assert first.get("has_metrics") and first.get("approval_description")


def test_since_reads_only_changed_versions_and_completes_nothing(
    registry_scenario: Scenario, aws_hooks: Hooks
) -> None:
    future = datetime.now(UTC) + timedelta(days=1)
    graph, collection = collect(registry_scenario, aws_hooks, groups=("churn",), since=future)
    assert collection.packages == 0 and collection.complete == []
    [group] = live(graph, Kind.MODEL_PACKAGE_GROUP)
    assert group.get("approved_versions") == [1, 2, 5]
    past = datetime.now(UTC) - timedelta(days=1)
    _, collection = collect(
        registry_scenario, aws_hooks, groups=("churn",), since=past, progress=ProgressStyle.BAR
    )
    assert collection.packages == VERSIONS["churn"] and collection.complete == []


def test_unreadable_execution_steps_leave_their_groups_incomplete(
    registry_scenario: Scenario, aws_hooks: Hooks
) -> None:
    aws_hooks.fail("ListPipelineExecutionSteps", "AccessDeniedException")
    _, collection = collect(registry_scenario, aws_hooks)
    assert len(collection.warnings) == 5
    assert all("pipeline execution" in w.message for w in collection.warnings)
    incomplete = {Scope(ACCOUNT, REGION, g) for g in ("churn", "churn-legacy")}
    assert incomplete.isdisjoint(collection.complete)
    assert Scope(ACCOUNT, REGION, "bulk") in collection.complete
    assert collection.packages == sum(VERSIONS.values())


def test_progress_is_a_bar_at_a_terminal_and_lines_elsewhere(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert chosen(quiet=True) is ProgressStyle.OFF
    monkeypatch.setenv("CI", "true")
    assert chosen(quiet=False) is ProgressStyle.LINES
    monkeypatch.delenv("CI")
    monkeypatch.setattr("sys.stderr.isatty", lambda: True)
    assert chosen(quiet=False) is ProgressStyle.BAR
    done = Tracker().phase("groups", 3)
    done()


def test_progress_lines_count_each_phase(
    registry_scenario: Scenario, aws_hooks: Hooks, capsys: pytest.CaptureFixture[str]
) -> None:
    collect(
        registry_scenario,
        aws_hooks,
        groups=("churn",),
        progress=ProgressStyle.LINES,
        progress_every=0.0,
    )
    lines = capsys.readouterr().err.splitlines()
    assert f"lineage: {ACCOUNT} {REGION}: groups: 1/1 (" in lines[0]
    assert all(re.fullmatch(r"lineage: \d+ [\w-]+: [\w ]+: \d+/\d+ \(\d+/s\)", x) for x in lines)


def test_an_endpoint_without_execution_steps_leaves_executions_stepless(
    registry_scenario: Scenario, aws_hooks: Hooks
) -> None:
    aws_hooks.fail("ListPipelineExecutionSteps", "NotImplemented", status=501)
    graph, collection = collect(registry_scenario, aws_hooks, groups=("churn",))
    [warning] = collection.warnings
    assert warning.message == (
        "execution steps skipped: the endpoint does not implement ListPipelineExecutionSteps "
        "(NotImplemented)"
    )
    assert Scope(ACCOUNT, REGION, "churn") not in collection.complete
    failed = package(graph, registry_scenario, "churn/2")
    origins = {n.kind: n for n in graph.out(failed, Rel.GENERATED_BY)}
    assert set(origins) == {Kind.PIPELINE_EXECUTION, Kind.JOB}
    execution = origins[Kind.PIPELINE_EXECUTION]
    assert execution.get("status") == "Failed"  # still read, and still checked by L320
    assert failed.get("execution_step") is None
    assert origins[Kind.JOB].key == registry_scenario.jobs["failed"]  # by its model data
    assert collection.counter.calls["sagemaker:ListPipelineExecutionSteps"] == 1
