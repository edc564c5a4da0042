"""Monitoring API under /api/v1/planning/monitoring/ (the issue's URL; mounted from monitoring.api.urls).

Who may do what: reading (bootstrap, status, history, timeseries, alert rules and events) needs
`monitoring.view_monitoringsnapshot` / the model's view permission — every role has it. Building a snapshot on
demand (`snapshot`, GET or POST) needs `monitoring.build_monitoringsnapshot`, and alert-rule changes the
model's add/change/delete permissions: the admin role has them; planners do not (they read the snapshot the
schedule stores every 15 minutes; an admin can grant one planner the permission on their user).
"""

from datetime import datetime, time, timedelta

from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.exceptions import Conflict
from monitoring import conf
from monitoring.api.serializers import (
    AlertEventSerializer,
    AlertRuleSerializer,
    BootstrapSerializer,
    HistorySerializer,
    SnapshotBuildSerializer,
    SnapshotSerializer,
    StatusSerializer,
    TimeseriesSerializer,
)
from monitoring.choices import AlertStatus, SnapshotTrigger
from monitoring.filtersets import AlertEventFilterSet, AlertRuleFilterSet
from monitoring.metrics import METRIC_BY_PATH, METRIC_PATHS, METRICS
from monitoring.models import AlertEvent, AlertRule
from monitoring.services.history import metric_timeseries, snapshot_history
from monitoring.services.snapshots import build_and_persist_snapshot, build_snapshot, freshness, latest_snapshot

VIEW = "monitoring.view_monitoringsnapshot"
BUILD = "monitoring.build_monitoringsnapshot"
TAGS = ["monitoring"]
TRUE_VALUES = {"true", "1", "yes", "on"}
FALSE_VALUES = {"false", "0", "no", "off", ""}


def _flag(request, name: str) -> bool:
    raw = request.query_params.get(name, "").strip().lower()
    if raw in TRUE_VALUES:
        return True
    if raw in FALSE_VALUES:
        return False
    raise ValidationError({name: [gettext("%(name)s must be true or false, got %(raw)r.") % {
                                      "name": name,
                                      "raw": raw,
                                  }]})


def _snapshot_body(snapshot) -> dict | None:
    return None if snapshot is None else SnapshotSerializer(snapshot).data


class BootstrapView(APIView):
    """Everything a dashboard needs on first load: the latest snapshot, its freshness, the metric catalogue,
    open alerts, what the user may do, and the limits of the other endpoints."""

    required_permissions = {"GET": [VIEW]}

    @extend_schema(responses=BootstrapSerializer, tags=TAGS)
    def get(self, request):
        snapshot = latest_snapshot()
        open_events = AlertEvent.objects.filter(status=AlertStatus.OPEN).select_related("rule").order_by(
            "-opened_at", "-id"
        )
        cap = int(conf.get("MONITORING_LIST_CAP"))
        user = request.user
        body = {
            "freshness": freshness(snapshot),
            "snapshot": _snapshot_body(snapshot),
            "metrics": [metric.as_dict() for metric in METRICS],
            "open_alerts": AlertEventSerializer(open_events[:cap], many=True).data,
            "open_alerts_count": open_events.count(),
            "alert_rules_enabled": AlertRule.objects.filter(enabled=True).count(),
            "permissions": {
                "can_build_snapshot": user.has_perm(BUILD),
                "can_manage_alert_rules": user.has_perms(["monitoring.add_alertrule", "monitoring.change_alertrule"]),
            },
            "config": {
                "slot_minutes": conf.SLOT_MINUTES,
                "schema_version": conf.SCHEMA_VERSION,
                "history_default_limit": int(conf.get("MONITORING_HISTORY_DEFAULT_LIMIT")),
                "history_max_limit": int(conf.get("MONITORING_HISTORY_MAX_LIMIT")),
                "timeseries_max_days": int(conf.get("MONITORING_TIMESERIES_MAX_DAYS")),
                "list_cap": cap,
                "stale_sales_days": int(conf.get("MONITORING_STALE_SALES_DAYS")),
                "drift_ratio": float(conf.get("MONITORING_DRIFT_RATIO")),
                "overstock_factor": float(conf.get("MONITORING_OVERSTOCK_FACTOR")),
            },
            "endpoints": {
                name: request.build_absolute_uri(reverse(f"monitoring-{name}"))
                for name in ("status", "snapshot", "history", "timeseries")
            }
            | {
                "alert_rules": request.build_absolute_uri(reverse("monitoring-alert-rule-list")),
                "alert_events": request.build_absolute_uri(reverse("monitoring-alert-event-list")),
            },
        }
        return Response(body)


