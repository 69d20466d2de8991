"""The live SageMaker Model Registry as a graph source, Cartography-style: get → transform → load.

`fetch` calls the APIs, `transform` turns responses into node properties, `load` writes them into
the LineageGraph, and `collector` runs the three over every account, region and group.
"""

from lineage.collect.registry.collector import collect_registry
from lineage.collect.registry.model import RegistryCollection, RegistryOptions, Scope

__all__ = ["RegistryCollection", "RegistryOptions", "Scope", "collect_registry"]
