"""One product, one page (after InvenTree's part page): stock by location with the ledger, the forecast chart with
actuals, open proposals, purchase orders, production tasks, the BOM and where it is used."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from branches.models import Location
from forecasting.models import Forecast
from forecasting.services.records import forecast_of_record_bulk
from planning.choices import OPEN_PURCHASE_ORDER_STATUSES, OPEN_TASK_STATUSES, ProposalStatus
from planning.models import (
    BillOfMaterials,
    BomLine,
    OrderProposal,
    ProductionTask,
    PurchaseOrderLine,
    StockBalance,
    StockMovement,
)
from sales.models import Product
from workbench.views.common import admin_context

LEDGER_ROWS = 25


def _int(value: str | None) -> int | None:
    return int(value) if value and str(value).isdigit() else None


def product_page(request: HttpRequest, product_id: int) -> HttpResponse:
    if not request.user.has_perm("sales.view_product"):
        raise PermissionDenied
    product = Product.objects.select_related("category").filter(pk=product_id).first()
    if product is None:
        raise Http404(_("No such product."))
    balances = list(StockBalance.objects.filter(product=product).select_related("location").order_by("location__name"))
    ledger = list(StockMovement.objects.filter(product=product).select_related("location")
                  .order_by("-occurred_at", "-id")[:LEDGER_ROWS])
    # Each location's forecast of this product comes from its own scope's forecast of record.
    run_of = {loc: run for (loc, _), run in
              forecast_of_record_bulk(forecasts=Forecast.objects.filter(product=product)).items()}
    names = dict(Location.objects.filter(pk__in=run_of).values_list("pk", "name"))
    forecast_locations = sorted(((pk, names.get(pk, "")) for pk in run_of), key=lambda row: row[1])
    location_id = _int(request.GET.get("location")) or (forecast_locations[0][0] if forecast_locations else None)
    run_id = run_of.get(location_id) if location_id else None
    chart_png = ""
    if run_id and location_id:
        chart_png = reverse("forecasting:chart") + "?" + urlencode(
            {"run": run_id, "location": location_id, "product": product.pk, "format": "png"})
    proposals = list(OrderProposal.objects.filter(product=product, status=ProposalStatus.PROPOSED)
                     .select_related("location", "supplier").order_by("location__name"))
    for p in proposals:
        p.warnings = list((p.terms or {}).get("warnings") or [])
    order_lines = list(PurchaseOrderLine.objects.filter(product=product)
                       .select_related("order", "order__supplier", "order__location", "proposal")
                       .order_by("-order__created_at", "-id")[:30])
    tasks = list(ProductionTask.objects.filter(product=product, status__in=OPEN_TASK_STATUSES)
                 .select_related("location").order_by("due_date"))
    bom = (BillOfMaterials.objects.filter(product=product, is_default=True).prefetch_related("lines__component")
           .first())
    where_used = list(BomLine.objects.filter(component=product, bom__is_active=True)
                      .select_related("bom__product").order_by("bom__product__sku"))
    fallback = _fallback_reason(run_id, location_id, product.pk)
    return TemplateResponse(request, "workbench/product.html", admin_context(
        request, f"{product.sku} · {product.name}", product=product, balances=balances, ledger=ledger,
        forecast_locations=forecast_locations, location_id=location_id, chart_png=chart_png, run_id=run_id,
        chart_page=reverse("admin:forecasting_forecast_chart") + "?" + urlencode(
            {"run": run_id or "", "location": location_id or "", "product": product.pk}),
        proposals=proposals, order_lines=order_lines, open_order_statuses=OPEN_PURCHASE_ORDER_STATUSES,
        tasks=tasks, bom=bom, where_used=where_used, fallback=fallback,
    ))


def _fallback_reason(run_id: int | None, location_id: int | None, product_id: int) -> str:
    """Why this series was forecast with a simpler method, when the run says so (its per-series method and
    reason); empty when the model was trusted."""
    if not (run_id and location_id):
        return ""
    from forecasting.models import SeriesMethod
    from forecasting.services.charts import METHOD_WORDS, REASON_WORDS

    row = SeriesMethod.objects.filter(run_id=run_id, location_id=location_id, product_id=product_id).first()
    if row is None or not row.reason:
        return ""
    return f"{METHOD_WORDS.get(row.method, row.method)}: {REASON_WORDS.get(row.reason, row.reason)}"
