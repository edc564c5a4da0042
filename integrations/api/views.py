from django.db.models import Prefetch
from django.urls import reverse
from django.utils.translation import gettext
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.exceptions import Conflict
from integrations.api.serializers import (
    IntegrationAccountSerializer,
    IntegrationStatusSerializer,
    SyncHistoryRunSerializer,
    SyncRequestSerializer,
    SyncRunSerializer,
    SyncStartedSerializer,
)
from integrations.choices import SyncStatus, SyncStream, SyncTrigger
from integrations.filtersets import IntegrationAccountFilterSet, SyncRunFilterSet
from integrations.models import IntegrationAccount, SyncRun
from integrations.services.status import sync_status
from integrations.services.sync import sync_account


class IntegrationAccountViewSet(viewsets.ModelViewSet):
    """Data sources. `credentials` is write-only: responses only say which secrets are stored."""

    queryset = IntegrationAccount.objects.prefetch_related(
        Prefetch("runs", queryset=SyncRun.objects.order_by("-created_at", "-id")[:5], to_attr="recent_runs")
    ).order_by("name")
    serializer_class = IntegrationAccountSerializer
    filterset_class = IntegrationAccountFilterSet
    search_fields = ["name", "base_url"]
    ordering_fields = ["name", "kind", "created_at"]

    @property
    def required_permissions(self):
        # Starting a sync creates a SyncRun: the right to add runs, not to edit the account.
        if getattr(self, "action", None) == "sync":
            return {"POST": ["integrations.view_integrationaccount", "integrations.add_syncrun"]}
        if getattr(self, "action", None) == "history":
            return {"GET": ["integrations.view_integrationaccount", "integrations.view_syncrun"]}
        return None

    def perform_destroy(self, instance: IntegrationAccount) -> None:
        if instance.locations.exists():
            raise Conflict(gettext("Account %(instance)r still owns synced locations; disable it "
                                   "(enabled=false) instead of deleting it, so their provenance is kept.") % {
                               "instance": instance.name,
                           })
        instance.delete()

    @extend_schema(
        request=SyncRequestSerializer,
        parameters=[OpenApiParameter("stream", str, description="Stream to sync (also accepted in the body)."),
                    OpenApiParameter("mode", str, description="full, incremental or live (= incremental); also "
                                                              "accepted in the body."),
                    OpenApiParameter("date_from", OpenApiTypes.DATE, description="Optional first business day."),
                    OpenApiParameter("date_to", OpenApiTypes.DATE, description="Optional last business day.")],
        responses={202: SyncStartedSerializer},
    )
    @action(detail=True, methods=["post"])
    def sync(self, request, pk=None):
        """Start a sync of one stream; answers 202 at once, the work runs in the background (django-q2).

        If a run of this stream is already queued or running, that run is returned with `created: false`.
        """
        account = self.get_object()
        data = {**{k: v for k, v in request.query_params.items() if k in ("stream", "mode", "date_from", "date_to")},
                **(request.data if isinstance(request.data, dict) else {})}
        serializer = SyncRequestSerializer(data=data)
        serializer.is_valid(raise_exception=True)
        [started] = sync_account(account, serializer.validated_data["stream"], mode=serializer.validated_data["mode"],
                                 trigger=SyncTrigger.API, params=serializer.params or None, background=True)
        run = started.run
        body = {"run_id": run.pk, "status": run.status, "created": started.created,
                "run_url": request.build_absolute_uri(reverse("syncrun-detail", args=[run.pk]))}
        return Response(body, status=status.HTTP_202_ACCEPTED)

    @extend_schema(
        parameters=[OpenApiParameter("stream", str, description="Only runs of this stream."),
                    OpenApiParameter("status", str, description="Only runs with this status.")],
        responses=SyncHistoryRunSerializer(many=True),
    )
    @action(detail=True, methods=["get"], filterset_class=None, search_fields=[], ordering_fields=[])
    def history(self, request, pk=None):
        """The account's last runs, newest first (`page_size` = how many), with counts, warnings and errors."""
        account = self.get_object()
        runs = SyncRun.objects.filter(account=account).order_by("-created_at", "-id")
        for name, values in (("stream", SyncStream.values), ("status", SyncStatus.values)):
            value = request.query_params.get(name)
            if not value:
                continue
            if value not in values:
                raise ValidationError({name: [gettext("%(value)r is not a valid %(name)s; choose one of: "
                                                      "%(values)s.") % {
                                                  "value": value,
                                                  "name": name,
                                                  "values": ', '.join(values),
                                              }]})
            runs = runs.filter(**{name: value})
        page = self.paginate_queryset(runs)
        return self.get_paginated_response(SyncHistoryRunSerializer(page, many=True).data)


class SyncRunViewSet(viewsets.ReadOnlyModelViewSet):
    """Every sync attempt: status, progress, counters, and an error text a person can act on."""

    queryset = SyncRun.objects.select_related("account").order_by("-created_at", "-id")
    serializer_class = SyncRunSerializer
    filterset_class = SyncRunFilterSet
    search_fields = ["account__name", "error"]
    ordering_fields = ["created_at", "started_at", "finished_at", "status", "id"]


class IntegrationStatusView(APIView):
    """Sync status of every account and stream: running (with progress), last full and live run, next run,
    consecutive failures. An empty database answers `{"accounts": []}`."""

    required_permissions = {"GET": ["integrations.view_integrationaccount", "integrations.view_syncrun"]}

    @extend_schema(responses=IntegrationStatusSerializer)
    def get(self, request):
        return Response(IntegrationStatusSerializer(sync_status()).data)
