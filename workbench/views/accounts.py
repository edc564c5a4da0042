"""Accounts at a glance: each account's streams with their last run and health, "sync now", and a sync run told
in plain words (duration, counts, error, details as labelled lines rather than raw JSON)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from integrations.choices import SyncMode, SyncTrigger
from integrations.models import IntegrationAccount, SyncRun
from integrations.registry import streams_for_kind
from integrations.services.sync import sync_account
from workbench.services.home import stream_health
from workbench.views.common import admin_context

COUNT_LABELS = [
    ("rows_read", "read"), ("rows_created", "new"), ("rows_updated", "changed"), ("rows_unchanged", "unchanged"),
    ("rows_skipped", "skipped"), ("rows_failed", "failed"),
]


def accounts(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("integrations.view_integrationaccount"):
        raise PermissionDenied
    streams, _total = stream_health()
    by_account: dict[int, list] = {}
    for row in streams:
        by_account.setdefault(row.account_id, []).append(row)
    rows = [(account, by_account.get(account.pk, []), streams_for_kind(account.kind))
            for account in IntegrationAccount.objects.order_by("name")]
    return TemplateResponse(request, "workbench/accounts.html", admin_context(
        request, _("Accounts and syncs"), rows=rows,
        can_sync=request.user.has_perm("integrations.add_syncrun"),
    ))


def sync_now(request: HttpRequest, account_id: int) -> HttpResponse:
    """POST: queue every stream of the account (incremental), as the admin action does."""
    if request.method != "POST":
        return HttpResponseRedirect(reverse("workbench:accounts"))
    if not request.user.has_perm("integrations.add_syncrun"):
        raise PermissionDenied
    account = IntegrationAccount.objects.filter(pk=account_id).first()
    if account is None:
        raise Http404(_("No such account."))
    if not account.enabled:
        messages.warning(request, _("%(name)s is disabled; enable it first.") % {"name": account.name})
    else:
        runs = sync_account(account, mode=SyncMode.INCREMENTAL, trigger=SyncTrigger.ADMIN, background=True)
        url = reverse("admin:integrations_syncrun_changelist") + f"?account={account.pk}"
        messages.success(request, format_html(
            '{} <a href="{}">{}</a>', _("%(name)s: %(n)s stream(s) queued.") % {"name": account.name, "n": len(runs)},
            url, _("Follow their progress"),
        ))
    return HttpResponseRedirect(request.POST.get("next") or reverse("workbench:accounts"))


def _details_lines(value, prefix: str = "") -> list[tuple[str, str]]:
    """A run's details JSON as (label, text) lines: keys in words, nested keys joined, lists counted."""
    lines: list[tuple[str, str]] = []
    if isinstance(value, dict):
        for key, item in value.items():
            label = f"{prefix}{str(key).replace('_', ' ')}"
            if isinstance(item, dict):
                lines += _details_lines(item, f"{label} · ")
            elif isinstance(item, list):
                shown = "; ".join(str(x) for x in item[:5])
                lines.append((label, f"{len(item)}: {shown}" + (" …" if len(item) > 5 else "") if item else "—"))
            else:
                lines.append((label, "—" if item in (None, "") else str(item)))
    return lines


def run_detail(request: HttpRequest, run_id: int) -> HttpResponse:
    if not request.user.has_perm("integrations.view_syncrun"):
        raise PermissionDenied
    run = SyncRun.objects.select_related("account").filter(pk=run_id).first()
    if run is None:
        raise Http404(_("No such sync run."))
    seconds = run.duration_seconds
    duration = "—" if seconds is None else (f"{seconds / 60:.1f} min" if seconds >= 90 else f"{seconds:.1f} s")
    counts = [(_(label), getattr(run, field)) for field, label in COUNT_LABELS]
    error_lines = [line for line in (run.error or "").splitlines() if line.strip()]
    return TemplateResponse(request, "workbench/sync_run.html", admin_context(
        request, _("Sync run %(id)s") % {"id": run.pk}, run=run, duration=duration, counts=counts,
        error_lines=error_lines, details=_details_lines(run.details or {}),
    ))
