"""Forecast scopes as units of work: configure them, and start runs on them without two overlapping at once.

A configured scope (``forecasting.models.ForecastScope``, not to be confused with the filter value object of
``forecasting.services.scope``) is a location subtree × a product-category subtree. Two scopes overlap when
both their location subtrees and their category subtrees intersect (one root is the other's ancestor, or
either is "all"). "Everything" (a run without a scope, the default) overlaps every scope.

Rules, enforced here for the admin, the API, the commands and the nightly fan-out alike:

* two *active* scopes never overlap, so the nightly job splits the company into disjoint units;
* at most one queued or running run per scope (a partial unique index, see ``ModelRun.Meta``), and no run
  starts while a run on an overlapping scope is active (checked under a lock: the database cannot index
  "overlaps").
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, connections, router, transaction
from django.utils.translation import gettext, ngettext

from branches.models import Location
from core.errors import Conflict
from core.jobs import ACTIVE_STATUSES, fail_if_stale
from forecasting.models import ForecastScope as ScopeUnit
from forecasting.models import ModelRun
from forecasting.services.errors import InvalidParameter, RunInProgress
from forecasting.services.scope import ForecastScope
from sales.models import ProductCategory

EVERYTHING = "everything"
# pg_advisory_xact_lock key of "a forecast run is being claimed" (any constant unique in this database).
CLAIM_LOCK_KEY = 7_301_017


# -- trees -----------------------------------------------------------------------------------------------


class ScopeTrees:
    """Location paths and the category tree, each read once per check and only when a scope needs it."""

    def __init__(self, location_ids: Iterable[int]) -> None:
        self._location_ids = set(location_ids)
        self._paths: dict[int, str] | None = None
        self._parents: dict[int, int | None] | None = None

    @classmethod
    def load(cls, scopes: Iterable[ScopeUnit | None]) -> ScopeTrees:
        return cls(s.location_id for s in scopes if s is not None and s.location_id)

    @property
    def paths(self) -> dict[int, str]:
        if self._paths is None:
            self._paths = dict(Location.objects.filter(pk__in=self._location_ids).values_list("pk", "tree_path"))
        return self._paths

    @property
    def parents(self) -> dict[int, int | None]:
        if self._parents is None:
            self._parents = dict(ProductCategory.objects.values_list("pk", "parent_id"))
        return self._parents

    def category_chain(self, pk: int) -> list[int]:
        """The category and its ancestors, nearest first."""
        chain: list[int] = []
        while pk is not None and pk not in chain:
            chain.append(pk)
            pk = self.parents.get(pk)
        return chain

    def location_depth(self, pk: int | None) -> int:
        return -1 if pk is None else self.paths.get(pk, "").count("/")

    def category_depth(self, pk: int | None) -> int:
        return -1 if pk is None else len(self.category_chain(pk))


def _locations_intersect(a: int | None, b: int | None, trees: ScopeTrees) -> bool:
    if a is None or b is None or a == b:
        return True
    pa, pb = trees.paths.get(a, ""), trees.paths.get(b, "")
    return bool(pa and pb) and (pa.startswith(pb) or pb.startswith(pa))


def _categories_intersect(a: int | None, b: int | None, trees: ScopeTrees) -> bool:
    if a is None or b is None or a == b:
        return True
    return a in trees.category_chain(b) or b in trees.category_chain(a)


def scopes_overlap(a: ScopeUnit | None, b: ScopeUnit | None, trees: ScopeTrees | None = None) -> bool:
    """True when some location × product belongs to both (None = everything, which overlaps all)."""
    if a is None or b is None:
        return True
    trees = trees or ScopeTrees.load([a, b])
    return _locations_intersect(a.location_id, b.location_id, trees) and _categories_intersect(
        a.category_id, b.category_id, trees
    )


def specificity(scope: ScopeUnit | None, trees: ScopeTrees) -> tuple[int, int]:
    """Deeper roots are more specific; "everything" is the least specific of all."""
    if scope is None:
        return (-2, -2)
    return (trees.location_depth(scope.location_id), trees.category_depth(scope.category_id))


def filters_of(scope: ScopeUnit | None) -> ForecastScope:
    """The history filters a run on ``scope`` reads with (the subtree roots; empty = everything)."""
    if scope is None:
        return ForecastScope()
    return ForecastScope(
        locations=(scope.location_id,) if scope.location_id else (),
        categories=(scope.category_id,) if scope.category_id else (),
    )


def label(scope: ScopeUnit | None) -> str:
    if scope is not None:
        return gettext("scope %(name)r") % {"name": scope.name}
    return gettext("scope %(name)r (no scope)") % {"name": EVERYTHING}


# -- configuration ---------------------------------------------------------------------------------------


def _get(model, value: Any, field: str):
    if value is None or value == "":
        return None
    if isinstance(value, model):
        return value
    try:
        return model.objects.get(pk=int(value))
    except (ValueError, TypeError, model.DoesNotExist):
        raise InvalidParameter(gettext("%(field)s: no %(model)s with id %(value)r") % {
            "field": field, "model": model._meta.verbose_name, "value": value
        }, field=field) from None


def validate_scope(
    *,
    name: str,
    location: Location | int | None = None,
    category: ProductCategory | int | None = None,
    active: bool = True,
    instance: ScopeUnit | None = None,
) -> tuple[str, Location | None, ProductCategory | None]:
    """The checks of :func:`save_scope` (the admin form shows them on its fields); returns the cleaned values.

    Refuses (400 naming the field) a duplicate name, an unrestricted scope, or an active scope overlapping
    another active one (the nightly job must be able to run active scopes side by side).
    """
    name = (name or "").strip()
    if not name:
        raise InvalidParameter(gettext("name: give the scope a name"), field="name")
    if name.lower() == EVERYTHING:
        raise InvalidParameter(gettext("name: %(name)r is the name of runs without a scope") % {"name": EVERYTHING},
                               field="name")
    clash = ScopeUnit.objects.filter(name=name).exclude(pk=getattr(instance, "pk", None)).first()
    if clash is not None:
        message = gettext("name: scope #%(id)s is already called %(name)r") % {"id": clash.pk, "name": name}
        raise InvalidParameter(message, field="name")
    location = _get(Location, location, "location")
    category = _get(ProductCategory, category, "category")
    if location is None and category is None:
        raise InvalidParameter(
            gettext("location: a scope needs a location or a category root; runs without a scope already cover "
                    "everything"),
            field="location",
        )
    if active:
        candidate = ScopeUnit(pk=getattr(instance, "pk", None), name=name, location=location, category=category)
        others = list(ScopeUnit.objects.filter(active=True).exclude(pk=candidate.pk))
        trees = ScopeTrees.load([candidate, *others])
        for other in others:
            if scopes_overlap(candidate, other, trees):
                field = "location" if location is not None else "category"
                raise InvalidParameter(
                    gettext("%(field)s: overlaps active scope %(name)r (#%(id)s); active scopes must be disjoint "
                            "so the nightly job can run them side by side — narrow one or deactivate it") % {
                        "field": field, "name": other.name, "id": other.pk,
                    },
                    field=field,
                )
    return name, location, category


def save_scope(
    *,
    name: str,
    location: Location | int | None = None,
    category: ProductCategory | int | None = None,
    active: bool = True,
    note: str = "",
    instance: ScopeUnit | None = None,
) -> ScopeUnit:
    """Create or update a scope after :func:`validate_scope`, under the claim lock (two edits at once cannot
    both pass the overlap check)."""
    alias = router.db_for_write(ScopeUnit)
    with transaction.atomic(using=alias):
        _lock_claims(alias)
        name, location, category = validate_scope(
            name=name, location=location, category=category, active=active, instance=instance
        )
        scope = instance or ScopeUnit()
        scope.name, scope.location, scope.category, scope.active, scope.note = name, location, category, active, note
        scope.save()
    return scope


def delete_scope(scope: ScopeUnit) -> None:
    """Delete a scope that never ran; one with runs keeps its history and can only be deactivated (409)."""
    count = scope.runs.count()
    if count:
        raise Conflict(
            ngettext(
                "scope %(name)r has %(count)s run; deactivate it instead of deleting (its runs stay on record)",
                "scope %(name)r has %(count)s runs; deactivate it instead of deleting (its runs stay on record)",
                count,
            ) % {"name": scope.name, "count": count},
            code="scope_has_runs",
        )
    scope.delete()


def resolve_scope_unit(value: Any, *, field: str = "forecast_scope") -> ScopeUnit | None:
    """A scope by id or name (None / '' / 'everything' = no scope); 400 naming ``field`` when unknown."""
    if value is None or value == "" or isinstance(value, ScopeUnit):
        return value or None
    text = str(value).strip()
    if text.lower() == EVERYTHING:
        return None
    scope = ScopeUnit.objects.filter(name=text).first()
    if scope is None and text.isdigit():
        scope = ScopeUnit.objects.filter(pk=int(text)).first()
    if scope is None:
        raise InvalidParameter(gettext("%(field)s: no forecast scope with name or id %(value)r") % {
            "field": field, "value": text
        }, field=field)
    return scope


# -- claiming a run --------------------------------------------------------------------------------------


def _lock_claims(alias: str) -> None:
    """Serialise claims (and scope edits) for the rest of the transaction.

    PostgreSQL: a transaction-level advisory lock, so two workers claiming overlapping scopes check one after
    the other. SQLite has one writer at a time and nothing to do.
    """
    connection = connections[alias]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CLAIM_LOCK_KEY])


def conflicting_run(scope: ScopeUnit | None) -> ModelRun | None:
    """The active run whose scope overlaps ``scope`` (stale ones are failed on the way), or None."""
    active = list(ModelRun.objects.filter(status__in=ACTIVE_STATUSES).select_related("forecast_scope"))
    live = [run for run in active if not fail_if_stale(run)]
    if not live:
        return None
    trees = ScopeTrees.load([scope, *(run.forecast_scope for run in live)])
    for run in sorted(live, key=lambda r: r.pk):
        if scopes_overlap(scope, run.forecast_scope, trees):
            return run
    return None


def refusal(scope: ScopeUnit | None, busy: ModelRun) -> RunInProgress:
    """The 409 naming the conflicting run and its scope."""
    same = busy.forecast_scope_id == getattr(scope, "pk", None)
    where = label(busy.forecast_scope) if same else gettext("%(busy)s, which overlaps %(scope)s") % {
        "busy": label(busy.forecast_scope), "scope": label(scope),
    }
    error = RunInProgress(
        gettext("run #%(id)s is %(status)s (stage %(stage)s) on %(where)s; wait for it to finish before starting "
                "another") % {
            "id": busy.pk, "status": busy.status, "stage": busy.stage or gettext("waiting for a worker"),
            "where": where,
        },
        run_id=busy.pk,
    )
    error.extra["scope"] = busy.forecast_scope.name if busy.forecast_scope else EVERYTHING
    return error


def claim_run(unit: ScopeUnit | None, /, **fields: Any) -> ModelRun:
    """Create a run on forecast scope ``unit`` unless an active run on an overlapping scope exists (then 409
    naming it). ``fields`` are the run's other columns.

    The overlap check and the insert happen under one lock; the partial unique index catches what slips past
    it (a writer that did not take the lock), which is answered with the same 409.
    """
    alias = router.db_for_write(ModelRun)
    try:
        with transaction.atomic(using=alias):
            _lock_claims(alias)
            busy = conflicting_run(unit)
            if busy is not None:
                raise refusal(unit, busy)
            return ModelRun.objects.create(forecast_scope=unit, **fields)
    except IntegrityError:
        busy = conflicting_run(unit)
        if busy is None:
            raise
        raise refusal(unit, busy) from None


__all__ = [
    "EVERYTHING",
    "ScopeTrees",
    "claim_run",
    "conflicting_run",
    "delete_scope",
    "filters_of",
    "resolve_scope_unit",
    "save_scope",
    "validate_scope",
    "scopes_overlap",
    "specificity",
]
