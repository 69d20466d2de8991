"""botocore's service models, read without importing botocore's HTTP stack (~0.1 s a process)."""

from __future__ import annotations

import gzip
import json
from importlib.util import find_spec
from pathlib import Path
from typing import Any

MODEL = "service-2"


def service_model(service: str) -> dict[str, Any]:
    """The newest `service-2` model of a service, as `botocore.loaders.Loader` loads it."""
    bundled = bundled_model(service)
    if bundled is not None:
        return bundled
    import botocore.loaders

    model: dict[str, Any] = botocore.loaders.Loader().load_service_model(service, MODEL)
    return model


def bundled_model(service: str) -> dict[str, Any] | None:
    """The model botocore ships, read directly; None when the loader could find another one
    (a model under ~/.aws/models, an SDK extras file to merge) or nothing is where it ships."""
    spec = find_spec("botocore")
    if spec is None or spec.origin is None or (_customer_data() / service).exists():
        return None
    folder = Path(spec.origin).parent / "data" / service
    found = [d for d in folder.iterdir() if _model_file(d / MODEL)] if folder.is_dir() else []
    latest = max(found, key=lambda d: d.name, default=None)  # the loader's newest API version
    path = _model_file(latest / MODEL) if latest is not None else None
    if latest is None or path is None or _model_file(latest / f"{MODEL}.sdk-extras"):
        return None
    raw = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
    model: dict[str, Any] = json.loads(raw.decode("utf-8"))
    return model


def _customer_data() -> Path:
    """Where botocore's loader looks for models first (it adds ~/.aws/models to its path)."""
    return Path.home() / ".aws" / "models"


def _model_file(stem: Path) -> Path | None:
    """`stem`.json, else `stem`.json.gz, as botocore's JSON file loader tries them."""
    for name in (f"{stem.name}.json", f"{stem.name}.json.gz"):
        if (stem.parent / name).is_file():
            return stem.parent / name
    return None
