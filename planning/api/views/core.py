"""Planning API: planning core."""


from datetime import timedelta
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext
from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from core.read_cache import cached_read
from planning.api import serializers as s
from planning.services.health import planning_health
from planning.services.policy import (
    DemandDay,
    OpenSupply,
    PolicyInput,
    PolicySettings,
    compute_order_proposal,
    to_decimal,
)
from planning.services.settings import DEFAULTS


class ProposalCalculationView(APIView):
    """Stateless order proposal: settings + demand + supply in, every term of the policy out.

    Nothing is stored. Missing settings take the built-in defaults (service level 0.95, review 7 d, lead
    time 2 d, no MOQ, pack 1, no max stock). Demand is either `daily` values (the p50 of each day, with an
    optional `daily_sigma`) or `quantiles` (p10/p50/p90 per day); day i is planning_date + i unless dated.
    """

    required_permissions = {"POST": ["planning.view_orderproposal"]}

    @extend_schema(request=s.ProposalRequestSerializer, responses={200: s.ProposalResultSerializer},
                   tags=["planning"], operation_id="planning_core_proposal")
    def post(self, request):
        serializer = s.ProposalRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        planning_date = data.get("planning_date") or timezone.localdate()
        given = data.get("settings") or {}
        settings = PolicySettings(
            service_level=given.get("service_level", DEFAULTS["service_level"]),
            review_period_days=given.get("review_period_days", DEFAULTS["review_period_days"]),
            lead_time_days=given.get("lead_time_days", DEFAULTS["lead_time_days"]),
            moq=given.get("moq", DEFAULTS["moq"]),
            pack_size=given.get("pack_size", DEFAULTS["pack_size"]),
            max_stock=given.get("max_stock", DEFAULTS["max_stock"]),
        )
        demand = self._demand(data["demand"], planning_date)
        supply = data.get("supply") or {}
        result = compute_order_proposal(
            PolicyInput(
                planning_date=planning_date,
                settings=settings,
                demand=demand,
                on_hand=supply.get("on_hand", Decimal("0")),
                reserved=supply.get("reserved", Decimal("0")),
                open_supply=[
                    OpenSupply(o["quantity"], o["due_date"], o.get("reference", ""))
                    for o in supply.get("open_orders", [])
                ],
                dependent_demand=data.get("dependent_demand", Decimal("0")),
                unit=data.get("unit", ""),
            )
        )
        body = result.as_dict()
        body["settings"] = {
            "service_level": str(settings.service_level),
            "review_period_days": settings.review_period_days,
            "lead_time_days": settings.lead_time_days,
            "moq": str(settings.moq),
            "pack_size": str(settings.pack_size),
            "max_stock": None if settings.max_stock is None else str(settings.max_stock),
        }
        return Response(s.ProposalResultSerializer(body).data)

    @staticmethod
    def _demand(demand: dict, planning_date) -> list[DemandDay]:
        days: list[DemandDay] = []
        if demand.get("daily") is not None:
            sigma = demand.get("daily_sigma")
            for index, value in enumerate(demand["daily"]):
                days.append(DemandDay(planning_date + timedelta(days=index), to_decimal(value),
                                      sigma=None if sigma is None else to_decimal(sigma)))
        else:
            for index, entry in enumerate(demand["quantiles"]):
                day = entry.get("date") or planning_date + timedelta(days=index)
                p10, p90 = entry.get("p10"), entry.get("p90")
                days.append(DemandDay(day, to_decimal(entry["p50"]),
                                      None if p10 is None else to_decimal(p10),
                                      None if p90 is None else to_decimal(p90)))
        seen = set()
        for d in days:
            if d.day in seen:
                raise ValidationError({"demand": [gettext("Day %(day)s appears twice in demand.quantiles.") % {
                                                      "day": d.day,
                                                  }]})
            seen.add(d.day)
        return days


class PlanningHealthView(APIView):
    """Is planning fed? Freshness per location, coverage of active items, warnings. 200 on an empty DB."""

    required_permissions = {"GET": ["planning.view_orderproposal"]}

    @extend_schema(responses={200: s.PlanningHealthSerializer}, tags=["planning"],
                   operation_id="planning_core_health")
    @cached_read
    def get(self, request):
        return Response(s.PlanningHealthSerializer(planning_health()).data)
