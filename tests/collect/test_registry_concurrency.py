"""Accounts and regions read at once: the same graph, warnings and scopes as one at a time, and a
failure still skips only its own scope."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from lineage.collect.registry import collector
from lineage.collect.registry.model import RegistryCollection, Scope
from lineage.graph.lineage_graph import LineageGraph
from tests.support.moto_plugin import Call, Hooks, Reply
from tests.support.registry_scenario import (
    ACCOUNT,
    OTHER_ACCOUNT,
    OTHER_REGION,
    REGION,
    ROLE,
    Scenario,
    collect,
)

DENIED = ROLE.format("333344445555")
ROLES = (ROLE.format(ACCOUNT), DENIED, ROLE.format(OTHER_ACCOUNT))


def everything(graph: LineageGraph, collection: RegistryCollection) -> dict[str, Any]:
    """What a collection produced, in the order it holds it (insertion order included)."""
    return {
        "inserted": list(graph.nx.nodes),
        "nodes": [(n.kind, n.key, dict(n.props)) for n in graph.nodes()],
        "edges": [(e.source.id, e.rel, e.target.id, e.props) for e in graph.edges()],
        "warnings": [(w.source, w.message) for w in collection.warnings],
        "complete": collection.complete,
        "packages": collection.packages,
        "definitions": list(collection.definitions),
        "calls": sorted(collection.counter.calls.items()),
    }


def collect_twice(
    scenario: Scenario, hooks: Hooks, monkeypatch: pytest.MonkeyPatch, **options: Any
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The same collection one region at a time, then with regions read at once."""
    with monkeypatch.context() as patch:
        patch.setattr(collector, "REGION_WORKERS", 1)
        one = everything(*collect(scenario, hooks, **options))
    return one, everything(*collect(scenario, hooks, **options))


def test_regions_read_at_once_give_what_a_sequential_run_gives(
    registry_scenario: Scenario, aws_hooks: Hooks, monkeypatch: pytest.MonkeyPatch
) -> None:
    threads: set[str] = set()

    def note(call: Call) -> Reply | None:
        if call.operation == "ListModelPackageGroups":
            threads.add(threading.current_thread().name)
        return None

    aws_hooks.add(note)
    sequential, concurrent = collect_twice(
        registry_scenario, aws_hooks, monkeypatch, role_arns=ROLES, regions=(REGION, OTHER_REGION)
    )
    assert concurrent == sequential
    assert concurrent["packages"] > 0 and concurrent["definitions"]
    assert len({s.account for s in concurrent["complete"]}) == len(ROLES)
    assert len({t for t in threads if t.startswith("region")}) > 1  # they did overlap


def test_a_denied_account_and_region_skip_only_their_scopes_when_read_at_once(
    registry_scenario: Scenario, aws_hooks: Hooks, monkeypatch: pytest.MonkeyPatch
) -> None:
    aws_hooks.fail("AssumeRole", "AccessDenied", when=lambda c: c.params.get("RoleArn") == DENIED)
    aws_hooks.fail(
        "ListModelPackageGroups", "AccessDeniedException", when=lambda c: c.region == OTHER_REGION
    )
    aws_hooks.fail("ListModelPackages", "ThrottlingException", times=3)  # retried: no warning
    sequential, concurrent = collect_twice(
        registry_scenario, aws_hooks, monkeypatch, role_arns=ROLES, regions=(REGION, OTHER_REGION)
    )
    assert concurrent == sequential
    assert [source for source, _ in concurrent["warnings"]] == [
        f"account {ACCOUNT} (role {ROLES[0]}) region {OTHER_REGION}",
        f"account 333344445555 (role {DENIED})",
        f"account {OTHER_ACCOUNT} (role {ROLES[2]}) region {OTHER_REGION}",
    ]
    complete = set(concurrent["complete"])
    assert {Scope(ACCOUNT, REGION), Scope(OTHER_ACCOUNT, REGION)} <= complete
    assert {(s.account, s.region) for s in complete} == {
        (ACCOUNT, REGION),
        (OTHER_ACCOUNT, REGION),
    }
