"""Admin for forecasting: runs you can read at a glance (and retrain), forecasts, accuracy, charts, policies."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from core.errors import DomainError
from forecasting.choices import RunStatus
from forecasting.models import (
    Forecast,
    ForecastAccuracyLog,
    ForecastBatch,
    ForecastScope,
    LocationForecastPolicy,
    ModelRun,
    SeriesMethod,
)
from forecasting.services import ForecastingError, accuracy_summary, queue_training_run, retrain
from forecasting.services.queries import succeeded_runs
from forecasting.services.records import record_forecasts
from forecasting.services.scopes import delete_scope, save_scope, validate_scope

STATUS_COLOURS = {
    RunStatus.QUEUED: "#6c757d",
    RunStatus.RUNNING: "#0d6efd",
    RunStatus.SUCCEEDED: "#198754",
    RunStatus.FAILED: "#dc3545",
}
METRIC_COLUMNS = ("wape", "rmsse", "mae", "rmse", "bias", "coverage_80")


def chart_admin_url(run_id=None, location_id=None, product_id=None) -> str:
    params = {k: v for k, v in {"run": run_id, "location": location_id, "product": product_id}.items() if v}
    url = reverse("admin:forecasting_forecast_chart")
    return f"{url}?{urlencode(params)}" if params else url


def _fmt(value) -> str:
    return f"{value:.3f}" if isinstance(value, (int, float)) else "—"


@admin.register(ModelRun)
class ModelRunAdmin(admin.ModelAdmin):
    list_display = [
        "id", "kind", "forecast_scope", "status_badge", "progress_display", "horizon", "series_count",
        "forecast_window", "wape", "created_by", "created_at", "duration", "chart_link",
    ]
    list_filter = ["status", "kind", "forecast_scope", "algorithm", "created_at"]
    search_fields = ["=id", "error", "data_fingerprint"]
    date_hierarchy = "created_at"
    list_select_related = ["created_by", "forecast_scope"]
    actions = ["retrain_now"]
    readonly_fields = [
        "kind", "algorithm", "status_badge", "stage", "progress_display", "source_run", "horizon", "backtest_folds",
        "forecast_scope", "batch", "scope", "frequency", "data_start", "data_end", "data_fingerprint", "series_count",
        "forecast_start", "forecast_end", "forecast_count", "method_counts_table", "metrics_table",
        "feature_importance_table", "parameters_table", "seconds", "model_file_link", "model_sha256", "error_display",
        "task_id", "accuracy_through",
        "accuracy_checked_at", "created_by", "created_at", "started_at", "finished_at", "chart_link",
    ]
    fieldsets = [
        (None, {"fields": ["kind", "algorithm", "status_badge", "stage", "progress_display", "error_display",
                           "chart_link"]}),
        ("Request", {"fields": ["forecast_scope", "batch", "horizon", "backtest_folds", "scope", "source_run",
                                "created_by", "task_id"]}),
        ("Data", {"fields": ["frequency", "data_start", "data_end", "series_count", "data_fingerprint"]}),
        ("Forecast", {"fields": ["forecast_start", "forecast_end", "forecast_count", "method_counts_table",
                                 "accuracy_through", "accuracy_checked_at"]}),
        ("Backtest metrics", {"fields": ["metrics_table"]}),
        ("Model", {"fields": ["feature_importance_table", "parameters_table", "model_file_link", "model_sha256"]}),
        ("Timing", {"fields": ["created_at", "started_at", "finished_at", "seconds"]}),
    ]

    def has_add_permission(self, request) -> bool:
        return False  # runs are started by the retrain action, the API, a command or the schedule

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description="series by method (and why not the model)")
    def method_counts_table(self, run: ModelRun) -> str:
        if not run.method_counts:
            return "—"
        url = reverse("admin:forecasting_seriesmethod_changelist")
        return format_html_join(
            ", ", '<a href="{}?run__id__exact={}&method={}">{}</a>: {}',
            ((url, run.pk, label.split("/")[0], label, count) for label, count in run.method_counts.items()),
        )

    @admin.display(description="status", ordering="status")
    def status_badge(self, run: ModelRun) -> str:
        colour = STATUS_COLOURS.get(run.status, "#6c757d")
        return format_html('<b style="color:{}">{}</b>', colour, run.get_status_display())

    @admin.display(description="progress")
    def progress_display(self, run: ModelRun) -> str:
        if run.status == RunStatus.SUCCEEDED or not run.stage:
            return run.stage or "—"
        if run.progress_total:
            return f"{run.stage}: {run.progress_done}/{run.progress_total}"
        return run.stage

    @admin.display(description="forecast")
    def forecast_window(self, run: ModelRun) -> str:
        if not run.forecast_start:
            return "—"
        return f"{run.forecast_start} … {run.forecast_end}"

    @admin.display(description="backtest WAPE")
    def wape(self, run: ModelRun) -> str:
        return _fmt(((run.metrics or {}).get("models") or {}).get("lightgbm", {}).get("wape"))

    @admin.display(description="duration")
    def duration(self, run: ModelRun) -> str:
        if not (run.started_at and run.finished_at):
            return "—"
        seconds = (run.finished_at - run.started_at).total_seconds()
        return f"{seconds / 60:.1f} min" if seconds >= 90 else f"{seconds:.0f} s"

    @admin.display(description="chart")
    def chart_link(self, run: ModelRun) -> str:
        if not run.forecast_count:
            return "—"
        return format_html('<a href="{}">chart</a>', chart_admin_url(run.pk))

    @admin.display(description="error")
    def error_display(self, run: ModelRun) -> str:
        return format_html('<pre style="white-space:pre-wrap">{}</pre>', run.error) if run.error else "—"

    @admin.display(description="backtest (per model, all folds pooled)")
    def metrics_table(self, run: ModelRun) -> str:
        models = (run.metrics or {}).get("models") or {}
        if not models:
            return "No backtest (start a run with backtest folds > 0)."
        header = format_html_join("", "<th>{}</th>", ((c,) for c in METRIC_COLUMNS))
        body = format_html_join(
            "", "<tr><td>{}</td>{}</tr>",
            (
                (name, format_html_join("", "<td>{}</td>", ((_fmt(m.get(c)),) for c in METRIC_COLUMNS)))
                for name, m in models.items()
            ),
        )
        folds = format_html_join(
            "", "<li>fold {} from {}: {}</li>",
            (
                (f["fold"], f["origin"], ", ".join(f"{n} WAPE {_fmt(m.get('wape'))}" for n, m in f["models"].items()))
                for f in (run.metrics or {}).get("per_fold", [])
            ),
        )
        return format_html("<table><tr><th>model</th>{}</tr>{}</table><ul>{}</ul>", header, body, folds)

    @admin.display(description="feature importance (share of gain, top 25)")
    def feature_importance_table(self, run: ModelRun) -> str:
        items = sorted((run.feature_importance or {}).items(), key=lambda kv: -kv[1])[:25]
        if not items:
            return "—"
        top = items[0][1] or 1.0
        return format_html(
            "<table>{}</table>",
            format_html_join(
                "",
                '<tr><td>{}</td><td style="width:320px"><div style="background:#79aec8;height:10px;width:{}%">'
                "</div></td><td>{}%</td></tr>",
                ((name, round(100 * share / top), round(100 * share, 1)) for name, share in items),
            ),
        )

    @admin.display(description="parameters")
    def parameters_table(self, run: ModelRun) -> str:
        if not run.parameters:
            return "—"
        return format_html(
            "<table>{}</table>",
            format_html_join("", "<tr><td>{}</td><td>{}</td></tr>", sorted(run.parameters.items())),
        )

    @admin.display(description="model file")
    def model_file_link(self, run: ModelRun) -> str:
        """A download link to the stored model (shown to admins; the file is data, never executed here)."""
        if not run.model_file:
            return "—"
        url = reverse("admin:forecasting_modelrun_download", args=[run.pk])
        return format_html('<a href="{}" download>{}</a>', url, run.model_file.name)

    @admin.display(description="model file")
    def model_file_name(self, run: ModelRun) -> str:
        return run.model_file.name if run.model_file else "—"

    def get_fieldsets(self, request, obj=None):
        """Everyone sees the model file's name; only admins get it as a link to download."""
        if _may_download_models(request.user):
            return self.fieldsets
        return [(name, {**opts, "fields": ["model_file_name" if f == "model_file_link" else f for f in opts["fields"]]})
                for name, opts in self.fieldsets]

    def get_readonly_fields(self, request, obj=None):
        return [*self.readonly_fields, "model_file_name"]

    def get_urls(self):
        download = path("<int:run_id>/model/", self.admin_site.admin_view(self.download_model_view),
                        name="forecasting_modelrun_download")
        return [download, *super().get_urls()]

    def download_model_view(self, request, run_id: int):
        """The stored model file as an attachment, for admins only (it is never opened as code here)."""
        if not _may_download_models(request.user):
            raise PermissionDenied
        run = ModelRun.objects.filter(pk=run_id).first()
        if run is None or not run.model_file:
            raise Http404("This run has no stored model.")
        try:
            handle = run.model_file.storage.open(run.model_file.name, "rb")
        except FileNotFoundError:
            raise Http404("The model file is missing from ARTIFACTS_ROOT; restore it from a backup.") from None
        name = run.model_file.name.rsplit("/", 1)[-1]
        return FileResponse(handle, as_attachment=True, filename=name, content_type="application/octet-stream")

    def has_retrain_permission(self, request) -> bool:
        """Retraining creates a run: the right to add runs (planners), though runs are never added by hand."""
        return request.user.has_perm("forecasting.add_modelrun")

    @admin.action(description="Retrain now (same horizon, scope and parameters)", permissions=["retrain"])
    def retrain_now(self, request, queryset):
        for run in queryset.order_by("-created_at")[:1]:
            try:
                new = retrain(run, user=request.user)
            except ForecastingError as exc:
                self.message_user(request, gettext("Run #%(run_id)s not retrained: %(exc)s") % {
                                               "run_id": run.pk,
                                               "exc": exc,
                                           }, messages.ERROR)
                return
            self.message_user(
                request, gettext("Run #%(new_id)s queued (settings of run #%(run_id)s); refresh to follow "
                                 "its progress.") % {"new_id": new.pk, "run_id": run.pk},
                messages.SUCCESS,
            )
        if queryset.count() > 1:
            self.message_user(request, gettext("Only the newest selected run was retrained: runs go one at a "
                                               "time."),
                              messages.WARNING)


