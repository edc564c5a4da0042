"""Users, roles and permissions managed through the API by admins; nobody can remove the last admin."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from core import people
from core.errors import Conflict

User = get_user_model()


@pytest.fixture
def admin(client_for):
    return client_for("admin")


def test_admin_creates_a_user_with_a_role_who_can_then_log_in(admin, api_client):
    response = admin.post("/api/v1/users/", {"username": "olga", "email": "olga@example.com",
                                             "password": "Quite-Long-Passw0rd", "groups": ["planner"]}, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["username"] == "olga" and body["groups"] == ["planner"] and body["is_active"] is True
    assert "password" not in body
    login = api_client.post("/api/v1/auth/login/", {"username": "olga", "password": "Quite-Long-Passw0rd"},
                            format="json")
    assert login.status_code == 200


def test_create_refuses_duplicates_unknown_roles_and_weak_passwords(admin, make_user):
    make_user("taken")
    assert admin.post("/api/v1/users/", {"username": "TAKEN"}, format="json").status_code == 409
    unknown = admin.post("/api/v1/users/", {"username": "x1", "groups": ["wizard"]}, format="json")
    assert unknown.status_code == 400 and "groups" in unknown.json()
    weak = admin.post("/api/v1/users/", {"username": "x2", "password": "123"}, format="json")
    assert weak.status_code == 400 and "password" in weak.json()
    assert not User.objects.filter(username__in=["x1", "x2"]).exists()  # no half-write


def test_user_without_password_cannot_log_in_until_an_admin_sets_one(admin, api_client):
    user_id = admin.post("/api/v1/users/", {"username": "nopass"}, format="json").json()["id"]
    assert not User.objects.get(pk=user_id).has_usable_password()
    response = admin.post(f"/api/v1/users/{user_id}/reset-password/", {"new_password": "Another-Passw0rd-77"},
                          format="json")
    assert response.status_code == 200
    assert User.objects.get(pk=user_id).check_password("Another-Passw0rd-77")
    too_short = admin.post(f"/api/v1/users/{user_id}/reset-password/", {"new_password": "abc"}, format="json")
    assert too_short.status_code == 400 and "new_password" in too_short.json()


def test_update_and_set_role(admin, make_user):
    user = make_user("ivan", role="viewer")
    response = admin.patch(f"/api/v1/users/{user.pk}/", {"first_name": "Ivan", "groups": ["integrator"]},
                           format="json")
    assert response.status_code == 200 and response.json()["first_name"] == "Ivan"
    assert response.json()["groups"] == ["integrator"]
    Group.objects.create(name="night-shift")
    user.groups.add(Group.objects.get(name="night-shift"))
    response = admin.post(f"/api/v1/users/{user.pk}/set-role/", {"role": "planner"}, format="json")
    assert response.status_code == 200
    assert sorted(response.json()["groups"]) == ["night-shift", "planner"]  # other groups are kept
    assert admin.post(f"/api/v1/users/{user.pk}/set-role/", {"role": "king"}, format="json").status_code == 400


def test_deactivate_and_activate(admin, make_user, api_client):
    user = make_user("leaver", role="viewer")
    response = admin.post(f"/api/v1/users/{user.pk}/deactivate/")
    assert response.status_code == 200 and response.json()["is_active"] is False
    login = api_client.post("/api/v1/auth/login/", {"username": "leaver", "password": "Correct-Horse-Battery-9"},
                            format="json")
    assert login.status_code in (400, 401)
    assert admin.post(f"/api/v1/users/{user.pk}/activate/").json()["is_active"] is True
    assert admin.delete(f"/api/v1/users/{user.pk}/").status_code == 405  # never deleted: history points at them


@pytest.mark.parametrize("change", ["deactivate", "demote", "patch_inactive", "patch_groups"])
def test_nobody_can_remove_the_last_admin(make_user, change):
    from rest_framework.test import APIClient

    only = make_user("only-admin", role="admin", is_staff=True)
    make_user("inactive-admin", role="admin", is_active=False)  # does not count
    make_user("viewer", role="viewer")
    client = APIClient()
    client.force_authenticate(only)
    url = f"/api/v1/users/{only.pk}/"
    response = {
        "deactivate": lambda: client.post(url + "deactivate/"),
        "demote": lambda: client.post(url + "set-role/", {"role": "viewer"}, format="json"),
        "patch_inactive": lambda: client.patch(url, {"is_active": False}, format="json"),
        "patch_groups": lambda: client.patch(url, {"groups": []}, format="json"),
    }[change]()
    assert response.status_code == 409, response.content
    assert response.json()["code"] == "last_admin" and "only-admin" in response.json()["detail"]
    only.refresh_from_db()
    assert only.is_active and only.groups.filter(name="admin").exists()  # nothing half-written


def test_an_admin_can_step_down_once_another_admin_exists(make_user):
    first = make_user("first", role="admin")
    second = make_user("second", role="viewer")
    with pytest.raises(Conflict):
        people.set_role(first.pk, "viewer")
    people.set_role(second.pk, "admin")
    people.set_role(first.pk, "viewer")
    with pytest.raises(Conflict):
        people.set_active(second.pk, False)
    # A superuser counts as an admin, whatever their groups.
    make_user("root", is_superuser=True)
    assert people.set_active(second.pk, False).is_active is False


def test_groups_create_update_delete_and_builtin_roles_are_protected(admin, roles):
    created = admin.post("/api/v1/groups/", {"name": "auditors", "permissions": ["sales.view_product"]},
                         format="json")
    assert created.status_code == 201 and created.json()["permissions"] == ["view_product"]
    group_id = created.json()["id"]
    changed = admin.patch(f"/api/v1/groups/{group_id}/", {"permissions": ["sales.view_order", "sales.view_customer"]},
                          format="json")
    assert changed.status_code == 200 and sorted(changed.json()["permissions"]) == ["view_customer", "view_order"]
    bad = admin.patch(f"/api/v1/groups/{group_id}/", {"permissions": ["view_order", "nope.nothing"]}, format="json")
    assert bad.status_code == 400 and "permissions" in bad.json()
    assert admin.post("/api/v1/groups/", {"name": "Auditors"}, format="json").status_code == 409
    assert admin.delete(f"/api/v1/groups/{group_id}/").status_code == 204
    admin_group = roles["admin"].pk
    assert admin.delete(f"/api/v1/groups/{admin_group}/").status_code == 409
    assert admin.patch(f"/api/v1/groups/{admin_group}/", {"name": "boss"}, format="json").status_code == 409


def test_permissions_list_is_paginated_and_filterable(admin):
    response = admin.get("/api/v1/permissions/", {"app_label": "sales", "model": "product"})
    assert response.status_code == 200
    names = {row["permission"] for row in response.json()["results"]}
    assert {"sales.view_product", "sales.add_product"} <= names
    assert all(row["app_label"] == "sales" for row in response.json()["results"])


@pytest.mark.parametrize("role", ["viewer", "planner", "integrator"])
def test_only_admins_manage_people(client_for, make_user, role):
    target = make_user("target", role="viewer")
    client = client_for(role)
    assert client.post(f"/api/v1/users/{target.pk}/set-role/", {"role": "admin"}, format="json").status_code == 403
    assert client.post(f"/api/v1/users/{target.pk}/reset-password/", {"new_password": "Xx-123456789"},
                       format="json").status_code == 403
    assert client.get("/api/v1/permissions/").status_code == 403
    target.refresh_from_db()
    assert list(target.groups.values_list("name", flat=True)) == ["viewer"]


def test_only_a_superuser_grants_superuser(admin, client_for, make_user):
    target = make_user("climber", role="viewer")
    refused = admin.patch(f"/api/v1/users/{target.pk}/", {"is_superuser": True}, format="json")
    assert refused.status_code == 403 and "is_superuser" in refused.json()
    assert admin.post("/api/v1/users/", {"username": "root2", "is_superuser": True}, format="json").status_code == 403
    target.refresh_from_db()
    assert not target.is_superuser and not User.objects.filter(username="root2").exists()
    granted = client_for("superuser").patch(f"/api/v1/users/{target.pk}/", {"is_superuser": True}, format="json")
    assert granted.status_code == 200 and granted.json()["is_superuser"] is True


def test_group_permissions_by_unique_codename(admin):
    created = admin.post("/api/v1/groups/", {"name": "readers", "permissions": ["view_dailysale"]}, format="json")
    assert created.status_code == 201 and created.json()["permissions"] == ["view_dailysale"]


def test_builtin_role_permissions_are_declared_in_code(admin, roles):
    viewer = roles["viewer"]
    current = [f"{p.content_type.app_label}.{p.codename}" for p in viewer.permissions.select_related("content_type")]
    assert admin.patch(f"/api/v1/groups/{viewer.pk}/", {"permissions": current}, format="json").status_code == 200
    changed = admin.patch(f"/api/v1/groups/{viewer.pk}/", {"permissions": current + ["auth.add_user"]},
                          format="json")
    assert changed.status_code == 409 and "core.roles" in changed.json()["permissions"][0]
    assert not viewer.permissions.filter(codename="add_user").exists()
