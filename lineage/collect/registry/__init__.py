"""The live SageMaker Model Registry as a graph source, Cartography-style: get → transform → load.

`fetch` calls the APIs, `transform` turns responses into node properties, `load` writes them into
the LineageGraph, and `collector` runs the three over every account, region and group. Import the
modules themselves: the package imports nothing, so that reading an ARN loads no AWS SDK.
"""
