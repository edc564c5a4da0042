"""How fresh the demand history is per location, read without aggregating the whole daily-sales table.

`MAX(date) … GROUP BY location` reads every daily-sale row (a million rows: some 200 ms on PostgreSQL, and the
planning-health screen asks on every cache miss). Locations that sold recently are found instead in the last
days only, through the date index; the few that did not (stale or silent stores, exactly the ones a health
screen warns about) are asked one location range at a time through the (location, product, date) index.
The answer is the same as the full aggregate's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import Max

from sales.models import DailySale

RECENT_DAYS = 7


def last_sale_day_by_location(location_ids: Iterable[int]) -> dict[int, dt.date]:
    """Newest daily-sale date of each given location that has any (locations without sales are absent)."""
    wanted = set(location_ids)
    if not wanted:
        return {}
    newest = DailySale.objects.aggregate(m=Max("date"))["m"]
    if newest is None:
        return {}
    recent = (
        DailySale.objects.filter(date__gt=newest - dt.timedelta(days=RECENT_DAYS))
        .order_by()
        .values("location_id")
        .annotate(m=Max("date"))
        .values_list("location_id", "m")
    )
    found = {location_id: day for location_id, day in recent if location_id in wanted}
    rest = sorted(wanted - set(found))
    for start in range(0, len(rest), 500):
        older = (
            DailySale.objects.filter(location_id__in=rest[start : start + 500])
            .order_by()
            .values("location_id")
            .annotate(m=Max("date"))
            .values_list("location_id", "m")
        )
        found.update(older)
    return found
