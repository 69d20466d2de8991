"""The Cypher files shipped with lineage (the top-level cypher/ folder, installed as the
package `lineage.neo4j.cypher`): the schema, the Level 3 rules and the audits."""

from __future__ import annotations

import re
from importlib.resources import files
from pathlib import Path
from typing import Any

_PARAMETER = re.compile(r"\$(\w+)")


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


def used(query: str, parameters: dict[str, Any]) -> dict[str, Any]:
    """The parameters the query's statements name, outside `//` comments (the others are not
    sent: a scope's lists can be long)."""
    names = set(_PARAMETER.findall(" ".join(statements(query))))
    return {name: value for name, value in parameters.items() if name in names}
