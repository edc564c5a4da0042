"""/api/v1/branches/: CRUD per role, tree filters, descendants/ancestors, nested tree, flat query counts."""

import pytest

from branches.models import Location
from branches.services.org_sync import OrgNode, apply_org_feed

pytestmark = pytest.mark.django_db

URL = "/api/v1/branches/"


@pytest.mark.parametrize(("role", "read", "write"), [
    ("anonymous", 401, 401), ("viewer", 200, 403), ("planner", 200, 403), ("integrator", 201, 201),
    ("admin", 201, 201), ("superuser", 201, 201),
])
def test_permissions_per_role(client_for, manual_tree, role, read, write):
    client = client_for(role)
    expected_read = 200 if read in (200, 201) else read
    assert client.get(URL).status_code == expected_read
    assert client.get(f"{URL}tree/").status_code == expected_read
    created = client.post(URL, {"name": "Kiosk", "parent": manual_tree["north"].pk, "type": "BRANCH"}, format="json")
    assert created.status_code == write
    if write == 201:
        kiosk = Location.objects.get(pk=created.data["id"])
        assert kiosk.tree_path == manual_tree["north"].tree_path + f"{kiosk.pk}/" and kiosk.depth == 2
        assert client.patch(f"{URL}{kiosk.pk}/", {"name": "Kiosk 2"}, format="json").status_code == 200
        assert client.delete(f"{URL}{kiosk.pk}/").status_code == 204


def test_pagination_past_100_rows_reaches_every_row(client_for, db):
    apply_org_feed(None, [OrgNode(f"n{i}", f"Node {i:03d}", None) for i in range(250)])
    client = client_for("viewer")
    seen = []
    for page in (1, 2, 3):
        response = client.get(URL, {"page": page, "page_size": 100})
        assert response.status_code == 200
        seen += [row["id"] for row in response.data["results"]]
    assert response.data["count"] == 250 and response.data["next"] is None
    assert len(set(seen)) == 250
    assert client.get(URL, {"page_size": 1001}).status_code == 400


def test_filters(client_for, manual_tree, onec_source):
    apply_org_feed(onec_source, [OrgNode("b1", "Synced branch", code="000001"),
                                 OrgNode("gone", "Gone branch", code="000002")])
    apply_org_feed(onec_source, [OrgNode("b1", "Synced branch", code="000001")])
    client = client_for("viewer")

    def ids(**params):
        response = client.get(URL, params)
        assert response.status_code == 200, response.content
        return {row["name"] for row in response.data["results"]}

    north = manual_tree["north"].pk
    assert ids(parent=north) == {"Shop One", "Shop Two"}
    assert ids(ancestor=manual_tree["root"].pk) == {"North", "South", "Shop One", "Shop Two", "Shop Three"}
    assert ids(descendant_of=north) == {"Shop One", "Shop Two"}
    assert ids(ancestor_of=manual_tree["shop1"].pk) == {"Root", "North"}
    assert ids(source=onec_source.pk) == {"Synced branch", "Gone branch"}
    assert ids(source=onec_source.pk, active="false") == {"Gone branch"}
    assert ids(manual="true", root="true") == {"Root"}
    assert ids(q="7701234567") == {"Shop Two"}
    assert ids(search="Shop T") == {"Shop Two", "Shop Three"}
    assert ids(code="003") == {"Shop Three"}
    assert "Root" in ids(type="BRANCH")
    assert client.get(URL, {"type": "NOPE"}).status_code == 400


def test_descendants_ancestors_and_tree(client_for, manual_tree):
    client = client_for("viewer")
    north = manual_tree["north"]
    descendants = client.get(f"{URL}{north.pk}/descendants/")
    assert [r["name"] for r in descendants.data["results"]] == ["Shop One", "Shop Two"]
    ancestors = client.get(f"{URL}{manual_tree['shop2'].pk}/ancestors/")
    assert [r["name"] for r in ancestors.data] == ["Root", "North"]
    tree = client.get(f"{URL}tree/").data
    assert [n["name"] for n in tree] == ["Root"]
    assert [c["name"] for c in tree[0]["children"]] == ["North", "South"]
    assert [c["name"] for c in tree[0]["children"][0]["children"]] == ["Shop One", "Shop Two"]
    subtree = client.get(f"{URL}tree/", {"root": north.pk}).data
    assert [n["name"] for n in subtree] == ["North"] and len(subtree[0]["children"]) == 2
    shallow = client.get(f"{URL}tree/", {"max_depth": 1}).data
    assert all(c["children"] == [] for c in shallow[0]["children"])
    assert client.get(f"{URL}tree/", {"root": 999999}).status_code == 404
    assert client.get(f"{URL}tree/", {"root": "x"}).status_code == 400


def test_query_counts_stay_flat(client_for, django_assert_max_num_queries, db):
    client = client_for("viewer")
    apply_org_feed(None, [OrgNode(f"n{i}", f"N{i}", f"n{i - 1}" if i else None) for i in range(20)])
    with django_assert_max_num_queries(6):
        assert client.get(URL, {"page_size": 20}).status_code == 200
    apply_org_feed(None, [OrgNode(f"n{i}", f"N{i}", f"n{i // 3}" if i else None) for i in range(600)])
    with django_assert_max_num_queries(6):
        assert client.get(URL, {"page_size": 500}).status_code == 200
    with django_assert_max_num_queries(6):
        assert client.get(f"{URL}tree/").status_code == 200
    node = Location.objects.get(external_id="n599")
    with django_assert_max_num_queries(6):
        assert client.get(f"{URL}{node.pk}/ancestors/").status_code == 200
    with django_assert_max_num_queries(7):
        assert client.get(f"{URL}{Location.objects.get(external_id='n1').pk}/descendants/").status_code == 200


def test_synced_rows_are_read_only_and_never_deleted(client_for, onec_source):
    apply_org_feed(onec_source, [OrgNode("b1", "Synced", code="000001")])
    synced = Location.objects.get()
    client = client_for("integrator")
    response = client.patch(f"{URL}{synced.pk}/", {"name": "Renamed", "code": "X"}, format="json")
    assert response.status_code == 400
    assert set(response.data) == {"name", "code"} and "synced from '1C'" in response.data["name"][0]
    assert client.delete(f"{URL}{synced.pk}/").status_code == 409
    assert client.patch(f"{URL}{synced.pk}/", {"name": "Synced"}, format="json").status_code == 200  # no change


def test_manual_moves_keep_paths_and_refuse_cycles(client_for, manual_tree):
    client = client_for("integrator")
    north, south = manual_tree["north"], manual_tree["south"]
    assert client.patch(f"{URL}{north.pk}/", {"parent": south.pk}, format="json").status_code == 200
    shop1 = Location.objects.get(external_id="shop1")
    assert shop1.depth == 3 and shop1.tree_path.startswith(Location.objects.get(pk=south.pk).tree_path)
    cycle = client.patch(f"{URL}{south.pk}/", {"parent": shop1.pk}, format="json")
    assert cycle.status_code == 400 and "parent" in cycle.data
    assert client.delete(f"{URL}{south.pk}/").status_code == 409  # still has children


def test_empty_database_answers_200(client_for, db):
    client = client_for("viewer")
    assert client.get(URL).data["count"] == 0
    assert client.get(f"{URL}tree/").data == []
