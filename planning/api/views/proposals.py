"""Planning API: proposals."""



from drf_spectacular.utils import extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from planning import filtersets
from planning.api import serializers as s
from planning.api.views.common import ActionPermissionMixin, _change
from planning.models import (
    OrderProposal,
    ProposalRun,
)
from planning.services import proposals


@extend_schema(tags=["planning"])
class ProposalRunViewSet(viewsets.ReadOnlyModelViewSet):
    """Batch proposal runs: status, progress, counts and warnings of each."""

    queryset = ProposalRun.objects.all()
    serializer_class = s.ProposalRunSerializer
    filterset_class = filtersets.ProposalRunFilterSet
    ordering_fields = ["started_at", "id"]


@extend_schema(tags=["planning"])
class OrderProposalViewSet(ActionPermissionMixin, viewsets.ReadOnlyModelViewSet):
    """Stored order proposals. Planners approve (→ purchase-order line or production task) or reject them."""

    queryset = OrderProposal.objects.select_related(
        "product", "location", "purchase_order_line", "production_task"
    )
    serializer_class = s.OrderProposalSerializer
    filterset_class = filtersets.OrderProposalFilterSet
    search_fields = ["product__sku", "product__name", "location__name", "location__code", "explanation"]
    ordering_fields = ["created_at", "quantity", "order_date", "expected_arrival", "location", "product", "id"]
    action_permissions = {
        "approve": _change("orderproposal"),
        "reject": _change("orderproposal"),
        "run": {"POST": ["planning.add_orderproposal"]},
    }

    @extend_schema(request=s.ProposalDecisionSerializer, responses={200: s.OrderProposalSerializer})
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        proposal = self.get_object()
        body = s.ProposalDecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        proposal = proposals.approve_proposal(
            proposal.pk, user=request.user, quantity=body.validated_data.get("quantity"),
            note=body.validated_data.get("note", ""),
        )
        return Response(s.OrderProposalSerializer(self.get_queryset().get(pk=proposal.pk)).data)

    @extend_schema(request=s.ProposalDecisionSerializer, responses={200: s.OrderProposalSerializer})
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        proposal = self.get_object()
        body = s.ProposalDecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        proposal = proposals.reject_proposal(proposal.pk, user=request.user,
                                             note=body.validated_data.get("note", ""))
        return Response(s.OrderProposalSerializer(self.get_queryset().get(pk=proposal.pk)).data)

    @extend_schema(request=s.ProposeOrdersRequestSerializer, responses={202: s.ProposalRunSerializer},
                   description="Queue a proposal run (all active locations, or the given ones) for the worker; "
                               "follow it at planning/proposal-runs/{id}. The nightly job does the same.")
    @action(detail=False, methods=["post"])
    def run(self, request):
        body = s.ProposeOrdersRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        proposal_run = proposals.queue_proposal_run(
            run=data.get("run"), location_ids=data.get("locations"), planning_date=data.get("planning_date"),
            user=request.user,
        )
        return Response(s.ProposalRunSerializer(proposal_run).data, status=status.HTTP_202_ACCEPTED)
