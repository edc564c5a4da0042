"""Admin "Branches" / "Departments": tree order, filters, search, every row reachable, synced rows read-only."""

import re

import pytest
from django.contrib.auth import get_user_model

from branches.models import Location
from branches.services.org_sync import OrgNode, apply_org_feed
from integrations.models import SyncRun

pytestmark = pytest.mark.django_db

BRANCHES = "/admin/branches/branchlocation/"
DEPARTMENTS = "/admin/branches/departmentlocation/"


@pytest.fixture
def staff_client(client, roles):
    user = get_user_model().objects.create_user("ops", password="x-Long-Password-1", is_staff=True)
    user.groups.add(roles["integrator"])
    client.force_login(user)
    return client


def test_changelists_split_by_type_and_page_past_100(staff_client, onec_source, iiko_source):
    apply_org_feed(onec_source, [OrgNode(f"b{i}", f"Branch {i:03d}", None if i == 0 else "b0", code=f"{i:06d}")
                                 for i in range(130)])
    apply_org_feed(iiko_source, [OrgNode("d1", "Cafe Central", None, code="000005", code_tco="000005",
                                         type="DEPARTMENT", taxpayer_id_number="7701234567")])
    page1 = staff_client.get(BRANCHES)
    assert page1.status_code == 200
    assert "130 branches" in page1.content.decode() and "Cafe Central" not in page1.content.decode()
    page2 = staff_client.get(BRANCHES, {"p": 2})
    assert page2.status_code == 200
    names = set(re.findall(r"Branch \d{3}", page1.content.decode())) | set(
        re.findall(r"Branch \d{3}", page2.content.decode()))
    assert names == {f"Branch {i:03d}" for i in range(130)}  # every row reachable
    departments = staff_client.get(DEPARTMENTS).content.decode()
    assert "Cafe Central" in departments and "Branch 001" not in departments
    assert "Cafe Central" in staff_client.get(DEPARTMENTS, {"q": "7701234567"}).content.decode()
    root = Location.objects.get(external_id="b0")
    below = staff_client.get(BRANCHES, {"below": root.pk}).content.decode()
    assert "129 branches" in below
    assert staff_client.get(BRANCHES, {"parent": "root"}).status_code == 200
    for params in ({"source__id__exact": onec_source.pk}, {"type__exact": "BRANCH"}, {"is_active__exact": "1"}):
        assert staff_client.get(BRANCHES, params).status_code == 200


def test_synced_row_is_read_only_manual_row_editable(staff_client, onec_source):
    apply_org_feed(onec_source, [OrgNode("b1", "Synced branch", code="000001")])
    synced = Location.objects.get()
    page = staff_client.get(f"{BRANCHES}{synced.pk}/change/").content.decode()
    assert 'name="name"' not in page and "Synced branch" in page
    manual = Location.objects.create(name="Manual branch")
    page = staff_client.get(f"{BRANCHES}{manual.pk}/change/").content.decode()
    assert 'name="name"' in page


def test_sync_selected_rows_accounts_action(staff_client, onec_source):
    apply_org_feed(onec_source, [OrgNode("b1", "Synced", code="1"), OrgNode("b2", "Synced 2", code="2")])
    manual = Location.objects.create(name="Manual")
    ids = list(Location.objects.values_list("pk", flat=True))
    response = staff_client.post(BRANCHES, {"action": "sync_location_sources_now", "_selected_action": ids},
                                 follow=True)
    assert response.status_code == 200
    run = SyncRun.objects.get()
    assert (run.account, run.stream, run.trigger, run.status) == (onec_source, "org", "admin", "queued")
    assert "run #" in response.content.decode()
    staff_client.post(BRANCHES, {"action": "sync_location_sources_now", "_selected_action": [manual.pk]},
                      follow=True)
    assert SyncRun.objects.count() == 1
