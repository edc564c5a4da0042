"""Admin: accounts (write-only secrets, "sync now"), runs (read-only, "what happened at 02:00 and why"), cursors.

Also adds the "Sync the selected rows' accounts now" action to the branches admin screens: integrations may
import branches (dependencies point down), not the other way round.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ImproperlyConfigured
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext

from branches import admin as branches_admin
from integrations.api.serializers import CREDENTIAL_FIELDS
from integrations.choices import SyncMode, SyncStream, SyncTrigger
from integrations.models import IntegrationAccount, SyncCursor, SyncRun
from integrations.registry import streams_for_kind
from integrations.services.accounts import account_problems, apply_account_changes
from integrations.services.credentials import get_credentials
from integrations.services.runs import SyncNotAllowed
from integrations.services.sync import sync_account

RECENT_RUNS = 20  # runs shown on an account's page
ALL_SECRET_NAMES = sorted({name for names in CREDENTIAL_FIELDS.values() for name in names})


def _secret_field(name: str) -> forms.CharField:
    kinds = [k for k, names in CREDENTIAL_FIELDS.items() if name in names]
    return forms.CharField(
        label=f"Secret: {name}", required=False, strip=False, help_text=f"Used by: {', '.join(kinds)}.",
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
    )


class IntegrationAccountForm(forms.ModelForm):
    """One password input per secret; the stored value is never rendered, empty keeps what is stored."""

    base_url = forms.URLField(max_length=500, assume_scheme="https",
                              help_text="Server address, e.g. https://acme.iiko.it/resto/api")

    class Meta:
        model = IntegrationAccount
        fields = ["name", "kind", "base_url", "enabled", "timezone", "options", "request_rate_per_minute",
                  "full_sync_enabled", "full_sync_at", "live_sync_enabled", "live_sync_every_minutes", "live_sync_from",
                  "live_sync_to", "notification_emails"]

    secret_api_key = _secret_field("api_key")
    secret_api_secret = _secret_field("api_secret")
    secret_login = _secret_field("login")
    secret_password = _secret_field("password")
    secret_token = _secret_field("token")
    clear_credentials = forms.BooleanField(required=False, label="Clear all stored secrets",
                                           help_text="Removes every secret of this account.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        stored = set()
        if self.instance.pk and self.instance.credentials_encrypted:
            try:
                stored = set(get_credentials(self.instance))
            except Exception:  # noqa: BLE001 - a key problem must not lock the admin out of re-entering secrets
                stored = set()
        for name in ALL_SECRET_NAMES:
            field = self.fields[f"secret_{name}"]
            field.help_text = ("Stored; leave empty to keep it. " if name in stored else "Not set. ") + field.help_text

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        allowed = CREDENTIAL_FIELDS.get(kind, ())
        for name in ALL_SECRET_NAMES:
            if cleaned.get(f"secret_{name}") and name not in allowed:
                self.add_error(f"secret_{name}", f"{kind} accounts do not use {name!r}; leave it empty.")
        if kind and "base_url" in cleaned and "options" in cleaned:
            stored = IntegrationAccount.objects.filter(pk=self.instance.pk).first() if self.instance.pk else None
            problems = account_problems(
                kind=kind, base_url=cleaned["base_url"], options=cleaned["options"], instance=stored,
                new_secret_names=[n for n in ALL_SECRET_NAMES if cleaned.get(f"secret_{n}")],
                clearing_secrets=bool(cleaned.get("clear_credentials")), user=getattr(self, "request_user", None))
            for field, messages_ in problems.items():
                self.add_error(field if field in self.fields else None, messages_)
        return cleaned

    def save(self, commit=True):
        account = super().save(commit=False)
        changes = {name: self.cleaned_data.get(f"secret_{name}") for name in ALL_SECRET_NAMES}
        return apply_account_changes(account, {}, secrets={k: v for k, v in changes.items() if v},
                                     clear_secrets=bool(self.cleaned_data.get("clear_credentials")), save=commit)


_undeclared = {f"secret_{n}" for n in ALL_SECRET_NAMES} - set(IntegrationAccountForm.declared_fields)
if _undeclared:  # a new kind's secret needs its password input above
    raise ImproperlyConfigured(f"IntegrationAccountForm lacks fields {sorted(_undeclared)}")


@admin.action(description="Sync org structure now")
def sync_org_now(modeladmin, request, queryset: QuerySet[IntegrationAccount]) -> None:
    _start_syncs(modeladmin, request, queryset, SyncStream.ORG)


def _start_syncs(modeladmin, request, accounts, stream: str) -> None:
    if not request.user.has_perm("integrations.add_syncrun"):
        modeladmin.message_user(request, gettext("Starting a sync needs the integrator role (add sync run "
                                                 "permission)."),
                                messages.ERROR)
        return
    for account in accounts:
        if stream not in streams_for_kind(account.kind):
            modeladmin.message_user(request, gettext("%(account)s: no %(stream)s connector for %(kind)s.") % {
                                                 "account": account.name,
                                                 "stream": stream,
                                                 "kind": account.kind,
                                             },
                                    messages.WARNING)
            continue
        try:
            [started] = sync_account(account, stream, mode=SyncMode.FULL, trigger=SyncTrigger.ADMIN, background=True)
        except SyncNotAllowed as exc:
            modeladmin.message_user(request, str(exc), messages.WARNING)
            continue
        run, created = started.run, started.created
        url = reverse("admin:integrations_syncrun_change", args=[run.pk])
        if created:
            template = gettext('{account}: {stream} sync <a href="{url}">run #{run}</a> queued.')
        else:
            template = gettext('{account}: {stream} sync <a href="{url}">run #{run}</a> already {status}.')
        modeladmin.message_user(request, format_html(template, account=account.name, stream=stream, url=url,
                                                     run=run.pk, status=run.status), messages.SUCCESS)


def _sync_all_streams(modeladmin, request, accounts, mode: str) -> None:
    if not request.user.has_perm("integrations.add_syncrun"):
        modeladmin.message_user(request, gettext("Starting a sync needs the integrator role (add sync run "
                                                 "permission)."),
                                messages.ERROR)
        return
    for account in accounts:
        if not account.enabled:
            modeladmin.message_user(request, gettext("%(account)s is disabled; enable it first.") % {
                                                 "account": account.name,
                                             }, messages.WARNING)
            continue
        runs = sync_account(account, mode=mode, trigger=SyncTrigger.ADMIN, background=True)
        url = reverse("admin:integrations_syncrun_changelist") + f"?account__id__exact={account.pk}"
        modeladmin.message_user(request, format_html('{}: {} stream(s) queued, run one after another ({}). '
                                                     '<a href="{}">Sync history</a>', account.name, len(runs),
                                                     mode, url), messages.SUCCESS)


@admin.action(description="Sync all streams now (full refresh)")
def sync_all_streams_full(modeladmin, request, queryset: QuerySet[IntegrationAccount]) -> None:
    _sync_all_streams(modeladmin, request, queryset, "full")


@admin.action(description="Sync all streams now (incremental)")
def sync_all_streams_incremental(modeladmin, request, queryset: QuerySet[IntegrationAccount]) -> None:
    _sync_all_streams(modeladmin, request, queryset, "incremental")


@admin.register(IntegrationAccount)
class IntegrationAccountAdmin(admin.ModelAdmin):
    form = IntegrationAccountForm
    list_display = ("name", "kind", "base_url", "enabled", "has_secrets", "full_sync_enabled", "full_sync_at",
                    "last_run")
    list_filter = ("kind", "enabled")
    search_fields = ("name", "base_url")
    actions = [sync_org_now, sync_all_streams_full, sync_all_streams_incremental]
    readonly_fields = ("created_at", "updated_at", "history", "recent_runs")
    fieldsets = (
        (None, {"fields": ("name", "kind", "base_url", "enabled", "timezone", "options", "request_rate_per_minute")}),
        ("Secrets (write-only)", {"fields": [f"secret_{n}" for n in ALL_SECRET_NAMES] + ["clear_credentials"]}),
        ("Schedule", {"fields": ("full_sync_enabled", "full_sync_at", "live_sync_enabled", "live_sync_every_minutes",
                                 "live_sync_from", "live_sync_to")}),
        ("Notifications", {"fields": ("notification_emails",)}),
        ("Sync history", {"fields": ("recent_runs", "history")}),
        ("Record", {"fields": ("created_at", "updated_at")}),
    )

    def get_form(self, request, obj=None, change=False, **kwargs):
        # The form's rules depend on who edits: an admin may move an account's secrets to another server.
        form = super().get_form(request, obj, change, **kwargs)
        return type(form.__name__, (form,), {"request_user": request.user})

    @admin.display(description="sync history")
    def history(self, obj: IntegrationAccount) -> str:
        if not obj.pk:
            return "—"
        url = reverse("admin:integrations_syncrun_changelist") + f"?account__id__exact={obj.pk}"
        return format_html('<a href="{}">All {} runs of this account</a>', url, obj.runs.count())

    @admin.display(description=f"last {RECENT_RUNS} runs")
    def recent_runs(self, obj: IntegrationAccount) -> str:
        """The account's sync history on its own page (a table, not an inline: runs are never edited here)."""
        if not obj.pk:
            return "—"
        runs = list(obj.runs.order_by("-created_at", "-id")[:RECENT_RUNS])
        if not runs:
            return "No sync yet."
        rows = format_html_join("", "<tr><td><a href=\"{}\">#{}</a></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>"
                                    "<td>{}</td><td>{}</td><td>{}</td></tr>",
                                ((reverse("admin:integrations_syncrun_change", args=[r.pk]), r.pk, r.stream, r.mode,
                                  r.status, f"{r.started_at:%Y-%m-%d %H:%M}" if r.started_at else "—",
                                  f"{r.duration_seconds:.1f} s" if r.duration_seconds is not None else "—",
                                  f"read {r.rows_read} · new {r.rows_created} · changed {r.rows_updated} · "
                                  f"same {r.rows_unchanged} · skipped {r.rows_skipped}",
                                  (r.error[:200] + "…") if len(r.error) > 200 else r.error) for r in runs))
        return format_html("<table><thead><tr><th>run</th><th>stream</th><th>mode</th><th>status</th><th>started "
                           "(UTC)</th><th>took</th><th>rows</th><th>error</th></tr></thead><tbody>{}</tbody></table>",
                           rows)

    @admin.display(boolean=True, description="secrets")
    def has_secrets(self, obj: IntegrationAccount) -> bool:
        return obj.has_credentials

    @admin.display(description="last run")
    def last_run(self, obj: IntegrationAccount) -> str:
        run = obj.runs.order_by("-created_at", "-id").first()
        if run is None:
            return "—"
        url = reverse("admin:integrations_syncrun_change", args=[run.pk])
        return format_html('<a href="{}">#{} {} {}</a>', url, run.pk, run.stream, run.status)


