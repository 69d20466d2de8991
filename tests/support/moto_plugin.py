"""Pytest plugin: a real moto server for the session, and botocore `before-send` hooks.

`moto_endpoint` starts `moto_server` on 127.0.0.1 at a free port (its own process) and stops it
at the end of the session. `aws_hooks` makes every boto3 session the registry collector creates
carry a `before-send` hook: calls moto lacks (ListPipelineExecutionSteps, …) are answered from
recorded responses, and tests inject throttling or AccessDenied for chosen calls; every other call
goes to moto over HTTP. Credentials are fake, and no call leaves the machine.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import boto3
import pytest
from botocore.awsrequest import AWSPreparedRequest, AWSResponse

from lineage.collect.registry import session as registry_session
from lineage.neo4j.server import free_port

START_TIMEOUT = 30.0
FAKE_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": "us-east-1",
}
JSON_PROTOCOL = "application/x-amz-json-1.1"


@pytest.fixture(scope="session")
def moto_endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The URL of a moto server started for this session (fails the tests if it cannot start)."""
    port = free_port()
    log = tmp_path_factory.mktemp("moto") / "moto.log"
    moto_server = Path(sys.executable).with_name("moto_server")
    with log.open("wb") as out:
        process = subprocess.Popen(
            [str(moto_server), "-H", "127.0.0.1", "-p", str(port)], stdout=out, stderr=out
        )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(url, process, log)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()


def _wait_until_up(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"moto_server exited: {log.read_text(errors='replace')}", pytrace=False)
        try:
            with urllib.request.urlopen(f"{url}/moto-api/", timeout=2):
                return
        except (urllib.error.URLError, OSError):
            time.sleep(0.1)
    pytest.fail(f"moto_server did not answer at {url} within {START_TIMEOUT} s", pytrace=False)


def reset_moto(url: str) -> None:
    """Empty the server's state (every account and region)."""
    request = urllib.request.Request(f"{url}/moto-api/reset", method="POST")
    with urllib.request.urlopen(request, timeout=10):
        pass


@pytest.fixture(scope="session")
def aws_environment() -> Iterator[None]:
    """Fake credentials and no shared config, so that nothing reaches AWS or a real profile."""
    with pytest.MonkeyPatch.context() as patch:
        for name, value in FAKE_CREDENTIALS.items():
            patch.setenv(name, value)
        for name in ("AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE"):
            patch.setenv(name, "/dev/null")
        for name in ("AWS_PROFILE", "AWS_RETRY_MODE", "CI"):
            patch.delenv(name, raising=False)
        yield


def boto_client(service: str, endpoint: str, region: str = "us-east-1", **kw: Any) -> Any:
    """A plain client of the moto server (no hooks), for seeding."""
    return boto3.client(service, region_name=region, endpoint_url=endpoint, **kw)


@dataclass(frozen=True)
class Call:
    """One HTTP attempt of an API call, as a hook sees it."""

    service: str
    operation: str
    region: str
    params: dict[str, Any]

    @classmethod
    def of(cls, request: AWSPreparedRequest, event_name: str) -> Call:
        """Read the operation, region and parameters off a prepared request."""
        _, service, operation = event_name.split(".", 2)
        auth = str(request.headers.get("Authorization", ""))
        scope = auth.split("Credential=", 1)[-1].split(",", 1)[0].split("/")
        body = request.body.decode() if isinstance(request.body, bytes) else str(request.body or "")
        if body.startswith("{"):
            params = json.loads(body)
        else:
            params = {k: v[0] for k, v in parse_qs(body).items()}
        return cls(service, operation, scope[2] if len(scope) > 2 else "", params)


@dataclass(frozen=True)
class Reply:
    """What a hook answers instead of moto."""

    status: int
    body: bytes
    content_type: str = JSON_PROTOCOL

    def response(self, request: AWSPreparedRequest) -> AWSResponse:
        """The botocore response object for this reply."""
        headers = {"Content-Type": self.content_type, "x-amzn-RequestId": "recorded"}
        return AWSResponse(request.url, self.status, headers, _Raw(self.body))


class _Raw:
    def __init__(self, body: bytes) -> None:
        self._body = body

    def stream(self, **_: Any) -> Iterator[bytes]:
        yield self._body


def json_reply(document: dict[str, Any], status: int = 200) -> Reply:
    """A JSON-protocol response (SageMaker) with `document` as its body."""
    return Reply(status, json.dumps(document).encode())


def error_reply(call: Call, code: str, message: str, status: int = 400) -> Reply:
    """An AWS error response in the protocol of the call's service."""
    if call.service == "sts":
        xml = (
            f"<ErrorResponse><Error><Type>Sender</Type><Code>{code}</Code>"
            f"<Message>{message}</Message></Error><RequestId>x</RequestId></ErrorResponse>"
        )
        return Reply(status, xml.encode(), "text/xml")
    return json_reply({"__type": code, "message": message}, status)


Handler = Callable[[Call], Reply | None]


@dataclass
class Hooks:
    """`before-send` handlers: the first that replies answers the call, else it goes to moto.
    `sent` counts HTTP attempts by operation (retries included)."""

    handlers: list[Handler] = field(default_factory=list)
    sent: Counter[str] = field(default_factory=Counter)

    def add(self, handler: Handler) -> None:
        """Answer calls with `handler` (it returns None for calls it leaves alone)."""
        self.handlers.append(handler)

    def fail(
        self,
        operation: str,
        code: str,
        when: Callable[[Call], bool] = lambda call: True,
        times: int | None = None,
        status: int = 400,
    ) -> None:
        """Fail matching calls of `operation` with `code`: all of them, or the first `times`."""
        left = [times]

        def handler(call: Call) -> Reply | None:
            if call.operation != operation or not when(call) or left[0] == 0:
                return None
            if left[0] is not None:
                left[0] -= 1
            return error_reply(call, code, f"injected {code} for {operation}", status)

        self.add(handler)

    def install(self, session: boto3.Session) -> None:
        """Register the hook on a session; its clients copy it."""
        session.events.register("before-send", self._before_send)

    def _before_send(
        self, request: AWSPreparedRequest, event_name: str, **_: Any
    ) -> AWSResponse | None:
        call = Call.of(request, event_name)
        self.sent[call.operation] += 1
        for handler in self.handlers:
            reply = handler(call)
            if reply is not None:
                return reply.response(request)
        return None


def install_hooks(hooks: Hooks, patch: pytest.MonkeyPatch) -> None:
    """Make every session the registry collector creates carry `hooks`."""

    def new_session(**kwargs: Any) -> boto3.Session:
        session = boto3.Session(**kwargs)
        hooks.install(session)
        return session

    patch.setattr(registry_session, "new_session", new_session)


@pytest.fixture
def aws_hooks(aws_environment: None, monkeypatch: pytest.MonkeyPatch) -> Hooks:
    """Hooks on every session the registry collector creates during one test."""
    hooks = Hooks()
    install_hooks(hooks, monkeypatch)
    return hooks


@pytest.fixture(scope="session")
def registry_scenario(moto_endpoint: str, aws_environment: None) -> Any:
    """The registry the registry tests share, seeded once into the emptied moto server."""
    from tests.support.registry_scenario import seed

    reset_moto(moto_endpoint)
    return seed(moto_endpoint)
