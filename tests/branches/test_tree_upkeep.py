"""The tree's path upkeep: cycles refused before saving, one write per save, one subtree filter."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from branches.models import Location, subtree_q

pytestmark = pytest.mark.django_db


def _updates_of_locations(queries) -> list[str]:
    return [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith("UPDATE")
            and Location._meta.db_table in q["sql"]]


@pytest.fixture
def chain():
    root = Location.objects.create(name="root", code="R")
    middle = Location.objects.create(name="middle", code="M", parent=root)
    leaf = Location.objects.create(name="leaf", code="L", parent=middle)
    return root, middle, leaf


def test_new_nodes_get_their_path(chain):
    root, middle, leaf = chain
    assert (root.tree_path, middle.tree_path, leaf.tree_path) == (
        f"/{root.pk}/", f"/{root.pk}/{middle.pk}/", f"/{root.pk}/{middle.pk}/{leaf.pk}/")
    assert Location.objects.get(pk=leaf.pk).depth == 2


def _writes(queries) -> list[str]:
    return [q["sql"] for q in queries
            if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]


@pytest.mark.parametrize("under", ["root", "parent"])
def test_creating_a_node_is_one_insert_with_its_path(chain, under):
    """No insert-then-update: the id is allocated first, so the path goes in with the row."""
    parent = None if under == "root" else chain[2]
    with CaptureQueriesContext(connection) as queries:
        node = Location.objects.create(name="new", code="N", parent=parent)
    writes = _writes(queries)
    assert len(writes) == 1 and writes[0].lstrip().upper().startswith("INSERT"), writes
    assert len(queries) <= 3 + 2  # id, parent's path, insert (+ savepoint and release)
    expected = f"{parent.tree_path if parent else '/'}{node.pk}/"
    stored = Location.objects.get(pk=node.pk)
    assert (node.tree_path, stored.tree_path, stored.depth) == (expected, expected, 0 if parent is None else 3)


def test_new_ids_follow_deleted_ones_without_reuse():
    """A pre-allocated id is never one a deleted row had (AUTOINCREMENT / the sequence)."""
    first = Location.objects.create(name="first")
    gone = Location.objects.create(name="gone")
    gone_pk = gone.pk
    gone.delete()
    after = Location.objects.create(name="after", parent=first)
    assert after.pk > gone_pk
    assert after.tree_path == f"/{first.pk}/{after.pk}/"


def test_saving_an_existing_node_writes_it_once_with_its_path(chain):
    _, middle, leaf = chain
    other = Location.objects.create(name="other", code="O")
    middle.name, middle.parent = "middle moved", other
    with CaptureQueriesContext(connection) as queries:
        middle.save()
    assert len(_updates_of_locations(queries)) == 2  # the node (path included) and its one descendant
    stored = Location.objects.get(pk=middle.pk)
    assert (stored.name, stored.tree_path, stored.depth) == ("middle moved", f"/{other.pk}/{middle.pk}/", 1)
    assert middle.tree_path == stored.tree_path


def test_a_move_rewrites_the_subtree(chain):
    root, middle, leaf = chain
    other = Location.objects.create(name="other", code="O")
    middle.parent = other
    middle.save()
    assert Location.objects.get(pk=middle.pk).tree_path == f"/{other.pk}/{middle.pk}/"
    assert Location.objects.get(pk=leaf.pk).tree_path == f"/{other.pk}/{middle.pk}/{leaf.pk}/"
    assert set(Location.objects.subtree(root).values_list("pk", flat=True)) == {root.pk}


@pytest.mark.parametrize("below", ["itself", "descendant"])
def test_a_cycle_is_refused_before_anything_is_written(chain, below):
    root, middle, leaf = chain
    root.name = "renamed too"
    root.parent = root if below == "itself" else leaf
    with CaptureQueriesContext(connection) as queries, pytest.raises(ValidationError) as refused:
        root.save()
    assert "parent" in refused.value.message_dict
    assert _updates_of_locations(queries) == []
    stored = Location.objects.get(pk=root.pk)
    assert (stored.parent_id, stored.name, stored.tree_path) == (None, "root", f"/{root.pk}/")
    with pytest.raises(ValidationError):
        root.full_clean()  # the admin's form shows the same refusal


def test_one_subtree_filter_for_locations_and_rows_that_point_at_them(chain):
    root, middle, leaf = chain
    assert set(Location.objects.filter(subtree_q(middle)).values_list("pk", flat=True)) == {middle.pk, leaf.pk}
    assert set(Location.objects.filter(subtree_q(middle.tree_path)).values_list("pk", flat=True)) == {
        middle.pk, leaf.pk}
    assert not Location.objects.filter(subtree_q(Location(name="unsaved"))).exists()
    assert set(Location.objects.descendants_of(root).values_list("pk", flat=True)) == {middle.pk, leaf.pk}
    assert set(Location.objects.filter(children__in=Location.objects.filter(subtree_q(leaf)))
               .values_list("pk", flat=True)) == {middle.pk}
    assert set(Location.objects.filter(subtree_q(root, "parent")).values_list("pk", flat=True)) == {
        middle.pk, leaf.pk}
