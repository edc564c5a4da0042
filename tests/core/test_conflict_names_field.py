"""Issue 14: a 409 for a unique conflict names the field(s), on SQLite and PostgreSQL alike."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from rest_framework.test import APIRequestFactory

from core.api.exceptions import api_exception_handler
from integrations.models import IntegrationAccount, SyncCursor
from sales.models import Product

pytestmark = pytest.mark.django_db


def _answer(exc: IntegrityError):
    request = APIRequestFactory().post("/api/v1/products/")
    return api_exception_handler(exc, {"request": request})


def _integrity_error(create) -> IntegrityError:
    with pytest.raises(IntegrityError) as caught, transaction.atomic():
        create()
    return caught.value


def test_single_field_unique_conflict_names_the_field():
    Product.objects.create(sku="SKU-1", name="one")
    response = _answer(_integrity_error(lambda: Product.objects.create(sku="SKU-1", name="two")))
    assert response.status_code == 409
    assert "sku" in response.data and "sku" in response.data["detail"]


def test_composite_unique_conflict_names_every_field():
    account = IntegrationAccount.objects.create(kind="onec", name="a", base_url="https://1c.example.com")
    SyncCursor.objects.create(account=account, stream="org")
    response = _answer(_integrity_error(lambda: SyncCursor.objects.create(account=account, stream="org")))
    assert response.status_code == 409
    assert {"account", "stream"} <= set(response.data)
