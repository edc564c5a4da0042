import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.utils import translation
from rest_framework.test import APIClient

from core.roles import ROLES, sync_role_permissions

PASSWORD = "Correct-Horse-Battery-9"


@pytest.fixture(autouse=True)
def _clear_cache():
    """Throttle counters live in the cache; each test starts with none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _default_language():
    """A request in Russian leaves Russian active in the thread (LocaleMiddleware sets it per request and a
    server's next request sets its own); a test that calls a service directly afterwards expects the default."""
    yield
    translation.deactivate()


@pytest.fixture
def roles(db):
    """The role groups with their permissions, as a migrate leaves them."""
    for name in ROLES:
        Group.objects.get_or_create(name=name)
    sync_role_permissions()
    return {name: Group.objects.get(name=name) for name in ROLES}


@pytest.fixture
def make_user(db, roles):
    def _make(username: str = "user", role: str | None = None, **extra):
        user = get_user_model().objects.create_user(
            username=username, email=f"{username}@example.com", password=PASSWORD, **extra
        )
        if role:
            user.groups.add(roles[role])
        return user

    return _make


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


@pytest.fixture
def client_for(make_user):
    """An API client authenticated as a fresh user of the given role ('anonymous' → no credentials)."""

    counter = iter(range(1, 10_000))

    def _client(role: str) -> APIClient:
        client = APIClient()
        if role == "anonymous":
            return client
        user = make_user(username=f"{role}-user-{next(counter)}", role=role if role != "superuser" else None,
                         is_superuser=role == "superuser", is_staff=role in ("admin", "superuser"))
        client.force_authenticate(user)
        client.user = user
        return client

    return _client


@pytest.fixture
def no_persistent_connections():
    """Connections opened by server and consumer threads close after each use, so PostgreSQL can drop the test
    database at the end (a persistent connection in a pool thread would keep it "in use")."""
    from django.db import connections

    old = connections.settings["default"].get("CONN_MAX_AGE", 0)
    connections.settings["default"]["CONN_MAX_AGE"] = 0
    yield
    connections.settings["default"]["CONN_MAX_AGE"] = old
