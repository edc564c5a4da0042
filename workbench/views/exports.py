"""Export an admin list (with its filters, search and date drill-down) as XLSX or CSV.

The list's own ChangeList builds the queryset from the same query string the list shows, so the file holds
exactly the rows on screen (all pages).
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.utils import timezone

from workbench.services.exports import SPECS, csv_separator, export_csv, export_xlsx

EXPORT_PARAMS = ("format", "sep")
MODELS = {spec.name: model for model, spec in SPECS.items()}


def export_list(request: HttpRequest, name: str) -> HttpResponse:
    model = MODELS.get(name)
    if model is None:
        raise Http404
    model_admin = admin.site._registry.get(model)
    if model_admin is None or not model_admin.has_view_permission(request):
        raise PermissionDenied
    original = request.GET
    list_params = QueryDict(mutable=True)
    for key, values in original.lists():
        if key not in EXPORT_PARAMS:
            list_params.setlist(key, values)
    request.GET = list_params
    try:
        changelist = model_admin.get_changelist_instance(request)
        queryset = changelist.get_queryset(request)
    except IncorrectLookupParameters:
        queryset = model_admin.get_queryset(request).none()
    finally:
        request.GET = original
    spec = SPECS[model]
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    if original.get("format") == "csv":
        separator = {"semicolon": ";", "comma": ","}.get(original.get("sep", ""), csv_separator())
        response = HttpResponse(export_csv(spec, queryset, separator), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{spec.name}-{stamp}.csv"'
        return response
    response = HttpResponse(
        export_xlsx(spec, queryset),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{spec.name}-{stamp}.xlsx"'
    return response
