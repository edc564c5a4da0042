"""What every workbench screen shares: the admin's context (header, sidebar, permissions) and messages."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import admin, messages
from django.http import HttpRequest

from core.errors import DomainError
from planning.services import production, proposals, purchasing
from planning.services.ledger import InsufficientStock

# Refusals of the services a screen calls: shown to the user as the service's message, never a 500.
REFUSALS: tuple[type[Exception], ...] = (
    DomainError,
    production.TaskError,
    proposals.ProposalConflict,
    purchasing.PurchasingError,
    InsufficientStock,
)


def admin_context(request: HttpRequest, title: str, **extra: Any) -> dict[str, Any]:
    return {**admin.site.each_context(request), "title": title, **extra}


def refuse(request: HttpRequest, exc: Exception) -> None:
    messages.error(request, str(exc))


def with_query(url: str, **params: Any) -> str:
    clean = {k: v for k, v in params.items() if v not in (None, "", False)}
    return f"{url}?{urlencode(clean)}" if clean else url
