"""What the home screen shows: "what needs me now", each figure with the filtered list behind it.

Reads only, a fixed number of queries whatever the data size (no per-row queries): grouped aggregates and
the latest rows. The figures come straight from the domain tables, so they agree with the lists they link to.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from django.db.models import Count, DecimalField, ExpressionWrapper, F, Max, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from forecasting.choices import RunStatus
from forecasting.models import ModelRun
from integrations.choices import SyncStatus
from integrations.models import IntegrationAccount, SyncRun
from monitoring.models import AlertEvent, MonitoringSnapshot
from planning.choices import BOARD_COLUMNS, ProposalStatus, TaskStatus
from planning.models import OrderProposal, ProductionTask, ReplayRun

# A stream whose last success is older than this is "stale" (daily syncs plus a few hours of slack).
STALE_AFTER = timedelta(hours=26)
ZERO = Decimal("0")


@dataclass(frozen=True)
class StreamHealth:
    account_id: int
    account_name: str
    run_id: int
    stream: str
    stream_label: str
    last_status: str
    last_status_label: str
    last_at: datetime | None
    last_success_at: datetime | None
    error: str

    @property
    def failing(self) -> bool:
        return self.last_status in (SyncStatus.FAILED, SyncStatus.PARTIAL)

    @property
    def stale(self) -> bool:
        return self.last_success_at is None or timezone.now() - self.last_success_at > STALE_AFTER


@dataclass(frozen=True)
class SupplierProposals:
    supplier_id: int | None
    supplier_name: str
    kind: str
    count: int
    value: Decimal


@dataclass
class HomeSummary:
    open_alerts: list[AlertEvent] = field(default_factory=list)
    streams_needing_attention: list[StreamHealth] = field(default_factory=list)
    accounts_total: int = 0
    latest_run: ModelRun | None = None
    proposals_by_supplier: list[SupplierProposals] = field(default_factory=list)
    proposals_waiting: int = 0
    proposals_value: Decimal = ZERO
    proposals_zero: int = 0
    tasks_by_status: list[tuple[str, str, int]] = field(default_factory=list)
    snapshot: MonitoringSnapshot | None = None
    latest_replay: ReplayRun | None = None

    @property
    def latest_replay_headline(self) -> dict | None:
        """The policy at the level nearest 95 % on the model's forecast: what the planner compares first."""
        run = self.latest_replay
        policy = [c for c in (run.contenders if run else []) if c["rule"] == "policy" and c["forecast"] == "model"]
        if not policy:
            return None
        return min(policy, key=lambda c: abs(float(c["service_level"]) - 0.95))

    @property
    def latest_run_age(self) -> timedelta | None:
        run = self.latest_run
        when = run and (run.finished_at or run.created_at)
        return timezone.now() - when if when else None

    @property
    def latest_run_wape(self) -> float | None:
        run = self.latest_run
        if run is None:
            return None
        value = ((run.metrics or {}).get("models") or {}).get("lightgbm", {}).get("wape")
        return value if isinstance(value, (int, float)) else None

    @property
    def latest_run_fallbacks(self) -> int | None:
        """Series not forecast by the model (a baseline, cold start or zero, with the reason recorded per series)."""
        run = self.latest_run
        if run is None:
            return None
        counts = run.method_counts or {}
        if not counts:
            return None  # a run from before per-series methods were recorded
        return sum(n for label, n in counts.items() if "/" in label)  # "method/reason": the model was not used

    @property
    def stockout_risk(self) -> int | None:
        if self.snapshot is None:
            return None
        return (self.snapshot.metrics or {}).get("planning.stockout_risk.count")

    @property
    def items_evaluated(self) -> int | None:
        if self.snapshot is None:
            return None
        return (self.snapshot.metrics or {}).get("planning.items_evaluated")


def stream_health() -> tuple[list[StreamHealth], int]:
    """The latest run and last success of every enabled account's streams (three queries)."""
    accounts = {a.pk: a.name for a in IntegrationAccount.objects.filter(enabled=True).only("pk", "name")}
    if not accounts:
        return [], 0
    latest_ids = (
        SyncRun.objects.filter(account_id__in=accounts).values("account_id", "stream").annotate(last=Max("id"))
    )
    latest = SyncRun.objects.filter(pk__in=[row["last"] for row in latest_ids]).only(
        "id", "account_id", "stream", "status", "created_at", "finished_at", "error"
    )
    successes = {
        (row["account_id"], row["stream"]): row["at"]
        for row in SyncRun.objects.filter(account_id__in=accounts, status=SyncStatus.SUCCEEDED)
        .values("account_id", "stream")
        .annotate(at=Max("finished_at"))
    }
    rows = [
        StreamHealth(
            account_id=run.account_id, account_name=accounts[run.account_id], run_id=run.pk, stream=run.stream,
            stream_label=run.get_stream_display(), last_status=run.status, last_status_label=run.get_status_display(),
            last_at=run.finished_at or run.created_at, last_success_at=successes.get((run.account_id, run.stream)),
            error=(run.error or "").splitlines()[0][:200] if run.error else "",
        )
        for run in latest
    ]
    rows.sort(key=lambda r: (r.account_name, r.stream))
    return rows, len(accounts)


def home_summary() -> HomeSummary:
    """Everything the home screen shows, in a fixed number of queries."""
    summary = HomeSummary()
    summary.open_alerts = list(
        AlertEvent.objects.filter(resolved_at__isnull=True).select_related("rule").order_by("-opened_at")[:10]
    )
    streams, summary.accounts_total = stream_health()
    summary.streams_needing_attention = [s for s in streams if s.failing or s.stale]
    summary.latest_run = (
        ModelRun.objects.filter(status=RunStatus.SUCCEEDED).order_by("-finished_at", "-id")
        .defer("feature_importance", "parameters", "features").first()
    )
    value = ExpressionWrapper(
        F("quantity") * Coalesce("product__list_price", ZERO),
        output_field=DecimalField(max_digits=20, decimal_places=2),
    )
    waiting = OrderProposal.objects.filter(status=ProposalStatus.PROPOSED)
    groups = (
        waiting.filter(quantity__gt=0).values("supplier_id", "supplier__name", "kind")
        .annotate(count=Count("id"), value=Sum(value)).order_by("kind", "supplier__name")
    )
    summary.proposals_by_supplier = [
        SupplierProposals(g["supplier_id"], g["supplier__name"] or "", g["kind"], g["count"], g["value"] or ZERO)
        for g in groups
    ]
    summary.proposals_waiting = sum(g.count for g in summary.proposals_by_supplier)
    summary.proposals_value = sum((g.value for g in summary.proposals_by_supplier), ZERO)
    summary.proposals_zero = waiting.filter(quantity__lte=0).count()
    counts = dict(ProductionTask.objects.values_list("status").annotate(n=Count("id")).order_by())
    summary.tasks_by_status = [(s, TaskStatus(s).label, counts.get(s, 0)) for s in BOARD_COLUMNS]
    summary.snapshot = MonitoringSnapshot.objects.defer("payload").order_by("-slot").first()
    summary.latest_replay = ReplayRun.objects.order_by("-created_at", "-id").first()
    return summary
