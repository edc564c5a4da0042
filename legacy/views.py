"""Deprecated aliases for clients written against the old ERP: its paths, its JSON shapes, today's services.

Every alias needs a logged-in user (JWT or session, like /api/v1/) and the same permissions as the endpoint
it stands for; each is marked deprecated in the OpenAPI schema and names its successor. Refusals use today's
error vocabulary (`core.errors`: `{"detail", "code", "hint"}`), which the old clients read as `detail`.
"""

from django.urls import reverse
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from legacy import serializers as s
from legacy import services

SYNC_STARTERS = ["integrations.view_integrationaccount", "integrations.add_syncrun"]
CONFLICT = OpenApiResponse(description="No account to sync, several to choose from, or the account is disabled.")


def _query(serializer_class, request) -> dict:
    serializer = serializer_class(data=request.query_params)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class LegacyView(APIView):
    """Base of the aliases: their paths and shapes are the old ERP's, not /api/v1's."""


class BranchListView(LegacyView):
    required_permissions = {"GET": ["branches.view_location"]}

    @extend_schema(parameters=[s.BranchQuerySerializer], responses=s.LegacyBranchSerializer(many=True),
                   deprecated=True, tags=["legacy"], operation_id="legacy_branches_list",
                   description="Old shape of `GET /api/v1/branches/`: a plain list of locations in tree order, "
                               "paged with `skip`/`limit` (at most 1000).")
    def get(self, request):
        params = _query(s.BranchQuerySerializer, request)
        rows = services.branch_rows(skip=params["skip"], limit=params["limit"], search=params.get("search", ""),
                                    active_only=params["active_only"])
        return Response(s.LegacyBranchSerializer(rows, many=True).data)


class BranchSyncView(LegacyView):
    required_permissions = {"POST": SYNC_STARTERS}

    @extend_schema(parameters=[s.AccountQuerySerializer], request=None,
                   responses={202: s.LegacyBranchSyncSerializer, 409: CONFLICT},
                   deprecated=True, tags=["legacy"], operation_id="legacy_branches_sync",
                   description="Old 'sync branches from 1C': queues the org sync of the configured 1C account "
                               "(`POST /api/v1/integrations/accounts/{id}/sync/` with stream=org). 202 at once; "
                               "`task_id` is the run.")
    def post(self, request):
        params = _query(s.AccountQuerySerializer, request)
        body = services.sync_branches(params.get("account", ""))
        return Response(s.LegacyBranchSyncSerializer(body).data, status=status.HTTP_202_ACCEPTED)


class SyncStatusView(LegacyView):
    required_permissions = {"GET": ["integrations.view_integrationaccount", "integrations.view_syncrun"]}

    @extend_schema(responses=s.LegacySyncStatusSerializer, deprecated=True, tags=["legacy"],
                   operation_id="legacy_sync_status",
                   description="Old single-source sync status over every account; the per-account, per-stream "
                               "document is `GET /api/v1/integrations/status/`.")
    def get(self, request):
        return Response(s.LegacySyncStatusSerializer(services.legacy_sync_status()).data)


class SyncTriggerView(LegacyView):
    required_permissions = {"POST": SYNC_STARTERS}
    mode = "full"

    def post(self, request):
        body = services.trigger_all(self.mode)
        return Response(s.LegacyTriggerSerializer(body).data, status=status.HTTP_202_ACCEPTED)


class SyncTriggerFullView(SyncTriggerView):
    mode = "full"

    @extend_schema(request=None, responses={202: s.LegacyTriggerSerializer}, deprecated=True, tags=["legacy"],
                   operation_id="legacy_sync_trigger_full",
                   description="Queue a full sync of every stream of every enabled account.")
    def post(self, request):
        return super().post(request)


class SyncTriggerLiveView(SyncTriggerView):
    mode = "live"

    @extend_schema(request=None, responses={202: s.LegacyTriggerSerializer}, deprecated=True, tags=["legacy"],
                   operation_id="legacy_sync_trigger_live",
                   description="Queue a live (incremental) sync of every enabled account.")
    def post(self, request):
        return super().post(request)


class SyncProductsView(LegacyView):
    required_permissions = {"POST": SYNC_STARTERS}

    @extend_schema(request=None, responses={202: s.LegacyStartedSerializer, 409: CONFLICT}, deprecated=True,
                   tags=["legacy"], operation_id="legacy_data_sync_products",
                   description="Queue the product catalogue sync of every enabled account that has one.")
    def post(self, request):
        return Response(s.LegacyStartedSerializer(services.sync_products()).data, status=status.HTTP_202_ACCEPTED)


class FetchSalesView(LegacyView):
    required_permissions = {"POST": SYNC_STARTERS}

    @extend_schema(request=s.FetchSalesSerializer, responses={202: s.LegacyFetchSalesSerializer, 409: CONFLICT},
                   deprecated=True, tags=["legacy"], operation_id="legacy_data_fetch_sales",
                   description="Re-read the sales (or orders) of `start_date`..`end_date` from every enabled "
                               "account, in the background; daily sales are rebuilt from them.")
    def post(self, request):
        body = s.FetchSalesSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        result = services.fetch_sales(body.validated_data["start_date"], body.validated_data["end_date"],
                                      body.validated_data.get("max_pages"))
        return Response(s.LegacyFetchSalesSerializer(result).data, status=status.HTTP_202_ACCEPTED)


class KanbanTasksView(LegacyView):
    required_permissions = {"GET": ["planning.view_productiontask"]}

    @extend_schema(parameters=[s.KanbanQuerySerializer], responses=s.LegacyKanbanTaskSerializer(many=True),
                   deprecated=True, tags=["legacy"], operation_id="legacy_kanban_tasks",
                   description="Old kanban list: production tasks column by column in board order, paged with "
                               "`skip`/`limit`. Today: `GET /api/v1/ppic/kanban/`.")
    def get(self, request):
        params = _query(s.KanbanQuerySerializer, request)
        rows = services.kanban_tasks(status=params.get("status", ""), skip=params["skip"], limit=params["limit"])
        return Response(s.LegacyKanbanTaskSerializer(rows, many=True).data)


class ImportTemplatesView(LegacyView):
    required_permissions = {"GET": ["sales.view_importjob"]}

    @extend_schema(responses=s.LegacyTemplateSerializer(many=True), deprecated=True, tags=["legacy"],
                   operation_id="legacy_import_templates",
                   description="Every import kind with its columns and download links "
                               "(`GET /api/v1/import-export/templates/{kind}/`).")
    def get(self, request):
        base = request.build_absolute_uri(reverse("import-template", args=["KIND"])).replace("KIND/", "")
        return Response(s.LegacyTemplateSerializer(services.import_templates(base), many=True).data)
