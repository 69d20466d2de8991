"""`lineage export openlineage`: scan (or read Neo4j) and write or send OpenLineage events."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Annotated
from urllib.parse import urlsplit

import typer

from lineage.cli.options import EXIT_INPUT_ERROR, fail, say, settings_from
from lineage.cli.registry import RegistryArgs, collect_registry
from lineage.cli.view import (
    ConfigOption,
    Neo4jOption,
    OutputOption,
    SourcesArgument,
    emit,
    load_scan,
)
from lineage.scan import ScanResult, check, collect

if TYPE_CHECKING:
    from lineage.config import Settings

export_app = typer.Typer(no_args_is_help=True, add_completion=False)
API_KEY_ENV = "OPENLINEAGE_API_KEY"
RegionsOption = Annotated[
    list[str] | None,
    typer.Option("--region", help="Registry: an AWS region to read (repeatable)."),
]
RoleOption = Annotated[
    list[str] | None,
    typer.Option("--role-arn", help="Registry: assume this role to read its account (repeatable)."),
]
GroupOption = Annotated[
    list[str] | None,
    typer.Option("--group", help="Registry: only this model package group (repeatable)."),
]


@export_app.command("openlineage")
def openlineage_command(
    sources: SourcesArgument = None,
    output: OutputOption = None,
    url: Annotated[
        str | None,
        typer.Option(
            help="Send the events to this OpenLineage HTTP endpoint (Marquez: http://host:5000) "
            "with the client's HTTP transport."
        ),
    ] = None,
    endpoint: Annotated[
        str, typer.Option(help="With --url: the path events are posted to.")
    ] = "api/v1/lineage",
    api_key_env: Annotated[
        str,
        typer.Option(
            help="With --url: the environment variable holding an API key, sent as a bearer "
            "token (never printed)."
        ),
    ] = API_KEY_ENV,
    timeout: Annotated[float, typer.Option(min=0.1, help="With --url: seconds per request.")] = 5.0,
    namespace: Annotated[
        str | None,
        typer.Option(
            help="The jobs' namespace (default: sagemaker://ACCOUNT/REGION for live pipelines, "
            "else `sagemaker`)."
        ),
    ] = None,
    from_neo4j: Neo4jOption = None,
    registry: Annotated[
        bool, typer.Option("--registry", help="Also collect the live Model Registry and runs.")
    ] = False,
    region: RegionsOption = None,
    profile: Annotated[str | None, typer.Option(help="Registry: the AWS profile.")] = None,
    role_arn: RoleOption = None,
    endpoint_url: Annotated[
        str | None, typer.Option(help="Registry: send the AWS calls here (e.g. an emulator).")
    ] = None,
    group: GroupOption = None,
    since: Annotated[
        str | None, typer.Option(help="Registry: only versions changed since this ISO date.")
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Registry: no progress.")] = False,
    select: Annotated[
        list[str] | None, typer.Option(help="Findings of only these rule codes or prefixes.")
    ] = None,
    ignore: Annotated[
        list[str] | None, typer.Option(help="Leave out findings of these codes or prefixes.")
    ] = None,
    config: ConfigOption = None,
) -> None:
    """Export the lineage graph as OpenLineage events: NDJSON (-o FILE or stdout) or --url."""
    from lineage.export.events import build_events  # the OpenLineage client, only here
    from lineage.export.output import http_transport, ndjson, send

    wanted = RegistryArgs(registry, region, profile, role_arn, endpoint_url, group, since, None)
    result = _scanned(sources, from_neo4j, wanted, quiet, settings_from(config, select, ignore))
    events = build_events(result, datetime.now(UTC), namespace)
    if url is not None:
        try:
            where = _shown(url)
            transport = http_transport(url, endpoint, os.environ.get(api_key_env), timeout)
        except ValueError:
            raise fail("--url: not an http:// or https:// URL with a host") from None
        try:
            sent = send(events, transport)
        except OSError as exc:  # requests' errors are OSErrors
            raise fail(f"could not send the events to {where}: {_reason(exc)}") from None
        say(f"sent {sent} OpenLineage event(s) to {where}")
    if output is not None or url is None:
        emit(ndjson(events), output)
    if output is not None:
        say(f"wrote {len(events)} OpenLineage event(s) to {output}")
    raise typer.Exit(EXIT_INPUT_ERROR if result.errors else 0)


def _scanned(
    sources: list[str] | None,
    from_neo4j: str | None,
    wanted: RegistryArgs,
    quiet: bool,
    settings: Settings,
) -> ScanResult:
    """The scan `lineage scan` would make of the same sources, or the graph read from Neo4j."""
    if not wanted.check():
        return load_scan(sources, from_neo4j, None, settings)
    if from_neo4j is not None:
        raise fail("give --registry (read AWS) or --from-neo4j (read Neo4j), not both")
    result = collect(sources or [])
    collect_registry(result, wanted, quiet, echo=False)
    check(result, settings)
    for error in result.errors:
        say(str(error), style="bold red")
    return result


def _shown(url: str) -> str:
    """An endpoint as it may be printed: scheme, host and port, never userinfo or a query."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.hostname or ''}" + (f":{parts.port}" if parts.port else "")


def _reason(exc: OSError) -> str:
    """Why sending failed, without the request (its headers hold the API key)."""
    response = getattr(exc, "response", None)
    status = getattr(response, "status_code", None)
    return f"HTTP {status}" if status is not None else type(exc).__name__
