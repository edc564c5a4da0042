"""Extra lead time of make proposals contributed by upper apps (e.g. shopfloor's embroidery steps).

planning must not import the apps above it, so it owns the contract and they register with it in their
`AppConfig.ready()`: a contributor takes the product ids planning may make and returns, for those that need
extra days, the days and a short reason. The days of several contributors add up (different steps in a row).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class LeadTimeExtra:
    days: int
    reason: str


MakeLeadTimeContributor = Callable[[set[int]], dict[int, LeadTimeExtra]]
_contributors: dict[str, MakeLeadTimeContributor] = {}


def register_make_lead_time_contributor(name: str, contributor: MakeLeadTimeContributor) -> None:
    """Register (or replace, by name: ready() may run twice in tests) a contributor."""
    _contributors[name] = contributor


def extra_make_lead_times(product_ids: Iterable[int]) -> dict[int, list[LeadTimeExtra]]:
    """product id → the extra lead times every contributor adds when the product is made."""
    ids = set(product_ids)
    extras: dict[int, list[LeadTimeExtra]] = {}
    if not ids:
        return extras
    for _name, contributor in sorted(_contributors.items()):
        for product_id, extra in contributor(ids).items():
            if extra.days > 0:
                extras.setdefault(product_id, []).append(extra)
    return extras