class ForecastScopeForm(forms.ModelForm):
    """Shows the service's refusals (overlap, duplicate name, nothing restricted) on the field they name."""

    class Meta:
        model = ForecastScope
        fields = ["name", "location", "category", "active", "note"]

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        try:
            validate_scope(name=data.get("name", ""), location=data.get("location"), category=data.get("category"),
                           active=data.get("active", False), instance=self.instance if self.instance.pk else None)
        except DomainError as exc:
            field = exc.field if exc.field in self.fields else None
            message = exc.message.split(": ", 1)[1] if field and exc.message.startswith(f"{field}: ") else exc.message
            self.add_error(field, message)
        return data


@admin.register(ForecastScope)
class ForecastScopeAdmin(admin.ModelAdmin):
    """Units of forecasting work; active scopes must be disjoint (the nightly job runs them side by side)."""

    form = ForecastScopeForm
    list_display = ["name", "location", "category", "active", "record_run", "note"]
    list_filter = ["active"]
    search_fields = ["name", "note", "location__code", "category__code"]
    raw_id_fields = ["location"]
    list_select_related = ["location", "category"]
    actions = ["run_now"]

    @admin.display(description="forecast of record")
    def record_run(self, scope: ForecastScope) -> str:
        run = succeeded_runs().filter(forecast_scope=scope).first()
        if run is None:
            return "—"
        url = reverse("admin:forecasting_modelrun_change", args=[run.pk])
        return format_html('<a href="{}">run #{}</a> ({})', url, run.pk, run.finished_at)

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        saved = save_scope(name=data["name"], location=data.get("location"), category=data.get("category"),
                           active=data.get("active", False), note=data.get("note", ""),
                           instance=obj if change else None)
        obj.pk = saved.pk

    def delete_model(self, request, obj):
        try:
            delete_scope(obj)
        except DomainError as exc:
            self.message_user(request, str(exc), messages.ERROR)

    def delete_queryset(self, request, queryset):
        for scope in queryset:
            self.delete_model(request, scope)

    @admin.action(description="Train and forecast the selected scopes now", permissions=["add_run"])
    def run_now(self, request, queryset):
        for scope in queryset:
            try:
                run = queue_training_run(forecast_scope=scope, user=request.user)
            except ForecastingError as exc:
                self.message_user(request, f"{scope.name}: not started — {exc}", messages.ERROR)
                continue
            self.message_user(request, f"{scope.name}: run #{run.pk} queued.", messages.SUCCESS)

    def has_add_run_permission(self, request) -> bool:
        return request.user.has_perm("forecasting.add_modelrun")


