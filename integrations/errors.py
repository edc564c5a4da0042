"""Errors of the integrations layer. Every message names the account and what a person should do next.

Messages never contain a secret: URLs pass through `redact_url`, and response bodies through the client's
redaction of the account's secret values before they are quoted.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from core.errors import DomainError


class IntegrationError(DomainError):
    """Base of every error a connector raises on purpose; its text ends up on SyncRun.error.

    A DomainError answering 502 should one reach the API; ``upstream_status`` is the remote system's HTTP status.
    """

    status = 502
    code = "upstream_error"
    hint = ""

    def __init__(self, message: str, *, account: str = "", method: str = "", path: str = "",
                 status: int | None = None, hint: str | None = None) -> None:
        self.detail = message
        self.account = account
        self.method = method
        self.path = path
        self.upstream_status = status
        if hint is not None:
            self.hint = hint
        parts = [f"{account}: " if account else ""]
        if method or path:
            parts.append(f"{method} {path}".strip())
            parts.append(f" answered {status}" if status is not None else "")
            parts.append(": ")
        parts.append(message)
        text = "".join(parts)
        if self.hint:
            text = f"{text.rstrip('.')}. {self.hint}"
        super().__init__(text)
        self.message = text


class ConfigurationError(IntegrationError):
    """The account is set up wrongly (missing credentials, bad base URL, unknown connector)."""

    hint = gettext_lazy("Fix the account in the admin (Integrations → Accounts).")


class DisallowedHost(ConfigurationError):
    """The URL is not http(s) to an allowed address (integrations/safety.py): nothing was sent there."""

    hint = (gettext_lazy("Point the account at the server's public http(s) address; loopback and private "
                         "hosts need INTEGRATIONS_ALLOW_PRIVATE_HOSTS=true."))


class AuthenticationFailed(IntegrationError):
    hint = gettext_lazy("Check the login/password or API key stored for this account.")


class PermissionDeniedUpstream(IntegrationError):
    hint = gettext_lazy("The remote system refused access (licence or permissions); ask its administrator.")


class RateLimited(IntegrationError):
    hint = gettext_lazy("The remote system keeps asking us to slow down; try later or lower the account's "
                        "request rate.")


class UpstreamServerError(IntegrationError):
    hint = gettext_lazy("The remote system failed; try again later and tell its administrator if it persists.")


class UpstreamClientError(IntegrationError):
    hint = gettext_lazy("The request was refused; check the account's base URL and options.")


class UpstreamTimeout(IntegrationError):
    hint = gettext_lazy("The remote system did not answer in time; try later or raise the account's "
                        "read_timeout option.")


class UpstreamUnreachable(IntegrationError):
    hint = gettext_lazy("Could not connect; check the account's base URL and that the server is up and "
                        "reachable.")


class ResponseFormatError(IntegrationError):
    """The answer could not be parsed or was unsafe to parse (DTD, entities, wrong shape)."""

    hint = gettext_lazy("The remote system sent something we do not understand; check its version and the "
                        "base URL.")
