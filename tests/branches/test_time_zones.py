"""A time zone per location: own, else the nearest ancestor's, else the site's; validated; writable on synced rows."""

import pytest
from django.core.exceptions import ValidationError

from branches.models import Location
from branches.services.org_sync import OrgNode, apply_org_feed
from branches.services.time_zones import effective_time_zone, effective_time_zones, with_effective_time_zone

URL = "/api/v1/branches/"


def _set(tree, key: str, zone: str) -> None:
    Location.objects.filter(pk=tree[key].pk).update(time_zone=zone)


def _fresh(tree) -> dict[str, Location]:
    return {loc.external_id: loc for loc in Location.objects.filter(pk__in=[n.pk for n in tree.values()])}


def test_inheritance_walks_up_to_the_nearest_named_zone(
    manual_tree, settings, django_assert_num_queries, django_assert_max_num_queries
):
    settings.TIME_ZONE = "UTC"
    _set(manual_tree, "root", "Asia/Almaty")
    _set(manual_tree, "south", "Europe/Istanbul")
    _set(manual_tree, "shop2", "Asia/Aqtobe")
    tree = _fresh(manual_tree)
    with django_assert_max_num_queries(0):  # the ancestors are among the locations given: nothing to read
        zones = effective_time_zones(tree.values())
    leaves = [tree["shop1"], tree["shop3"]]
    with django_assert_num_queries(1):  # every ancestor of every location at once: never one per level
        assert effective_time_zones(leaves) == {tree["shop1"].pk: "Asia/Almaty", tree["shop3"].pk: "Europe/Istanbul"}
    by_key = {key: zones[loc.pk] for key, loc in tree.items()}
    assert by_key == {
        "root": "Asia/Almaty",
        "north": "Asia/Almaty",
        "shop1": "Asia/Almaty",
        "shop2": "Asia/Aqtobe",
        "south": "Europe/Istanbul",
        "shop3": "Europe/Istanbul",
    }
    with django_assert_num_queries(0):  # a location naming its own zone needs no query
        assert effective_time_zone(tree["shop2"]) == "Asia/Aqtobe"
    annotated = {loc.external_id: loc.effective_time_zone for loc in with_effective_time_zone(Location.objects.all())}
    assert annotated == by_key


def test_nothing_named_anywhere_is_the_sites_zone(manual_tree, settings):
    settings.TIME_ZONE = "Europe/Moscow"
    shop3 = Location.objects.get(external_id="shop3")
    assert effective_time_zone(shop3) == "Europe/Moscow"
    assert effective_time_zone(None) == "Europe/Moscow"
    assert with_effective_time_zone(Location.objects.filter(pk=shop3.pk)).get().effective_time_zone == "Europe/Moscow"


def test_an_unknown_zone_is_refused_by_the_model(manual_tree):
    shop1 = Location.objects.get(external_id="shop1")
    shop1.time_zone = "Mars/Olympus"
    with pytest.raises(ValidationError) as refused:
        shop1.full_clean()
    assert "time_zone" in refused.value.message_dict


def test_api_writes_and_answers_the_zone(client_for, manual_tree):
    client = client_for("integrator")
    north = manual_tree["north"]
    response = client.patch(f"{URL}{north.pk}/", {"time_zone": "Asia/Almaty"}, format="json")
    assert response.status_code == 200, response.data
    assert response.data["time_zone"] == "Asia/Almaty" and response.data["effective_time_zone"] == "Asia/Almaty"
    shop1 = client.get(f"{URL}{manual_tree['shop1'].pk}/").data
    assert shop1["time_zone"] == "" and shop1["effective_time_zone"] == "Asia/Almaty"
    listed = {row["code"]: row["effective_time_zone"] for row in client.get(URL).data["results"]}
    assert listed["001"] == "Asia/Almaty" and listed["003"] == "UTC"


def test_api_refuses_an_unknown_zone_naming_the_field(client_for, manual_tree):
    client = client_for("integrator")
    response = client.patch(f"{URL}{manual_tree['north'].pk}/", {"time_zone": "Asia/Nowhere"}, format="json")
    assert response.status_code == 400
    assert set(response.data) == {"time_zone"} and "Asia/Nowhere" in response.data["time_zone"][0]
    translated = client.patch(
        f"{URL}{manual_tree['north'].pk}/", {"time_zone": "Asia/Nowhere"}, format="json", HTTP_ACCEPT_LANGUAGE="tr"
    )
    assert "bilinen bir saat dilimi değil" in translated.data["time_zone"][0]


def test_a_synced_location_keeps_its_zone_editable_and_a_sync_keeps_it(client_for, onec_source):
    apply_org_feed(onec_source, [OrgNode("b1", "Synced", code="000001")])
    synced = Location.objects.get()
    client = client_for("integrator")
    response = client.patch(f"{URL}{synced.pk}/", {"time_zone": "Europe/Istanbul"}, format="json")
    assert response.status_code == 200, response.data
    apply_org_feed(onec_source, [OrgNode("b1", "Synced and renamed", code="000001"), OrgNode("b2", "New")])
    assert Location.objects.get(external_id="b1").time_zone == "Europe/Istanbul"
    assert Location.objects.get(external_id="b2").time_zone == ""  # inserted by the bulk upsert: the db default
