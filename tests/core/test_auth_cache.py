"""The API user, language and permissions come from one shared-cache read, and every change is seen at once."""

import pytest
from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import AccessToken

from core.auth_cache import user_key
from workbench.models import PlannerProfile

pytestmark = pytest.mark.django_db

SUMMARY = "/api/v1/analytics/summary/"
BAD_PERIOD = "/api/v1/analytics/summary/?date_from=2024-02-01&date_to=2024-01-01"


def bearer(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {AccessToken.for_user(user)}")
    return client


def user_queries(client: APIClient, path: str = SUMMARY) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as queries:
        status = client.get(path).status_code
    tables = ("auth_user", "workbench_plannerprofile", "auth_permission")
    return status, [q["sql"] for q in queries.captured_queries if any(f'"{t}"' in q["sql"] for t in tables)]


def test_the_second_request_reads_neither_the_user_nor_the_profile(make_user):
    user = make_user("ann", role="viewer")
    PlannerProfile.objects.create(user=user, language="tr")
    client = bearer(user)
    status, first = user_queries(client)
    assert status == 200 and first  # the first request loads them
    assert user_queries(client) == (200, [])


def test_no_password_hash_or_last_login_in_the_shared_cache(make_user):
    user = make_user("bea", role="viewer")
    assert bearer(user).get(SUMMARY).status_code == 200
    entry = cache.get(user_key(user.pk))
    assert entry is not None and "password" not in entry["names"] and "last_login" not in entry["names"]
    assert user.password not in entry["values"]


@pytest.mark.parametrize("change", ["deactivate", "delete"])
def test_a_deactivated_or_deleted_user_is_refused_on_the_next_request(make_user, change):
    user = make_user("cal", role="viewer")
    client = bearer(user)
    assert client.get(SUMMARY).status_code == 200
    assert client.get(SUMMARY).status_code == 200  # now served from the cached entry
    if change == "deactivate":
        user.is_active = False
        user.save(update_fields=["is_active"])
    else:
        user.delete()
    assert client.get(SUMMARY).status_code == 401


def test_a_role_taken_away_is_refused_on_the_next_request(make_user, roles):
    user = make_user("dan", role="viewer")
    client = bearer(user)
    assert client.get(SUMMARY).status_code == 200
    roles["viewer"].permissions.remove(Permission.objects.get(codename="view_dailysale"))
    assert client.get(SUMMARY).status_code == 403


def test_a_changed_language_is_spoken_on_the_next_request(make_user):
    user = make_user("eda", role="viewer")
    client = bearer(user)
    english = client.get(BAD_PERIOD)
    assert english.status_code == 400
    PlannerProfile.objects.create(user=user, language="ru")
    russian = client.get(BAD_PERIOD)
    assert russian.status_code == 400 and russian.json() != english.json()
    assert russian["Content-Language"] == "ru"
    profile = PlannerProfile.objects.get(user=user)
    profile.language = ""
    profile.save()
    assert client.get(BAD_PERIOD).json() == english.json()


def test_a_refusal_is_never_cached(make_user):
    user = make_user("fin", role="viewer", is_active=False)
    client = bearer(user)
    assert client.get(SUMMARY).status_code == 401
    assert cache.get(user_key(user.pk)) is None
    user.is_active = True
    user.save()
    assert client.get(SUMMARY).status_code == 200
