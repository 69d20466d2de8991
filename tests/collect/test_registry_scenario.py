"""The registry the registry tests share, seeded into moto, and what moto lacks, recorded.

Account 123456789012, us-east-1: pipeline `churn-train` (a governed definition registering in
`churn`) with five executions, each with a training job; groups `churn` (six versions, one per
rule), `churn-legacy`, `bulk` (250 versions: three list pages) and `restricted`. us-west-2: group
`west`. Account 222233334444 (through an assumed role): group `fraud`. ListPipelineExecutionSteps
and the failed execution's DescribePipelineExecution come from tests/fixtures/registry/.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from botocore.session import get_session

from tests.support.registry_scenario import BULK_VERSIONS, EXECUTIONS, Scenario, recorded


def _unknown_members(value: Any, shape: Any, path: str = "") -> list[str]:
    """Paths in `value` that the botocore shape does not define."""
    if shape.type_name == "structure" and isinstance(value, dict):
        return [
            found
            for key, item in value.items()
            for found in (
                _unknown_members(item, shape.members[key], f"{path}/{key}")
                if key in shape.members
                else [f"{path}/{key}"]
            )
        ]
    if shape.type_name == "list" and isinstance(value, list):
        return [m for i, item in enumerate(value) for m in _unknown_members(item, shape.member)]
    return []


def test_recorded_responses_follow_the_documented_response_shapes() -> None:
    model = get_session().get_service_model("sagemaker")
    values: defaultdict[str, str] = defaultdict(lambda: "x")
    for name, operation in (
        ("list_pipeline_execution_steps", "ListPipelineExecutionSteps"),
        ("describe_pipeline_execution_failed", "DescribePipelineExecution"),
    ):
        shape = model.operation_model(operation).output_shape
        assert _unknown_members(recorded(name, values), shape) == [], name


def test_the_scenario_is_what_the_registry_tests_expect(registry_scenario: Scenario) -> None:
    scenario = registry_scenario
    assert len([n for n in scenario.packages if n.startswith("bulk/")]) == BULK_VERSIONS
    assert scenario.packages["churn/3"].endswith("/churn/3")
    assert len(scenario.steps) == len(EXECUTIONS)
