"""Issue 14: answers match the documented schema — PATCH answers carry every field, `ancestors` is a plain
list, a forecast run without a creator documents `created_by` as nullable, the upload's 400 is documented."""

from __future__ import annotations

import datetime as dt

import pytest

from branches.models import Location
from forecasting.models import ModelRun
from sales.models import DemandDriver, ProductCategory
from tests.hardening.conftest import api_schema

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("kind", ["branch", "category", "driver"])
def test_patch_answers_carry_the_same_fields_as_get(client_for, kind):
    client = client_for("admin")
    location = Location.objects.create(code="B1", name="b", type="BRANCH")
    if kind == "branch":
        url, body = f"/api/v1/branches/{location.pk}/", {"name": "renamed"}
    elif kind == "category":
        url, body = f"/api/v1/product-categories/{ProductCategory.objects.create(code='C', name='c').pk}/", {
            "name": "renamed"}
    else:
        driver = DemandDriver.objects.create(location=location, product=None, date=dt.date(2026, 3, 1), is_open=True)
        url, body = f"/api/v1/demand-drivers/{driver.pk}/", {"is_open": False}
    fetched = client.get(url).json()
    patched = client.patch(url, body, format="json")
    assert patched.status_code == 200, patched.content
    assert set(patched.json()) == set(fetched)


def test_ancestors_is_a_plain_list_as_documented(client_for):
    root = Location.objects.create(code="R", name="root", type="BRANCH_GROUP")
    leaf = Location.objects.create(code="L", name="leaf", type="BRANCH", parent=root)
    answer = client_for("viewer").get(f"/api/v1/branches/{leaf.pk}/ancestors/").json()
    assert [a["code"] for a in answer] == ["R"]
    documented = api_schema()["paths"]["/api/v1/branches/{id}/ancestors/"]["get"]["responses"]["200"]
    assert documented["content"]["application/json"]["schema"]["type"] == "array"


def test_forecast_run_without_creator_is_documented_as_nullable(client_for):
    run = ModelRun.objects.create()
    assert client_for("viewer").get(f"/api/v1/forecasting/runs/{run.pk}/").json()["created_by"] is None
    components = api_schema()["components"]["schemas"]
    model_run = next(v for k, v in components.items() if "created_by" in v.get("properties", {})
                     and "forecast_count" in v.get("properties", {}))
    assert model_run["properties"]["created_by"].get("nullable") is True


def test_upload_400_for_bad_parameters_matches_its_documentation(client_for):
    response = client_for("integrator").post("/api/v1/import-export/upload/", {"kind": "sales"}, format="multipart")
    assert response.status_code == 400 and "file" in response.json()
    documented = api_schema()["paths"]["/api/v1/import-export/upload/"]["post"]["responses"]["400"]
    assert documented["content"]["application/json"]["schema"]["type"] == "object"
    assert "$ref" not in documented["content"]["application/json"]["schema"]
