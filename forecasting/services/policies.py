"""Per-location forecasting policy: what a day without a sales row means (zero demand or unknown)."""

from __future__ import annotations

from collections.abc import Iterable

from branches.models import Location
from forecasting.choices import MissingDayPolicy
from forecasting.models import LocationForecastPolicy

DEFAULT_MISSING_DAY_POLICY = MissingDayPolicy.ZERO.value


def missing_day_policies(location_ids: Iterable[int]) -> dict[int, str]:
    """Policy of each location: its own row, else the nearest ancestor's, else ``zero``.

    Two queries whatever the number of locations (policies are few; paths come from ``tree_path``).
    """
    ids = sorted(set(location_ids))
    if not ids:
        return {}
    explicit = dict(LocationForecastPolicy.objects.values_list("location_id", "missing_day_policy"))
    if not explicit:
        return dict.fromkeys(ids, DEFAULT_MISSING_DAY_POLICY)
    out: dict[int, str] = {}
    for pk, path in Location.objects.filter(pk__in=ids).values_list("pk", "tree_path"):
        chain = [int(p) for p in path.strip("/").split("/") if p] or [pk]
        if chain[-1] != pk:
            chain.append(pk)
        out[pk] = next((explicit[a] for a in reversed(chain) if a in explicit), DEFAULT_MISSING_DAY_POLICY)
    return out
