"""lineage: graph-based lineage analysis of SageMaker pipelines and the Model Registry."""

__version__ = "0.1.0"
