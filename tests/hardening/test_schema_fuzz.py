"""Schema fuzzing: every operation of /api/v1/schema/, generated inputs, through the whole WSGI stack.

Checks: all of Schemathesis' checks (`--checks all`): no 5xx, every status documented, every response matching
the schema, invalid input rejected, valid input accepted, … Runs as an admin and as a viewer. The budget per
operation is FUZZ_EXAMPLES (small in the suite; `bench/fuzz.sh` raises it).

"Valid input accepted" allows 400/404/409/422 besides 2xx: a schema cannot say that a referenced row exists, that
date_from precedes date_to or that a run is not already active; those answers are documented for every operation
(core/api/schema.py) and name the field.
"""

import json
import os

import pytest
import schemathesis
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, settings
from rest_framework_simplejwt.tokens import RefreshToken
from schemathesis.config import SchemathesisConfig

from core.roles import sync_role_permissions

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "3"))
# The coverage phase sends boundary values for every parameter (many requests per operation): bench/fuzz.sh
# turns it on; the suite keeps to generated examples.
COVERAGE = os.environ.get("FUZZ_COVERAGE", "0") == "1"


def _load_schema():
    import django

    django.setup()
    from salesforecast.wsgi import application

    generated = SchemaGenerator().get_schema(request=None, public=True)
    config = SchemathesisConfig.from_dict({
        "phases": {"coverage": {"enabled": COVERAGE}},
        "checks": {"positive_data_acceptance": {"expected-statuses": ["2xx", "400", "401", "403", "404", "409",
                                                                      "422"]}},
    })
    loaded = schemathesis.openapi.from_dict(json.loads(OpenApiJsonRenderer().render(generated)), config=config)
    loaded.app = application  # in-process WSGI calls: same thread, so the test's rolled-back transaction works
    return loaded


schema = _load_schema()


@pytest.fixture
def no_throttles():
    """Generated requests come fast and from one address: throttles would answer 429 for everything."""
    from rest_framework.throttling import SimpleRateThrottle

    original = SimpleRateThrottle.THROTTLE_RATES
    SimpleRateThrottle.THROTTLE_RATES = {k: "1000000/min" for k in original}
    yield
    SimpleRateThrottle.THROTTLE_RATES = original


@pytest.fixture
def keep_test_connection():
    """Requests go through Django's real WSGI handler, which closes "old" connections when a request ends —
    inside the test's transaction that would close PostgreSQL's connection under the test (SQLite's in-memory
    database ignores it). Django's own test client detaches the same handlers for the same reason."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def auth_headers(role, db, no_throttles, keep_test_connection):
    """One user of the role per test item (Hypothesis runs all examples of an item with the same fixtures)."""
    for name in ("viewer", "planner", "integrator", "admin"):
        Group.objects.get_or_create(name=name)
    sync_role_permissions()
    user = get_user_model().objects.create_user(f"fuzz-{role}", password="Fuzz-Passw0rd-123",
                                                is_staff=role == "admin")
    user.groups.add(Group.objects.get(name=role))
    return {"Authorization": f"Bearer {RefreshToken.for_user(user).access_token}"}


@pytest.mark.slow
@pytest.mark.parametrize("role", ["admin", "viewer"])
@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, derandomize=True, print_blob=True,
          suppress_health_check=list(HealthCheck))
def test_api_never_fails_and_matches_its_schema(case, role, auth_headers):
    case.call_and_validate(headers=auth_headers)  # every check, as `schemathesis run --checks all`