class StatusView(APIView):
    """The latest stored snapshot and how fresh it is (`missing` with a null snapshot on an empty database)."""

    required_permissions = {"GET": [VIEW]}

    @extend_schema(responses=StatusSerializer, tags=TAGS)
    def get(self, request):
        snapshot = latest_snapshot()
        return Response({"freshness": freshness(snapshot), "snapshot": _snapshot_body(snapshot)})


class SnapshotView(APIView):
    """Build a snapshot now, from the same service the 15-minute schedule uses.

    GET builds and returns it without storing anything (a GET never writes; `persist=true` on a GET is a 400).
    POST builds it too; with `?persist=true` it is stored as the snapshot of the current slot, alert rules are
    evaluated and 201 is answered. A slot holds one snapshot: if the schedule already stored this slot's, or
    another builder is storing it right now, the answer is 409 naming the slot.
    Needs `monitoring.build_monitoringsnapshot` (admin role).
    """

    required_permissions = {"GET": [BUILD], "POST": [BUILD]}
    persist_parameter = OpenApiParameter(
        "persist", OpenApiTypes.BOOL, description="POST only: store the snapshot as this slot's (default false)."
    )

    @extend_schema(parameters=[persist_parameter], responses=SnapshotBuildSerializer, tags=TAGS)
    def get(self, request):
        if _flag(request, "persist"):
            raise ValidationError({"persist": [gettext("persist=true needs POST; a GET never stores anything.")]})
        return Response(self._built_body())

    @extend_schema(
        request=None,
        parameters=[persist_parameter],
        responses={
            200: SnapshotBuildSerializer,
            201: SnapshotBuildSerializer,
            409: OpenApiResponse(description="This slot already has a snapshot, or another builder holds the lock."),
        },
        tags=TAGS,
    )
    def post(self, request):
        if not _flag(request, "persist"):
            return Response(self._built_body())
        outcome = build_and_persist_snapshot(trigger=SnapshotTrigger.API)
        slot = f"{outcome.slot:%Y-%m-%d %H:%M} UTC"
        if outcome.status == "exists":
            raise Conflict(
                gettext("The slot %(slot)s already has snapshot %(snapshot_id)s; one snapshot per slot. POST "
                        "without persist to see the current state, or wait for the next slot.") % {
                    "slot": slot,
                    "snapshot_id": outcome.snapshot.pk if outcome.snapshot else '?',
                }
            )
        if outcome.status == "locked":
            raise Conflict(gettext("Another builder is storing the snapshot of slot %(slot)s right now; read "
                                   "it from status.") % {"slot": slot})
        snapshot = outcome.snapshot
        body = {
            "persisted": True,
            "status": "created",
            "slot": outcome.slot,
            "snapshot": SnapshotSerializer(snapshot).data,
            "alerts_opened": outcome.alerts_opened,
            "alerts_resolved": outcome.alerts_resolved,
        }
        return Response(body, status=status.HTTP_201_CREATED)

    @staticmethod
    def _built_body() -> dict:
        built = build_snapshot()
        return {
            "persisted": False,
            "status": "built",
            "slot": built.slot,
            "snapshot": {
                "id": None,
                "slot": built.slot,
                "created_at": built.built_at,
                "schema_version": conf.SCHEMA_VERSION,
                "build_seconds": built.build_seconds,
                "query_count": built.query_count,
                "trigger": SnapshotTrigger.API,
                "metrics": built.metrics,
                "payload": built.payload,
            },
            "alerts_opened": [],
            "alerts_resolved": [],
        }


class HistoryView(APIView):
    """The newest stored snapshots (without payloads), newest first; `limit` is bounded (larger → 400)."""

    required_permissions = {"GET": [VIEW]}

    @extend_schema(
        parameters=[OpenApiParameter("limit", OpenApiTypes.INT, description="How many snapshots (default 96).")],
        responses=HistorySerializer,
        tags=TAGS,
    )
    def get(self, request):
        maximum = int(conf.get("MONITORING_HISTORY_MAX_LIMIT"))
        raw = request.query_params.get("limit", "").strip()
        limit = int(conf.get("MONITORING_HISTORY_DEFAULT_LIMIT"))
        if "limit" in request.query_params and not raw:
            raise ValidationError({"limit": [gettext("An empty limit is not a number; leave the parameter "
                                                     "out or give one.")]})
        if raw:
            try:
                limit = int(raw)
            except ValueError:
                raise ValidationError({"limit": [gettext("limit must be a whole number, got %(raw)r.") % {
                                                     "raw": raw,
                                                 }]}) from None
            if not 1 <= limit <= maximum:
                raise ValidationError({"limit": [gettext("limit must be between 1 and %(maximum)s; got "
                                                         "%(limit)s.") % {"maximum": maximum, "limit": limit}]})
        results = snapshot_history(limit)
        return Response(HistorySerializer({"limit": limit, "count": len(results), "results": results}).data)


