"""A location's effective time zone: its own, else the nearest ancestor's, else settings.TIME_ZONE.

The materialised path names every ancestor, so the zones of any number of locations are resolved with at most
one query (the ancestors' non-blank zones), never one per level or per location.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.db.models import CharField, ExpressionWrapper, F, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.db.models.lookups import StartsWith

from branches.models import Location


def _chain(location: Location) -> list[int]:
    """Ids from the location itself up to its root (nearest first)."""
    ids = [int(p) for p in location.tree_path.strip("/").split("/") if p]
    if location.pk is not None and (not ids or ids[-1] != location.pk):
        ids.append(location.pk)
    return list(reversed(ids))


def effective_time_zones(locations: Iterable[Location]) -> dict[int, str]:
    """``{location id: zone name}`` for saved locations: own zone, nearest ancestor's, else the site's.

    One query at most (none when every location names its own zone); a location's own unsaved ``time_zone``
    counts, so a form can preview the result.
    """
    locations = [loc for loc in locations if loc.pk is not None]
    known: dict[int, str] = {loc.pk: loc.time_zone for loc in locations}
    wanted = {pk for loc in locations if not loc.time_zone for pk in _chain(loc)[1:] if pk not in known}
    if wanted:
        known.update(Location.objects.filter(pk__in=wanted).exclude(time_zone="").values_list("pk", "time_zone"))
    result: dict[int, str] = {}
    for loc in locations:
        result[loc.pk] = next((known[pk] for pk in _chain(loc) if known.get(pk)), settings.TIME_ZONE)
    return result


def effective_time_zone(location: Location | None) -> str:
    """The zone times of ``location`` are shown in (settings.TIME_ZONE for none or an unsaved one)."""
    if location is None or location.pk is None:
        return (location.time_zone if location is not None else "") or settings.TIME_ZONE
    return effective_time_zones([location])[location.pk]


def with_effective_time_zone(queryset: QuerySet[Location]) -> QuerySet[Location]:
    """Annotate ``effective_time_zone`` on every row in the same query (a correlated subquery per row).

    The nearest node on the row's own path (itself or an ancestor) that names a zone wins: its path is a
    prefix of the row's path and it is the deepest such node.
    """
    nearest = (
        Location.objects.exclude(time_zone="")
        .filter(StartsWith(ExpressionWrapper(OuterRef("tree_path"), output_field=CharField()), F("tree_path")))
        .order_by("-depth")
        .values("time_zone")[:1]
    )
    return queryset.annotate(effective_time_zone=Coalesce(Subquery(nearest), Value(settings.TIME_ZONE)))