@admin.register(ForecastBatch)
class ForecastBatchAdmin(admin.ModelAdmin):
    """The nightly fan-out: which scopes ran, which failed and why, at a glance."""

    list_display = ["id", "status", "stage", "trigger", "scopes_total", "scopes_succeeded", "scopes_failed",
                    "created_at", "finished_at"]
    list_filter = ["status", "trigger", "created_at"]
    readonly_fields = ["status", "stage", "trigger", "horizon", "scopes_total", "scopes_succeeded", "scopes_failed",
                       "outcome_table", "error", "task_id", "created_by", "created_at", "started_at", "finished_at",
                       "heartbeat_at"]
    exclude = ["outcome", "progress_done", "progress_total"]

    def has_add_permission(self, request) -> bool:
        return False  # started by the schedule, `train_forecast --all-scopes` or the API

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description="scopes")
    def outcome_table(self, batch: ForecastBatch) -> str:
        if not batch.outcome:
            return "—"
        return format_html_join(
            mark_safe("<br>"), "{}: {} {} {}",  # noqa: S308 - a literal tag, nothing interpolated
            ((name, f"run #{o['run']}" if o.get("run") else "no run", o.get("status", ""),
              (o.get("error") or "").splitlines()[0][:200] if o.get("error") else "")
             for name, o in sorted(batch.outcome.items())),
        )


