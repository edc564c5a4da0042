"""A monitoring snapshot as labelled figures with plain names (the metric catalogue's labels), not raw JSON."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from monitoring.metrics import METRICS
from monitoring.models import AlertEvent, MonitoringSnapshot
from workbench.views.common import admin_context

SECTION_TITLES = {
    "integrations": "Data syncs",
    "data": "Sales and stock data",
    "forecasting": "Forecasting",
    "planning": "Planning",
}


def _display(value, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "seconds" and isinstance(value, (int, float)):
        hours = value / 3600
        return _("%(h).1f h") % {"h": hours} if hours >= 1 else _("%(m).0f min") % {"m": value / 60}
    if unit == "ratio" and isinstance(value, (int, float)):
        return f"{value:.3f}"
    if unit == "days" and isinstance(value, (int, float)):
        return _("%(d)s days") % {"d": value}
    return str(value)


def snapshot_page(request: HttpRequest, snapshot_id: int) -> HttpResponse:
    if not request.user.has_perm("monitoring.view_monitoringsnapshot"):
        raise PermissionDenied
    snapshot = MonitoringSnapshot.objects.defer("payload").filter(pk=snapshot_id).first()
    if snapshot is None:
        raise Http404(_("No such snapshot."))
    values = snapshot.metrics or {}
    sections: dict[str, list[tuple[str, str]]] = {}
    for metric in METRICS:
        section = metric.path.split(".", 1)[0]
        sections.setdefault(section, []).append((metric.label, _display(values.get(metric.path), metric.unit)))
    events = AlertEvent.objects.filter(opened_snapshot=snapshot).select_related("rule")
    context = admin_context(
        request, _("Monitoring snapshot %(slot)s") % {"slot": snapshot.slot.strftime("%Y-%m-%d %H:%M")},
        snapshot=snapshot, events=events,
        sections=[(key, _(SECTION_TITLES.get(key, key.title())), rows) for key, rows in sections.items()],
    )
    return TemplateResponse(request, "workbench/snapshot.html", context)
