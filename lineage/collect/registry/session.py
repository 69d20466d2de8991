"""AWS sessions and clients: the profile, assumed roles, retries, the endpoint, call counting."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import boto3
from botocore.config import Config

from lineage import __version__
from lineage.collect.registry.arns import parse_arn
from lineage.collect.registry.faults import AWS_ERRORS, check_response, reason
from lineage.collect.registry.model import CallCounter, RegistryOptions
from lineage.errors import InputError

MAX_ATTEMPTS = 5
ROLE_SESSION_NAME = "lineage-scan"


def new_session(**kwargs: Any) -> boto3.Session:
    """A boto3 session (the tests wrap this to register botocore event hooks on it)."""
    return boto3.Session(**kwargs)


def retry_mode() -> str:
    """botocore's `adaptive` retry mode when AWS_RETRY_MODE asks for it, else `standard`."""
    return "adaptive" if os.environ.get("AWS_RETRY_MODE") == "adaptive" else "standard"


@dataclass(frozen=True)
class Account:
    """A session for one AWS account, and how warnings name the account."""

    session: boto3.Session
    account: str
    label: str


class Clients:
    """Makes clients with retries configured, the endpoint applied and every call counted."""

    def __init__(self, options: RegistryOptions, counter: CallCounter) -> None:
        self.endpoint_url = options.endpoint_url
        self.counter = counter
        self.config = Config(
            retries={"mode": retry_mode(), "max_attempts": MAX_ATTEMPTS},
            max_pool_connections=options.workers + 2,
            user_agent_extra=f"lineage/{__version__}",
        )

    def client(self, session: boto3.Session, service: str, region: str) -> Any:
        """A client of `service` in `region` (thread-safe; share it across the pool)."""
        client = session.client(
            service, region_name=region, endpoint_url=self.endpoint_url, config=self.config
        )
        client.meta.events.register("before-call", self._count)
        client.meta.events.register("before-parse", check_response)
        return client

    def _count(self, model: Any, **_: Any) -> None:
        self.counter.add(f"{model.service_model.service_name}:{model.name}")


def base_session(options: RegistryOptions) -> boto3.Session | InputError:
    """The session of `--profile` (or the default credential chain)."""
    try:
        return new_session(profile_name=options.profile) if options.profile else new_session()
    except AWS_ERRORS as exc:
        return InputError(f"--profile {options.profile}", reason(exc))


def accounts(
    base: boto3.Session, options: RegistryOptions, clients: Clients, region: str
) -> Iterator[Account | InputError]:
    """The caller's own account, or one account per `--role-arn`, assumed in turn."""
    sts = clients.client(base, "sts", region)
    if not options.role_arns:
        try:
            identity = sts.get_caller_identity()
        except AWS_ERRORS as exc:
            yield InputError("AWS credentials", f"nothing collected: {reason(exc)}")
            return
        yield Account(base, str(identity["Account"]), f"account {identity['Account']}")
        return
    for role in options.role_arns:
        arn = parse_arn(role)
        label = f"account {arn.account if arn else '?'} (role {role})"
        try:
            response = sts.assume_role(RoleArn=role, RoleSessionName=ROLE_SESSION_NAME)
        except AWS_ERRORS as exc:
            yield InputError(label, f"account skipped: {reason(exc)}")
            continue
        credentials = response["Credentials"]
        session = new_session(
            aws_access_key_id=credentials["AccessKeyId"],
            aws_secret_access_key=credentials["SecretAccessKey"],
            aws_session_token=credentials["SessionToken"],
        )
        yield Account(session, arn.account if arn else "?", label)
