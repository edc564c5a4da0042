"""Materialised-path maintenance for the location tree."""

from django.core.exceptions import ValidationError
from django.db import NotSupportedError, connection, transaction
from django.utils.translation import gettext

from branches.models import Location, subtree_q


def check_parent(location: Location) -> None:
    """Refuse (ValidationError on ``parent``) a parent that is the node itself or one of its descendants."""
    if location.parent_id is None or location.pk is None:
        return
    if location.parent_id == location.pk:
        raise ValidationError({"parent": [gettext("%(location)s cannot be its own parent.") % {
                                              "location": location,
                                          }]})
    parent_path = Location.objects.filter(pk=location.parent_id).values_list("tree_path", flat=True).first() or ""
    if f"/{location.pk}/" in parent_path:
        parent = Location.objects.get(pk=location.parent_id)
        raise ValidationError({"parent": [gettext("%(location)s cannot be placed below its own descendant "
                                                  "%(parent)s.") % {"location": location, "parent": parent}]})


def allocate_location_ids(count: int) -> list[int]:
    """Primary keys for new locations before inserting them, so a path (which contains the id) is written with
    the row: one write per new node, for a single save and a 50,000-node feed alike.

    PostgreSQL: the id column's own sequence. SQLite: past the highest id ever used; safe because every
    transaction takes SQLite's write lock at BEGIN (IMMEDIATE, see settings), and sqlite_sequence keeps
    AUTOINCREMENT's "never reuse" promise for deleted rows. Call it inside the transaction that inserts.
    """
    if count == 0:
        return []
    table = Location._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, count]
            )
            return [row[0] for row in cursor.fetchall()]
        if connection.vendor == "sqlite":
            cursor.execute(
                f'SELECT MAX(COALESCE((SELECT seq FROM sqlite_sequence WHERE name = %s), 0), '  # noqa: S608
                f'COALESCE((SELECT MAX(id) FROM "{table}"), 0))',
                [table],
            )
            start = cursor.fetchone()[0] + 1
            return list(range(start, start + count))
    raise NotSupportedError(f"locations need PostgreSQL or SQLite to allocate ids, not {connection.vendor}")


def path_for(location: Location) -> tuple[str, int]:
    """The node's materialised path and depth under its current parent (the node needs its id)."""
    if location.parent_id is None:
        return f"/{location.pk}/", 0
    parent_path, parent_depth = Location.objects.filter(pk=location.parent_id).values_list(
        "tree_path", "depth").get()
    return f"{parent_path}{location.pk}/", parent_depth + 1


def move_subtree(location: Location, old_path: str) -> None:
    """A node moved from ``old_path`` to its current path: rewrite its descendants' paths (one query per node)."""
    path = location.tree_path
    for child in Location.objects.filter(subtree_q(old_path)).exclude(pk=location.pk).only("pk", "tree_path"):
        new_child_path = path + child.tree_path[len(old_path):]
        Location.objects.filter(pk=child.pk).update(tree_path=new_child_path,
                                                    depth=new_child_path.strip("/").count("/"))


def refresh_tree_paths(location: Location) -> None:
    """Recompute this node's path and, if it moved, its subtree's (for rows written without save())."""
    check_parent(location)
    path, depth = path_for(location)
    old_path = location.tree_path
    if path == old_path and depth == location.depth:
        return
    with transaction.atomic():
        Location.objects.filter(pk=location.pk).update(tree_path=path, depth=depth)
        location.tree_path, location.depth = path, depth
        if old_path:
            move_subtree(location, old_path)


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
