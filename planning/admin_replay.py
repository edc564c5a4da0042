"""Admin screens of policy replays: start one from a form, read its contenders, charts and items.

Starting goes through ``validate_request`` and ``queue_replay`` (the API's door); a refusal is shown on the form
naming the field. The result page shows the contenders side by side, the trade-off chart, and the items with
the largest demand, each with its stock-and-demand chart one click away.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext

from core.errors import DomainError
from planning.models import ReplayRun
from planning.services.replay import reports
from planning.services.replay.reports import XLSX_TYPE
from planning.services.replay.runs import queue_replay, validate_request

ITEMS_PER_PAGE = 50


class ReplayForm(forms.Form):
    date_from = forms.DateField(required=False, help_text="First day replayed (default: 26 weeks back).")
    date_to = forms.DateField(required=False, help_text="Last day replayed (default: yesterday).")
    location = forms.CharField(required=False, help_text="A location code or id: its subtree only (default: all).")
    category = forms.CharField(required=False, help_text="A product category code or id (default: all).")
    service_levels = forms.CharField(required=False, initial="0.80, 0.90, 0.95, 0.98",
                                     help_text="Service levels to replay the policy at, comma-separated.")
    retrain_every_days = forms.IntegerField(required=False, initial=28, min_value=1, max_value=366,
                                            help_text="Re-train the model every this many days of the window.")


@admin.register(ReplayRun)
class ReplayRunAdmin(admin.ModelAdmin):
    list_display = ["id", "window", "status", "progress", "series_count", "headline", "created_at"]
    list_filter = ["status"]
    change_form_template = "admin/planning/replayrun/result.html"

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # results are facts; a new replay is a new run

    @admin.display(description="window")
    def window(self, run: ReplayRun) -> str:
        return f"{run.date_from} … {run.date_to}"

    @admin.display(description="progress")
    def progress(self, run: ReplayRun) -> str:
        if run.status in ("queued", "running"):
            percent = run.progress_percent
            return f"{run.stage or 'waiting for a worker'}" + (f" · {percent:.0f} %" if percent is not None else "")
        return run.get_status_display()

    @admin.display(description="policy at the headline level")
    def headline(self, run: ReplayRun) -> str:
        policy = [c for c in run.contenders if c["rule"] == "policy" and c["forecast"] == "model"]
        if not policy:
            return "—"
        best = min(policy, key=lambda c: abs(float(c["service_level"]) - 0.95))
        return f"fill rate {best['fill_rate'] * 100:.1f} %, avg stock value {best['avg_stock_value']:,.0f}"

    def get_urls(self):
        own = [
            path("<int:run_id>/chart.png", self.admin_site.admin_view(self.chart_view),
                 name="planning_replayrun_chart"),
            path("<int:run_id>/items/<int:item_id>/chart.png", self.admin_site.admin_view(self.item_chart_view),
                 name="planning_replayrun_item_chart"),
            path("<int:run_id>/export.xlsx", self.admin_site.admin_view(self.export_view),
                 name="planning_replayrun_export"),
        ]
        return own + super().get_urls()

    def _run(self, request, run_id: int) -> ReplayRun:
        if not self.has_view_permission(request):
            raise Http404
        run = ReplayRun.objects.filter(pk=run_id).first()
        if run is None:
            raise Http404(f"No replay {run_id}")
        return run

    def chart_view(self, request, run_id: int):
        return HttpResponse(reports.tradeoff_png(self._run(request, run_id)), content_type="image/png")

    def item_chart_view(self, request, run_id: int, item_id: int):
        item = self._run(request, run_id).items.select_related("location", "product", "run").filter(pk=item_id).first()
        if item is None:
            raise Http404(f"No item {item_id} in replay {run_id}")
        return HttpResponse(reports.trajectory_png(item), content_type="image/png")

    def export_view(self, request, run_id: int):
        run = self._run(request, run_id)
        response = HttpResponse(reports.export_xlsx(run), content_type=XLSX_TYPE)
        response["Content-Disposition"] = f'attachment; filename="replay-{run.pk}.xlsx"'
        return response

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise Http404
        form = ReplayForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                replay_request = validate_request(
                    date_from=data["date_from"], date_to=data["date_to"], location=data["location"] or None,
                    category=data["category"] or None, service_levels=data["service_levels"] or None,
                    retrain_every_days=data["retrain_every_days"],
                )
            except DomainError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                run = queue_replay(replay_request, user=request.user)
                messages.success(request, gettext("Replay #%(run_id)s is queued; this page follows its "
                                                  "progress.") % {"run_id": run.pk})
                return HttpResponseRedirect(reverse("admin:planning_replayrun_change", args=[run.pk]))
        context = {**self.admin_site.each_context(request), "title": "Replay the policy on history", "form": form,
                   "opts": self.model._meta, "add": True}
        return TemplateResponse(request, "admin/planning/replayrun/start.html", context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        run = self._run(request, int(object_id)) if str(object_id).isdigit() else None
        if run is None:
            raise Http404
        items = Paginator(run.items.select_related("location", "product").order_by("-demand_total", "id"),
                          ITEMS_PER_PAGE).get_page(request.GET.get("page"))
        labels = [(c["key"], c["label"]) for c in run.contenders]
        rows = [{"item": item, "figures": [item.outcomes.get(key) for key, _ in labels],
                 "chart": reverse("admin:planning_replayrun_item_chart", args=[run.pk, item.pk])} for item in items]
        context = {
            **self.admin_site.each_context(request), "title": str(run), "run": run, "opts": self.model._meta,
            "original": run, "contenders": run.contenders, "labels": labels, "rows": rows, "page": items,
            "active": run.status in ("queued", "running"),
            "chart_url": reverse("admin:planning_replayrun_chart", args=[run.pk]),
            "export_url": reverse("admin:planning_replayrun_export", args=[run.pk]),
        }
        return TemplateResponse(request, self.change_form_template, context)

