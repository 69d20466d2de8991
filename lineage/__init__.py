"""lineage: graph-based lineage analysis of SageMaker pipelines and the Model Registry."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("sagemaker-lineage")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0"
