"""Where events go: NDJSON (one event a line), or an endpoint through the client's transport."""

from __future__ import annotations

from collections.abc import Iterable

from openlineage.client import OpenLineageClient
from openlineage.client.serde import Serde
from openlineage.client.transport import Transport
from openlineage.client.transport.http import (
    ApiKeyTokenProvider,
    HttpConfig,
    HttpTransport,
    TokenProvider,
)

from lineage.export.events import Event

# The exporter's own working directory says nothing of the pipelines: the client must not add
# it as the jobs' source code location.
CLIENT_CONFIG = {"facets": {"source_code_location": {"disabled": True}}}


def ndjson(events: Iterable[Event]) -> str:
    """The events as newline-delimited JSON, serialised by the client."""
    return "".join(Serde.to_json(event) + "\n" for event in events)


def http_transport(url: str, endpoint: str, api_key: str | None, timeout: float) -> HttpTransport:
    """The client's HTTP transport to `url` + `endpoint` (Marquez: api/v1/lineage), sending
    `api_key` as a bearer token when given."""
    auth = ApiKeyTokenProvider({"apiKey": api_key}) if api_key else TokenProvider({})
    config = HttpConfig(url=url, endpoint=endpoint, timeout=timeout, auth=auth)
    return HttpTransport(config)


def send(events: Iterable[Event], transport: Transport) -> int:
    """Emit every event through `transport`; the number sent (the first refusal raises)."""
    client = OpenLineageClient(transport=transport, config=CLIENT_CONFIG)
    sent = 0
    try:
        for event in events:
            client.emit(event)
            sent += 1
    finally:
        client.close()
    return sent
