"""Materialised-path maintenance for the location tree."""

from django.core.exceptions import ValidationError
from django.db import transaction

from branches.models import Location


def _expected_path(location: Location) -> tuple[str, int]:
    parent = location.parent
    if parent is None:
        return f"/{location.pk}/", 0
    return f"{parent.tree_path}{location.pk}/", parent.depth + 1


def refresh_tree_paths(location: Location) -> None:
    """Recompute this node's path and, if it moved, its subtree's (two queries per level of change)."""
    if location.parent_id is not None:
        parent = Location.objects.only("tree_path", "depth").get(pk=location.parent_id)
        if f"/{location.pk}/" in parent.tree_path:
            raise ValidationError({"parent": [f"{location} cannot be placed below its own descendant {parent}."]})
        location.parent = parent
    path, depth = _expected_path(location)
    old_path = location.tree_path
    if path == old_path and depth == location.depth:
        return
    with transaction.atomic():
        Location.objects.filter(pk=location.pk).update(tree_path=path, depth=depth)
        location.tree_path, location.depth = path, depth
        if old_path:
            for child in Location.objects.filter(tree_path__startswith=old_path).exclude(pk=location.pk):
                new_child_path = path + child.tree_path[len(old_path):]
                Location.objects.filter(pk=child.pk).update(
                    tree_path=new_child_path, depth=new_child_path.strip("/").count("/")
                )


TREE_FIELDS = ("id", "name", "code", "type", "is_active", "source_id", "parent_id", "depth")


def build_tree(queryset) -> list[dict]:
    """Nested dicts from one query: nodes whose parent is not in the queryset become the roots."""
    rows = list(queryset.order_by("depth", "name", "id").values(*TREE_FIELDS))
    by_id = {}
    for row in rows:
        row["source"] = row.pop("source_id")
        row["children"] = []
        by_id[row["id"]] = row
    roots = []
    for row in rows:
        parent = by_id.get(row.pop("parent_id"))
        (parent["children"] if parent is not None else roots).append(row)
    return roots
