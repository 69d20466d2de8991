"""The package layout holds: import-linter's contracts (pyproject.toml) are kept, and the
packages setuptools ships are every package of the tree."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import grimp
import networkx as nx
import pytest

from lineage.neo4j.cypher_files import CYPHER_DIR
from tests.support.paths import REPO

PLUGIN_IMPORT = ("lineage.rules.engine.rulebook", "lineage.rules.catalogue")


def test_the_import_contracts_are_kept() -> None:
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(lint), "--no-cache"], cwd=REPO, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert " kept, 0 broken." in result.stdout


def test_every_package_is_shipped_and_at_most_six_modules_sit_loose() -> None:
    settings = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]
    listed = set(settings["setuptools"]["packages"])
    found = {
        ".".join(init.parent.relative_to(REPO).parts)
        for init in (REPO / "lineage").rglob("__init__.py")
    }
    queries = {"lineage.neo4j.cypher", "lineage.neo4j.cypher.audits", "lineage.neo4j.cypher.rules"}
    assert listed == found | queries
    assert settings["setuptools"]["package-dir"]["lineage.neo4j.cypher"] == "cypher"
    assert CYPHER_DIR == REPO / "cypher", "a checkout reads its own queries"
    loose = sorted(p.name for p in (REPO / "lineage").glob("*.py"))
    assert len(loose) <= 6, loose


@pytest.mark.slow
def test_the_wheel_ships_every_query_and_data_file(tmp_path: Path) -> None:
    source = tmp_path / "source"  # a copy: building writes build/ and *.egg-info beside it
    for part in ("pyproject.toml", "README.md", "lineage", "cypher"):
        copy = shutil.copytree if (REPO / part).is_dir() else shutil.copy
        source.mkdir(exist_ok=True)
        copy(REPO / part, source / part)
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", str(source), "-w", str(tmp_path)],
        check=True,
        capture_output=True,
    )
    [wheel] = tmp_path.glob("*.whl")
    shipped = set(zipfile.ZipFile(wheel).namelist())
    queries = {
        f"lineage/neo4j/cypher/{p.relative_to(REPO / 'cypher').as_posix()}"
        for p in (REPO / "cypher").rglob("*.cypher")
    }
    assert queries and queries <= shipped
    for suffix in ("json", "html", "js", "css", "xml"):
        for path in (REPO / "lineage").rglob(f"*.{suffix}"):
            assert path.relative_to(REPO).as_posix() in shipped, path


def test_no_module_imports_itself_back() -> None:
    graph = grimp.build_graph("lineage", exclude_type_checking_imports=True, cache_dir=None)
    imports = nx.DiGraph(
        (module, imported)
        for module in graph.modules
        for imported in graph.find_modules_directly_imported_by(module)
    )
    imports.remove_edge(*PLUGIN_IMPORT)  # the rulebook loads the catalogue on first use
    assert [sorted(c) for c in nx.strongly_connected_components(imports) if len(c) > 1] == []
