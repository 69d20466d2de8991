"""The Cypher files shipped with lineage (the top-level cypher/ folder, installed as the
package `lineage.neo4j.cypher`): the schema, the Level 3 rules and the audits."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path


def _cypher_dir() -> Path:
    """The cypher/ folder of the checkout lineage runs from (so that worktrees sharing one
    editable install each read their own), else the installed package's."""
    checkout = Path(__file__).resolve().parents[2]
    if (checkout / "pyproject.toml").is_file() and (
        checkout / "cypher" / "schema.cypher"
    ).is_file():
        return checkout / "cypher"
    return Path(str(files("lineage.neo4j.cypher")))


CYPHER_DIR = _cypher_dir()


def statements(text: str) -> list[str]:
    """The statements of a .cypher file: `//` comment lines dropped, split on a final `;`."""
    body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("//"))
    return [part.strip() for part in body.split(";\n") if part.strip().rstrip(";").strip()]


def read(relative: str) -> str:
    """The text of a Cypher file under the shipped cypher/ folder."""
    return (CYPHER_DIR / relative).read_text(encoding="utf-8")
