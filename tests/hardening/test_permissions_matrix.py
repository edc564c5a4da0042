"""Permissions matrix: every operation of the API schema, called as anonymous, viewer, planner, integrator and
admin, answers what the hand-written role table below says.

The table states, per *area* (a path prefix), which roles may read (GET) and which may write (anything else),
plus the few operations whose rule differs from their area's. The operations themselves come from the generated
OpenAPI schema, so a new endpoint in a known area is checked at once, and one in a new area fails with a message
naming the table to extend.

Expected answers: anonymous → 401 (public endpoints excepted); a role without the right → 403; a role with it →
anything but 401/403/404/405/5xx. Path parameters name rows of the shared data set, so a 404 would mean the
endpoint was not really exercised. Each call runs in a savepoint that is rolled back, so a DELETE does not take
the row away from the next call.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from tests.hardening.conftest import Operation, api_operations, body_of, client_as, concrete_path

ROLES_UNDER_TEST = ("anonymous", "viewer", "planner", "integrator", "admin")
EVERYONE = frozenset({"viewer", "planner", "integrator", "admin"})
INTEGRATORS = frozenset({"integrator", "admin"})
PLANNERS = frozenset({"planner", "admin"})
ADMINS = frozenset({"admin"})
PUBLIC = "public"  # no authentication needed: every caller, anonymous included, gets a real answer

Access = frozenset[str] | str

# Area (path prefix; the longest match wins) → (who may read, who may write).
AREAS: dict[str, tuple[Access, Access]] = {
    # Data sources, org structure, the sales data they fill, its import/export and analytics: integrators.
    "/api/v1/integrations/": (EVERYONE, INTEGRATORS),
    "/api/v1/branches/": (EVERYONE, INTEGRATORS),
    "/api/v1/products/": (EVERYONE, INTEGRATORS),
    "/api/v1/product-categories/": (EVERYONE, INTEGRATORS),
    "/api/v1/daily-sales/": (EVERYONE, INTEGRATORS),
    "/api/v1/stock-levels/": (EVERYONE, INTEGRATORS),
    "/api/v1/orders/": (EVERYONE, INTEGRATORS),
    "/api/v1/customers/": (EVERYONE, INTEGRATORS),
    "/api/v1/demand-drivers/": (EVERYONE, INTEGRATORS),
    "/api/v1/import-export/": (EVERYONE, INTEGRATORS),
    "/api/v1/analytics/": (EVERYONE, INTEGRATORS),
    # Forecasts and everything planned from them: planners.
    "/api/v1/forecasting/": (EVERYONE, PLANNERS),
    "/api/v1/planning/": (EVERYONE, PLANNERS),
    "/api/v1/warehouse/": (EVERYONE, PLANNERS),
    "/api/v1/purchasing/": (EVERYONE, PLANNERS),
    "/api/v1/ppic/": (EVERYONE, PLANNERS),
    # The shop floor (embroidery jobs, scan actions that move stock): planners.
    "/api/v1/embroidery/": (EVERYONE, PLANNERS),
    "/api/v1/barcode/": (EVERYONE, PLANNERS),
    # Shop-floor quality (finished-goods inspections, the lab, lot decisions): planners.
    "/api/v1/finishgoods/": (EVERYONE, PLANNERS),
    "/api/v1/quality/": (EVERYONE, PLANNERS),
    # Monitoring: everyone reads the stored snapshots; building one on demand and alert rules are the admin's
    # (monitoring.api.views: planners read what the 15-minute schedule stores).
    "/api/v1/planning/monitoring/": (EVERYONE, ADMINS),
    # The first page: read-only figures for everyone.
    "/api/v1/dashboard/": (EVERYONE, ADMINS),
    # People and roles.
    "/api/v1/users/": (ADMINS, ADMINS),
    # Outbound webhooks: endpoints carry business data out of the product, so admins only.
    "/api/v1/webhooks/": (ADMINS, ADMINS),
    "/api/v1/groups/": (ADMINS, ADMINS),
    "/api/v1/permissions/": (ADMINS, ADMINS),
    # Deprecated aliases for clients of the old ERP: the rights of the endpoints they stand for.
    "/api/branches/": (EVERYONE, INTEGRATORS),
    "/api/sync/": (EVERYONE, INTEGRATORS),
    "/api/data/": (EVERYONE, INTEGRATORS),
    "/kanban/": (EVERYONE, PLANNERS),
    "/import-export/": (EVERYONE, INTEGRATORS),
    # Load balancers.
    "/api/v1/health/": (PUBLIC, PUBLIC),
}

# Operations whose rule is not their area's read/write split.
OPERATIONS: dict[tuple[str, str], Access] = {
    ("POST", "/api/v1/auth/login/"): PUBLIC,
    ("POST", "/api/v1/auth/refresh/"): PUBLIC,
    ("POST", "/api/v1/auth/logout/"): PUBLIC,
    ("POST", "/api/v1/auth/password-reset/"): PUBLIC,
    ("POST", "/api/v1/auth/password-reset/confirm/"): PUBLIC,
    ("GET", "/api/v1/auth/me/"): EVERYONE,
    # The second step of the login and enrolment: the otp_token of the login answer is the credential.
    ("POST", "/api/v1/auth/otp/enrol/"): PUBLIC,
    ("POST", "/api/v1/auth/otp/verify/"): PUBLIC,
    # Computations that store nothing; POST only because the input is a document.
    ("POST", "/api/v1/planning/core/proposal/"): EVERYONE,
    ("POST", "/api/v1/warehouse/bom/validate/"): EVERYONE,
    # Scanning a code only looks it up (and records the scan); a PDF of labels is a rendering, not a change.
    ("POST", "/api/v1/barcode/scan/"): EVERYONE,
    ("POST", "/api/v1/barcode/labels/sheet/"): EVERYONE,
    # A GET that builds a snapshot now (the expensive part of storing one): as restricted as storing it.
    ("GET", "/api/v1/planning/monitoring/snapshot/"): ADMINS,
}


def expected_access(operation: Operation) -> Access | None:
    """Who may call the operation, from the table; None when the table has no row for it."""
    if (operation.method, operation.path) in OPERATIONS:
        return OPERATIONS[(operation.method, operation.path)]
    prefixes = [prefix for prefix in AREAS if operation.path.startswith(prefix)]
    if not prefixes:
        return None
    read, write = AREAS[max(prefixes, key=len)]
    return read if operation.method == "GET" else write


def call(client: APIClient, operation: Operation, path: str) -> Any:
    """The operation with an empty body in the content type the schema documents (JSON unless only multipart)."""
    method = operation.method.lower()
    if method in ("get", "delete"):
        return getattr(client, method)(path)
    if operation.body_types and "application/json" not in operation.body_types:
        return getattr(client, method)(path, {}, format="multipart")
    return getattr(client, method)(path, {}, format="json")


@pytest.mark.parametrize("role", ROLES_UNDER_TEST)
@pytest.mark.parametrize("operation", api_operations(), ids=str)
def test_every_operation_answers_each_role_as_the_table_says(operation, role, module_dataset, db):
    access = expected_access(operation)
    if access is None:
        pytest.fail(f"{operation} has no row in the permissions table: add its area prefix to AREAS (who may read, "
                    f"who may write) or the operation itself to OPERATIONS in {__file__}.")
    path = concrete_path(operation, module_dataset)
    response = call(client_as(role, module_dataset), operation, path)
    status = response.status_code
    said = f"{operation.method} {path} as {role} answered {status}: {body_of(response)[:300]!r}"
    if access == PUBLIC or role in access:
        assert status not in (401, 403, 404, 405) and status < 500, f"expected a real answer; {said}"
    elif role == "anonymous":
        assert status == 401, f"expected 401 (authentication required); {said}"
    else:
        assert status == 403, f"expected 403 ({role} may not do this); {said}"


def test_the_table_has_no_stale_rows():
    """A renamed endpoint must not leave its row behind, still 'passing' for nothing."""
    operations = api_operations()
    unused_areas = [prefix for prefix in AREAS if not any(op.path.startswith(prefix) for op in operations)]
    known = {(op.method, op.path) for op in operations}
    unknown_operations = [key for key in OPERATIONS if key not in known]
    assert not unused_areas and not unknown_operations, (
        f"rows that match no operation of the schema: areas {unused_areas}, operations {unknown_operations}")


@pytest.mark.parametrize(
    ("path", "role", "expected"),
    [
        ("/health", "anonymous", 200),
        ("/api/v1/", "anonymous", 200),
        ("/api/v1/schema/", "anonymous", 401),
        ("/api/v1/schema/", "viewer", 200),
        ("/api/v1/docs/", "anonymous", 401),
        ("/api/v1/docs/", "viewer", 200),
    ],
)
def test_endpoints_outside_the_schema(path, role, expected, module_dataset, db):
    response = client_as(role, module_dataset).get(path)
    assert response.status_code == expected, f"GET {path} as {role}: {response.status_code}"


def test_health_is_public_and_answers_without_credentials(client, db):
    response = client.get("/health")
    assert response.status_code == 200 and response.json()["status"] == "ok"
    assert client.get("/health", HTTP_AUTHORIZATION="Bearer not-a-token").status_code == 200


def test_metrics_need_their_token_whoever_asks(module_dataset, db, settings):
    settings.METRICS_TOKEN = "hardening-metrics-token"
    url = reverse("metrics")
    admin = client_as("admin", module_dataset)
    # No token, an admin's API login (not the scrape token), a wrong token: all 401.
    for client, headers in ((APIClient(), {}), (admin, {}), (APIClient(), {"HTTP_AUTHORIZATION": "Bearer wrong"})):
        response = client.get(url, **headers)
        assert response.status_code == 401, f"/metrics answered {response.status_code} with {headers or 'no token'}"
    response = APIClient().get(url, HTTP_AUTHORIZATION="Bearer hardening-metrics-token")
    assert response.status_code == 200 and b"sf_sync_runs" in response.content