def _parse_moment(name: str, raw: str, end_of_day: bool) -> datetime:
    """ISO datetime (naive = the server's time zone) or ISO date (its start, or its end for `to`)."""
    try:
        # A bare date first: parse_datetime would read "2025-03-01" as its midnight, losing "end of day" for `to`.
        day = parse_date(raw)
        if day is not None:
            moment = datetime.combine(day + timedelta(days=1) if end_of_day else day, time.min)
            if end_of_day:
                moment -= timedelta(microseconds=1)
        else:
            moment = parse_datetime(raw)
            if moment is None:
                raise ValueError
    except ValueError:
        raise ValidationError(
            {name: [gettext("%(name)s must be an ISO date (2025-03-01) or date-time (2025-03-01T12:00:00Z), "
                            "got %(raw)r.") % {"name": name, "raw": raw}]}
        ) from None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


class TimeseriesView(APIView):
    """Values of catalogued metrics per stored snapshot between `from` and `to` (default: the last 24 hours).

    `metrics` is a comma-separated list of metric paths (see bootstrap → metrics); an unknown one answers 400
    listing the valid ones. `from`/`to` are ISO dates or date-times; the span is bounded (MONITORING_TIMESERIES_
    MAX_DAYS, default 92 days).
    """

    required_permissions = {"GET": [VIEW]}

    @extend_schema(
        parameters=[
            OpenApiParameter("metrics", OpenApiTypes.STR, required=True,
                             description="Comma-separated metric paths, e.g. planning.stockout_risk.count"),
            OpenApiParameter("from", OpenApiTypes.DATETIME, description="Start (ISO date or date-time)."),
            OpenApiParameter("to", OpenApiTypes.DATETIME, description="End (ISO date or date-time; default now)."),
        ],
        responses=TimeseriesSerializer,
        tags=TAGS,
    )
    def get(self, request):
        raw = request.query_params.get("metrics", "")
        paths = list(dict.fromkeys(p.strip() for p in raw.split(",") if p.strip()))
        if not paths:
            raise ValidationError({"metrics": [gettext("metrics is required: comma-separated metric paths.")],
                                   "valid_metrics": list(METRIC_PATHS)})
        unknown = [p for p in paths if p not in METRIC_BY_PATH]
        if unknown:
            raise ValidationError({
                "metrics": [gettext("Unknown metric(s): %(unknown)s. Valid metrics: %(METRIC_PATHS)s.") % {
                                "unknown": ', '.join(unknown),
                                "METRIC_PATHS": ', '.join(METRIC_PATHS),
                            }],
                "valid_metrics": list(METRIC_PATHS),
            })
        to_raw, from_raw = request.query_params.get("to", "").strip(), request.query_params.get("from", "").strip()
        end = _parse_moment("to", to_raw, end_of_day=True) if to_raw else timezone.now()
        start = _parse_moment("from", from_raw, end_of_day=False) if from_raw else end - timedelta(days=1)
        if start > end:
            raise ValidationError({"from": [gettext("from (%(from)s) must not be after to "
                                                    "(%(to)s).") % {
                                                "from": start.isoformat(),
                                                "to": end.isoformat(),
                                            }]})
        max_days = int(conf.get("MONITORING_TIMESERIES_MAX_DAYS"))
        if end - start > timedelta(days=max_days):
            raise ValidationError({"from": [gettext("The span from..to may be at most %(max_days)s days; "
                                                    "narrow it.") % {"max_days": max_days}]})
        series = metric_timeseries(paths, start, end)
        return Response(TimeseriesSerializer({"from_": start, "to": end, **series}).data)


class AlertRuleViewSet(viewsets.ModelViewSet):
    """Alert rules over snapshot metrics; evaluated after every stored snapshot."""

    queryset = AlertRule.objects.order_by("name")
    serializer_class = AlertRuleSerializer
    filterset_class = AlertRuleFilterSet
    search_fields = ["name", "description", "metric"]
    ordering_fields = ["name", "severity", "metric", "created_at", "updated_at"]

    def get_queryset(self):
        open_events = AlertEvent.objects.filter(status=AlertStatus.OPEN).only("id", "rule_id", "status")
        return AlertRule.objects.prefetch_related(Prefetch("events", queryset=open_events)).order_by("name")


class AlertEventViewSet(viewsets.ReadOnlyModelViewSet):
    """Alert episodes (opened on breach, resolved on recovery). Created by the snapshot job only: read-only."""

    queryset = AlertEvent.objects.select_related("rule").order_by("-opened_at", "-id")
    serializer_class = AlertEventSerializer
    filterset_class = AlertEventFilterSet
    search_fields = ["rule__name", "metric", "message"]
    ordering_fields = ["opened_at", "resolved_at", "severity", "id"]
