"""Issue 14: a filter value a list cannot apply is a 400 naming the parameter, not silently ignored."""

from __future__ import annotations

import pytest

from sales.models import Product

pytestmark = pytest.mark.django_db


@pytest.fixture
def products():
    Product.objects.create(sku="A", name="active", is_active=True)
    Product.objects.create(sku="B", name="retired", is_active=False)


@pytest.mark.parametrize("query", ["is_active=750", "is_active=maybe", "is_active="])
def test_invalid_yes_no_filter_is_a_400(client_for, products, query):
    response = client_for("viewer").get(f"/api/v1/products/?{query}")
    assert response.status_code == 400, response.content
    assert "is_active" in response.json()


@pytest.mark.parametrize(("value", "expected"), [("true", ["A"]), ("1", ["A"]), ("false", ["B"]), ("0", ["B"])])
def test_yes_no_filter_accepts_true_false_1_0(client_for, products, value, expected):
    response = client_for("viewer").get(f"/api/v1/products/?is_active={value}")
    assert response.status_code == 200
    assert [p["sku"] for p in response.json()["results"]] == expected


def test_empty_date_filter_is_a_400(client_for):
    response = client_for("viewer").get("/api/v1/daily-sales/?date_from=")
    assert response.status_code == 400, response.content
    assert "date_from" in response.json()
