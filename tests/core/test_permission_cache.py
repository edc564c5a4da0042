"""Permission sets come from the shared cache, and every change to roles or permissions is seen at once."""

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import AccessToken

from core.permission_cache import permissions_version

pytestmark = pytest.mark.django_db

SUMMARY = "/api/v1/analytics/summary/"


def bearer(user) -> APIClient:
    """A client that authenticates like a front end: the user is loaded afresh on every request."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {AccessToken.for_user(user)}")
    return client


def permission_queries(client: APIClient) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        status = client.get(SUMMARY).status_code
    return status, sum("auth_permission" in q["sql"] for q in queries.captured_queries)


def test_the_second_request_reads_no_permission_tables(make_user):
    client = bearer(make_user("ann", role="viewer"))
    assert permission_queries(client)[0] == 200
    assert permission_queries(client) == (200, 0)


def test_leaving_a_role_takes_effect_on_the_next_request(make_user, roles):
    user = make_user("bob", role="viewer")
    client = bearer(user)
    assert client.get(SUMMARY).status_code == 200
    user.groups.remove(roles["viewer"])
    assert client.get(SUMMARY).status_code == 403
    user.groups.add(roles["viewer"])
    assert client.get(SUMMARY).status_code == 200


def test_a_permission_taken_from_the_group_is_gone_at_once(make_user, roles):
    client = bearer(make_user("cy", role="viewer"))
    assert client.get(SUMMARY).status_code == 200
    roles["viewer"].permissions.remove(Permission.objects.get(codename="view_dailysale"))
    assert client.get(SUMMARY).status_code == 403


def test_a_direct_user_permission_counts_and_is_cached_per_user(make_user):
    user = make_user("dee")
    client = bearer(user)
    assert client.get(SUMMARY).status_code == 403
    user.user_permissions.add(Permission.objects.get(codename="view_dailysale"))
    assert client.get(SUMMARY).status_code == 200
    assert bearer(make_user("eve")).get(SUMMARY).status_code == 403  # another user's set is their own


def test_a_deactivated_user_is_refused_whatever_is_cached(make_user):
    user = make_user("fay", role="viewer")
    client = bearer(user)
    assert client.get(SUMMARY).status_code == 200
    user.is_active = False
    user.save()
    assert client.get(SUMMARY).status_code == 401


def test_a_login_does_not_invalidate_everyone(make_user):
    user = make_user("gus", role="viewer")
    before = permissions_version()
    user.last_login = timezone.now()
    user.save(update_fields=["last_login"])
    assert permissions_version() == before
    user.first_name = "Gus"
    user.save()
    assert permissions_version() != before
