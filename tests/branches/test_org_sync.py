"""apply_org_feed: tree rules, idempotence, deactivation, links, and a flat query count."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from branches.models import Location
from branches.services.org_sync import OrgFeedError, OrgNode, apply_org_feed

pytestmark = pytest.mark.django_db


def _assert_paths_consistent():
    for node in Location.objects.select_related("parent"):
        parent_path = node.parent.tree_path if node.parent else "/"
        assert node.tree_path == f"{parent_path}{node.pk}/", node
        assert node.depth == (node.parent.depth + 1 if node.parent else 0)


def test_shuffled_deep_tree_parents_resolved(onec_source, chain):
    result = apply_org_feed(onec_source, chain(400, depth=120))
    assert (result.read, result.created, result.orphans, result.cycles) == (400, 400, 0, 0)
    assert Location.objects.get(external_id="n120").depth == 119
    _assert_paths_consistent()


def test_root_spellings_duplicates_orphans():
    nodes = [OrgNode("a", "A", "0"), OrgNode("b", "B", ""), OrgNode("c", "C", None),
             OrgNode("d", "D", "00000000-0000-0000-0000-000000000000"), OrgNode("e", "E first", "a"),
             OrgNode("f", "F", "ghost"), OrgNode("e", "E second", "b")]
    result = apply_org_feed(None, nodes)
    assert (result.created, result.duplicates, result.orphans) == (6, 1, 1)
    assert set(Location.objects.filter(parent__isnull=True).values_list("external_id", flat=True)) == \
        {"a", "b", "c", "d", "f"}
    e = Location.objects.get(external_id="e")
    assert (e.name, e.parent.external_id) == ("E second", "b")
    assert any("'ghost'" in w for w in result.warnings)


def test_cycles_are_cut_not_looped_on():
    nodes = [OrgNode("x3", "X3", "x1"), OrgNode("x1", "X1", "x2"), OrgNode("x2", "X2", "x3"),
             OrgNode("self", "Self", "self"), OrgNode("kid", "Kid", "x2")]
    result = apply_org_feed(None, nodes)
    assert result.cycles == 2 and result.created == 5
    assert Location.objects.get(external_id="x1").parent is None
    assert Location.objects.get(external_id="x3").parent.external_id == "x1"
    assert Location.objects.get(external_id="x2").parent.external_id == "x3"
    assert Location.objects.get(external_id="kid").depth == 3
    assert Location.objects.get(external_id="self").parent is None
    _assert_paths_consistent()


def test_rerun_writes_nothing(onec_source, chain):
    nodes = chain(200, depth=60)
    apply_org_feed(onec_source, nodes)
    with CaptureQueriesContext(connection) as queries:
        result = apply_org_feed(onec_source, nodes)
    assert (result.created, result.updated, result.unchanged) == (0, 0, 200)
    writes = [q["sql"] for q in queries.captured_queries if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE"))]
    assert writes == []


def test_moves_renames_deactivation_and_return(onec_source, chain):
    nodes = chain(30, depth=10)
    apply_org_feed(onec_source, nodes)
    n5 = Location.objects.get(external_id="n5")
    moved = [OrgNode(n.external_id, n.name, "n1" if n.external_id == "n5" else n.parent_external_id, code=n.code)
             for n in nodes if n.external_id != "n30"]
    result = apply_org_feed(onec_source, moved)
    assert result.deactivated == 1
    n5.refresh_from_db()
    assert n5.parent.external_id == "n1" and n5.depth == 1
    assert Location.objects.get(external_id="n30").is_active is False
    _assert_paths_consistent()
    back = apply_org_feed(onec_source, nodes)
    assert Location.objects.get(external_id="n30").is_active is True and back.created == 0


def test_sources_are_isolated(onec_source, iiko_source):
    apply_org_feed(onec_source, [OrgNode("1", "1C one")])
    apply_org_feed(iiko_source, [OrgNode("1", "iiko one", type="DEPARTMENT")])
    apply_org_feed(onec_source, [])
    assert Location.objects.get(source=iiko_source).is_active is True
    assert Location.objects.get(source=onec_source).is_active is False


def test_unknown_type_becomes_other_and_long_values_are_cut(onec_source):
    apply_org_feed(onec_source, [OrgNode("1", "x" * 400, type="SPACESHIP", code="c" * 100)])
    row = Location.objects.get()
    assert row.type == "OTHER" and len(row.name) == 255 and len(row.code) == 64


def test_department_linked_to_branch_by_code_tco(onec_source, iiko_source):
    apply_org_feed(iiko_source, [OrgNode("d1", "Cafe", code="000007", code_tco="000007", type="DEPARTMENT")])
    apply_org_feed(onec_source, [OrgNode("b7", "Shop 7", code="000007")])
    cafe = Location.objects.get(external_id="d1")
    assert cafe.branch.external_id == "b7"
    result = apply_org_feed(iiko_source, [OrgNode("d1", "Cafe", code="000007", code_tco="000007",
                                                  type="DEPARTMENT")])
    assert result.unchanged == 1 and result.linked == 1


def test_manual_rows_below_synced_nodes_follow_moves(onec_source):
    apply_org_feed(onec_source, [OrgNode("a", "A"), OrgNode("b", "B"), OrgNode("c", "C", "a")])
    c = Location.objects.get(external_id="c")
    manual = Location.objects.create(name="Manual kiosk", parent=c)
    manual_child = Location.objects.create(name="Manual shelf", parent=manual)
    apply_org_feed(onec_source, [OrgNode("a", "A"), OrgNode("b", "B"), OrgNode("c", "C", "b")])
    _assert_paths_consistent()
    manual_child.refresh_from_db()
    assert manual_child.depth == 3
    assert manual_child.tree_path.startswith(Location.objects.get(external_id="b").tree_path)


def test_too_deep_tree_fails_without_writing(onec_source):
    apply_org_feed(onec_source, [OrgNode("keep", "Keep me")])
    nodes = [OrgNode(f"d{i}", f"D{i}", f"d{i - 1}" if i else None) for i in range(1200)]
    with pytest.raises(OrgFeedError, match="too deep"):
        apply_org_feed(onec_source, nodes)
    assert list(Location.objects.values_list("external_id", "is_active")) == [("keep", True)]


def test_query_count_is_constant_whatever_size_and_depth(onec_source, iiko_source, chain):
    def count(source, nodes):
        with CaptureQueriesContext(connection) as queries:
            apply_org_feed(source, nodes)
        return len(queries)

    small = count(onec_source, chain(10, depth=3, prefix="s"))
    other = onec_source.__class__.objects.create(name="1C other", kind="onec", base_url="https://1c2.example")
    large = count(other, chain(2000, depth=150, prefix="l"))
    assert small == large <= 8
    # Departments linking to branches: same again for 10 and 1,000 nodes.
    few = [OrgNode(f"f{i}", f"F{i}", None, code=f"{i:06d}", code_tco=f"{i:06d}", type="DEPARTMENT")
           for i in range(10)]
    many = [OrgNode(f"m{i}", f"M{i}", f"m{i // 2}" if i else None, code=f"{i:06d}", code_tco=f"{i:06d}",
                    type="DEPARTMENT") for i in range(1000)]
    other_iiko = iiko_source.__class__.objects.create(name="iiko 2", kind="iiko", base_url="https://i2.example")
    assert count(iiko_source, few) == count(other_iiko, many) <= 8
    # And a re-run of each (reads only).
    assert count(iiko_source, few) == count(other_iiko, many) <= 8
