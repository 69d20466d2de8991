"""Secrets in definitions and AWS records: masked once, where they enter the graph, and each
place recorded as a `SecretSite` so that rules report it and no output can show the value."""

from __future__ import annotations

import itertools
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from lineage.jsondoc.pointer import child

ACCESS_KEY_ID = re.compile(r"(?<![A-Z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Z0-9])")
ACCESS_KEY_MASK = "AKIA****************"
SECRET_MASK = "********"
USERINFO_MASK = "****"
# `scheme://userinfo@`: masked when it holds a password (`user:pass`) or is token-long.
USERINFO = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)([^\s/@?#{}\"']+)@")
TOKEN_LENGTH = 16
# Where a redacted AWS record keeps its sites (AWS member names never hold a colon).
SECRETS_KEY = "lineage:secrets"

ACCESS_KEY = "an AWS access key id"
LITERAL_SECRET = "a literal secret"
URI_CREDENTIALS = "credentials in a URI"

SECRET_WORDS = frozenset(
    {"password", "passwd", "pwd", "passphrase", "secret", "token", "credential", "credentials"}
    | {"apikey", "privatekey"}
)
# Words that make a secret-looking key name a reference to a secret, or a setting about one.
NOT_SECRET_WORDS = frozenset(
    {"name", "arn", "id", "ids", "path", "file", "dir", "url", "uri", "endpoint", "region"}
    | {"type", "length", "len", "size", "count", "max", "min", "num", "limit", "prefix"}
    | {"header", "enabled", "enable", "use", "field", "column", "kms", "ttl", "location"}
    | {"bucket", "expiry", "expiration", "pad", "eos", "bos", "sep", "cls", "unk", "mask"}
    | {"special", "start", "end", "stop"}
)
NOT_SECRET_VALUES = frozenset(
    {"true", "false", "yes", "no", "none", "null", "on", "off", "enabled", "disabled"}
)
REFERENCE_PREFIXES = ("arn:", "{{", "$", "s3://", "https://", "http://", "ssm:", "secretsmanager:")
# Objects that name a value with another member: tags, parameters, name/value lists.
NAMED_VALUES = (("Key", "Value"), ("Name", "DefaultValue"), ("Name", "Value"))


@dataclass(frozen=True)
class SecretSite:
    """A masked secret: where it sits, what it was, the name it sits under, and (for a
    parameter default) the values that read that parameter under a secret-like name."""

    pointer: str
    what: str
    key: str | None = None
    read_at: tuple[str, ...] = ()


@lru_cache(maxsize=1 << 16)  # a scan asks about the same few thousand names again and again
def is_secret_name(key: str) -> bool:
    """Whether a key names a password, secret, token or API key (not a reference to one)."""
    words = [w.lower() for w in re.findall(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+", key)]
    joined = words + [a + b for a, b in itertools.pairwise(words)]
    return not SECRET_WORDS.isdisjoint(joined) and NOT_SECRET_WORDS.isdisjoint(words)


def _is_literal_secret(value: str) -> bool:
    """Whether a value under a secret-like name is a literal credential (not a flag or a ref)."""
    text = value.strip().strip('"').strip()
    return not (
        not text
        or text.lower() in NOT_SECRET_VALUES
        or re.fullmatch(r"[-+]?[\d.]+", text)
        or text.startswith(REFERENCE_PREFIXES)
        or (text.startswith("<") and text.endswith(">"))
    )


def _named_secret(key: str | None, value: str) -> bool:
    """Whether `value` is a literal secret by the name it sits under (access keys aside)."""
    return (
        key is not None
        and is_secret_name(key)
        and _is_literal_secret(value)
        and ACCESS_KEY_ID.search(value) is None
        and ACCESS_KEY_MASK not in value
    )


def _userinfo(match: re.Match[str]) -> str:
    info = match.group(2)
    if ":" in info or len(info) >= TOKEN_LENGTH or info == USERINFO_MASK:
        return f"{match.group(1)}{USERINFO_MASK}@"
    return match.group(0)


def _parameter_read(value: Any) -> str | None:
    """The parameter name of `{"Get": "Parameters.X"}`."""
    if isinstance(value, dict) and len(value) == 1:
        target = value.get("Get")
        if isinstance(target, str) and target.startswith("Parameters."):
            return target.removeprefix("Parameters.")
    return None


class _Redactor:
    """One walk over a document: masks values, records sites and parameter reads."""

    def __init__(self) -> None:
        self.sites: list[SecretSite] = []
        self.reads: dict[str, list[str]] = defaultdict(list)

    def walk(self, value: Any, pointer: str, key: str | None) -> Any:
        if isinstance(value, str):
            return self.text(value, pointer, key)
        if isinstance(value, dict):
            names = {v: str(value[k]) for k, v in NAMED_VALUES if isinstance(value.get(k), str)}
            masked: dict[str, Any] | None = None
            for member, item in value.items():
                name = names.get(member, str(member))
                target = _parameter_read(item)
                if target is not None and is_secret_name(name):
                    self.reads[target].append(child(pointer, member))
                new = self.walk(item, child(pointer, member), name)
                if new is not item:
                    masked = masked if masked is not None else dict(value)
                    masked[member] = new
            return value if masked is None else masked
        if isinstance(value, list):
            items = [self.walk(item, child(pointer, i), None) for i, item in enumerate(value)]
            return value if all(a is b for a, b in zip(items, value, strict=True)) else items
        return value

    def text(self, value: str, pointer: str, key: str | None) -> str:
        if _named_secret(key, value):
            self.sites.append(SecretSite(pointer, LITERAL_SECRET, key))
            return SECRET_MASK
        masked = ACCESS_KEY_ID.sub(ACCESS_KEY_MASK, value)
        if ACCESS_KEY_MASK in masked:
            self.sites.append(SecretSite(pointer, ACCESS_KEY, key))
        if "@" in masked:
            without = USERINFO.sub(_userinfo, masked)
            if f"://{USERINFO_MASK}@" in without:
                self.sites.append(SecretSite(pointer, URI_CREDENTIALS, key))
            masked = without
        return value if masked == value else masked

    def parameter_defaults(self, document: dict[str, Any]) -> dict[str, Any]:
        """Mask the string defaults of parameters read under secret-like names."""
        params = document.get("Parameters")
        if not self.reads or not isinstance(params, list):
            return document
        masked_params = list(params)
        for index, param in enumerate(params):
            if not isinstance(param, dict) or param.get("Name") not in self.reads:
                continue
            pointer = child(child("/Parameters", index), "DefaultValue")
            reads = tuple(self.reads[str(param["Name"])])
            known = [s for s in self.sites if s.pointer == pointer]
            default = param.get("DefaultValue")
            if known:
                self.sites = [
                    s if s.pointer != pointer else SecretSite(s.pointer, s.what, s.key, reads)
                    for s in self.sites
                ]
            elif isinstance(default, str) and _is_literal_secret(default):
                self.sites.append(SecretSite(pointer, LITERAL_SECRET, str(param["Name"]), reads))
                masked_params[index] = {**param, "DefaultValue": SECRET_MASK}
        return {**document, "Parameters": masked_params}


# A backslash escape other than of a quote, a backslash or a slash: it may decode to a letter.
_LETTER_ESCAPE = re.compile(r'\\[^"\\/]')
_LOWER = bytes.maketrans(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ", b"abcdefghijklmnopqrstuvwxyz")
_NOT_ALNUM = bytes(c for c in range(256) if not chr(c).isascii() or not chr(c).isalnum())
# Parts of every secret word ("pass" of password, passwd, passphrase): each searched for once.
SECRET_PARTS = (b"pass", b"pwd", b"secret", b"token", b"credential", b"apikey", b"privatekey")


def may_hold_secrets(text: str) -> bool:
    """Whether the JSON `text` of a document could hold anything `redact` masks: False only
    when it holds no access key, no `@`, and no secret word even with separators removed."""
    if "@" in text or "AKIA" in text or "ASIA" in text or _LETTER_ESCAPE.search(text):
        return True
    squashed = text.encode("utf-8", "ignore").translate(_LOWER, _NOT_ALNUM)
    return any(part in squashed for part in SECRET_PARTS)


def redact(document: Any, pointer: str = "") -> tuple[Any, list[SecretSite]]:
    """`document` with every secret masked (unchanged parts shared), and where each one was.

    Masks access key ids anywhere, URI userinfo holding a password or token, literal values
    under secret-like names (keys, tag keys, parameter names), and the defaults of parameters
    read under such names. Masked values are recognised again, so redacting twice is harmless.
    """
    redactor = _Redactor()
    masked = redactor.walk(document, pointer, None)
    if isinstance(masked, dict) and not pointer:
        masked = redactor.parameter_defaults(masked)
    return masked, redactor.sites


def redact_record(record: dict[str, Any]) -> dict[str, Any]:
    """An AWS response with its secrets masked and their sites under `SECRETS_KEY`."""
    masked, sites = redact(record)
    return {**masked, SECRETS_KEY: sites} if sites else masked
