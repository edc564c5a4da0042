"""The schema of `IntegrationAccount.options`, per kind: which keys exist and what each may hold.

Options used to be free JSON: `options: 1` or `{"full_streams": 5}` was stored, and afterwards every reader
(`/integrations/status/`, the schedule registration run by `migrate` and `setup_schedules`) failed on it. Now
the API and the admin refuse such values with a message naming the key, and readers that meet an old bad row
use `options_or_empty()` / `OptionsError` to skip and report it instead of failing for everyone.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from integrations.choices import IntegrationKind
from integrations.safety import UnsafeURL, check_url

Check = Callable[[Any], str]  # "" when the value is fine, else what is wrong with it


class OptionsError(ValueError):
    """An account's options do not fit its kind's schema; `problems` maps "options.<key>" to a message."""

    def __init__(self, problems: dict[str, str]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"{k}: {v}" for k, v in problems.items()))


def _number(low: float, high: float, *, whole: bool = False) -> Check:
    def check(value: Any) -> str:
        kinds = (int,) if whole else (int, float)
        if isinstance(value, bool) or not isinstance(value, kinds):
            return f"must be a {'whole ' if whole else ''}number from {low:g} to {high:g}"
        if not low <= value <= high:
            return f"must be from {low:g} to {high:g}, not {value!r}"
        return ""
    return check


def _boolean(value: Any) -> str:
    return "" if isinstance(value, bool) else "must be true or false"


def _text(max_length: int = 200) -> Check:
    def check(value: Any) -> str:
        if not isinstance(value, str) or len(value) > max_length:
            return f"must be a text of at most {max_length} characters"
        return ""
    return check


def _one_of(*choices: str) -> Check:
    def check(value: Any) -> str:
        return "" if value in choices else f"must be one of {', '.join(choices)}"
    return check


def _text_map(value: Any) -> str:
    if not isinstance(value, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
        return 'must be an object of texts, e.g. {"cancelled": "cancelled"}'
    return ""


def _url(value: Any) -> str:
    if not isinstance(value, str):
        return "must be an http(s) URL"
    try:
        check_url(value, field="URL")
    except UnsafeURL as exc:
        return str(exc).removeprefix("URL: ")
    return ""


def _streams(kind: str) -> Check:
    def check(value: Any) -> str:
        from integrations.registry import streams_for_kind

        available = sorted(streams_for_kind(kind))
        if not isinstance(value, list) or not all(isinstance(s, str) for s in value):
            return f"must be a list of stream names ({', '.join(available)})"
        unknown = sorted(set(value) - set(available))
        if unknown:
            return f"unknown stream(s) {', '.join(unknown)} for {kind}; choose from {', '.join(available)}"
        return ""
    return check


# Keys every kind understands: the HTTP client's (integrations/http.py) and the stream runner's.
COMMON: dict[str, Check] = {
    "connect_timeout": _number(0.1, 600),
    "read_timeout": _number(0.1, 3600),
    "max_attempts": _number(1, 20, whole=True),
    "backoff_base": _number(0, 60),
    "backoff_max": _number(0, 3600),
    "max_total_wait": _number(0, 24 * 3600),
    "rate_per_minute": _number(0.01, 100_000),
    "rate_burst": _number(1, 100_000),
    "verify_tls": _boolean,
    "full_days": _number(1, 3660, whole=True),
    "lookback_days": _number(0, 366, whole=True),
    "stock_snapshot_minutes": _number(1, 1440, whole=True),
}

PER_KIND: dict[str, dict[str, Check]] = {
    IntegrationKind.IIKO: {"include_stores": _boolean},
    IntegrationKind.ONEC: {"page_size": _number(1, 10_000, whole=True)},
    IntegrationKind.SENTOS: {"page_size": _number(1, 1000, whole=True), "status_map": _text_map,
                             "window_days": _number(1, 366, whole=True)},
    IntegrationKind.WILDBERRIES: {"page_cap": _number(1, 100_000, whole=True), "statistics_url": _url,
                                  "content_url": _url, "marketplace_url": _url},
    IntegrationKind.MOYSKLAD: {"price_type": _text(), "token_kind": _one_of("user", "solution"),
                               "request_weight": _number(1, 100, whole=True),
                               "page_limit": _number(1, 1000, whole=True)},
}

# Options naming another server: credentials go there too (see integrations.services.accounts).
URL_OPTIONS = ("statistics_url", "content_url", "marketplace_url")


def schema_for(kind: str) -> dict[str, Check]:
    return {**COMMON, "full_streams": _streams(kind), "live_streams": _streams(kind), **PER_KIND.get(kind, {})}


def options_problems(kind: str, options: Any, *, unknown_keys: bool = True) -> dict[str, str]:
    """What is wrong with `options` for an account of `kind`, as {"options.<key>": message}; {} when fine.

    `unknown_keys=False` (readers of stored rows) ignores keys the schema does not know: nothing reads them.
    """
    if not isinstance(options, dict):
        return {"options": "must be an object of settings, e.g. {\"read_timeout\": 30}, "
                           f"not {type(options).__name__}"}
    schema = schema_for(kind)
    problems = {}
    for key, value in options.items():
        check = schema.get(key)
        if check is None:
            if not unknown_keys:
                continue
            problems[f"options.{key}"] = f"unknown option for {kind}; known: {', '.join(sorted(schema))}"
            continue
        message = check(value)
        if message:
            problems[f"options.{key}"] = message
    return problems


def validate_options(kind: str, options: Any, *, unknown_keys: bool = True) -> dict[str, Any]:
    """The options if they fit the kind's schema, else OptionsError."""
    problems = options_problems(kind, options, unknown_keys=unknown_keys)
    if problems:
        raise OptionsError(problems)
    return dict(options)


def checked_options(account: Any) -> dict[str, Any]:
    """A stored account's options, or OptionsError (for readers that skip and report a bad row)."""
    return validate_options(account.kind, account.options if account.options is not None else {},
                            unknown_keys=False)
