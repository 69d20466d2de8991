"""The audit walkthrough notebook runs top to bottom and is kept with its outputs cleared."""

from __future__ import annotations

import nbclient
import nbformat
import pytest

from tests.support.paths import REPO

pytestmark = pytest.mark.slow

NOTEBOOK = REPO / "notebooks" / "audit_walkthrough.ipynb"


def test_the_notebook_is_stored_without_outputs() -> None:
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert cell.outputs == []
            assert cell.execution_count is None


def test_the_notebook_runs_top_to_bottom(neo4j_uri: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LINEAGE_NOTEBOOK_NEO4J", neo4j_uri)
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    client = nbclient.NotebookClient(
        notebook,
        timeout=300,
        kernel_name="python3",
        resources={"metadata": {"path": str(NOTEBOOK.parent)}},
    )
    client.execute()
    text = "\n".join(
        output.get("text", "")
        for cell in notebook.cells
        if cell.cell_type == "code"
        for output in cell.outputs
    )
    assert "== approved packages and their provenance" in text
    assert "L404 info" in text
    assert "Step pipeline/AbaloneTrain" in text
    html = [
        o for c in notebook.cells for o in c.get("outputs", []) if "text/html" in o.get("data", {})
    ]
    assert len(html) == 1