@admin.register(Forecast)
class ForecastAdmin(admin.ModelAdmin):
    list_display = ["run", "location", "product", "date", "yhat", "p10", "p50", "p90", "chart_link"]
    list_filter = ["run__status", "run__kind", "date"]
    search_fields = ["product__sku", "product__name", "location__code", "location__name", "=run__id"]
    list_select_related = ["run", "location", "product"]
    raw_id_fields = ["run", "location", "product"]
    date_hierarchy = "date"
    show_full_result_count = False
    readonly_fields = ["run", "location", "product", "date", "yhat", "p10", "p50", "p90"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description="chart")
    def chart_link(self, forecast: Forecast) -> str:
        return format_html(
            '<a href="{}">chart</a>', chart_admin_url(forecast.run_id, forecast.location_id, forecast.product_id)
        )

    def get_urls(self):
        chart = path("chart/", self.admin_site.admin_view(self.chart_view), name="forecasting_forecast_chart")
        return [chart, *super().get_urls()]

    def chart_view(self, request):
        """The chart PNG of one location × product, with pickers for the run and the series."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        runs = list(succeeded_runs()[:30])
        # Without a chosen run, the pickers and the chart read each series' forecast of record.
        run_id = _int(request.GET.get("run"))
        series = Forecast.objects.filter(run_id=run_id) if run_id else record_forecasts()
        locations = list(
            series.values_list("location_id", "location__code", "location__name").distinct().order_by("location__code")
        )
        location_id = _int(request.GET.get("location")) or (locations[0][0] if locations else None)
        products = list(
            series.filter(location_id=location_id)
            .values_list("product_id", "product__sku", "product__name")
            .distinct()
            .order_by("product__sku")
        )
        product_id = _int(request.GET.get("product")) or (products[0][0] if products else None)
        query = {"location": location_id, "product": product_id}
        if run_id:
            query["run"] = run_id
        chart_url = reverse("forecasting:chart")
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Forecast chart"),
            "opts": self.model._meta,
            "runs": runs,
            "run_id": run_id,
            "locations": locations,
            "location_id": location_id,
            "products": products,
            "product_id": product_id,
            "png_url": f"{chart_url}?{urlencode({**query, 'format': 'png'})}" if location_id and product_id else "",
            "json_url": f"{chart_url}?{urlencode({**query, 'format': 'json'})}" if location_id and product_id else "",
        }
        return TemplateResponse(request, "admin/forecasting/chart.html", context)


def _may_download_models(user) -> bool:
    """Model files go to admins only: superusers and members of the admin role."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return user.is_superuser or user.groups.filter(name="admin").exists()


