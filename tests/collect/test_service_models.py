"""botocore's service models read directly are the models botocore's own loader loads."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from pathlib import Path

import botocore.loaders
import pytest

from lineage.sagemaker import service_models
from lineage.sagemaker.service_models import bundled_model, service_model


@pytest.mark.parametrize("service", ["sagemaker", "emr"])
def test_the_bundled_model_is_the_loaders(service: str) -> None:
    loaded = botocore.loaders.Loader().load_service_model(service, "service-2")
    assert bundled_model(service) == loaded
    assert service_model(service) == loaded


def test_a_model_under_aws_models_goes_through_the_loader(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    newer = tmp_path / "sagemaker" / "2099-01-01"
    newer.mkdir(parents=True)
    (newer / "service-2.json").write_text(json.dumps({"metadata": {}, "shapes": {"X": {}}}))
    monkeypatch.setattr(service_models, "_customer_data", lambda: tmp_path)
    monkeypatch.setattr(botocore.loaders.Loader, "CUSTOMER_DATA_PATH", str(tmp_path))
    assert bundled_model("sagemaker") is None
    assert service_model("sagemaker")["shapes"] == {"X": {}}


def test_sdk_extras_go_through_the_loader(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    botocore_dir = tmp_path / "botocore"
    version = botocore_dir / "data" / "sagemaker" / "2017-07-24"
    version.mkdir(parents=True)
    (botocore_dir / "__init__.py").write_text("")
    (version / "service-2.json.gz").write_bytes(gzip.compress(b'{"shapes": {}}'))
    (version / "service-2.sdk-extras.json").write_text('{"merge": {"shapes": {"Y": {}}}}')
    spec = type("Spec", (), {"origin": str(botocore_dir / "__init__.py")})()
    monkeypatch.setattr(service_models, "find_spec", lambda name: spec)
    assert bundled_model("sagemaker") is None
    version.joinpath("service-2.sdk-extras.json").unlink()
    assert bundled_model("sagemaker") == {"shapes": {}}


def test_checking_a_definition_imports_no_botocore_loader() -> None:
    code = (
        "import sys; from lineage.config import Settings; from lineage.scan import scan; "
        "r = scan(['examples/abalone/pipeline.json'], Settings()); "
        "print(len(r.findings), 'botocore.loaders' in sys.modules)"
    )
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True
    )
    assert done.stdout.split()[-1] == "False"
