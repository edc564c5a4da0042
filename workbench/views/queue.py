"""The proposal review queue: open proposals grouped by supplier (buy) and by location (make), one decision per
row (approve, with an edited quantity; reject with a note), approve-all per group, and what each became.

Every decision calls planning.services.proposals — the same functions as the API — and a refusal is the
service's own message on the page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from itertools import groupby

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from forecasting.admin import chart_admin_url
from planning.choices import ProposalKind, ProposalStatus
from planning.models import OrderProposal, PlanningSettings, PurchaseOrderLine, Supplier
from planning.services import proposals as proposal_service
from workbench.views.common import REFUSALS, admin_context, refuse

MAX_ROWS = 300
RECENT = 15


@dataclass
class Group:
    key: str
    title: str
    kind: str
    rows: list[OrderProposal] = field(default_factory=list)

    @property
    def approvable_ids(self) -> list[int]:
        return [p.pk for p in self.rows if p.quantity > 0 and (p.kind == ProposalKind.MAKE or p.supplier_id)]


def _decimal(value: str | None) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value).replace(",", ".").replace(" ", ""))
    except InvalidOperation:
        return Decimal("NaN")


def _int(value: str | None) -> int | None:
    return int(value) if value and str(value).isdigit() else None


def became_url(proposal: OrderProposal) -> str:
    """Where an approved proposal went: its purchase order line, or its production task."""
    line = getattr(proposal, "purchase_order_line", None)
    if line is not None:
        return reverse("admin:planning_purchaseorder_change", args=[line.order_id]) + f"#line-{line.pk}"
    task = getattr(proposal, "production_task", None)
    if task is not None:
        return reverse("workbench:kanban") + f"#task-{task.pk}"
    return ""


def _became_label(proposal: OrderProposal) -> str:
    line = getattr(proposal, "purchase_order_line", None)
    if line is not None:
        return _("PO %(order)s, line %(line)s") % {"order": line.order_id, "line": line.pk}
    task = getattr(proposal, "production_task", None)
    if task is not None:
        return _("production task %(task)s") % {"task": task.pk}
    return ""


def _default_suppliers(product_ids: list[int]) -> dict[int, int]:
    """Each product's default supplier: its product-wide planning setting, else the supplier it was last
    ordered from."""
    defaults: dict[int, int] = {}
    last_ordered = (
        PurchaseOrderLine.objects.filter(product_id__in=product_ids, order__supplier__isnull=False)
        .order_by("product_id", "-order__created_at")
        .values_list("product_id", "order__supplier_id")
    )
    for product_id, supplier_id in last_ordered:
        defaults.setdefault(product_id, supplier_id)
    for product_id, supplier_id in PlanningSettings.objects.filter(
        product_id__in=product_ids, location__isnull=True, supplier__isnull=False
    ).values_list("product_id", "supplier_id"):
        defaults[product_id] = supplier_id
    return defaults


def _decide(request: HttpRequest) -> None:
    action = request.POST.get("action", "")
    user = request.user
    if action == "approve":
        proposal_id = _int(request.POST.get("proposal"))
        quantity = _decimal(request.POST.get("quantity"))
        if quantity is not None and not quantity.is_finite():
            messages.error(request, _("Quantity must be a number, e.g. 12 or 12.5."))
            return
        supplier_id = _int(request.POST.get("supplier"))
        try:
            proposal = proposal_service.approve_proposal(
                proposal_id, user=user, quantity=quantity, note=request.POST.get("note", ""), supplier_id=supplier_id
            )
        except OrderProposal.DoesNotExist:
            messages.error(request, _("Proposal %(id)s no longer exists.") % {"id": proposal_id})
            return
        except REFUSALS as exc:
            refuse(request, exc)
            return
        proposal = OrderProposal.objects.select_related("purchase_order_line", "production_task").get(pk=proposal.pk)
        messages.success(request, format_html(
            '{} <a href="{}">{}</a>', _("Proposal %(id)s approved: it became") % {"id": proposal.pk},
            became_url(proposal), _became_label(proposal),
        ))
    elif action == "reject":
        proposal_id = _int(request.POST.get("proposal"))
        try:
            proposal_service.reject_proposal(proposal_id, user=user, note=request.POST.get("note", ""))
        except OrderProposal.DoesNotExist:
            messages.error(request, _("Proposal %(id)s no longer exists.") % {"id": proposal_id})
            return
        except REFUSALS as exc:
            refuse(request, exc)
            return
        messages.success(request, _("Proposal %(id)s rejected.") % {"id": proposal_id})
    elif action == "approve_group":
        ids = [i for i in (_int(v) for v in request.POST.getlist("proposals")) if i is not None]
        done = 0
        for proposal_id in ids:
            try:
                proposal_service.approve_proposal(proposal_id, user=user)
                done += 1
            except OrderProposal.DoesNotExist:
                continue
            except REFUSALS as exc:
                refuse(request, exc)
        if done:
            messages.success(request, _("%(n)s proposals approved.") % {"n": done})
    else:
        messages.error(request, _("Unknown action."))


def review_queue(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("planning.view_orderproposal"):
        raise PermissionDenied
    if request.method == "POST":
        if not request.user.has_perm("planning.change_orderproposal"):
            raise PermissionDenied
        _decide(request)
        return HttpResponseRedirect(request.get_full_path())

    params = request.GET
    kind = params.get("kind") if params.get("kind") in ProposalKind.values else ""
    show_zero = params.get("zero") == "1"
    qs = OrderProposal.objects.filter(status=ProposalStatus.PROPOSED).select_related(
        "product", "location", "supplier"
    )
    if kind:
        qs = qs.filter(kind=kind)
    if params.get("supplier") == "none":
        qs = qs.filter(supplier__isnull=True, kind=ProposalKind.BUY)
    elif _int(params.get("supplier")):
        qs = qs.filter(supplier_id=_int(params.get("supplier")))
    if _int(params.get("location")):
        qs = qs.filter(location_id=_int(params.get("location")))
    if params.get("q"):
        term = params["q"].strip()
        qs = qs.filter(Q(product__sku__icontains=term) | Q(product__name__icontains=term))
    hidden_zero = 0 if show_zero else qs.filter(quantity__lte=0).count()
    if not show_zero:
        qs = qs.filter(quantity__gt=0)
    total = qs.count()
    order = ("kind", "supplier__name", "supplier_id", "location__name", "location_id", "product__sku", "id")
    rows = list(qs.order_by(*order)[:MAX_ROWS])
    defaults = _default_suppliers([p.product_id for p in rows if p.kind == ProposalKind.BUY and not p.supplier_id])
    suppliers = list(Supplier.objects.filter(is_active=True).order_by("name").only("pk", "name", "code"))

    groups: list[Group] = []
    for (row_kind, key), members in groupby(
        rows, key=lambda p: (p.kind, p.supplier_id if p.kind == ProposalKind.BUY else p.location_id)
    ):
        members = list(members)
        first = members[0]
        if row_kind == ProposalKind.BUY:
            title = (_("Buy from %(supplier)s") % {"supplier": first.supplier.name}) if first.supplier else _(
                "Buy — no supplier yet")
        else:
            title = _("Make at %(location)s") % {"location": first.location.name}
        for p in members:
            p.warnings = list((p.terms or {}).get("warnings") or [])
            p.sentence = (p.explanation or "").split(". ")[0].rstrip(".") + "." if p.explanation else ""
            p.chart_url = chart_admin_url(p.forecast_run_id, p.location_id, p.product_id)
            p.default_supplier_id = defaults.get(p.product_id)
        groups.append(Group(key=f"{row_kind}-{key}", title=title, kind=row_kind, rows=members))

    recent = list(
        OrderProposal.objects.filter(status__in=[ProposalStatus.APPROVED, ProposalStatus.REJECTED],
                                     decided_at__isnull=False)
        .select_related("product", "location", "purchase_order_line", "production_task", "decided_by")
        .order_by("-decided_at", "-id")[:RECENT]
    )
    for p in recent:
        p.became_url, p.became_label = became_url(p), _became_label(p)

    context = admin_context(
        request, _("Review proposals"), groups=groups, total=total, shown=len(rows), hidden_zero=hidden_zero,
        show_zero=show_zero, kind=kind, suppliers=suppliers, recent=recent, params=params,
        can_decide=request.user.has_perm("planning.change_orderproposal"), kinds=ProposalKind.choices,
    )
    return TemplateResponse(request, "workbench/queue.html", context)
