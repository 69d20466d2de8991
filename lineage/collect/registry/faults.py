"""How AWS call failures are told apart: access denied, not implemented here, not found, and
responses that cannot be read (treated like any other failed call)."""

from __future__ import annotations

import json
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError
from botocore.parsers import ResponseParserError, create_parser


class MalformedResponseError(Exception):
    """A successful response whose body cannot be read as the operation's output."""


# What a failed call may raise once botocore has retried what is worth retrying.
AWS_ERRORS: tuple[type[Exception], ...] = (
    ClientError,
    BotoCoreError,
    ResponseParserError,
    MalformedResponseError,
)
UNSUPPORTED_CODES = frozenset(
    {"NotImplemented", "NotImplementedException", "InvalidAction", "UnknownOperationException"}
)
NOT_FOUND_CODES = frozenset(
    {"ValidationException", "ResourceNotFound", "ResourceNotFoundException"}
)
MAX_REASON = 300


def _code(exc: Exception) -> str:
    return (
        str(exc.response.get("Error", {}).get("Code", "")) if isinstance(exc, ClientError) else ""
    )


def _status(exc: ClientError) -> int:
    return int(exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0))


def is_unsupported(exc: Exception) -> bool:
    """The endpoint does not implement the operation (501, or an emulator's bare 500 page)."""
    if not isinstance(exc, ClientError):
        return False
    status = _status(exc)
    return (
        status == 501 or _code(exc) in UNSUPPORTED_CODES or (status == 500 and _code(exc) == "500")
    )


def is_access_denied(exc: Exception) -> bool:
    """The caller may not make the call."""
    return "AccessDenied" in _code(exc) or _code(exc) == "UnauthorizedOperation"


def is_not_found(exc: Exception) -> bool:
    """The resource named does not exist (SageMaker says so with a ValidationException)."""
    if _code(exc) not in NOT_FOUND_CODES or not isinstance(exc, ClientError):
        return False
    message = str(exc.response.get("Error", {}).get("Message", "")).lower()
    return "not found" in message or "could not find" in message or "does not exist" in message


def reason(exc: Exception) -> str:
    """A one-line reason for a warning: the error code and message, never a stack trace."""
    if isinstance(exc, ClientError) and is_unsupported(exc):
        text = f"the endpoint does not implement {exc.operation_name} ({_code(exc)})"
    elif isinstance(exc, MalformedResponseError):
        text = str(exc)
    elif isinstance(exc, ClientError):
        error = exc.response.get("Error", {})
        text = f"{error.get('Code', 'error')}: {error.get('Message', '')}".strip().rstrip(":")
    else:
        text = f"{type(exc).__name__}: {exc}"
    text = " ".join(text.split())
    return text if len(text) <= MAX_REASON else text[: MAX_REASON - 1] + "…"


def check_response(operation_model: Any, response_dict: dict[str, Any], **_: Any) -> None:
    """A `before-parse` hook: a successful response must parse as the operation's output (a JSON
    protocol's body as a JSON object), else the call fails with `MalformedResponseError` instead of
    returning an empty or half-read result."""
    if response_dict.get("status_code", 500) >= 300 or operation_model.has_streaming_output:
        return
    body = response_dict.get("body") or b""
    protocol = operation_model.service_model.resolved_protocol
    try:
        if protocol in ("json", "rest-json") and body and not isinstance(json.loads(body), dict):
            raise ValueError("the body is not a JSON object")
        create_parser(protocol).parse(dict(response_dict), operation_model.output_shape)
    except Exception as exc:  # botocore's parsers raise anything on malformed input
        why = " ".join(f"{type(exc).__name__}: {exc}".split())[:MAX_REASON]
        raise MalformedResponseError(
            f"unreadable {operation_model.name} response ({why})"
        ) from None
