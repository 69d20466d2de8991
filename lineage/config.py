"""Scan settings: defaults, `[tool.lineage]` in pyproject.toml, then command-line options."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from lineage.review.suppress import Suppression, SuppressionError, parse_suppressions
from lineage.rules.engine.model import Severity
from lineage.rules.engine.rulebook import UnknownRuleError, get_rule, match_prefix

FAIL_ON_CHOICES = ("error", "warning", "info", "never")
DEFAULT_PENDING_APPROVAL_DAYS = 30
_KNOWN_KEYS = {
    "select",
    "ignore",
    "fail-on",
    "severity",
    "required-metadata-keys",
    "pending-approval-max-age-days",
    "suppress",
    "rules-url",
}


class ConfigError(ValueError):
    """Settings that cannot be used: names the file and the offending key."""


@dataclass(frozen=True)
class Settings:
    """Which rules run, their severities, and the exit threshold."""

    select: tuple[str, ...] = ("L",)
    ignore: tuple[str, ...] = ()
    fail_on: str = "error"
    severity: dict[str, Severity] = field(default_factory=dict)
    required_metadata_keys: tuple[str, ...] = ()  # L203 runs only when keys are configured
    pending_approval_max_age_days: int = DEFAULT_PENDING_APPROVAL_DAYS
    suppress: tuple[Suppression, ...] = ()
    rules_url: str | None = None  # docs/rules.md as published: SARIF rules' helpUri base
    config_file: str | None = None

    def enabled(self, code: str) -> bool:
        """Whether rule `code` runs: the longest matching select/ignore prefix decides."""
        best_select = max((len(p) for p in self.select if code.startswith(p)), default=-1)
        best_ignore = max((len(p) for p in self.ignore if code.startswith(p)), default=-1)
        return best_select > best_ignore

    def severity_of(self, code: str, default: Severity) -> Severity:
        """The rule's severity after overrides."""
        return self.severity.get(code, default)

    def fails(self, severity: Severity) -> bool:
        """Whether a finding of `severity` makes the scan exit 1."""
        if self.fail_on == "never":
            return False
        return severity.rank >= Severity(self.fail_on).rank

    def with_options(
        self, select: list[str] | None, ignore: list[str] | None, fail_on: str | None
    ) -> Settings:
        """These settings with command-line options applied (they win over the file)."""
        updated = self
        if select:
            updated = replace(updated, select=_codes(select, "--select"))
        if ignore:
            updated = replace(updated, ignore=_codes(ignore, "--ignore"))
        if fail_on:
            updated = replace(updated, fail_on=_fail_on(fail_on, "--fail-on"))
        return updated


def _split(values: list[str]) -> list[str]:
    return [v.strip().upper() for item in values for v in item.split(",") if v.strip()]


def _codes(values: list[str], where: str) -> tuple[str, ...]:
    codes = _split(values)
    for code in codes:
        try:
            match_prefix(code)
        except UnknownRuleError:
            raise ConfigError(f"{where}: {code!r} matches no rule code") from None
    return tuple(codes)


def _fail_on(value: Any, where: str) -> str:
    if value not in FAIL_ON_CHOICES:
        raise ConfigError(f"{where}: {value!r} is not one of {', '.join(FAIL_ON_CHOICES)}")
    return str(value)


def find_pyproject(start: Path) -> Path | None:
    """The nearest pyproject.toml at or above `start`."""
    for folder in (start, *start.parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            return candidate
    return None


def load_settings(start: Path | None = None, config: Path | None = None) -> Settings:
    """Settings from `config` or the nearest pyproject.toml's `[tool.lineage]` table."""
    path = config or find_pyproject(start or Path.cwd())
    if path is None:
        return Settings()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    table = data.get("tool", {}).get("lineage")
    if table is None:
        return Settings()
    return _from_table(table, str(path))


def _from_table(table: dict[str, Any], path: str) -> Settings:
    unknown = sorted(set(table) - _KNOWN_KEYS)
    if unknown:
        raise ConfigError(
            f"{path}: [tool.lineage] has unknown key(s) {', '.join(unknown)}; "
            f"known: {', '.join(sorted(_KNOWN_KEYS))}"
        )
    settings = Settings(config_file=path)
    where = f"{path}: [tool.lineage]"
    if "select" in table:
        settings = replace(settings, select=_codes(_str_list(table, "select", where), where))
    if "ignore" in table:
        settings = replace(settings, ignore=_codes(_str_list(table, "ignore", where), where))
    if "fail-on" in table:
        settings = replace(settings, fail_on=_fail_on(table["fail-on"], f"{where} fail-on"))
    if "required-metadata-keys" in table:
        keys = _str_list(table, "required-metadata-keys", where)
        settings = replace(settings, required_metadata_keys=tuple(keys))
    if "severity" in table:
        settings = replace(settings, severity=_severities(table["severity"], where))
    if "pending-approval-max-age-days" in table:
        days = _days(
            table["pending-approval-max-age-days"], f"{where} pending-approval-max-age-days"
        )
        settings = replace(settings, pending_approval_max_age_days=days)
    if "rules-url" in table:
        settings = replace(settings, rules_url=_url(table["rules-url"], f"{where} rules-url"))
    if "suppress" in table:
        try:
            settings = replace(settings, suppress=parse_suppressions(table["suppress"], where))
        except SuppressionError as exc:
            raise ConfigError(str(exc)) from None
    return settings


def _days(value: Any, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ConfigError(f"{where}: expected a whole number of days (0 or more)")
    return value


def _url(value: Any, where: str) -> str:
    if not isinstance(value, str) or not re.match(r"https?://[^\s#]+$", value):
        raise ConfigError(f"{where}: expected an http(s) URL without a fragment, found {value!r}")
    return value


def _str_list(table: dict[str, Any], key: str, where: str) -> list[str]:
    value = table[key]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where} {key}: expected a list of strings")
    return value


def _severities(value: Any, where: str) -> dict[str, Severity]:
    if not isinstance(value, dict):
        raise ConfigError(f'{where} severity: expected a table such as {{ L207 = "error" }}')
    result: dict[str, Severity] = {}
    for code, level in value.items():
        try:
            rule = get_rule(code)
            result[rule.code] = Severity(level)
        except UnknownRuleError:
            raise ConfigError(f"{where} severity: {code!r} is not a rule code") from None
        except ValueError:
            raise ConfigError(
                f"{where} severity.{code}: {level!r} is not one of error, warning, info"
            ) from None
    return result