def _int(value) -> int | None:
    return int(value) if value and str(value).isdigit() else None


@admin.register(ForecastAccuracyLog)
class ForecastAccuracyLogAdmin(admin.ModelAdmin):
    list_display = ["run", "location", "product", "date", "horizon_day", "forecast", "actual", "error", "in_band"]
    list_filter = ["horizon_day", "run__kind", "run__forecast_scope", "date"]
    search_fields = ["product__sku", "location__code", "=run__id"]
    list_select_related = ["run", "location", "product"]
    raw_id_fields = ["run", "location", "product"]
    date_hierarchy = "date"
    show_full_result_count = False
    change_list_template = "admin/forecasting/forecastaccuracylog/change_list.html"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description="in p10–p90", boolean=True)
    def in_band(self, log: ForecastAccuracyLog) -> bool | None:
        if log.p10 is None or log.p90 is None:
            return None
        return log.p10 <= log.actual <= log.p90

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context=extra_context)
        changelist = getattr(response, "context_data", {}).get("cl")
        if changelist is not None:
            queryset = changelist.get_queryset(request)
            response.context_data["accuracy_by_run"] = accuracy_summary("run", queryset=queryset)[-10:]
            by_scope = accuracy_summary("forecast_scope", queryset=queryset)
            # only worth a table when scopes are in play: one "everything" row would repeat the runs' table
            if any(row["key"] is not None for row in by_scope):
                response.context_data["accuracy_by_scope"] = by_scope
        return response


@admin.register(LocationForecastPolicy)
class LocationForecastPolicyAdmin(admin.ModelAdmin):
    list_display = ["location", "missing_day_policy", "note", "updated_at"]
    list_filter = ["missing_day_policy"]
    search_fields = ["location__code", "location__name", "note"]
    raw_id_fields = ["location"]
    list_select_related = ["location"]



@admin.register(SeriesMethod)
class SeriesMethodAdmin(admin.ModelAdmin):
    """Which series a run forecast by a fallback, and why: filter by reason to see the odd ones."""

    list_display = ["run", "location", "product", "method", "reason", "chart"]
    list_filter = ["reason", "method"]
    search_fields = ["=run__id", "location__code", "product__sku"]
    list_select_related = ["location", "product"]
    raw_id_fields = ["run", "location", "product"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description="chart")
    def chart(self, row: SeriesMethod) -> str:
        return format_html('<a href="{}">chart</a>', chart_admin_url(row.run_id, row.location_id, row.product_id))
