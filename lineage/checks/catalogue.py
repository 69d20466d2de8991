"""Every module that defines rules; importing this registers the whole catalogue."""

from lineage.checks import (
    api_rules,
    approval,
    conditions,
    container_config,
    cycles,
    dataflow_rules,
    gating_rules,
    job_limits,
    lineage_rules,
    parameters,
    property_files,
    references,
    registry_approval,
    registry_rules,
    step_config,
    structure,
)

__all__ = [
    "api_rules",
    "approval",
    "conditions",
    "container_config",
    "cycles",
    "dataflow_rules",
    "gating_rules",
    "job_limits",
    "lineage_rules",
    "parameters",
    "property_files",
    "references",
    "registry_approval",
    "registry_rules",
    "step_config",
    "structure",
]
