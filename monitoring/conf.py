"""Monitoring's tunables, read from Django settings with defaults so a deployment can change them.

Each may be set in the environment-driven settings module (e.g. `MONITORING_STALE_SALES_DAYS = 3`); none is
required. They are read at call time, so tests can override them with `settings` fixtures.
"""

from django.conf import settings

# Snapshots belong to 15-minute slots (00, 15, 30, 45 past the hour, UTC); one snapshot per slot.
SLOT_MINUTES = 15
# Bump when the payload's shape changes incompatibly; stored on every snapshot.
SCHEMA_VERSION = 1

DEFAULTS: dict[str, object] = {
    # A location whose last sales day is older than this many days (before today) is stale.
    "MONITORING_STALE_SALES_DAYS": 2,
    # The last sales day is looked up among the sales of this many recent days (an indexed range); locations
    # without sales in it get their older last day looked up one by one (they are stale anyway).
    "MONITORING_SALES_LOOKBACK_DAYS": 14,
    # Longest id list kept behind one count in a snapshot ("explain this number"); the count is always exact.
    "MONITORING_LIST_CAP": 50,
    # Forecast drift: rolling accuracy WAPE above backtest WAPE × this ratio is reported as drifting.
    "MONITORING_DRIFT_RATIO": 1.25,
    # Overstock: on hand above Σ p50 over the rest of the latest forecast's horizon × this factor.
    "MONITORING_OVERSTOCK_FACTOR": 1.0,
    # Persisted snapshots older than this are deleted by the scheduled job (0 = keep forever).
    "MONITORING_RETENTION_DAYS": 90,
    # Upper bound of history?limit= (larger answers 400) and its default.
    "MONITORING_HISTORY_MAX_LIMIT": 1000,
    "MONITORING_HISTORY_DEFAULT_LIMIT": 96,
    # Longest from..to span of a timeseries request, in days (≈ 8,800 points at one snapshot per slot).
    "MONITORING_TIMESERIES_MAX_DAYS": 92,
}


def get(name: str):
    """The setting's value, or its documented default."""
    return getattr(settings, name, DEFAULTS[name])
