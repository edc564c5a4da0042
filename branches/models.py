"""The one location tree: every org unit from every source, manual entries included.

Every table that means "where" (sales, stock, forecasts, proposals) points at Location. The tree is kept
as a materialised path (`tree_path` = "/<id>/<id>/…/") so ancestors and descendants are one query each.
"""

from django.db import models, transaction
from django.db.models import Q

from branches.choices import LocationType
from core.time_zones import validate_time_zone


def subtree_q(location: "Location | str", via: str = "") -> Q:
    """Rows in the subtree of ``location`` (itself included): the one subtree filter every app uses.

    ``location`` is a Location or its ``tree_path``; ``via`` is the path from the filtered model to its location
    ("location", "order__location"; empty when filtering locations themselves). A location without a path
    (not saved yet) has no subtree: nothing matches.
    """
    path = location if isinstance(location, str) else location.tree_path
    prefix = f"{via}__" if via else ""
    if not path:
        return Q(**{f"{prefix}pk__in": []})
    return Q(**{f"{prefix}tree_path__startswith": path})


# What the org feed copies from the source system onto a Location (model field names, in the feed's order): the
# sync writes them, and on a synced row the admin and the API refuse to change them. The one list; org_sync,
# the serializer and the admin derive theirs from it.
SYNCED_FIELDS: tuple[str, ...] = (
    "parent", "code", "code_tco", "name", "type", "taxpayer_id_number", "branch", "is_active",
)


class LocationQuerySet(models.QuerySet):
    def active(self) -> "LocationQuerySet":
        return self.filter(is_active=True)

    def subtree(self, location: "Location | str") -> "LocationQuerySet":
        """The location and everything below it."""
        return self.filter(subtree_q(location))

    def descendants_of(self, location: "Location", include_self: bool = False) -> "LocationQuerySet":
        qs = self.subtree(location)
        return qs if include_self else qs.exclude(pk=location.pk)

    def ancestors_of(self, location: "Location", include_self: bool = False) -> "LocationQuerySet":
        ids = location.ancestor_ids + ([location.pk] if include_self else [])
        return self.filter(pk__in=ids)


class Location(models.Model):
    source = models.ForeignKey(
        "integrations.IntegrationAccount",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="locations",
        help_text="The integration account this node comes from; empty for manual entries.",
    )
    external_id = models.CharField(
        max_length=100, null=True, blank=True, help_text="Id in the source system (1C id, iiko UUID…)."
    )
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    code = models.CharField(max_length=64, blank=True, default="", db_index=True)
    code_tco = models.CharField(
        max_length=64, blank=True, default="", db_index=True, help_text="iiko code that links to a 1C branch code."
    )
    name = models.CharField(max_length=255)
    type = models.CharField(max_length=20, choices=LocationType.choices, default=LocationType.BRANCH)
    taxpayer_id_number = models.CharField(max_length=20, blank=True, default="", db_index=True)
    branch = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="linked_departments",
        help_text="For iiko departments: the 1C branch whose code equals this department's code_tco.",
    )
    is_active = models.BooleanField(default=True, db_index=True)
    # Not in any feed (iiko, 1C, Sentos, Wildberries, MoySklad carry no zone per node): set here, never synced.
    # db_default too: the org sync's bulk upsert inserts rows without naming this column.
    time_zone = models.CharField(
        max_length=64, blank=True, default="", db_default="", validators=[validate_time_zone],
        help_text="IANA name, e.g. Asia/Almaty or Europe/Istanbul; empty: the parent location's, else the site's.",
    )
    tree_path = models.CharField(max_length=2000, blank=True, default="", db_index=True, editable=False)
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    synced_at = models.DateTimeField(null=True, blank=True)

    objects = LocationQuerySet.as_manager()

    class Meta:
        ordering = ["tree_path", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "external_id"],
                condition=Q(source__isnull=False),
                name="location_unique_source_external_id",
            ),
            models.UniqueConstraint(
                fields=["external_id"],
                condition=Q(source__isnull=True) & Q(external_id__isnull=False),
                name="location_unique_manual_external_id",
            ),
        ]
        indexes = [models.Index(fields=["source", "type"], name="location_source_type_idx")]

    def __str__(self) -> str:
        return f"{self.name} [{self.code}]" if self.code else self.name

    def save(self, *args, **kwargs) -> None:
        """Keeps tree_path/depth right for single saves (admin, API); bulk syncs compute them in bulk.

        A parent that would make a cycle is refused before anything is written. Every save is one write: a new
        node gets its id allocated first (its path contains it) and is inserted with its path; an existing node
        is written with its path (its subtree follows if it moved).
        """
        from branches.services.tree import allocate_location_ids, check_parent, move_subtree, path_for

        check_parent(self)
        with transaction.atomic():
            if self._state.adding and self.pk is None:
                (self.pk,) = allocate_location_ids(1)
                self.tree_path, self.depth = path_for(self)
                kwargs["force_insert"] = True  # the id is new: no UPDATE attempt before the INSERT
                super().save(*args, **kwargs)
                return
            old_path = Location.objects.filter(pk=self.pk).values_list("tree_path", flat=True).first() or ""
            self.tree_path, self.depth = path_for(self)
            update_fields = kwargs.get("update_fields")
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "tree_path", "depth"}
            super().save(*args, **kwargs)
            if old_path and old_path != self.tree_path:
                move_subtree(self, old_path)

    def clean(self) -> None:
        super().clean()
        from branches.services.tree import check_parent

        check_parent(self)

    @property
    def ancestor_ids(self) -> list[int]:
        ids = [int(p) for p in self.tree_path.strip("/").split("/") if p]
        return [i for i in ids if i != self.pk]


class BranchLocation(Location):
    """Admin screen "Branches": 1C branches and branch groups (same rows as Location)."""

    class Meta:
        proxy = True
        verbose_name = "branch"
        verbose_name_plural = "branches"


class DepartmentLocation(Location):
    """Admin screen "Departments": iiko departments, stores, legal entities and every other non-branch node."""

    class Meta:
        proxy = True
        verbose_name = "department"
        verbose_name_plural = "departments"
