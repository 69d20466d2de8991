"""What every `lineage` command shares: exit codes, one-line errors, settings, password prompt."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path

import typer
from rich.console import Console
from rich.text import Text

from lineage.config import ConfigError, Settings, load_settings

EXIT_CLEAN, EXIT_FINDINGS, EXIT_INPUT_ERROR = 0, 1, 2
stderr = Console(stderr=True, highlight=False)


def say(message: str, style: str = "") -> None:
    """Print a message for the user on stderr, on one line, never as markup."""
    stderr.print(Text(f"lineage: {' '.join(message.split())}", style=style), soft_wrap=True)


def fail(message: str) -> typer.Exit:
    """Print a one-line error to stderr; return the exit for a usage or input error."""
    say(message, style="bold red")
    return typer.Exit(EXIT_INPUT_ERROR)


class FailOn(StrEnum):
    """The `--fail-on` choices: a severity, or never."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"
    NEVER = "never"


def settings_from(
    config: Path | None,
    select: list[str] | None,
    ignore: list[str] | None,
    fail_on: str | None = None,
) -> Settings:
    """Settings from the config file with command-line options applied; usage error if bad."""
    try:
        return load_settings(config=config).with_options(select, ignore, fail_on)
    except ConfigError as exc:
        raise fail(str(exc)) from None


def prompt_password(question: str) -> str:
    """Ask for the Neo4j password on a terminal; without one, say what is missing."""
    from lineage.neo4j.connect import Neo4jConnectionError

    if not sys.stdin.isatty():
        raise Neo4jConnectionError(
            "NEO4J_USERNAME is set but NEO4J_PASSWORD is not, and there is no terminal to ask"
        )
    return str(typer.prompt(question, hide_input=True))