@admin.register(SyncRun)
class SyncRunAdmin(admin.ModelAdmin):
    # Fits a 1,400 px screen: the row counts in one column, start/end as "took"; everything is on the run's page.
    list_display = ("id", "account", "stream", "mode", "status", "progress", "rows", "created_at", "took",
                    "short_error")
    list_filter = ("status", "stream", "mode", "trigger", "account", ("created_at", admin.DateFieldListFilter))
    search_fields = ("account__name", "error")
    list_select_related = ("account",)
    date_hierarchy = "created_at"
    list_per_page = 100

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description="progress")
    def progress(self, obj: SyncRun) -> str:
        return f"{obj.progress_done}/{obj.progress_total}" if obj.progress_total else str(obj.progress_done or "")

    @admin.display(description="rows")
    def rows(self, obj: SyncRun) -> str:
        return f"read {obj.rows_read} · new {obj.rows_created} · changed {obj.rows_updated}"

    @admin.display(description="took")
    def took(self, obj: SyncRun) -> str:
        seconds = obj.duration_seconds
        return "—" if seconds is None else (f"{seconds / 60:.1f} min" if seconds >= 90 else f"{seconds:.0f} s")

    @admin.display(description="error")
    def short_error(self, obj: SyncRun) -> str:
        return (obj.error[:120] + "…") if len(obj.error) > 120 else obj.error


@admin.register(SyncCursor)
class SyncCursorAdmin(admin.ModelAdmin):
    list_display = ("account", "stream", "value", "updated_at", "last_run")
    list_filter = ("stream", "account")
    list_select_related = ("account", "last_run")
    readonly_fields = ("updated_at", "last_run")


@admin.action(description="Sync the selected rows' accounts now (org structure)")
def sync_location_sources_now(modeladmin, request, queryset) -> None:
    account_ids = queryset.exclude(source__isnull=True).values_list("source_id", flat=True).distinct()
    accounts = IntegrationAccount.objects.filter(pk__in=list(account_ids))
    if not accounts:
        modeladmin.message_user(request, gettext("The selected rows are manual entries; there is no account "
                                                 "to sync."),
                                messages.WARNING)
        return
    _start_syncs(modeladmin, request, accounts, SyncStream.ORG)


for _location_admin in (branches_admin.BranchAdmin, branches_admin.DepartmentAdmin):
    if sync_location_sources_now not in _location_admin.actions:
        _location_admin.actions = [*_location_admin.actions, sync_location_sources_now]
