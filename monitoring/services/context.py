"""What every section of a snapshot computes against: one clock, one business day, one set of thresholds."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.utils import timezone

from monitoring import conf


@dataclass(frozen=True)
class BuildContext:
    now: datetime
    today: date
    list_cap: int
    stale_sales_days: int
    drift_ratio: float
    overstock_factor: float
    config: dict = field(default_factory=dict)

    @classmethod
    def create(cls, now: datetime | None = None) -> BuildContext:
        now = now or timezone.now()
        values = {
            "list_cap": int(conf.get("MONITORING_LIST_CAP")),
            "stale_sales_days": int(conf.get("MONITORING_STALE_SALES_DAYS")),
            "drift_ratio": float(conf.get("MONITORING_DRIFT_RATIO")),
            "overstock_factor": float(conf.get("MONITORING_OVERSTOCK_FACTOR")),
        }
        return cls(now=now, today=timezone.localdate(now), config=dict(values), **values)

    def age_seconds(self, moment: datetime | None) -> float | None:
        return None if moment is None else round((self.now - moment).total_seconds(), 3)


def iso(value: date | datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def number(value: Decimal | float | int | None, digits: int = 3) -> float | None:
    """JSON-safe number: Decimals become floats, rounded so payloads stay small and stable."""
    if value is None:
        return None
    return round(float(value), digits)
